// styles.js: the styles inside the <xent-explorer> shadow root, as a string so
// the element needs no extra file (bundlers do not copy CSS referenced from
// JS): light and dark schemes (prefers-color-scheme), visible focus, one
// column at 360 px and a wide grid on desktops. Used by xent-explorer.js.

export const css = `
:host {
  display: block;
  --bg: #ffffff;
  --panel: #f7f8fa;
  --fg: #1b1f24;
  --muted: #57606a;
  --line: #d0d7de;
  --accent: #0b5cad;
  --pos: #0b5cad;
  --neg: #b3261e;
  --prob: #2e7d32;
  --warn-bg: #fff4e5;
  --warn-fg: #6b3d00;
  --err-bg: #fdecea;
  --err-fg: #8a1c14;
  --s0: #0b5cad;
  --s1: #c2410c;
  --focus: #6d28d9;
  color: var(--fg);
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif;
}
@media (prefers-color-scheme: dark) {
  :host {
    --bg: #0f1419;
    --panel: #171d24;
    --fg: #e6edf3;
    --muted: #9aa7b4;
    --line: #37414b;
    --accent: #6cb6ff;
    --pos: #6cb6ff;
    --neg: #ff8a80;
    --prob: #7ee787;
    --warn-bg: #3a2a10;
    --warn-fg: #ffd8a8;
    --err-bg: #3d1715;
    --err-fg: #ffb4ab;
    --s0: #6cb6ff;
    --s1: #ffa657;
    --focus: #d2a8ff;
  }
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
.xe { background: var(--bg); }
.top { display: flex; align-items: baseline; gap: 12px; flex-wrap: wrap; }
.title { font-size: 1.35rem; margin: 12px 0 8px; }
.badge { font-size: 0.8rem; border: 1px solid var(--line); border-radius: 999px; padding: 1px 10px; color: var(--muted); }
h3 { font-size: 1.05rem; margin: 0; display: inline; }
details.fold > summary { cursor: pointer; margin-bottom: 8px; }
details.fold:not([open]) > summary { margin-bottom: 0; }
.answer { margin: 0 0 10px; font-size: 1.02rem; overflow-wrap: anywhere; }
.answer code { font-weight: 600; }
li.warn details summary { cursor: pointer; }
li.warn details p { margin: 4px 0; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 520px), 1fr)); gap: 14px; }
.panel { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 12px 14px; min-width: 0; }
.panel-lessons, .panel-live, .panel-shapes, .panel-curves, .panel-learn, .panel-numerics, .panel-paste, .panel-sampled { grid-column: 1 / -1; }
code { overflow-wrap: anywhere; }
code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 0.9em; }
button, select, input, textarea { font: inherit; color: inherit; }
button, select, input[type="text"], input[type="number"], textarea {
  background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 3px 8px;
}
button { cursor: pointer; }
:focus-visible, .slider:focus { outline: 3px dashed var(--focus); outline-offset: 2px; }
[aria-disabled="true"] { opacity: 0.55; cursor: not-allowed; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.note, .legend { color: var(--muted); font-size: 0.88rem; }
.error { background: var(--err-bg); color: var(--err-fg); padding: 6px 10px; border-radius: 6px; }
.row { display: flex; flex-wrap: wrap; gap: 10px 16px; align-items: center; margin: 8px 0; }

/* Choose */
fieldset.radios { border: 0; padding: 0; margin: 0 0 8px; display: flex; flex-wrap: wrap; gap: 4px 6px; }
fieldset.radios legend { font-weight: 600; padding: 0; margin-bottom: 4px; width: 100%; }
fieldset.radios label { border: 1px solid var(--line); border-radius: 6px; padding: 2px 8px; background: var(--bg); cursor: pointer; }
fieldset.radios label:has(input:checked) { border-color: var(--accent); box-shadow: inset 0 0 0 1px var(--accent); }
.switch input { width: 1.1em; height: 1.1em; vertical-align: -2px; }
.options summary { cursor: pointer; font-weight: 600; }
.opt-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(230px, 1fr)); gap: 6px 14px; margin-top: 6px; }
.opt-grid label { display: flex; gap: 6px; align-items: center; }
.opt-grid input[type="range"] { flex: 1; min-width: 80px; }
.opt-grid .off { opacity: 0.5; }

/* Lessons */
.lesson-pick { margin: 0; }
.lesson-pick select { max-width: 100%; }
.lesson { border-left: 4px solid var(--accent); background: var(--bg); border-radius: 6px; padding: 8px 12px; margin-top: 8px; }
.lesson h4 { margin: 0 0 4px; font-size: 1rem; }
.lesson p { margin: 4px 0; }
.lesson-step { color: var(--muted); font-size: 0.82rem; text-transform: uppercase; letter-spacing: 0.03em; }
.lesson .fix { border-color: var(--accent); font-weight: 600; }
.your-loss input { flex: 1 1 16em; min-width: 0; }

/* Formula strip */
.formula { background: var(--bg); border: 1px solid var(--line); border-radius: 8px; padding: 6px 10px; margin: 6px 0; }
.formula summary { cursor: pointer; font-weight: 600; }
ol.fx { list-style: none; padding: 0; margin: 4px 0; display: grid; gap: 4px; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.84rem; overflow-wrap: anywhere; }
.fx-label { font-family: system-ui, sans-serif; font-weight: 600; }
.fx-floor { color: var(--muted); }
.fx-total, .fx-grad { margin: 4px 0; font-size: 0.9rem; overflow-wrap: anywhere; }

/* Label shapes */
.shape-grid { display: grid; gap: 4px 16px; grid-template-columns: repeat(auto-fit, minmax(min(100%, 300px), 1fr)); }
.shape-arr p { margin: 2px 0; }
.shape-arr pre, .panel-shapes pre { margin: 2px 0 6px; background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 4px 8px; white-space: pre-wrap; overflow-wrap: anywhere; }
h4 { font-size: 0.95rem; margin: 10px 0 4px; }
ul.mismatches { padding-left: 18px; margin: 4px 0; }
ul.mismatches > li { margin-bottom: 6px; }
ul.mismatches p { margin: 2px 0; }
ul.mismatches ul { padding-left: 16px; margin: 2px 0; }
.fw { color: var(--muted); }
table.conv td { text-align: left; }

/* Imbalance */
figure.ff { margin: 6px 0; max-width: 460px; }
figure.ff figcaption { font-size: 0.85rem; color: var(--muted); }

/* Recommend */
.headline { font-size: 1.08rem; margin: 0 0 6px; overflow-wrap: anywhere; }
.headline code { font-weight: 600; }
.verdict { font-size: 0.8rem; border-radius: 8px; padding: 1px 8px; background: color-mix(in srgb, var(--prob) 18%, transparent); overflow-wrap: anywhere; }
.verdict[data-verdict="mismatch"], .verdict[data-verdict="invalid"] { background: var(--err-bg); color: var(--err-fg); }
.verdict[data-verdict="works"] { background: var(--warn-bg); color: var(--warn-fg); }
.verdict:empty { display: none; }
ul.warnings { list-style: none; padding: 0; margin: 6px 0; display: grid; gap: 6px; }
li.warn, p.warn { background: var(--warn-bg); color: var(--warn-fg); border-radius: 6px; padding: 6px 10px; font-size: 0.92rem; }
li.sev-error { background: var(--err-bg); color: var(--err-fg); }
li.sev-info { background: color-mix(in srgb, var(--accent) 10%, var(--bg)); color: var(--fg); }
[role="tablist"] { display: flex; flex-wrap: wrap; gap: 2px; border-bottom: 1px solid var(--line); }
[role="tab"] { border: 1px solid transparent; border-bottom: 0; border-radius: 6px 6px 0 0; background: transparent; padding: 4px 10px; }
[role="tab"][aria-selected="true"] { border-color: var(--line); background: var(--bg); font-weight: 600; }
.codebox { position: relative; background: var(--bg); border: 1px solid var(--line); border-top: 0; padding: 8px 10px; }
.codebox pre { margin: 0; padding-right: 64px; white-space: pre-wrap; overflow-wrap: anywhere; }
.copy { position: absolute; top: 6px; right: 6px; font-size: 0.8rem; }

/* Live example */
.call code { overflow-wrap: anywhere; }
.examples { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 260px), 1fr)); gap: 12px; }
.ex { background: var(--bg); border: 1px solid var(--line); border-radius: 8px; padding: 8px; }
.ex-head { font-size: 0.92rem; margin-bottom: 6px; }
.ex-head output { font-weight: 600; font-variant-numeric: tabular-nums; }
.cols { display: grid; grid-template-columns: repeat(var(--cols), minmax(0, 1fr)); gap: 4px; }
.col { display: grid; gap: 4px; justify-items: stretch; min-width: 0; }
.slider { position: relative; touch-action: none; cursor: ns-resize; border-radius: 4px; user-select: none; }
.slider .track { position: absolute; inset: 0 0 16px; background: color-mix(in srgb, var(--line) 35%, transparent); border-radius: 4px; }
.slider .zero { position: absolute; left: 0; right: 0; top: 50%; border-top: 1px solid var(--muted); }
.slider .bar { position: absolute; left: 18%; right: 18%; background: var(--pos); border-radius: 2px; }
.slider.neg .bar { background: var(--neg); }
.slider .val { position: absolute; bottom: 0; left: 0; right: 0; text-align: center; font-size: 0.72rem; font-variant-numeric: tabular-nums; }
.zslider { height: 128px; }
.zslider.current .track { box-shadow: inset 0 0 0 2px var(--s1); }
.tslider { height: 56px; }
.tslider .bar { background: var(--prob); }
.pbar { height: 36px; position: relative; background: color-mix(in srgb, var(--line) 35%, transparent); border-radius: 4px; }
.pbar .fill { position: absolute; bottom: 0; left: 18%; right: 18%; background: var(--prob); border-radius: 2px; }
.gbar { height: 44px; position: relative; background: color-mix(in srgb, var(--line) 35%, transparent); border-radius: 4px; }
.gbar .zero { position: absolute; left: 0; right: 0; top: 50%; border-top: 1px solid var(--muted); }
.gbar .bar { position: absolute; left: 18%; right: 18%; background: var(--pos); }
.gbar .bar.neg { background: var(--neg); }
.gbar .bar.over { outline: 2px dashed var(--fg); }
.col { container-type: inline-size; }
.col .num { text-align: center; font-size: 0.7rem; line-height: 1; margin-top: -2px; font-variant-numeric: tabular-nums; color: var(--muted); white-space: nowrap; overflow: hidden; }
@container (max-width: 40px) { .col .num { visibility: hidden; } }
.labbtn { padding: 2px 0; font-size: 0.8rem; width: 100%; }
.labbtn[aria-pressed="true"] { background: var(--accent); color: var(--bg); border-color: var(--accent); font-weight: 700; }
.total { font-size: 1.05rem; }
.total output { font-weight: 700; font-variant-numeric: tabular-nums; }
.key { display: inline-block; width: 12px; height: 12px; border-radius: 2px; vertical-align: -1px; margin-left: 8px; }
.key.kz { background: var(--pos); } .key.kc { box-shadow: inset 0 0 0 2px var(--s1); } .key.kp { background: var(--prob); } .key.kg { background: linear-gradient(90deg, var(--pos) 50%, var(--neg) 50%); }
.key.s0 { background: var(--s0); height: 3px; width: 18px; vertical-align: 3px; }
.key.s1 { background: var(--s1); height: 3px; width: 18px; vertical-align: 3px; }

/* Tables */
.table-wrap, .scroll { overflow-x: auto; margin-top: 8px; max-width: 100%; }
.table-wrap summary { cursor: pointer; color: var(--muted); }
table { border-collapse: collapse; font-size: 0.85rem; font-variant-numeric: tabular-nums; }
caption { text-align: left; color: var(--muted); padding: 4px 0; }
th, td { border-bottom: 1px solid var(--line); padding: 3px 8px; text-align: right; vertical-align: top; }
th[scope="row"], th:first-child { text-align: left; font-weight: 500; }
td.bad { color: var(--err-fg); background: var(--err-bg); font-weight: 700; }
tr.best th, tr.best td { background: color-mix(in srgb, var(--prob) 14%, transparent); }

/* Charts */
.charts { display: grid; gap: 4px 16px; grid-template-columns: repeat(auto-fit, minmax(min(100%, 420px), 1fr)); }
svg.chart { width: 100%; height: auto; display: block; }
svg .grid { stroke: var(--line); stroke-width: 0.6; }
svg .axis { stroke: var(--muted); stroke-width: 1; }
svg .frame { stroke: var(--line); }
svg .tick, svg .label { fill: var(--muted); font-size: 11px; }
svg .line { fill: none; stroke-width: 2.2; }
svg .s0 { stroke: var(--s0); }
svg .s1 { stroke: var(--s1); }
svg .dashed { stroke-dasharray: 6 4; }
svg .marker { fill: var(--s0); stroke: var(--bg); stroke-width: 2; }
svg .tangent { stroke: var(--fg); stroke-width: 1.2; stroke-dasharray: 3 3; }

/* Learn */
.learn-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(135px, 1fr)); gap: 12px; align-items: start; }
.learn-chart { grid-column: span 2; }
.learn-grid figure { margin: 0; }
.learn-grid canvas { width: 100%; max-width: 280px; aspect-ratio: 1; border: 1px solid var(--line); border-radius: 6px; display: block; background: var(--bg); }
.learn-grid figcaption { font-size: 0.88rem; color: var(--muted); }
.learn-chart { min-width: 0; }

/* Numerics and paste */
.presets { display: flex; flex-wrap: wrap; gap: 4px; }
.presets button { font-size: 0.82rem; padding: 1px 6px; }
.paste-grid { display: grid; gap: 4px 16px; grid-template-columns: repeat(auto-fit, minmax(min(100%, 380px), 1fr)); }
.paste-grid > div { display: grid; gap: 4px; }
.paste-grid textarea { width: 100%; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.85rem; }

/* Narrow screens: the numerics table becomes one card per computation. */
@media (max-width: 600px) {
  table[data-ntable] thead { display: none; }
  table[data-ntable] tr { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); border-bottom: 1px solid var(--line); padding: 4px 0; }
  table[data-ntable] th[scope="row"] { grid-column: 1 / -1; border: 0; }
  table[data-ntable] td { border: 0; text-align: left; }
  table[data-ntable] td::before { content: attr(data-label); display: block; font-size: 0.75rem; color: var(--muted); }
}
`;
