/// A run of more than `G.BIG_RUN_TASKS` tasks: its counts by state and a table of its tasks that
/// the server pages and filters (by state, by name prefix), with the selected task's attempts
/// and log; no graph (a drawing of 100,000 tasks helps nobody). Live: the events of the tasks
/// in view change their rows at once; the counts and the page are fetched again now and then.
extension WebAsset {
    static let runBigPageJS = WebAsset("run-big.js", type: "text/javascript; charset=utf-8", text: #"""
'use strict';
(() => {
  const {h, api, enc, badge, time, duration, span, throttle} = G;
  const TASKS_PER_PAGE = 100;
  /** How often the counts and the page shown are fetched again while the run changes. */
  const REFRESH_MS = 3000;

  /** `screen` shows run `first.id`, whose first page of tasks `first` is. */
  G.bigRunPage = (screen, first, drawnAt) => {
    const {ORDER, FINISHED, outcomeText, outcomeState, slurmNote, outputsOf, runHeader} = G.runParts;
    let run = first;
    let filter = '', prefix = '', offset = 0;
    const tasks = new Map();
    const attempts = new Map();
    /** The selected task and its attempts, when it is not on the page shown. */
    let chosen = null;
    let selected = new URLSearchParams(location.search).get('task');

    function index(page) {
      tasks.clear();
      attempts.clear();
      for (const task of page.tasks) tasks.set(task.name, task);
      for (const attempt of page.attempts) {
        if (!attempts.has(attempt.task)) attempts.set(attempt.task, []);
        attempts.get(attempt.task).push(attempt);
      }
      for (const list of attempts.values()) list.sort((a, b) => a.number - b.number);
    }
    index(first);

    const message = h('div', {role: 'status', 'aria-live': 'polite'});
    const head = runHeader(() => run, (answer) => { Object.assign(run, {status: answer.status,
      cancel_requested_at: answer.cancel_requested_at, cancel_reason: answer.cancel_reason}); }, () => refresh(), message);
    const counts = h('div', {class: 'legend', id: 'counts', 'aria-live': 'polite'});
    const note = h('p', {class: 'muted', id: 'run-summary'});
    const table = h('div', {class: 'scroll', id: 'tasks'});
    const searchBox = h('input', {type: 'search', placeholder: 'name starts with', 'aria-label': 'filter tasks by the start of their name',
      oninput: (event) => { prefix = event.target.value; offset = 0; fetchSoon(); }});
    const detailInfo = h('div');
    const logs = new G.TaskLogSlot(screen, run.id);
    const detail = h('section', {id: 'task-detail'}, detailInfo, logs.box);

    /** How many fetches were asked for: an answer to an older one than the newest is dropped
     * (typing in the filter asks again before the last answer came). */
    let asked = 0;
    /** Fetches the counts and the page shown (with the filter), and the selected task when it is not on it. */
    async function refresh() {
      const mine = ++asked;
      const query = new URLSearchParams({task_limit: String(TASKS_PER_PAGE)});
      if (offset) query.set('task_cursor', String(offset));
      if (filter) query.set('task_status', filter);
      if (prefix) query.set('task_prefix', prefix);
      const page = await api(`/api/v1/runs/${run.id}?${query}`);
      if (screen.closed || mine !== asked) return;
      run = page;
      index(page);
      if (selected && !tasks.has(selected)) await fetchChosen();
      redraw();
    }
    const fetchSoon = throttle(refresh, 300);
    const refreshSoon = throttle(refresh, REFRESH_MS);

    /** The selected task's row and attempts, found by its name among the tasks it starts. */
    async function fetchChosen() {
      const page = await api(`/api/v1/runs/${run.id}?task_limit=${TASKS_PER_PAGE}&task_prefix=${enc(selected)}`);
      const task = page.tasks.find((t) => t.name === selected);
      chosen = task ? {task, attempts: page.attempts.filter((a) => a.task === selected).sort((a, b) => a.number - b.number)} : null;
    }
    const selectedTask = () => tasks.get(selected) || (chosen && chosen.task) || null;
    const selectedAttempts = () => (tasks.has(selected) ? attempts.get(selected) || [] : (chosen && chosen.attempts) || []);

    function drawCounts() {
      const tally = run.task_counts || {};
      const size = Object.values(tally).reduce((sum, n) => sum + n, 0);
      counts.replaceChildren(h('strong', null, `${size} tasks:`),
        ...ORDER.filter((s) => tally[s]).map((s) => h('button', {type: 'button', class: 'linkish', 'data-state': s,
          'aria-pressed': filter === s ? 'true' : 'false', title: `show only the ${G.label(s)} tasks`,
          onclick: () => { filter = filter === s ? '' : s; offset = 0; refresh(); }}, badge(s, `${tally[s]} ${G.label(s)}`))));
      note.textContent = `Too many tasks to draw: the table below shows ${TASKS_PER_PAGE} at a time; pick a state above or type the start of a name to narrow it.`;
    }

    function drawTable() {
      const total = run.tasks_total;
      table.replaceChildren(
        h('div', {class: 'row'}, h('h2', null, 'Tasks'), searchBox, filter ? h('span', null, 'showing ', badge(filter), ' ',
          h('button', {type: 'button', onclick: () => { filter = ''; offset = 0; refresh(); }}, 'show all')) : ''),
        h('table', null, h('thead', null, h('tr', null, h('th', null, 'Task'), h('th', null, 'State'), h('th', {class: 'num'}, 'Attempts'),
          h('th', {class: 'hide-narrow'}, 'Last outcome'), h('th', {class: 'num'}, 'Took'))),
          h('tbody', null, [...tasks.values()].map((task) => {
            const list = attempts.get(task.name) || [];
            const last = list[list.length - 1];
            return h('tr', {class: (task.name === selected ? 'sel-row' : '') + (task.instance_of ? ' instance' : ''), 'data-task': task.name},
              h('td', null, h('a', {href: `/runs/${run.id}?task=${enc(task.name)}`, title: task.instance_of ? `item ${task.item}` : null,
                onclick: (event) => { event.preventDefault(); choose(task.name); }}, task.instance_of ? `↳ ${task.name}` : task.name)),
              h('td', null, badge(task.status)), h('td', {class: 'num'}, String(task.attempts)),
              h('td', {class: 'hide-narrow'}, last ? outcomeText(last) : (task.reason || '')),
              h('td', {class: 'num'}, last ? duration(span(last.started_at, last.ended_at)) : '—'));
          }))),
        total === 0 ? h('p', {class: 'muted'}, 'No task matches.') : '',
        h('div', {class: 'pager'},
          h('button', {type: 'button', id: 'tasks-previous', disabled: offset === 0,
            onclick: () => { offset = Math.max(0, offset - TASKS_PER_PAGE); refresh(); }}, '‹ Previous'),
          h('span', {id: 'tasks-range'}, total ? `${offset + 1}–${Math.min(offset + TASKS_PER_PAGE, total)} of ${total}` : '0 of 0'),
          h('button', {type: 'button', id: 'tasks-next', disabled: offset + TASKS_PER_PAGE >= total,
            onclick: () => { offset += TASKS_PER_PAGE; refresh(); }}, 'Next ›')));
    }

    function drawDetail() {
      const task = selectedTask();
      if (!task) { detailInfo.replaceChildren(); logs.box.replaceChildren(); return; }
      const list = selectedAttempts();
      const current = list[list.length - 1];
      logs.follow(selected, current ? current.number : null);
      detailInfo.replaceChildren(
        h('div', {class: 'row'}, h('h2', null, `Task ${selected}`), badge(task.status), task.reason ? h('span', {class: 'muted'}, task.reason) : ''),
        task.instance_of ? h('p', {class: 'muted'}, 'Instance ', h('code', null, String(task.index)), ' of ',
          h('a', {href: `/runs/${run.id}?task=${enc(task.instance_of)}`, onclick: (event) => { event.preventDefault(); choose(task.instance_of); }}, task.instance_of),
          ', item ', h('code', null, task.item)) : '',
        list.length ? h('div', {class: 'scroll'}, h('table', {id: 'attempts'},
          h('thead', null, h('tr', null, h('th', null, 'Attempt'), h('th', null, 'Outcome'), h('th', null, 'Started'), h('th', {class: 'num'}, 'Took'), h('th', null, 'Log'))),
          h('tbody', null, list.map((attempt) => h('tr', null, h('td', null, `#${attempt.number}`, slurmNote(attempt)),
            h('td', null, badge(outcomeState(attempt), outcomeText(attempt))), h('td', null, time(attempt.started_at)),
            h('td', {class: 'num'}, duration(span(attempt.started_at, attempt.ended_at))),
            h('td', null, h('button', {type: 'button', onclick: () => logs.show(selected, attempt.number)}, 'Show'),
              ' ', h('a', {href: `/api/v1/runs/${run.id}/tasks/${enc(selected)}/attempts/${attempt.number}/log?download=1`, download: ''}, 'raw')))))))
          : h('p', {class: 'muted'}, 'No attempt yet.'),
        outputsOf(list));
    }

    async function choose(name) {
      selected = name;
      logs.unpin();
      history.replaceState(null, '', `/runs/${run.id}?task=${enc(name)}`);
      if (!tasks.has(name)) await fetchChosen();
      drawTable();
      drawDetail();
    }

    function redraw() {
      head.draw();
      drawCounts();
      drawTable();
      drawDetail();
    }
    const redrawSoon = throttle(redraw, 250);

    /* The tasks in view change at once; the counts and the page come with the next fetch. */
    function onEvent(type, event) {
      if (String(event.run_id) !== String(run.id) && type !== 'log') return;
      if (type === 'log') {
        if (event.task === selected) logs.grew(event.task, event.attempt);
        return;
      }
      let task = null, list = null;
      if (event.task && tasks.has(event.task)) {
        task = tasks.get(event.task);
        if (!attempts.has(event.task)) attempts.set(event.task, []);
        list = attempts.get(event.task);
      } else if (event.task && event.task === selected && chosen) {
        task = chosen.task;
        list = chosen.attempts;
      }
      if (type === 'task_changed' && task) { task.status = event.status; task.reason = event.detail || null; }
      if (type === 'attempt_started' && task) {
        task.status = 'running';
        task.attempts = Math.max(task.attempts, event.attempt || 0);
        if (!list.some((a) => a.number === event.attempt)) list.push({number: event.attempt, task: task.name, started_at: event.at, ended_at: null, outcome: null});
      }
      if (type === 'attempt_ended' && task) {
        const found = list.find((a) => a.number === event.attempt);
        if (found) { found.ended_at = event.at; found.outcome = event.status; found.reason = event.detail; }
      }
      if (type === 'run_started') run.status = 'running';
      if (type === 'run_finished') run.status = event.status || run.status;
      if (task || type.startsWith('run_')) redrawSoon();
      refreshSoon();
    }

    screen.main.replaceChildren(head.box, message, counts, note, h('div', {class: 'grid2'}, table, detail));
    const ready = async () => {
      if (selected && !tasks.has(selected)) await fetchChosen();
      redraw();
      screen.main.dataset.drawnMs = String(Math.round(performance.now() - drawnAt));
      screen.main.dataset.ready = 'yes';
      const poll = () => (FINISHED.includes(run.status) ? null : refresh());
      screen.live(`run=${run.id}&logs=1`, onEvent, poll, 5000);
    };
    return ready();
  };
})();
"""#)
}
