import { colorOf, esc, usd } from './format.js';
import type { ReportData, ReportNode } from './report-data.js';

/** Graphs up to this many nodes are drawn node by node; larger ones level by level. */
export const MAX_DRAWN_NODES = 150;

const BOX_W = 168;
const BOX_H = 38;
const COL_W = 210;
const ROW_H = 50;
const STATUS_COLOR: Record<string, string> = {
  succeeded: '#3ca951',
  failed: '#e03131',
  cancelled: '#868e96',
  skipped: '#adb5bd',
  pending: '#adb5bd',
  running: '#4269d0',
  waiting: '#f08c00',
};

/** What a node without a model of its own is, in its box. */
const KIND_LABEL: Record<string, string> = {
  step: 'TypeScript step',
  workflow: 'nested workflow',
  loop: 'loop',
  branch: 'branch',
  approval: 'person',
};

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

function byLevel(nodes: readonly ReportNode[]): ReportNode[][] {
  const levels: ReportNode[][] = [];
  for (const node of nodes) (levels[node.level] ??= []).push(node);
  return levels.map((l) => l ?? []);
}

/** The workflow's own nodes (nested ones are in the timeline and the table, under the node that holds them). */
const topNodes = (data: ReportData) => data.nodes.filter((n) => n.depth === 0);

/** Node by node: columns by level, edges from each dependency. */
function drawnGraph(data: ReportData): string {
  const levels = byLevel(topNodes(data));
  const pos = new Map<ReportNode, { x: number; y: number }>();
  levels.forEach((level, col) => level.forEach((node, row) => pos.set(node, { x: 10 + col * COL_W, y: 10 + row * ROW_H })));
  const width = 20 + Math.max(1, levels.length) * COL_W - (COL_W - BOX_W);
  const height = 20 + Math.max(1, ...levels.map((l) => l.length)) * ROW_H - (ROW_H - BOX_H);
  const edges: string[] = [];
  const boxes: string[] = [];
  for (const node of topNodes(data)) {
    const to = pos.get(node)!;
    for (const d of node.deps) {
      const from = pos.get(data.nodes[d]!)!;
      const [x1, y1, x2, y2] = [from.x + BOX_W, from.y + BOX_H / 2, to.x, to.y + BOX_H / 2];
      const mid = (x1 + x2) / 2;
      edges.push(`<path d="M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}" class="edge"/>`);
    }
    const model = node.m >= 0 ? data.models[node.m]! : node.iterations ? `loop × ${node.iterations}` : (KIND_LABEL[node.kind] ?? '—');
    boxes.push(
      `<g class="gnode" data-node="${esc(node.id)}" transform="translate(${to.x},${to.y})">` +
        `<title>${esc(`${node.id} · ${model} · ${node.status} · ${usd(node.cost)}`)}</title>` +
        `<rect width="${BOX_W}" height="${BOX_H}" rx="6" style="stroke:${STATUS_COLOR[node.status] ?? '#adb5bd'}"/>` +
        `<rect width="6" height="${BOX_H}" rx="3" style="fill:${colorOf(node.m)}"/>` +
        `<text x="14" y="15" class="gid">${esc(clip(node.id, 22))}</text>` +
        `<text x="14" y="30" class="gmodel">${esc(clip(model, 18))} · ${esc(usd(node.cost))}</text>` +
        `</g>`,
    );
  }
  return `<svg class="graph" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="workflow graph">${edges.join('')}${boxes.join('')}</svg>`;
}

/** Level by level: one column per level with its node count, status and model mix. */
function levelGraph(data: ReportData): string {
  const levels = byLevel(topNodes(data));
  const shown = levels.slice(0, 40);
  const colW = 150;
  const width = 20 + shown.length * colW;
  const height = 150;
  const parts: string[] = [];
  shown.forEach((level, col) => {
    const x = 10 + col * colW;
    const counts = new Map<number, number>();
    for (const node of level) counts.set(node.m, (counts.get(node.m) ?? 0) + 1);
    const failed = level.filter((n) => n.status === 'failed').length;
    let offset = 0;
    const bar = [...counts].sort((a, b) => b[1] - a[1]).map(([m, n]) => {
      const w = (n / level.length) * 120;
      const rect = `<rect x="${x + offset}" y="70" width="${w}" height="14" style="fill:${colorOf(m)}"><title>${esc(`${m >= 0 ? data.models[m] : 'no model'}: ${n}`)}</title></rect>`;
      offset += w;
      return rect;
    });
    const cost = level.reduce((s, n) => s + n.cost, 0);
    parts.push(
      `<g class="glevel"><rect x="${x}" y="10" width="120" height="110" rx="6" class="levelbox"/>` +
        `<text x="${x + 8}" y="30" class="gid">level ${col}</text>` +
        `<text x="${x + 8}" y="50" class="gmodel">${level.length.toLocaleString('en-US')} nodes${failed ? ` · ${failed} failed` : ''}</text>` +
        bar.join('') +
        `<text x="${x + 8}" y="108" class="gmodel">${esc(usd(cost))}</text></g>`,
    );
    if (col > 0) parts.push(`<path d="M${x - 28},65 L${x - 4},65" class="edge" marker-end="url(#arrow)"/>`);
  });
  const more = levels.length > shown.length ? `<p class="note">…and ${levels.length - shown.length} more levels.</p>` : '';
  return (
    `<svg class="graph" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="workflow graph by level">` +
    `<defs><marker id="arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="8" markerHeight="8" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#868e96"/></marker></defs>` +
    `${parts.join('')}</svg>${more}`
  );
}

/** The workflow graph with each node's model: drawn node by node when small, level by level when large. */
export function graphSection(data: ReportData): string {
  const count = topNodes(data).length;
  if (count <= MAX_DRAWN_NODES) return drawnGraph(data);
  return `<p class="note">${count.toLocaleString('en-US')} nodes: shown by dependency level (bar: model mix).</p>${levelGraph(data)}`;
}
