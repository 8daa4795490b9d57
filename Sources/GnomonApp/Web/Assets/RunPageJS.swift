/// A run: its task graph updating live, counts by state, a paged task table, the selected
/// task's attempts and log, and the Kill and Retry buttons. A foreach task is one node of the
/// graph with its instances counted by state; its instances are rows under it in the table and
/// listed in its detail, each one selectable with its own attempts and log. A run of more than
/// `G.BIG_RUN_TASKS` tasks is summarised instead (run-big.js), a page of its tasks at a time.
extension WebAsset {
    static let runPageJS = WebAsset("run.js", type: "text/javascript; charset=utf-8", text: #"""
'use strict';
(() => {
  const {h, api, enc, badge, time, duration, span, jobLink, runLink, throttle} = G;
  const TASKS_PER_PAGE = 100;
  const FINISHED = ['succeeded', 'failed', 'cancelled'];
  const ORDER = ['running', 'retrying', 'failed', 'ready', 'waiting', 'succeeded', 'skipped', 'cancelled'];

  /** Past this many tasks (instances included) a run's page shows counts and a table paged by
   * the server instead of the graph: the whole run of 100,000 tasks is tens of megabytes, and
   * the drawing draws only what is in view, which up to the 1,000 tasks a job once could have
   * still helps. */
  G.BIG_RUN_TASKS = 1000;

  function outcomeText(attempt) {
    if (!attempt.outcome) return attempt.ended_at ? 'ended' : 'running';
    if (attempt.outcome === 'exited') return attempt.exit_code === 0 ? 'exit 0' : `exit ${attempt.exit_code}`;
    if (attempt.outcome === 'signalled') return `signal ${attempt.signal}`;
    return G.label(attempt.outcome) + (attempt.reason ? `: ${attempt.reason}` : '');
  }
  function outcomeState(attempt) {
    if (!attempt.outcome && !attempt.ended_at) return 'running';
    return attempt.outcome === 'exited' && attempt.exit_code === 0 ? 'succeeded' : 'failed';
  }

  /** Where an attempt that ran on Slurm ran: its job id, node and last state. */
  function slurmNote(attempt) {
    const job = attempt.slurm;
    if (!job) return '';
    return h('div', {class: 'muted slurm'}, `Slurm job ${job.job_id || '(id not yet known)'}`,
      job.node ? ` on ${job.node}` : '', job.state ? ` · ${job.state}` : '');
  }

  /** What the task's latest successful attempt wrote to GNOMON_OUTPUT, key by key. */
  function outputsOf(list) {
    const done = [...list].reverse().find((attempt) => attempt.outputs && Object.keys(attempt.outputs).length);
    if (!done) return '';
    return h('div', {id: 'outputs'}, h('h3', null, `Outputs of attempt #${done.number}`),
      h('dl', {class: 'facts'}, Object.entries(done.outputs).sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([key, value]) => [h('dt', null, h('code', null, key)), h('dd', null, h('pre', {class: 'output'}, value))])));
  }

  /** The run's heading, facts and Kill and Retry buttons. `current()` is the run as shown,
   * `killed(answer)` takes the kill's answer, `reload()` fetches the run again. */
  function runHeader(current, killed, reload, message) {
    const box = h('div');
    const kill = h('button', {type: 'button', class: 'danger', id: 'kill', onclick: async () => {
      if (kill.dataset.armed !== 'yes') {
        kill.dataset.armed = 'yes';
        kill.textContent = 'Really kill?';
        setTimeout(() => { kill.dataset.armed = ''; kill.textContent = 'Kill'; }, 5000);
        return;
      }
      kill.disabled = true;
      try { killed(await api(`/api/v1/runs/${current().id}/kill`, {method: 'POST'})); message.replaceChildren(h('p', null, 'Kill requested: the run stops its tasks.')); }
      catch (error) { message.replaceChildren(G.errorBox(error)); kill.disabled = false; }
      draw();
    }}, 'Kill');
    const retry = h('button', {type: 'button', id: 'retry', onclick: async () => {
      retry.disabled = true;
      try {
        const answer = await api(`/api/v1/runs/${current().id}/retry`, {method: 'POST'});
        if (answer && answer.id && String(answer.id) !== String(current().id)) { G.go(`/runs/${answer.id}`); return; }
        message.replaceChildren(h('p', null, 'Retry requested: the failed tasks run again.'));
        await reload();
      } catch (error) { message.replaceChildren(G.errorBox(error)); }
      retry.disabled = false;
    }}, 'Retry');
    function draw() {
      const run = current();
      const finished = FINISHED.includes(run.status);
      kill.hidden = finished || !G.can('operate');
      retry.hidden = !finished || run.status === 'succeeded' || !G.can('operate');
      box.replaceChildren(
        h('div', {class: 'row'}, h('h1', null, `Run ${run.id}`), h('span', {id: 'run-status'}, badge(run.status)),
          h('span', null, 'of ', jobLink(run.job)), h('span', {class: 'spacer'}), kill, retry),
        h('dl', {class: 'facts'},
          h('dt', null, 'Trigger'), h('dd', null, run.trigger),
          h('dt', null, 'Scheduled for'), h('dd', null, time(run.scheduled_at)),
          h('dt', null, 'Started'), h('dd', null, time(run.started_at)),
          h('dt', null, 'Finished'), h('dd', null, time(run.finished_at)),
          h('dt', null, 'Took'), h('dd', null, duration(span(run.started_at, run.finished_at))),
          run.reason ? [h('dt', null, 'Why'), h('dd', null, run.reason)] : '',
          run.cancel_requested_at ? [h('dt', null, 'Kill asked'), h('dd', null, `${time(run.cancel_requested_at)}: ${run.cancel_reason || ''}`)] : '',
          Object.keys(run.params || {}).length ? [h('dt', null, 'Parameters'),
            h('dd', null, Object.entries(run.params).map(([k, v]) => h('code', null, `${k}=${v} `)))] : ''));
    }
    return {box, draw};
  }

  G.page(/^\/runs\/(\d+)$/, async (screen, id) => {
    /* One page first: a big run is never fetched whole. */
    const drawnAt = performance.now();
    const probe = await api(`/api/v1/runs/${id}?task_limit=100`);
    if (screen.closed) return;
    if (probe.tasks_total > G.BIG_RUN_TASKS) return G.bigRunPage(screen, probe, drawnAt);
    let run = await api(`/api/v1/runs/${id}`);
    const tasks = new Map(run.tasks.map((task) => [task.name, task]));
    const attempts = new Map();
    const indexAttempts = () => {
      attempts.clear();
      for (const attempt of run.attempts) {
        if (!attempts.has(attempt.task)) attempts.set(attempt.task, []);
        attempts.get(attempt.task).push(attempt);
      }
      for (const list of attempts.values()) list.sort((a, b) => a.number - b.number);
    };
    indexAttempts();
    const wanted = new URLSearchParams(location.search).get('task');
    const pick = () => {
      if (wanted && tasks.has(wanted)) return wanted;
      for (const status of ['failed', 'running', 'retrying']) {
        const found = run.tasks.find((task) => task.status === status);
        if (found) return found.name;
      }
      const last = run.attempts[run.attempts.length - 1];
      return last ? last.task : (run.tasks[0] && run.tasks[0].name);
    };
    let selected = pick();
    let filter = '', search = '', first = 0;

    const counts = h('div', {class: 'legend', id: 'counts', 'aria-live': 'polite'});
    const message = h('div', {role: 'status', 'aria-live': 'polite'});
    /** The instances of a foreach task, in item order (the run lists them so). */
    const instancesOf = (name) => [...tasks.values()].filter((task) => task.instance_of === name);
    const isForeach = (name) => (run.snapshot.tasks || []).some((task) => task.name === name && task.foreach);
    /** `foreach 40 items: 38 succeeded, 2 failed`, or null for a task that is not a foreach task. */
    function fanSummary(name) {
      if (!isForeach(name)) return null;
      const list = instancesOf(name);
      const tally = {};
      for (const task of list) tally[task.status] = (tally[task.status] || 0) + 1;
      const parts = ORDER.filter((s) => tally[s]).map((s) => `${tally[s]} ${G.label(s)}`);
      return `foreach ${list.length} item${list.length === 1 ? '' : 's'}` + (parts.length ? `: ${parts.join(', ')}` : '');
    }
    const graph = new G.TaskGraph(run.snapshot.tasks || [], (name) => {
      const task = tasks.get(name);
      const note = fanSummary(name);
      return task && note ? Object.assign({}, task, {note}) : task;
    }, (name) => choose(name));
    const table = h('div', {class: 'scroll', id: 'tasks'});
    const detailInfo = h('div');
    const logs = new G.TaskLogSlot(screen, run.id);
    const detail = h('section', {id: 'task-detail'}, detailInfo, logs.box);
    const head = runHeader(() => run, (answer) => { run = answer; }, () => reload(), message);
    const drawHeader = head.draw;

    function drawCounts() {
      const tally = {};
      let size = 0;
      for (const task of tasks.values()) if (!task.instance_of) { tally[task.status] = (tally[task.status] || 0) + 1; size += 1; }
      counts.replaceChildren(h('strong', null, `${size} tasks:`),
        ...ORDER.filter((s) => tally[s]).map((s) => h('button', {type: 'button', class: 'linkish', title: `show the ${G.label(s)} tasks`,
          onclick: () => { filter = filter === s ? '' : s; first = 0; drawTable(); }}, badge(s, `${tally[s]} ${G.label(s)}`))),
        h('span', null, h('span', {class: 'solid'}), ' depends on'), h('span', null, h('span', {class: 'dash'}), ' after'));
    }

    function drawTable() {
      const rows = [...tasks.values()].filter((task) => (!filter || task.status === filter) && (!search || task.name.includes(search)));
      const shown = rows.slice(first, first + TASKS_PER_PAGE);
      const searchBox = h('input', {type: 'search', placeholder: 'filter by name', value: search, 'aria-label': 'filter tasks by name',
        oninput: (event) => { search = event.target.value; first = 0; drawTableSoon(); }});
      const keep = document.activeElement && document.activeElement.getAttribute('type') === 'search';
      table.replaceChildren(
        h('div', {class: 'row'}, h('h2', null, 'Tasks'), searchBox, filter ? h('span', null, 'showing ', badge(filter), ' ',
          h('button', {type: 'button', onclick: () => { filter = ''; drawTable(); }}, 'show all')) : ''),
        h('table', null, h('thead', null, h('tr', null, h('th', null, 'Task'), h('th', null, 'State'), h('th', {class: 'num'}, 'Attempts'),
          h('th', {class: 'hide-narrow'}, 'Last outcome'), h('th', {class: 'num'}, 'Took'))),
          h('tbody', null, shown.map((task) => {
            const list = attempts.get(task.name) || [];
            const last = list[list.length - 1];
            const note = task.instance_of ? `item ${task.item}` : fanSummary(task.name);
            return h('tr', {class: (task.name === selected ? 'sel-row' : '') + (task.instance_of ? ' instance' : ''), 'data-task': task.name},
              h('td', null, h('a', {href: `/runs/${run.id}?task=${enc(task.name)}`, title: note || null,
                onclick: (event) => { event.preventDefault(); choose(task.name); }}, task.instance_of ? `↳ ${task.name}` : task.name)),
              h('td', null, badge(task.status)), h('td', {class: 'num'}, String(task.attempts)),
              h('td', {class: 'hide-narrow'}, [note && !task.instance_of ? h('div', {class: 'fan-summary'}, note) : '',
                last ? outcomeText(last) : (task.reason || '')]),
              h('td', {class: 'num'}, last ? duration(span(last.started_at, last.ended_at)) : '—'));
          }))),
        rows.length > TASKS_PER_PAGE ? h('div', {class: 'pager'},
          h('button', {type: 'button', disabled: first === 0, onclick: () => { first -= TASKS_PER_PAGE; drawTable(); }}, '‹ Previous'),
          h('span', null, `${first + 1}–${Math.min(first + TASKS_PER_PAGE, rows.length)} of ${rows.length}`),
          h('button', {type: 'button', disabled: first + TASKS_PER_PAGE >= rows.length, onclick: () => { first += TASKS_PER_PAGE; drawTable(); }}, 'Next ›')) : '');
      if (keep) { searchBox.focus(); searchBox.setSelectionRange(search.length, search.length); }
    }
    const drawTableSoon = throttle(drawTable, 250);

    function drawDetail() {
      const task = tasks.get(selected);
      if (!task) { detailInfo.replaceChildren(); logs.box.replaceChildren(); return; }
      const list = attempts.get(selected) || [];
      const current = list[list.length - 1];
      logs.follow(selected, current ? current.number : null);
      detailInfo.replaceChildren(
        h('div', {class: 'row'}, h('h2', null, `Task ${selected}`), badge(task.status), task.reason ? h('span', {class: 'muted'}, task.reason) : ''),
        task.instance_of ? h('p', {class: 'muted'}, 'Instance ', h('code', null, String(task.index)), ' of ',
          h('a', {href: `/runs/${run.id}?task=${enc(task.instance_of)}`, onclick: (event) => { event.preventDefault(); choose(task.instance_of); }}, task.instance_of),
          ', item ', h('code', null, task.item)) : '',
        instanceList(selected),
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

    /** A foreach task's instances by state, each one a link to its own attempts and log (the
     * ones that did not succeed first; at most 200, the table's filter finds the others). */
    function instanceList(name) {
      const summary = fanSummary(name);
      if (!summary) return '';
      const list = instancesOf(name);
      const ordered = list.filter((t) => t.status !== 'succeeded').concat(list.filter((t) => t.status === 'succeeded'));
      const shown = ordered.slice(0, 200);
      return h('div', {id: 'instances'}, h('h3', null, summary),
        h('ul', {class: 'instances'}, shown.map((t) => h('li', null,
          h('a', {href: `/runs/${run.id}?task=${enc(t.name)}`, 'data-task': t.name, onclick: (event) => { event.preventDefault(); choose(t.name); }}, t.name),
          ' ', badge(t.status), ' ', h('code', null, t.item)))),
        list.length > shown.length ? h('p', {class: 'muted'}, `${list.length - shown.length} more: filter the table by "${name}[".`) : '');
    }


    function choose(name) {
      selected = name;
      logs.unpin();
      history.replaceState(null, '', `/runs/${run.id}?task=${enc(name)}`);
      graph.select(name);
      drawTable();
      drawDetail();
    }

    async function reload() {
      run = await api(`/api/v1/runs/${run.id}`);
      if (screen.closed) return;
      tasks.clear();
      for (const task of run.tasks) tasks.set(task.name, task);
      indexAttempts();
      redraw();
    }
    function redraw() {
      drawHeader();
      drawCounts();
      graph.updateAll();
      drawTable();
      drawDetail();
    }
    const redrawSoon = throttle(redraw, 250);
    const reloadSoon = throttle(reload, run.tasks.length > 200 ? 5000 : 1000);

    /* Events change the state in place; a full reload now and then puts everything right. */
    function onEvent(type, event) {
      if (String(event.run_id) !== String(run.id) && type !== 'log') return;
      if (type === 'log') {
        if (event.task === selected) logs.grew(event.task, event.attempt);
        return;
      }
      const task = event.task ? tasks.get(event.task) : null;
      if (type === 'task_changed' && task) { task.status = event.status; task.reason = event.detail || null; graph.update(task.name); }
      if (type === 'attempt_started' && task) {
        task.status = 'running';
        task.attempts = Math.max(task.attempts, event.attempt || 0);
        const list = attempts.get(task.name) || [];
        if (!list.some((a) => a.number === event.attempt)) list.push({number: event.attempt, task: task.name, started_at: event.at, ended_at: null, outcome: null});
        attempts.set(task.name, list);
        graph.update(task.name);
      }
      if (type === 'attempt_ended' && task) {
        const found = (attempts.get(task.name) || []).find((a) => a.number === event.attempt);
        if (found) { found.ended_at = event.at; found.outcome = event.status; found.reason = event.detail; }
      }
      if (type === 'run_started') run.status = 'running';
      if (type === 'run_finished') run.status = event.status || run.status;
      redrawSoon();
      reloadSoon();
    }

    screen.main.replaceChildren(head.box, message, counts, graph.box, h('div', {class: 'grid2'}, table, detail));
    redraw();
    if (selected) graph.select(selected); else graph.draw();
    screen.main.dataset.drawnMs = String(Math.round(performance.now() - drawnAt));
    screen.main.dataset.ready = 'yes';
    /* Polling stands in for the stream when it cannot be used; a finished run no longer changes. */
    const poll = () => (FINISHED.includes(run.status) ? null : reload());
    screen.live(`run=${run.id}&logs=1`, onEvent, poll, run.tasks.length > 200 ? 5000 : 1500);
  });

  G.runParts = {ORDER, FINISHED, outcomeText, outcomeState, slurmNote, outputsOf, runHeader};
})();
"""#)
}
