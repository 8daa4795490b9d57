/// The web UI's core script: the JSON API client (session cookie, CSRF header on every change),
/// DOM building without HTML strings, state badges, the router between screens, and live
/// updates from the event stream with polling when the stream is unavailable.
extension WebAsset {
    static let appJS = WebAsset("app.js", type: "text/javascript; charset=utf-8", text: #"""
'use strict';
/* Gnomon web UI: core. Every screen registers itself with G.page(regex, render). */
const G = (() => {
  const ICONS = {succeeded: '✓', failed: '✗', running: '▶', queued: '◷', waiting: '◷', ready: '○',
    retrying: '↻', skipped: '»', cancelled: '⊘', started: '▶', caught_up: '↷', replaced: '⇄',
    skipped_overlap: '»', paused: '‖', missed: '–', dropped: '–', duplicate: '=', error: '!',
    active: '▶', invalid: '!', valid: '✓', exited: '✗', signalled: '⚡', timed_out: '⌛',
    could_not_start: '!'};
  const EVENT_TYPES = ['run_created', 'run_started', 'run_finished', 'task_changed', 'attempt_started',
    'attempt_ended', 'fire_time', 'job_invalid', 'job_valid', 'job_silent', 'job_late', 'disk_low', 'disk_ok', 'log'];
  let csrf = null;
  let me = null;

  /** An element: attributes (on* are listeners), then children (text is never parsed as HTML). */
  function h(tag, attrs, ...kids) {
    const el = document.createElement(tag);
    setAttrs(el, attrs);
    for (const kid of kids.flat(Infinity)) {
      if (kid != null && kid !== false) el.append(kid instanceof Node ? kid : String(kid));
    }
    return el;
  }
  function svg(tag, attrs, ...kids) {
    const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
    setAttrs(el, attrs);
    for (const kid of kids.flat(Infinity)) {
      if (kid != null && kid !== false) el.append(kid instanceof Node ? kid : String(kid));
    }
    return el;
  }
  function setAttrs(el, attrs) {
    if (!attrs) return;
    for (const [key, value] of Object.entries(attrs)) {
      if (value == null || value === false) continue;
      if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
      else el.setAttribute(key === 'className' ? 'class' : key, value === true ? '' : String(value));
    }
  }

  /** Calls the JSON API; changes carry the session's CSRF token. Errors carry the API's message. */
  async function api(path, options = {}) {
    const method = options.method || 'GET';
    const headers = {Accept: 'application/json'};
    let body;
    if (method !== 'GET') {
      if (!csrf) await session();
      headers['X-Gnomon-CSRF'] = csrf;
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.body || {});
    }
    const response = await fetch(path, {method, headers, body, credentials: 'same-origin'});
    if (response.status === 401) {
      location.assign('/login?next=' + encodeURIComponent(location.pathname + location.search));
      throw new Error('the session has ended; signing in again');
    }
    const text = await response.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (_) { data = null; }
    if (!response.ok) {
      const error = new Error(data && data.error ? data.error.message : `${response.status} ${response.statusText}`);
      error.status = response.status;
      throw error;
    }
    return data;
  }
  async function session() {
    const answer = await api('/api/v1/session');
    csrf = answer.csrf || null;
    me = answer;
    return answer;
  }
  const ROLES = ['read', 'operate', 'admin'];
  function can(role) { return !me || ROLES.indexOf(me.role) >= ROLES.indexOf(role); }

  const enc = encodeURIComponent;
  function label(state) { return String(state || 'unknown').replace(/_/g, ' '); }
  /** A state as glyph + word + colour; never colour alone. */
  function badge(state, text) {
    const s = state || 'unknown';
    return h('span', {class: `st st-${s}`, 'data-icon': ICONS[s] || '•', 'data-state': s}, text || label(s));
  }
  function icon(state) { return ICONS[state] || '•'; }
  function pad(n) { return String(n).padStart(2, '0'); }
  function time(iso) {
    if (!iso) return '—';
    const d = new Date(iso);
    if (isNaN(d)) return iso;
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  }
  function duration(ms) {
    if (ms == null || isNaN(ms)) return '—';
    const s = Math.max(0, Math.round(ms / 1000));
    if (s < 60) return `${s} s`;
    if (s < 3600) return `${Math.floor(s / 60)} min ${pad(s % 60)} s`;
    return `${Math.floor(s / 3600)} h ${pad(Math.floor(s / 60) % 60)} min`;
  }
  function span(from, to) {
    if (!from) return null;
    return (to ? new Date(to) : new Date()) - new Date(from);
  }
  function isoSeconds(date) { return date.toISOString().replace(/\.\d+Z$/, 'Z'); }
  function errorBox(error) { return h('p', {class: 'error', role: 'alert'}, String(error && error.message || error)); }
  function runLink(id) { return h('a', {href: `/runs/${id}`}, `#${id}`); }
  function jobLink(name) { return h('a', {href: `/jobs/${enc(name)}`}, name); }
  /** At most one call of fn per `ms`, the last request always served. */
  function throttle(fn, ms) {
    let timer = null, pending = false, last = 0;
    const fire = () => { timer = null; pending = false; last = Date.now(); Promise.resolve(fn()).catch(() => {}); };
    return () => {
      if (timer) { pending = true; return; }
      const wait = Math.max(0, last + ms - Date.now());
      timer = setTimeout(fire, wait);
    };
  }
  /** Runs `work` over `items`, `width` at a time. */
  async function pool(items, width, work) {
    let next = 0;
    const worker = async () => { while (next < items.length) { const i = next++; await work(items[i], i); } };
    await Promise.all(Array.from({length: Math.min(width, items.length)}, worker));
  }

  /** What one screen holds while shown: its timers and streams, all ended when it is left. */
  class Screen {
    constructor(main) { this.main = main; this.closed = false; this.timers = []; this.sources = []; }
    every(ms, fn) {
      const id = setInterval(() => { if (!this.closed) Promise.resolve(fn()).catch(() => {}); }, ms);
      this.timers.push(id);
      return id;
    }
    stop(id) { clearInterval(id); }
    /**
     * Live changes: `onEvent(type, data)` for each event of the stream `/api/v1/events?query`;
     * `poll()` once the stream is open (to catch up with what happened before it) and every
     * `pollMs` while the stream cannot be used.
     */
    live(query, onEvent, poll, pollMs) {
      let polling = null;
      const startPolling = () => { if (!polling && !this.closed) polling = this.every(pollMs, poll); };
      if (!window.EventSource) { startPolling(); return; }
      const source = new EventSource('/api/v1/events' + (query ? `?${query}` : ''));
      this.sources.push(source);
      const handler = (event) => {
        let data = null;
        try { data = JSON.parse(event.data); } catch (_) { return; }
        if (!this.closed) onEvent(event.type, data);
      };
      for (const type of EVENT_TYPES) source.addEventListener(type, handler);
      source.onopen = () => {
        if (polling) { clearInterval(polling); polling = null; }
        Promise.resolve(poll()).catch(() => {});
      };
      source.onerror = () => { if (source.readyState === EventSource.CLOSED) startPolling(); };
    }
    close() {
      this.closed = true;
      for (const id of this.timers) clearInterval(id);
      for (const source of this.sources) source.close();
    }
  }

  const pages = [];
  let current = null;
  function page(pattern, render) { pages.push({pattern, render}); }
  function isPage(path) { return pages.some((p) => p.pattern.test(path)); }

  async function route() {
    if (current) current.close();
    const main = document.getElementById('app');
    const screen = new Screen(main);
    current = screen;
    const path = location.pathname;
    for (const p of pages) {
      const match = path.match(p.pattern);
      if (!match) continue;
      try {
        await p.render(screen, ...match.slice(1).map(decodeURIComponent));
      } catch (error) {
        if (!screen.closed) main.replaceChildren(h('h1', null, 'Something went wrong'), errorBox(error));
      }
      return;
    }
    main.replaceChildren(h('h1', null, 'No such page'), h('p', null, h('a', {href: '/'}, 'Back to the overview')));
  }
  function go(path) {
    history.pushState(null, '', path);
    window.scrollTo(0, 0);
    route();
  }

  /** The banners above every screen: a scheduler that lags, job files that are invalid. */
  async function banners() {
    const box = document.getElementById('banners');
    if (!box) return;
    const items = [];
    try {
      const health = await (await fetch('/health', {credentials: 'same-origin'})).json();
      const lag = health.scheduler_lag_seconds;
      if (typeof lag === 'number' && lag > G.LAG_WARNING_SECONDS) {
        items.push(h('div', {class: 'banner', role: 'status', id: 'lag-banner'},
          `⚠ The scheduler is ${Math.round(lag)} s behind its fire times.`));
      }
      if (health.database && health.database.reachable === false) {
        items.push(h('div', {class: 'banner bad', role: 'alert'}, `✗ The database cannot be reached: ${health.database.error || ''}`));
      }
      const jobs = await api('/api/v1/jobs');
      const invalid = jobs.filter((job) => !job.valid);
      if (invalid.length) {
        items.push(h('div', {class: 'banner bad', role: 'alert', id: 'invalid-banner'},
          `✗ ${invalid.length} job file${invalid.length > 1 ? 's are' : ' is'} invalid: `,
          invalid.slice(0, 5).map((job, i) => [i ? ', ' : '', jobLink(job.name)]),
          invalid.length > 5 ? ` and ${invalid.length - 5} more` : ''));
      }
    } catch (_) { /* the page itself shows API errors */ }
    box.replaceChildren(...items);
  }

  function start() {
    document.addEventListener('click', (event) => {
      const link = event.target.closest && event.target.closest('a[href]');
      if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      if (link.target || link.hasAttribute('download')) return;
      const url = new URL(link.href, location.href);
      if (url.origin !== location.origin || !isPage(url.pathname)) return;
      event.preventDefault();
      go(url.pathname + url.search);
    });
    window.addEventListener('popstate', route);
    session().then((who) => {
      const box = document.getElementById('who');
      if (box) box.textContent = `${who.name} (${who.role})`;
    }).catch(() => {});
    banners();
    setInterval(banners, 15000);
    route();
  }
  document.addEventListener('DOMContentLoaded', () => setTimeout(start, 0));

  return {h, svg, api, session, can, enc, badge, icon, label, time, duration, span, isoSeconds, errorBox,
    runLink, jobLink, throttle, pool, page, go, route, banners, LAG_WARNING_SECONDS: 10};
})();
"""#)
}
