/// The log of one attempt: opens at its tail, follows it while the attempt runs (log events
/// from the stream, or polling), loads earlier parts on demand, keeps at most `MAX_CHARS` of
/// text in the page (a 1 GiB log is never loaded whole) and links the raw download.
extension WebAsset {
    static let logViewJS = WebAsset("log.js", type: "text/javascript; charset=utf-8", text: #"""
'use strict';
(() => {
  const {h, api, enc} = G;
  const TAIL_LINES = 200;
  const PAGE = 64 * 1024;
  /* About 1 MB of text in the DOM at most: the browser stays quick, the rest is a click away. */
  const MAX_CHARS = 1000000;
  const POLL_MS = 1000;

  class LogView {
    constructor(screen, run, task, attempt) {
      this.screen = screen;
      this.base = `/api/v1/runs/${run}/tasks/${enc(task)}/attempts/${attempt}/log`;
      this.chunks = [];
      this.chars = 0;
      this.first = 0;
      this.next = 0;
      this.size = 0;
      this.ended = false;
      this.following = true;
      this.busy = false;
      this.closed = false;
      this.pre = h('pre', {class: 'log', id: 'log', tabindex: 0, 'aria-label': `log of ${task} attempt ${attempt}`});
      this.status = h('span', {class: 'muted', id: 'log-status', role: 'status'}, 'opening…');
      this.earlier = h('button', {type: 'button', id: 'log-earlier', onclick: () => this.loadEarlier()}, 'Load earlier');
      this.latest = h('button', {type: 'button', id: 'log-latest', hidden: true, onclick: () => this.reopen()}, 'Jump to the end');
      this.box = h('section', {class: 'logview'},
        h('div', {class: 'row'}, h('h3', null, `Log: ${task}, attempt ${attempt}`), h('span', {class: 'spacer'}),
          this.earlier, this.latest, h('a', {class: 'button', id: 'log-download', href: `${this.base}?download=1`, download: ''}, 'Download')),
        this.pre, this.status);
      this.timer = screen.every(POLL_MS, () => { if (this.following && !this.ended) return this.more(); });
    }

    close() { this.closed = true; this.screen.stop(this.timer); }

    atBottom() { return this.pre.scrollHeight - this.pre.scrollTop - this.pre.clientHeight < 40; }

    show() {
      const kib = (n) => n < 10240 ? `${n} B` : `${Math.round(n / 1024)} KiB`;
      this.status.textContent = `bytes ${kib(this.first)}–${kib(this.next)} of ${kib(Math.max(this.size, this.next))}`
        + (this.ended ? ' · the attempt has ended' : (this.following ? ' · following' : ''));
      this.earlier.disabled = this.first === 0;
      this.latest.hidden = this.following;
    }

    async open() {
      const answer = await api(`${this.base}?tail=${TAIL_LINES}`);
      if (this.closed) return;
      this.reset(answer.offset);
      this.append(answer);
      this.pre.scrollTop = this.pre.scrollHeight;
      await this.more();
    }

    reset(offset) {
      this.pre.replaceChildren();
      this.chunks = [];
      this.chars = 0;
      this.first = this.next = offset;
      this.following = true;
    }

    async reopen() { await this.open(); }

    append(answer) {
      this.size = answer.size;
      this.ended = answer.ended;
      if (answer.text) {
        const stick = this.atBottom();
        const node = document.createTextNode(answer.text);
        this.pre.append(node);
        this.chunks.push({start: answer.offset, end: answer.next_offset, node});
        this.chars += answer.text.length;
        /* Following: drop the oldest text first, it can be loaded again. */
        while (this.chars > MAX_CHARS && this.chunks.length > 1) {
          const old = this.chunks.shift();
          this.chars -= old.node.data.length;
          old.node.remove();
          this.first = this.chunks[0].start;
        }
        if (stick) this.pre.scrollTop = this.pre.scrollHeight;
      }
      this.next = answer.next_offset;
      this.show();
    }

    /** Reads what was written after the last byte shown, a page at a time. */
    async more() {
      if (this.busy || this.closed || !this.following) return;
      this.busy = true;
      try {
        for (let pages = 0; pages < 16; pages++) {
          const answer = await api(`${this.base}?offset=${this.next}&limit=${PAGE}`);
          if (this.closed) return;
          this.append(answer);
          if (!answer.text || answer.next_offset >= answer.size) break;
        }
      } catch (error) {
        this.status.textContent = error.message;
      } finally {
        this.busy = false;
      }
    }

    /** Prepends the page before the first byte shown; trims the end if the page grows too big. */
    async loadEarlier() {
      if (this.first === 0 || this.busy) return;
      this.busy = true;
      try {
        const start = Math.max(0, this.first - PAGE);
        const answer = await api(`${this.base}?offset=${start}&limit=${this.first - start}`);
        if (this.closed) return;
        const before = this.pre.scrollHeight;
        const node = document.createTextNode(answer.text);
        this.pre.prepend(node);
        this.chunks.unshift({start: answer.offset, end: answer.next_offset, node});
        this.chars += answer.text.length;
        this.first = answer.offset;
        this.pre.scrollTop += this.pre.scrollHeight - before;
        while (this.chars > MAX_CHARS && this.chunks.length > 1) {
          const old = this.chunks.pop();
          this.chars -= old.node.data.length;
          old.node.remove();
          this.next = this.chunks[this.chunks.length - 1].end;
          this.following = false;
        }
        this.show();
      } catch (error) {
        this.status.textContent = error.message;
      } finally {
        this.busy = false;
      }
    }

    /** A `log` event said this attempt's log grew. */
    grew() { if (this.following) this.more(); }
  }

  /** The log under a run page's chosen task: its newest attempt's, followed as new attempts
      start, unless the user chose one with "Show", which stays until another task is chosen. The
      view keeps its own node (moving it would lose its scroll position). */
  class TaskLogSlot {
    constructor(screen, run) {
      this.screen = screen;
      this.run = run;
      this.box = h('div');
      this.view = null;
      this.key = null;
      this.pinned = false;
    }

    /** Shows attempt `number` of `task` (the newest; null: none yet), unless it is shown already
        or the user chose one of this task's attempts. */
    follow(task, number) {
      const key = number != null ? `${task}#${number}` : null;
      if (key === this.key || (this.pinned && this.key && this.key.startsWith(`${task}#`))) return;
      if (number != null) {
        this.open(task, number);
      } else {
        if (this.view) this.view.close();
        this.view = null;
        this.key = null;
        this.box.replaceChildren();
      }
    }

    /** "Show": attempt `number` of `task`, kept until `unpin` (another task chosen). */
    show(task, number) { this.pinned = true; this.open(task, number); }

    unpin() { this.pinned = false; }

    open(task, number) {
      if (this.view) this.view.close();
      const view = new LogView(this.screen, this.run, task, number);
      this.view = view;
      this.key = `${task}#${number}`;
      this.box.replaceChildren(view.box);
      view.open().catch((e) => { view.status.textContent = e.message; });
    }

    /** A `log` event: attempt `attempt` of `task` grew; the shown log follows it. */
    grew(task, attempt) { if (this.view && this.key === `${task}#${attempt}`) this.view.grew(); }
  }

  G.LogView = LogView;
  G.TaskLogSlot = TaskLogSlot;
})();
"""#)
}
