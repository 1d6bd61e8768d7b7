/** The page's stylesheet (inlined). */
export const REPORT_STYLE = `
:root { --fg: #1f2328; --muted: #656d76; --line: #d8dee4; --bg: #f6f8fa; --card: #fff; --accent: #4269d0; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--fg); background: var(--bg); }
header { padding: 20px 28px 8px; }
header h1 { margin: 0 0 4px; font-size: 22px; }
header .meta { color: var(--muted); }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; color: #fff; background: #868e96; }
.badge.succeeded { background: #2f9e44; } .badge.failed, .badge.incomplete { background: #e03131; } .badge.cancelled { background: #868e96; }
.badge.waiting { background: #f08c00; }
main { padding: 8px 28px 28px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 10px; margin-bottom: 14px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
.card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card .value { font-size: 21px; font-weight: 650; margin-top: 2px; }
.card .sub { color: var(--muted); font-size: 12px; }
section { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; margin-bottom: 14px; overflow-x: auto; }
section h2 { font-size: 15px; margin: 0 0 10px; }
.two { display: grid; grid-template-columns: 1fr 1fr; gap: 14px; }
.two section { margin-bottom: 14px; }
@media (max-width: 1200px) { .two { grid-template-columns: 1fr; } }
.note { color: var(--muted); margin: 4px 0 8px; }
.legend { display: flex; flex-wrap: wrap; gap: 14px; margin: 4px 0 8px; color: var(--muted); font-size: 12px; }
.key i { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 5px; vertical-align: -1px; }
svg text { font-family: inherit; }
.graph .edge { fill: none; stroke: #adb5bd; stroke-width: 1.3; }
.graph rect { fill: #fff; stroke-width: 1.6; }
.graph .levelbox { fill: #f8f9fa; stroke: #ced4da; }
.gid { font-size: 12px; font-weight: 600; fill: var(--fg); }
.gmodel { font-size: 11px; fill: var(--muted); }
.blabel { font-size: 12px; fill: var(--fg); }
.bvalue { font-size: 11px; fill: var(--muted); }
.axis { stroke: #adb5bd; }
.limit { stroke: #e03131; stroke-dasharray: 5 4; }
.grid { stroke: #eceef2; }
.spent { fill: none; stroke: #4269d0; stroke-width: 2; }
.reserved { fill: none; stroke: #c5d3f5; stroke-width: 2; }
#gantt-axis { height: 22px; }
#gantt { height: 440px; overflow-y: auto; position: relative; border-top: 1px solid var(--line); }
#gantt-inner { position: relative; }
#gantt-inner svg { position: absolute; left: 0; }
.tick { stroke: #adb5bd; } .ticklabel { font-size: 10px; fill: var(--muted); }
.rowlabel { font-size: 11px; fill: var(--fg); }
.span { fill: #e9ecef; } .span-failed { fill: #ffe3e3; } .span-cancelled { fill: #f1f3f5; } .span-waiting { fill: #fff3bf; }
.toggle { cursor: pointer; } .rowlabel.toggle { font-weight: 600; }
.attempt { opacity: .95; } .attempt-retry, .attempt-fallback, .attempt-error { opacity: .55; }
.marker { font-size: 14px; font-weight: 700; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
.marker-retry { fill: #e8590c; } .marker-fallback { fill: #ae3ec9; } .marker-error { fill: #e03131; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #eaeef2; white-space: nowrap; }
th { color: var(--muted); font-weight: 600; }
th[data-sort] { cursor: pointer; } th[data-sort]:hover { color: var(--fg); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.st-failed { color: #e03131; } .st-skipped, .st-cancelled { color: var(--muted); } .st-waiting { color: #e8590c; font-weight: 600; }
td.toggle { font-weight: 600; }
.controls { display: flex; gap: 8px; align-items: center; margin-bottom: 8px; }
.controls input { padding: 4px 8px; border: 1px solid var(--line); border-radius: 6px; min-width: 240px; }
.controls button { padding: 3px 10px; border: 1px solid var(--line); border-radius: 6px; background: #fff; cursor: pointer; }
footer { color: var(--muted); font-size: 12px; padding: 0 28px 20px; }
`;
