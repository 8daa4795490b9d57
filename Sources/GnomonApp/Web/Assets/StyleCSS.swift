/// The web UI's one style sheet. States are coloured and also carry a glyph and a word
/// (`.st` badges, graph nodes, strip cells), so no state is told by colour alone.
extension WebAsset {
    static let styleCSS = WebAsset("app.css", type: "text/css; charset=utf-8", text: #"""
:root{--fg:#1d2329;--muted:#5f6b76;--bg:#fff;--line:#d6dbe0;--panel:#f5f7f9;--link:#0b5cad;
--ok:#1a7f37;--bad:#c62828;--run:#0b63c4;--wait:#6b7280;--warn:#a15c00;--skip:#7c5a9c}
*{box-sizing:border-box}
[hidden]{display:none !important}
pre.output{margin:0;white-space:pre-wrap;word-break:break-all;max-height:12rem;overflow:auto}
body{margin:0;font:15px/1.4 system-ui,"DejaVu Sans",sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--link)}
code,pre,.mono{font-family:"DejaVu Sans Mono",ui-monospace,monospace;font-size:13px}
header.top{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1rem;padding:.5rem 1rem;background:#16202a;color:#fff}
header.top a{color:#fff;text-decoration:none}
header.top .brand{font-weight:bold;font-size:1.1rem}
header.top nav{display:flex;gap:1rem}
header.top .who{margin-left:auto;font-size:.85rem;opacity:.85}
header.top form{margin:0}
header.top button{background:transparent;color:#fff;border:1px solid #fff6;border-radius:4px;padding:.2rem .6rem;cursor:pointer}
main{padding:1rem;max-width:80rem;margin:0 auto}
main:focus{outline:none}
h1{font-size:1.4rem;margin:.2rem 0 .6rem}
h2{font-size:1.1rem;margin:1.2rem 0 .4rem}
.muted{color:var(--muted)}
.row{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center}
.spacer{flex:1}
.banner{padding:.5rem 1rem;border-left:5px solid var(--warn);background:#fff4e0;margin:.5rem 1rem}
.banner.bad{border-color:var(--bad);background:#fdecec}
.error{color:var(--bad);font-weight:bold}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
th{font-weight:600;font-size:.85rem;color:var(--muted);white-space:nowrap}
td.num{text-align:right;font-variant-numeric:tabular-nums}
button,.button{font:inherit;padding:.3rem .8rem;border:1px solid var(--line);border-radius:4px;background:var(--panel);cursor:pointer;color:var(--fg);text-decoration:none;display:inline-block}
button:hover,.button:hover{border-color:#99a3ad}
button.primary{background:var(--run);color:#fff;border-color:var(--run)}
button.danger{background:var(--bad);color:#fff;border-color:var(--bad)}
button:disabled{opacity:.5;cursor:default}
input,select,textarea{font:inherit;padding:.3rem;border:1px solid var(--line);border-radius:4px;max-width:100%}
fieldset{border:1px solid var(--line);border-radius:4px;margin:.5rem 0}
.panel{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:.75rem}
.grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));gap:1rem}
.st{display:inline-flex;align-items:center;gap:.25rem;padding:0 .45rem;border-radius:1rem;font-size:.82rem;white-space:nowrap;border:1px solid currentColor}
.st::before{content:attr(data-icon);font-weight:bold}
.st-succeeded{color:var(--ok)}.st-failed,.st-error{color:var(--bad)}
.st-running,.st-started,.st-caught_up,.st-replaced{color:var(--run)}
.st-queued,.st-waiting,.st-ready{color:var(--wait)}
.st-retrying{color:var(--warn)}
.st-cancelled,.st-skipped,.st-skipped_overlap,.st-paused,.st-missed,.st-dropped,.st-duplicate{color:var(--skip)}
.strip{display:inline-flex;gap:2px}
.cell{display:inline-block;width:1.25rem;height:1.25rem;line-height:1.25rem;text-align:center;font-size:.72rem;font-weight:bold;color:#fff;border-radius:3px;text-decoration:none}
.cell.c-succeeded{background:var(--ok)}.cell.c-failed{background:var(--bad)}
.cell.c-running{background:var(--run)}.cell.c-queued,.cell.c-waiting,.cell.c-ready{background:var(--wait)}
.cell.c-retrying{background:var(--warn)}.cell.c-cancelled,.cell.c-skipped{background:var(--skip)}
.cell.c-none{background:#eef0f2;color:#8a949e}
table.rungrid td,table.rungrid th{padding:.15rem .25rem;border:none}
table.rungrid th.task{writing-mode:vertical-rl;transform:rotate(180deg);font-weight:normal;max-height:9rem;overflow:hidden;text-overflow:ellipsis}
.graph{border:1px solid var(--line);border-radius:6px;overflow:auto;max-height:70vh;background:#fbfcfd}
.graph svg{display:block}
.graph .node rect{fill:#fff;stroke-width:2}
.graph .node text{font-size:12px;fill:var(--fg)}
.graph .node.sel rect{stroke-width:4}
.graph .node{cursor:pointer}
.graph .edge{fill:none;stroke:#9aa5b1;stroke-width:1.3}
.graph .edge.after{stroke-dasharray:5 4}
.graph .n-succeeded rect{stroke:var(--ok)}.graph .n-failed rect{stroke:var(--bad);fill:#fdecec}
.graph .n-running rect{stroke:var(--run);fill:#e8f1fc}.graph .n-retrying rect{stroke:var(--warn)}
.graph .n-waiting rect,.graph .n-ready rect{stroke:var(--wait);stroke-dasharray:3 2}
.graph .n-cancelled rect,.graph .n-skipped rect{stroke:var(--skip);fill:#f1ecf6}
.layers{display:flex;flex-direction:column;gap:.4rem}
.layer{border:1px solid var(--line);border-radius:6px;padding:.4rem .6rem;background:#fff}
.layer summary{cursor:pointer}
.legend{font-size:.82rem;display:flex;flex-wrap:wrap;gap:.4rem 1rem;margin:.4rem 0}
.legend .dash{display:inline-block;width:2rem;border-top:2px dashed #9aa5b1;vertical-align:middle}
.legend .solid{display:inline-block;width:2rem;border-top:2px solid #9aa5b1;vertical-align:middle}
.log{background:#0f1419;color:#e6e6e6;border-radius:6px;padding:.5rem .75rem;height:60vh;overflow:auto;white-space:pre-wrap;word-break:break-all;margin:0}
.log .gap{color:#f0b429;display:block}
.pager{display:flex;gap:.5rem;align-items:center;margin:.5rem 0}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:.4rem 0}
dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
pre.file{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:.5rem;overflow:auto;max-height:24rem}
.linkish{background:none;border:none;padding:0}
.sel-row{background:#eef5fd}
.instance td:first-child{padding-left:1.2em}.fan-summary{font-weight:600}ul.instances{max-height:16em;overflow:auto;padding-left:1.2em}
@media (max-width:640px){
 main{padding:.5rem}
 header.top .who{display:none}
 th,td{padding:.3rem}
 .hide-narrow{display:none}
 .log{height:50vh}
}
"""#)
}
