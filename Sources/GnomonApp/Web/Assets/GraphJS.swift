/// A run's task graph as SVG: a layered layout computed from the snapshot's dependencies
/// (`depends_on` solid, `after` dashed), each task coloured by state with its glyph and word.
/// Only the nodes and edges inside the visible part are in the DOM, so a 1,000-task graph
/// draws as fast as a small one.
extension WebAsset {
    static let graphJS = WebAsset("graph.js", type: "text/javascript; charset=utf-8", text: #"""
'use strict';
(() => {
  const {h, svg} = G;
  const W = 190, H = 40, HGAP = 60, VGAP = 14, PAD = 16;
  /* Nodes are drawn this far beyond the visible part, so scrolling shows no blank edge. */
  const MARGIN = 300;

  /** Columns by longest path from the roots, rows ordered by the barycentre of neighbours. */
  function layout(tasks) {
    const n = tasks.length;
    const index = new Map(tasks.map((task, i) => [task.name, i]));
    const edges = [];
    tasks.forEach((task, i) => {
      const seen = new Set();
      for (const name of task.dependsOn || task.depends_on || []) {
        if (index.has(name) && !seen.has(name)) { seen.add(name); edges.push({from: index.get(name), to: i, after: false}); }
      }
      for (const name of task.after || []) {
        if (index.has(name) && !seen.has(name)) { seen.add(name); edges.push({from: index.get(name), to: i, after: true}); }
      }
    });
    const succ = tasks.map(() => []), pred = tasks.map(() => []);
    for (const edge of edges) { succ[edge.from].push(edge.to); pred[edge.to].push(edge.from); }
    const indegree = pred.map((p) => p.length), column = new Array(n).fill(0), queue = [];
    for (let i = 0; i < n; i++) if (!indegree[i]) queue.push(i);
    for (let q = 0; q < queue.length; q++) {
      const v = queue[q];
      for (const w of succ[v]) {
        column[w] = Math.max(column[w], column[v] + 1);
        if (--indegree[w] === 0) queue.push(w);
      }
    }
    const columns = [];
    for (let i = 0; i < n; i++) (columns[column[i]] = columns[column[i]] || []).push(i);
    const row = new Array(n).fill(0);
    const place = (list) => list.forEach((v, k) => { row[v] = k; });
    columns.forEach(place);
    const reorder = (list, neighbours) => {
      const key = new Map(list.map((v) => {
        const near = neighbours[v];
        return [v, near.length ? near.reduce((sum, w) => sum + row[w], 0) / near.length : row[v]];
      }));
      list.sort((a, b) => key.get(a) - key.get(b));
      place(list);
    };
    for (let sweep = 0; sweep < 2; sweep++) {
      for (let c = 1; c < columns.length; c++) reorder(columns[c], pred);
      for (let c = columns.length - 2; c >= 0; c--) reorder(columns[c], succ);
    }
    const tallest = columns.reduce((most, list) => Math.max(most, list.length), 0);
    const nodes = tasks.map((task, i) => ({
      name: task.name, i,
      x: PAD + column[i] * (W + HGAP),
      y: PAD + (row[i] + (tallest - columns[column[i]].length) / 2) * (H + VGAP),
    }));
    return {nodes, edges, columns: columns.length, width: PAD * 2 + columns.length * (W + HGAP) - HGAP,
      height: PAD * 2 + tallest * (H + VGAP) - VGAP};
  }

  function short(name) { return name.length > 24 ? name.slice(0, 23) + '…' : name; }

  class TaskGraph {
    /** `stateOf(name)` gives {status, attempts}; `onSelect(name)` is called on a click. */
    constructor(tasks, stateOf, onSelect) {
      this.stateOf = stateOf;
      this.onSelect = onSelect;
      this.plan = layout(tasks);
      this.byName = new Map(this.plan.nodes.map((node) => [node.name, node]));
      this.shown = new Map();
      this.selected = null;
      this.edgeLayer = svg('g', {class: 'edges'});
      this.nodeLayer = svg('g', {class: 'nodes'});
      this.svg = svg('svg', {width: this.plan.width, height: this.plan.height, role: 'img',
        'aria-label': `task graph: ${tasks.length} tasks in ${this.plan.columns} columns`},
        svg('defs', null, svg('marker', {id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto'},
          svg('path', {d: 'M0,0 L10,5 L0,10 z', fill: '#9aa5b1'}))),
        this.edgeLayer, this.nodeLayer);
      this.box = h('div', {class: 'graph', id: 'graph'}, this.svg);
      let pending = false;
      this.box.addEventListener('scroll', () => {
        if (pending) return;
        pending = true;
        requestAnimationFrame(() => { pending = false; this.draw(); });
      }, {passive: true});
    }

    get drawnNodes() { return this.shown.size; }

    view() {
      const width = this.box.clientWidth || 1200, height = this.box.clientHeight || 800;
      return {x0: this.box.scrollLeft - MARGIN, y0: this.box.scrollTop - MARGIN,
        x1: this.box.scrollLeft + width + MARGIN, y1: this.box.scrollTop + height + MARGIN};
    }

    /** Draws what is visible and removes what is not. */
    draw() {
      const v = this.view();
      const inside = (node) => node.x + W >= v.x0 && node.x <= v.x1 && node.y + H >= v.y0 && node.y <= v.y1;
      const wanted = new Set();
      for (const node of this.plan.nodes) if (inside(node)) wanted.add(node.name);
      for (const [name, element] of this.shown) {
        if (!wanted.has(name)) { element.remove(); this.shown.delete(name); }
      }
      for (const name of wanted) if (!this.shown.has(name)) this.addNode(this.byName.get(name));
      const edges = [];
      for (const edge of this.plan.edges) {
        const a = this.plan.nodes[edge.from], b = this.plan.nodes[edge.to];
        if (Math.max(a.x, b.x) + W < v.x0 || Math.min(a.x, b.x) > v.x1) continue;
        if (Math.max(a.y, b.y) + H < v.y0 || Math.min(a.y, b.y) > v.y1) continue;
        const x1 = a.x + W, y1 = a.y + H / 2, x2 = b.x, y2 = b.y + H / 2, bend = Math.max(20, (x2 - x1) / 2);
        edges.push(svg('path', {class: edge.after ? 'edge after' : 'edge', 'marker-end': 'url(#arrow)',
          d: `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`}));
        if (edges.length >= 4000) break;
      }
      this.edgeLayer.replaceChildren(...edges);
    }

    addNode(node) {
      const state = this.stateOf(node.name) || {};
      const status = state.status || 'waiting';
      const title = svg('title', null, '');
      const line1 = svg('text', {x: 8, y: 16}, '');
      const line2 = svg('text', {x: 8, y: 32, class: 'sub'}, '');
      const group = svg('g', {class: 'node', transform: `translate(${node.x},${node.y})`, 'data-task': node.name,
        tabindex: 0, role: 'button'},
        svg('rect', {width: W, height: H, rx: 6}), line1, line2, title);
      group.addEventListener('click', () => this.onSelect(node.name));
      group.addEventListener('keydown', (event) => { if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); this.onSelect(node.name); } });
      group.parts = {line1, line2, title};
      this.shown.set(node.name, group);
      this.paint(node.name, group, status, state.attempts || 0, state.note);
      this.nodeLayer.append(group);
    }

    /** `note` (a foreach task's counts) replaces the second line when given. */
    paint(name, group, status, attempts, note) {
      group.setAttribute('class', `node n-${status}${this.selected === name ? ' sel' : ''}`);
      group.setAttribute('data-state', status);
      group.parts.line1.textContent = `${G.icon(status)} ${short(name)}`;
      group.parts.line2.textContent = note || (G.label(status) + (attempts > 1 ? ` · ${attempts} attempts` : ''));
      group.parts.title.textContent = `${name}: ${G.label(status)}${note ? ` (${note})` : ''}`;
    }

    /** A task's state changed: repaint its node if drawn (undrawn ones read it when drawn). */
    update(name) {
      const group = this.shown.get(name);
      if (!group) return;
      const state = this.stateOf(name) || {};
      this.paint(name, group, state.status || 'waiting', state.attempts || 0, state.note);
    }

    updateAll() { for (const name of this.shown.keys()) this.update(name); }

    select(name) {
      const before = this.selected;
      this.selected = name;
      if (before) this.update(before);
      const node = this.byName.get(name);
      if (!node) return;
      const left = node.x - this.box.clientWidth / 2 + W / 2, top = node.y - this.box.clientHeight / 2 + H / 2;
      if (node.x < this.box.scrollLeft || node.x + W > this.box.scrollLeft + this.box.clientWidth
        || node.y < this.box.scrollTop || node.y + H > this.box.scrollTop + this.box.clientHeight) {
        this.box.scrollTo(Math.max(0, left), Math.max(0, top));
      }
      this.draw();
      this.update(name);
    }
  }

  G.TaskGraph = TaskGraph;
  G.graphLayout = layout;
})();
"""#)
}
