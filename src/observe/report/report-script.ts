/**
 * The page's script (plain browser JavaScript, inlined): the Gantt timeline, drawn only for the rows in view so a
 * 10,000-node run scrolls smoothly, and the node table (sortable, filterable, paged). Nodes of nested workflows
 * and loop iterations sit indented under the node that holds them, which collapses them (▾/▸). It builds DOM nodes
 * with textContent, never HTML strings, so names from the trace cannot inject markup.
 */
export const REPORT_SCRIPT = String.raw`
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('report-data').textContent);
  var PALETTE = ['#4269d0', '#efb118', '#3ca951', '#ff725c', '#a463f2', '#97bbf5', '#9c6b4e', '#ff8ab7', '#6cc5b0', '#9498a0'];
  var NS = 'http://www.w3.org/2000/svg';
  var ROW = 22, LABEL = 180;
  function color(m) { return m < 0 ? '#9498a0' : PALETTE[m % PALETTE.length]; }
  function el(name, attrs, text) {
    var node = document.createElementNS(NS, name);
    for (var k in attrs) node.setAttribute(k, attrs[k]);
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function usd(v) {
    if (v === 0) return '$0';
    var a = Math.abs(v);
    return '$' + v.toFixed(a >= 100 ? 2 : a >= 1 ? 3 : a >= 0.01 ? 4 : 6);
  }
  function ms(v) { return v < 1000 ? Math.round(v) + ' ms' : (v / 1000).toFixed(v < 60000 ? 2 : 0) + ' s'; }
  function num(v) { return v.toLocaleString('en-US'); }
  var collapsed = {};
  // A row is hidden when a node that holds it is collapsed.
  function hidden(n) {
    for (var p = n.parent; p !== undefined; p = D.nodes[p].parent) if (collapsed[p]) return true;
    return false;
  }
  var holds = {};
  D.nodes.forEach(function (n, i) {
    n.i = i;
    if (n.parent !== undefined) holds[n.parent] = true;
  });
  function toggleLabel(i) { return holds[i] ? (collapsed[i] ? '\u25b8 ' : '\u25be ') : ''; }
  function toggle(i) { collapsed[i] = !collapsed[i]; layoutRows(); schedule(); drawTable(); }
  var MARK = { retry: ['\u21bb', 'marker-retry', 'retried'], fallback: ['\u21e2', 'marker-fallback', 'fell back'], error: ['\u2717', 'marker-error', 'failed'] };

  // ---- Gantt ----
  var box = document.getElementById('gantt');
  var inner = document.getElementById('gantt-inner');
  var axis = document.getElementById('gantt-axis');
  var rows = [];
  var started = D.nodes.filter(function (n) { return n.start !== undefined; }).length;
  function layoutRows() {
    rows = [];
    D.nodes.forEach(function (n, i) { if (n.start !== undefined && !hidden(n)) rows.push(i); });
    rows.sort(function (a, b) { return D.nodes[a].start - D.nodes[b].start || a - b; });
    inner.style.height = rows.length * ROW + 'px';
    box.style.height = Math.min(440, rows.length * ROW + 6) + 'px';
  }
  layoutRows();
  document.getElementById('gantt-count').textContent = num(started) + ' nodes started';
  var T = Math.max(D.durationMs, 1);

  function scale() {
    var width = Math.max(box.clientWidth - 18, 400);
    var plot = width - LABEL - 30;
    return { width: width, x: function (t) { return LABEL + (t / T) * plot; } };
  }

  function drawAxis(s) {
    var svg = el('svg', { width: s.width, height: 22 });
    for (var i = 0; i <= 8; i++) {
      var t = (T * i) / 8, x = s.x(t);
      svg.appendChild(el('line', { x1: x, x2: x, y1: 14, y2: 22, class: 'tick' }));
      svg.appendChild(el('text', { x: x, y: 11, 'text-anchor': i === 0 ? 'start' : i === 8 ? 'end' : 'middle', class: 'ticklabel' }, ms(t)));
    }
    axis.replaceChildren(svg);
  }

  function drawRow(svg, s, n, i, y) {
    var g = el('g', { class: 'row', 'data-node': n.id });
    var text = toggleLabel(i) + n.label;
    var room = 26 - 2 * n.depth;
    var label = el('text', { x: 4 + 10 * n.depth, y: y + 15, class: 'rowlabel' + (holds[i] ? ' toggle' : '') }, text.length > room ? text.slice(0, room - 1) + '\u2026' : text);
    if (holds[i]) label.addEventListener('click', function () { toggle(i); });
    g.appendChild(label);
    var end = n.end === undefined ? T : n.end;
    var span = el('rect', { x: s.x(n.start), y: y + 4, width: Math.max(1, s.x(end) - s.x(n.start)), height: ROW - 8, rx: 3, class: 'span span-' + n.status });
    var extra = (n.iterations ? ' \u00b7 ' + n.iterations + ' iterations' : '') + (n.prompt ? ' \u00b7 waits for: ' + n.prompt : '');
    span.appendChild(el('title', {}, n.id + ' \u00b7 ' + n.status + ' \u00b7 ' + ms(end - n.start) + ' \u00b7 ' + usd(n.cost) + extra));
    g.appendChild(span);
    var marks = [];
    n.attempts.forEach(function (a, k) {
      var x1 = s.x(a[0]), x2 = Math.max(s.x(a[1]), x1 + 2);
      var r = el('rect', { x: x1, y: y + 7, width: x2 - x1, height: ROW - 14, rx: 2, class: 'attempt attempt-' + a[3], fill: color(a[2]) });
      r.appendChild(el('title', {}, 'attempt ' + (k + 1) + ' \u00b7 ' + D.models[a[2]] + ' \u00b7 ' + ms(a[1] - a[0]) + (MARK[a[3]] ? ' \u00b7 ' + MARK[a[3]][2] : '')));
      g.appendChild(r);
      var mark = MARK[a[3]];
      if (mark) {
        var m = el('text', { x: x2, y: y + 16, 'text-anchor': 'middle', class: 'marker ' + mark[1], 'data-node': n.id }, mark[0]);
        m.appendChild(el('title', {}, n.id + ': attempt ' + (k + 1) + ' ' + mark[2]));
        marks.push(m);
      }
    });
    marks.forEach(function (m) { g.appendChild(m); }); // on top of the bars
    svg.appendChild(g);
  }

  function drawGantt() {
    var s = scale();
    drawAxis(s);
    var first = Math.max(0, Math.floor(box.scrollTop / ROW) - 10);
    var last = Math.min(rows.length, Math.ceil((box.scrollTop + box.clientHeight) / ROW) + 10);
    var svg = el('svg', { width: s.width, height: Math.max(0, (last - first) * ROW) });
    svg.style.top = first * ROW + 'px';
    for (var r = first; r < last; r++) drawRow(svg, s, D.nodes[rows[r]], rows[r], (r - first) * ROW);
    inner.replaceChildren(svg);
  }
  var pending = false;
  function schedule() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; drawGantt(); });
  }
  box.addEventListener('scroll', schedule);
  window.addEventListener('resize', schedule);
  drawGantt();

  // ---- node table ----
  var PAGE = 50;
  var state = { sort: 'cost', desc: true, filter: '', page: 0 };
  var table = document.getElementById('nodes-body');
  var pager = document.getElementById('nodes-pager');
  var COLS = {
    id: function (n) { return n.id; },
    model: function (n) { return n.m < 0 ? '' : D.models[n.m]; },
    status: function (n) { return n.status; },
    attempts: function (n) { return n.attempts.length; },
    retries: function (n) { return n.retries + n.fallbacks; },
    tin: function (n) { return n.tin; },
    tout: function (n) { return n.tout; },
    cost: function (n) { return n.cost; },
    time: function (n) { return n.start === undefined ? -1 : (n.end === undefined ? T : n.end) - n.start; }
  };
  function order(list) {
    var key = COLS[state.sort];
    return list.sort(function (a, b) { var x = key(a), y = key(b); var c = x < y ? -1 : x > y ? 1 : 0; return state.desc ? -c : c; });
  }
  // Filtered: every match, flat. Otherwise: the tree, each level sorted, children under the node that holds them.
  function selected() {
    var f = state.filter.toLowerCase();
    if (f) return order(D.nodes.filter(function (n) { return n.id.toLowerCase().indexOf(f) >= 0 || COLS.model(n).toLowerCase().indexOf(f) >= 0 || n.status.indexOf(f) === 0; }));
    var children = {};
    D.nodes.forEach(function (n) { var p = n.parent === undefined ? -1 : n.parent; (children[p] = children[p] || []).push(n); });
    var list = [];
    (function walk(p) {
      if (p >= 0 && collapsed[p]) return;
      order(children[p] || []).forEach(function (n) { list.push(n); walk(n.i); });
    })(-1);
    return list;
  }
  function cell(tr, text, cls) { var td = document.createElement('td'); td.textContent = text; if (cls) td.className = cls; tr.appendChild(td); }
  function drawTable() {
    var list = selected();
    var pages = Math.max(1, Math.ceil(list.length / PAGE));
    state.page = Math.min(state.page, pages - 1);
    var body = document.createDocumentFragment();
    list.slice(state.page * PAGE, state.page * PAGE + PAGE).forEach(function (n) {
      var tr = document.createElement('tr');
      var i = n.i;
      tr.setAttribute('data-node', n.id);
      cell(tr, (state.filter ? n.id : toggleLabel(i) + n.label + (n.iterations ? ' (' + n.iterations + ' iterations)' : '')) + (n.att ? ' \u{1f4ce}' + n.att.length : ''), holds[i] ? 'toggle' : '');
      if (n.att) tr.lastChild.title = n.att.join('\n');
      if (!state.filter) tr.firstChild.style.paddingLeft = 8 + 16 * n.depth + 'px';
      if (holds[i]) tr.firstChild.addEventListener('click', function () { toggle(i); });
      cell(tr, COLS.model(n) || (n.m < 0 && n.kind !== 'llm' ? n.kind : '\u2014'));
      cell(tr, n.status + (n.cached ? ' (cached)' : ''), 'st-' + n.status);
      if (n.prompt) tr.lastChild.title = n.prompt;
      cell(tr, String(n.attempts.length), 'num');
      cell(tr, (n.retries ? n.retries + ' \u21bb ' : '') + (n.fallbacks ? n.fallbacks + ' \u21e2' : ''), 'num');
      cell(tr, num(n.tin) + (n.tin ? ' (' + Math.round((100 * n.tcached) / n.tin) + '% cached)' : ''), 'num');
      cell(tr, num(n.tout) + (n.treason ? ' (' + num(n.treason) + ' reasoning)' : ''), 'num');
      cell(tr, usd(n.cost), 'num');
      cell(tr, n.start === undefined ? '' : ms((n.end === undefined ? T : n.end) - n.start), 'num');
      body.appendChild(tr);
    });
    table.replaceChildren(body);
    pager.textContent = list.length === 0 ? 'no node matches' : 'nodes ' + num(state.page * PAGE + 1) + '\u2013' + num(Math.min(list.length, (state.page + 1) * PAGE)) + ' of ' + num(list.length);
  }
  document.querySelectorAll('th[data-sort]').forEach(function (th) {
    th.addEventListener('click', function () {
      var key = th.getAttribute('data-sort');
      state.desc = state.sort === key ? !state.desc : key !== 'id' && key !== 'model' && key !== 'status';
      state.sort = key;
      drawTable();
    });
  });
  document.getElementById('nodes-filter').addEventListener('input', function (e) { state.filter = e.target.value; state.page = 0; drawTable(); });
  document.getElementById('nodes-prev').addEventListener('click', function () { state.page = Math.max(0, state.page - 1); drawTable(); });
  document.getElementById('nodes-next').addEventListener('click', function () { state.page++; drawTable(); });
  drawTable();
})();
`;
