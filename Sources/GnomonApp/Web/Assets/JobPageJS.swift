/// One job: its file, next fire times, a paged runs × tasks grid, its fire times and what was
/// decided for each, and a form to trigger a run of chosen tasks with parameters.
extension WebAsset {
    static let jobPageJS = WebAsset("job.js", type: "text/javascript; charset=utf-8", text: #"""
'use strict';
(() => {
  const {h, api, enc, badge, time, runLink, throttle, pool} = G;
  const GRID_RUNS = 15;
  const GRID_TASKS = 40;
  const TICKS_STEP = 50;

  function triggerForm(job) {
    const tasks = h('select', {id: 'trigger-tasks', multiple: true, size: Math.min(8, Math.max(3, job.tasks.length)), 'aria-describedby': 'trigger-tasks-help'},
      job.tasks.map((name) => h('option', {value: name}, name)));
    const params = h('textarea', {id: 'trigger-params', rows: 3, cols: 40, placeholder: 'day=2026-11-26', spellcheck: 'false'});
    const message = h('div', {role: 'status', 'aria-live': 'polite'});
    const submit = h('button', {type: 'submit', class: 'primary', id: 'trigger-submit', disabled: !G.can('operate')}, 'Trigger run');
    const form = h('form', {id: 'trigger', class: 'panel', onsubmit: async (event) => {
      event.preventDefault();
      const body = {};
      const chosen = [...tasks.selectedOptions].map((option) => option.value);
      if (chosen.length) body.tasks = chosen;
      const values = {};
      for (const line of params.value.split('\n')) {
        if (!line.trim()) continue;
        const at = line.indexOf('=');
        if (at < 1) { message.replaceChildren(G.errorBox(`"${line}" is not NAME=VALUE`)); return; }
        values[line.slice(0, at).trim()] = line.slice(at + 1);
      }
      if (Object.keys(values).length) body.params = values;
      submit.disabled = true;
      try {
        const run = await G.trigger(job.name, body);
        G.go(`/runs/${run.id}`);
      } catch (error) {
        message.replaceChildren(G.errorBox(error));
        submit.disabled = false;
      }
    }},
      h('h2', null, 'Trigger a run'),
      h('label', {for: 'trigger-tasks'}, 'Tasks'),
      h('div', null, tasks),
      h('p', {id: 'trigger-tasks-help', class: 'muted'}, 'Choose none to run every task; choose some to run only those.'),
      h('label', {for: 'trigger-params'}, 'Parameters, one NAME=VALUE a line'),
      h('div', null, params),
      h('div', {class: 'row'}, submit, message));
    return form;
  }

  /* The runs × tasks grid: a page of runs (cursor pages, newest first) against a page of tasks. */
  function runGrid(screen, job) {
    const box = h('section', {id: 'grid'});
    const cursors = [null];
    let page = 0, taskFirst = 0, runs = [], details = new Map(), nextCursor = null;
    const draw = () => {
      const tasks = job.tasks.slice(taskFirst, taskFirst + GRID_TASKS);
      const table = h('table', {class: 'rungrid'},
        h('thead', null, h('tr', null, h('th', null, 'Run'), h('th', null, 'Status'),
          tasks.map((name) => h('th', {class: 'task', title: name, scope: 'col'}, name)))),
        h('tbody', null, runs.map((run) => {
          const detail = details.get(run.id);
          const states = detail ? new Map(detail.tasks.map((task) => [task.name, task.status])) : null;
          return h('tr', null, h('td', null, runLink(run.id)), h('td', null, badge(run.status)),
            tasks.map((name) => {
              const state = states ? states.get(name) : null;
              return h('td', null, h('a', {class: `cell c-${state || 'none'}`, href: `/runs/${run.id}?task=${enc(name)}`,
                title: `${name}: ${state ? G.label(state) : (states ? 'not in this run' : 'loading')}`,
                'aria-label': `${name} ${state ? G.label(state) : 'none'}`}, state ? G.icon(state) : '·'));
            }));
        })));
      box.replaceChildren(h('h2', null, 'Runs × tasks'),
        runs.length ? h('div', {class: 'scroll'}, table) : h('p', {class: 'muted'}, 'No runs yet.'),
        h('div', {class: 'pager'},
          h('button', {type: 'button', disabled: page === 0, onclick: () => { page--; load(); }}, '‹ Newer runs'),
          h('button', {type: 'button', disabled: !nextCursor, onclick: () => { page++; cursors[page] = nextCursor; load(); }}, 'Older runs ›'),
          job.tasks.length > GRID_TASKS ? [
            h('button', {type: 'button', disabled: taskFirst === 0, onclick: () => { taskFirst -= GRID_TASKS; draw(); }}, '‹ Tasks'),
            h('span', null, `tasks ${taskFirst + 1}–${Math.min(taskFirst + GRID_TASKS, job.tasks.length)} of ${job.tasks.length}`),
            h('button', {type: 'button', disabled: taskFirst + GRID_TASKS >= job.tasks.length, onclick: () => { taskFirst += GRID_TASKS; draw(); }}, 'Tasks ›'),
          ] : ''));
    };
    const drawSoon = throttle(draw, 200);
    const load = async () => {
      const cursor = cursors[page];
      const answer = await api(`/api/v1/runs?job=${enc(job.name)}&limit=${GRID_RUNS}${cursor ? `&cursor=${cursor}` : ''}`);
      if (screen.closed) return;
      runs = answer.runs;
      nextCursor = answer.next_cursor;
      draw();
      /* Each run's tasks, four at a time; finished runs never change, so they are kept. */
      await pool(runs, 4, async (run) => {
        const known = details.get(run.id);
        if (known && known.status === run.status && ['succeeded', 'failed', 'cancelled'].includes(run.status)) return;
        try { details.set(run.id, await api(`/api/v1/runs/${run.id}`)); drawSoon(); } catch (_) {}
      });
    };
    return {box, load, refresh: () => (page === 0 ? load() : null)};
  }

  function ticksTable(screen, job) {
    const box = h('section', {id: 'ticks'});
    let limit = TICKS_STEP;
    const load = async () => {
      const ticks = await api(`/api/v1/jobs/${enc(job.name)}/ticks?limit=${limit}`);
      if (screen.closed) return;
      box.replaceChildren(h('h2', null, 'Fire times and what was decided'),
        ticks.length ? h('div', {class: 'scroll'}, h('table', null,
          h('thead', null, h('tr', null, h('th', null, 'Fire time'), h('th', null, 'Decision'), h('th', null, 'Run'),
            h('th', null, 'Detail'), h('th', {class: 'hide-narrow'}, 'Decided at'))),
          h('tbody', null, ticks.map((tick) => h('tr', null, h('td', null, time(tick.fire_time)), h('td', null, badge(tick.decision)),
            h('td', null, tick.run_id ? runLink(tick.run_id) : '—'), h('td', null, tick.detail || ''),
            h('td', {class: 'hide-narrow'}, time(tick.decided_at)))))))
          : h('p', {class: 'muted'}, job.schedule ? 'No fire time has come yet.' : 'This job has no schedule; it runs when triggered.'),
        ticks.length >= limit && limit < 10000 ? h('button', {type: 'button', onclick: () => { limit = Math.min(10000, limit + TICKS_STEP); load(); }}, 'Show older fire times') : '');
    };
    return {box, load};
  }

  G.page(/^\/jobs\/([^/]+)$/, async (screen, name) => {
    const job = await api(`/api/v1/jobs/${enc(name)}?runs=0&next=5`);
    const message = h('div', {role: 'status', 'aria-live': 'polite'});
    const pause = h('button', {type: 'button', id: 'pause-toggle', disabled: !job.valid || !G.can('operate'), onclick: async () => {
      pause.disabled = true;
      try { await G.setPaused(job.name, !job.paused); G.route(); } catch (e) { message.replaceChildren(G.errorBox(e)); pause.disabled = false; }
    }}, job.paused ? 'Resume' : 'Pause');
    const grid = runGrid(screen, job);
    const ticks = ticksTable(screen, job);
    screen.main.replaceChildren(
      h('div', {class: 'row'}, h('h1', null, job.name), job.valid ? (job.paused ? badge('paused') : badge('active')) : badge('invalid'),
        h('span', {class: 'spacer'}), pause),
      message,
      job.problems.length ? h('div', {class: 'banner bad', role: 'alert'}, h('strong', null, 'This job file is invalid:'),
        h('ul', null, job.problems.map((problem) => h('li', null, problem)))) : '',
      h('div', {class: 'grid2'},
        h('div', null, h('dl', {class: 'facts'},
          h('dt', null, 'File'), h('dd', null, h('code', null, job.path)),
          h('dt', null, 'Schedule'), h('dd', null, job.schedule ? h('code', null, job.schedule) : 'none (manual runs only)'),
          job.timezone ? [h('dt', null, 'Time zone'), h('dd', null, job.timezone)] : '',
          h('dt', null, 'Next fire times'), h('dd', null, job.next_fire_times.length
            ? h('ul', {id: 'next-fires'}, job.next_fire_times.map((t) => h('li', null, time(t), ' ', h('span', {class: 'muted'}, t))))
            : '—'),
          h('dt', null, 'Tasks'), h('dd', null, String(job.tasks.length)))),
        job.valid ? triggerForm(job) : ''),
      grid.box,
      ticks.box,
      h('details', {id: 'file'}, h('summary', null, 'Job file'), h('pre', {class: 'file'}, job.definition || '(unreadable)')));
    await Promise.all([grid.load(), ticks.load()]);
    const refresh = throttle(async () => { await grid.refresh(); await ticks.load(); }, 1500);
    screen.live(`job=${enc(job.name)}`, (type) => { if (type !== 'log') refresh(); }, refresh, 5000);
  });
})();
"""#)
}
