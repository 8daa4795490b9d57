/// The overview and the jobs list.
extension WebAsset {
    static let listPagesJS = WebAsset("pages.js", type: "text/javascript; charset=utf-8", text: #"""
'use strict';
(() => {
  const {h, api, enc, badge, time, duration, span, jobLink, runLink, throttle, pool} = G;

  function runsTable(runs, empty) {
    if (!runs.length) return h('p', {class: 'muted'}, empty);
    return h('div', {class: 'scroll'}, h('table', null,
      h('thead', null, h('tr', null, h('th', null, 'Run'), h('th', null, 'Job'), h('th', null, 'Status'),
        h('th', {class: 'hide-narrow'}, 'Trigger'), h('th', null, 'Started'), h('th', null, 'Took'), h('th', {class: 'hide-narrow'}, 'Why'))),
      h('tbody', null, runs.map((run) => h('tr', {'data-run': run.id},
        h('td', null, runLink(run.id)), h('td', null, jobLink(run.job)), h('td', null, badge(run.status)),
        h('td', {class: 'hide-narrow'}, run.trigger), h('td', null, time(run.started_at || run.created_at)),
        h('td', {class: 'num'}, duration(span(run.started_at, run.finished_at))),
        h('td', {class: 'hide-narrow'}, run.reason || ''))))));
  }

  /* Overview: what runs now, what failed in the last 24 h, what fires next. */
  G.page(/^\/$/, async (screen) => {
    const draw = async () => {
      const since = G.isoSeconds(new Date(Date.now() - 86400e3));
      const [active, failed, jobs] = await Promise.all([
        api('/api/v1/runs?status=running,queued&limit=100'),
        api(`/api/v1/runs?status=failed&since=${enc(since)}&limit=100`),
        api('/api/v1/jobs'),
      ]);
      if (screen.closed) return;
      const next = jobs.filter((job) => job.next_fire_time && !job.paused)
        .sort((a, b) => new Date(a.next_fire_time) - new Date(b.next_fire_time)).slice(0, 10);
      screen.main.replaceChildren(
        h('h1', null, 'Overview'),
        h('h2', {id: 'running'}, `Running now (${active.runs.length}${active.next_cursor ? '+' : ''})`),
        runsTable(active.runs, 'Nothing runs now.'),
        h('h2', {id: 'failures'}, `Failed in the last 24 hours (${failed.runs.length}${failed.next_cursor ? '+' : ''})`),
        runsTable(failed.runs, 'No run failed in the last 24 hours.'),
        h('h2', null, 'Fires next'),
        next.length ? h('div', {class: 'scroll'}, h('table', null,
          h('thead', null, h('tr', null, h('th', null, 'Job'), h('th', null, 'Next fire time'), h('th', null, 'Schedule'))),
          h('tbody', null, next.map((job) => h('tr', null, h('td', null, jobLink(job.name)),
            h('td', null, time(job.next_fire_time)), h('td', null, h('code', null, job.schedule || '')))))))
          : h('p', {class: 'muted'}, 'No scheduled job fires (none has a schedule, or all are paused).'));
    };
    await draw();
    const redraw = throttle(draw, 2000);
    screen.live('', (type) => { if (type !== 'log') redraw(); }, draw, 5000);
  });

  /* Jobs: schedule, next fire, the last runs as a strip, pause toggle, Run. */
  const JOBS_PER_PAGE = 50;
  const STRIP_RUNS = 12;

  function strip(runs) {
    if (!runs) return h('span', {class: 'muted'}, '…');
    if (!runs.length) return h('span', {class: 'muted'}, 'no runs yet');
    return h('span', {class: 'strip', role: 'list', 'aria-label': 'last runs, oldest first'},
      runs.slice().reverse().map((run) => h('a', {class: `cell c-${run.status}`, href: `/runs/${run.id}`, role: 'listitem',
        title: `run ${run.id}: ${G.label(run.status)} (${time(run.started_at || run.created_at)})`,
        'aria-label': `run ${run.id} ${G.label(run.status)}`}, G.icon(run.status))));
  }

  async function setPaused(job, paused) {
    await api(`/api/v1/jobs/${enc(job)}/${paused ? 'pause' : 'resume'}`, {method: 'POST'});
  }
  async function trigger(job, body) {
    return api(`/api/v1/jobs/${enc(job)}/runs`, {method: 'POST', body: body || {}});
  }
  G.setPaused = setPaused;
  G.trigger = trigger;

  G.page(/^\/jobs\/?$/, async (screen) => {
    let first = 0;
    let jobs = await api('/api/v1/jobs');
    const strips = new Map();
    const message = h('p', {role: 'status', 'aria-live': 'polite'});

    const row = (job) => {
      const pauseButton = h('button', {type: 'button', 'data-action': 'pause', disabled: !job.valid || !G.can('operate'),
        onclick: async () => {
          pauseButton.disabled = true;
          try { await setPaused(job.name, !job.paused); job.paused = !job.paused; } catch (e) { message.replaceChildren(G.errorBox(e)); }
          draw();
        }}, job.paused ? 'Resume' : 'Pause');
      const runButton = h('button', {type: 'button', class: 'primary', 'data-action': 'run', disabled: !job.valid || !G.can('operate'),
        onclick: async () => {
          runButton.disabled = true;
          try { const run = await trigger(job.name); G.go(`/runs/${run.id}`); } catch (e) { message.replaceChildren(G.errorBox(e)); runButton.disabled = false; }
        }}, 'Run');
      return h('tr', {'data-job': job.name},
        h('td', null, jobLink(job.name), job.valid ? '' : [' ', badge('invalid')], job.problem ? h('div', {class: 'error'}, job.problem) : ''),
        h('td', null, job.schedule ? h('code', null, job.schedule) : h('span', {class: 'muted'}, 'manual'),
          job.timezone ? h('div', {class: 'muted'}, job.timezone) : ''),
        h('td', null, job.paused ? h('span', {class: 'muted'}, 'paused') : time(job.next_fire_time)),
        h('td', null, strip(strips.get(job.name))),
        h('td', null, job.valid ? (job.paused ? badge('paused') : badge('active')) : badge('invalid')),
        h('td', null, h('div', {class: 'row'}, pauseButton, runButton)));
    };
    const draw = () => {
      if (screen.closed) return;
      const shown = jobs.slice(first, first + JOBS_PER_PAGE);
      screen.main.replaceChildren(
        h('h1', null, `Jobs (${jobs.length})`), message,
        jobs.length ? h('div', {class: 'scroll'}, h('table', {id: 'jobs'},
          h('thead', null, h('tr', null, h('th', null, 'Job'), h('th', null, 'Schedule'), h('th', null, 'Next fire'),
            h('th', null, 'Last runs'), h('th', null, 'State'), h('th', null, ''))),
          h('tbody', null, shown.map(row)))) : h('p', {class: 'muted'}, 'No jobs in the jobs folder.'),
        jobs.length > JOBS_PER_PAGE ? h('div', {class: 'pager'},
          h('button', {type: 'button', disabled: first === 0, onclick: () => { first -= JOBS_PER_PAGE; draw(); loadStrips(); }}, '‹ Previous'),
          h('span', null, `${first + 1}–${Math.min(first + JOBS_PER_PAGE, jobs.length)} of ${jobs.length}`),
          h('button', {type: 'button', disabled: first + JOBS_PER_PAGE >= jobs.length, onclick: () => { first += JOBS_PER_PAGE; draw(); loadStrips(); }}, 'Next ›'))
          : '');
    };
    const redrawSoon = throttle(draw, 300);
    /* Only the shown page's strips are fetched, four at a time. */
    const loadStrips = async (names) => {
      const wanted = names || jobs.slice(first, first + JOBS_PER_PAGE).map((job) => job.name);
      await pool(wanted, 4, async (name) => {
        if (screen.closed) return;
        try { strips.set(name, (await api(`/api/v1/runs?job=${enc(name)}&limit=${STRIP_RUNS}`)).runs); redrawSoon(); } catch (_) {}
      });
    };
    draw();
    await loadStrips();
    const refresh = async () => { jobs = await api('/api/v1/jobs'); draw(); await loadStrips(); };
    const changed = new Set();
    const refreshChanged = throttle(async () => { const names = [...changed]; changed.clear(); await loadStrips(names); }, 1000);
    screen.live('', (type, event) => {
      if (type === 'log') return;
      if (type === 'job_valid' || type === 'job_invalid') { refresh(); return; }
      if (event.job) { changed.add(event.job); refreshChanged(); }
    }, refresh, 5000);
  });
})();
"""#)
}
