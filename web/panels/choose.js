// panels/choose.js: the Choose panel: problem type, label encoding, model output,
// the from_logits switch, batch and class counts, and the options that apply to
// the resulting loss (label smoothing, class weights, pos_weight, focal
// gamma/alpha, ignore class, reduction; docs/semantics.md §2.1). Reads and writes
// the explorer state through ctx; called by xent-explorer.js.

import { optionRules } from '../story.js';

const radios = (name, label, items) => `<fieldset class="radios" data-key="${name}" data-part="${name}">
  <legend>${label}</legend>
  ${items.map(([v, t]) => `<label><input type="radio" name="NAME-${name}" value="${v}"> ${t}</label>`).join('')}
</fieldset>`;

// Losses offered in the "Your loss" box (any text is accepted; recommend
// reads Keras, tf.nn, TF.js and PyTorch spellings).
const KNOWN_LOSSES = ['BinaryCrossentropy(from_logits=True)', 'BinaryCrossentropy()', 'CategoricalCrossentropy(from_logits=True)',
  'CategoricalCrossentropy()', 'SparseCategoricalCrossentropy(from_logits=True)', 'SparseCategoricalCrossentropy()',
  'tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=z)', 'tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=z)',
  'nn.CrossEntropyLoss()', 'nn.BCEWithLogitsLoss()', 'nn.BCELoss()', 'nn.NLLLoss()'];

const DEFAULT_LABELS = { binary: 'binary01', multiclass: 'integer', multilabel: 'multihot' };
const FITS = {
  binary: ['binary01', 'integer', 'onehot', 'soft'],
  multiclass: ['integer', 'onehot', 'soft'],
  multilabel: ['multihot', 'soft'],
};

export function mountChoose(root, ctx) {
  const opts = (n, from) => Array.from({ length: n }, (_, i) => `<option>${i + from}</option>`).join('');
  root.innerHTML = (
    radios('problem', 'Problem', [['binary', 'Binary'], ['multiclass', 'Multi-class'], ['multilabel', 'Multi-label']]) +
    radios('labels', 'Labels', [['binary01', '0/1'], ['integer', 'Integer'], ['onehot', 'One-hot'], ['soft', 'Soft'], ['multihot', 'Multi-hot']]) +
    radios('output', 'Model output', [['logits', 'Logits (no activation)'], ['sigmoid', 'Sigmoid'], ['softmax', 'Softmax']]) +
    `<div class="row">
      <label class="switch" data-part="from-logits"><input type="checkbox" role="switch" data-key="from-logits"> <code>from_logits</code><code aria-hidden="true" data-fl></code></label>
      <label data-part="batch">Examples <select data-key="batch">${opts(4, 1)}</select></label>
      <label data-part="classes">Classes <select data-key="classes" aria-describedby="NAME-classes-why">${opts(9, 2)}</select></label>
      <span class="note" id="NAME-classes-why" data-classes-why></span>
    </div>
    <div class="row your-loss" data-part="current-loss">
      <label for="NAME-current-loss">Your loss <span class="note">(optional, as written in your code)</span></label>
      <input type="text" id="NAME-current-loss" list="NAME-losses" data-key="current-loss" size="34" spellcheck="false"
        placeholder="e.g. CategoricalCrossentropy(from_logits=True)" aria-describedby="NAME-current-loss-note">
      <datalist id="NAME-losses">${KNOWN_LOSSES.map((l) => `<option value="${l}"></option>`).join('')}</datalist>
      <span class="note" id="NAME-current-loss-note" data-current-note></span>
    </div>
    <details class="options" data-part="options"><summary>Options</summary>
      <div class="opt-grid">
      <label data-opt="ls">Label smoothing <input type="range" min="0" max="1" step="0.05" data-key="label-smoothing"><output data-out="label-smoothing"></output></label>
      <label data-opt="cw">Class weights <input type="text" inputmode="decimal" placeholder="e.g. 1,3,1" data-key="class-weight" size="12" aria-describedby="NAME-cw-msg NAME-why"></label>
      <label data-opt="pw">pos_weight <input type="number" min="0.01" max="100" step="0.5" data-key="pos-weight"></label>
      <label data-opt="focal"><input type="checkbox" data-key="focal"> Focal loss</label>
      <label data-opt="gamma">gamma <input type="range" min="0" max="5" step="0.5" data-key="gamma"><output data-out="gamma"></output></label>
      <label data-opt="alpha">alpha <input type="range" min="0" max="1" step="0.05" data-key="alpha"><output data-out="alpha"></output></label>
      <label data-opt="bal"><input type="checkbox" data-key="class-balancing"> apply_class_balancing</label>
      <label data-opt="ignore">Ignore class <select data-key="ignore-class"></select></label>
      <label data-opt="red">Reduction <select data-key="reduction">
        <option value="sum_over_batch_size">sum_over_batch_size</option><option value="sum">sum</option></select></label>
      <label data-opt="huge"><input type="checkbox" data-key="huge-vocabulary"> Tens of thousands of classes</label>
      <label data-opt="dense"><input type="checkbox" data-key="dense-targets"> Per-pixel or per-token labels</label>
      <label data-opt="distill"><input type="checkbox" data-key="distillation"> Soft targets from a teacher (distillation)</label>
      </div>
      <p class="note" id="NAME-why" data-why></p>
      <p class="error" id="NAME-cw-msg" data-cw-msg hidden></p>
    </details>`
  ).replaceAll('NAME-', `${ctx.id}-`);

  const q = (sel) => root.querySelector(sel);
  const inputs = [...root.querySelectorAll('[data-key]')].filter((el) => el.tagName !== 'FIELDSET');

  // A control that does not apply stays focusable (aria-disabled, described
  // by the reason) but ignores input: the next redraw restores its value.
  const blocked = (t) => t.getAttribute?.('aria-disabled') === 'true';
  root.addEventListener('click', (e) => {
    if (blocked(e.target) && e.target.type === 'checkbox') e.preventDefault();
  });
  root.addEventListener('keydown', (e) => {
    if (blocked(e.target) && e.key !== 'Tab') e.preventDefault();
  });
  root.addEventListener('change', (e) => {
    const t = e.target;
    if (blocked(t)) return ctx.schedule();
    const fs = t.closest('fieldset[data-key]');
    if (fs && t.type === 'radio') {
      const key = fs.dataset.key;
      const patch = { [key]: t.value };
      if (key === 'problem' && !FITS[t.value].includes(ctx.state().labels)) patch.labels = DEFAULT_LABELS[t.value];
      ctx.set(patch);
      return;
    }
    const key = t.dataset.key;
    if (!key) return;
    ctx.set({ [key]: readInput(t, key) });
  });
  root.addEventListener('input', (e) => {
    const t = e.target;
    if (blocked(t)) return ctx.schedule();
    if (t.type === 'range') ctx.set({ [t.dataset.key]: Number(t.value) });
  });

  function readInput(t, key) {
    if (t.type === 'checkbox') return t.checked;
    if (key === 'class-weight') {
      const parts = t.value.split(/[\s,]+/).filter(Boolean);
      const bad = parts.find((x) => !(Number.isFinite(Number(x)) && Number(x) >= 0));
      const msg = q('[data-cw-msg]');
      msg.hidden = bad === undefined;
      msg.textContent = bad === undefined ? '' : `Class weights: "${bad}" is not a number of at least 0; the weights were not changed.`;
      t.setAttribute('aria-invalid', String(bad !== undefined));
      if (bad !== undefined) ctx.announce?.(msg.textContent);
      return bad === undefined ? parts.map(Number) : ctx.state()['class-weight'];
    }
    if (key === 'reduction' || key === 'current-loss') return t.value.trim();
    const v = Number(t.value);
    return Number.isFinite(v) ? v : undefined;
  }

  let lastClasses = 0;
  return {
    update(s, rec) {
      const cur = rec?.currentLoss;
      q('[data-current-note]').textContent = !cur ? '' : cur.recognised ? `read as a ${cur.kind} loss; the recommendation checks it` : 'not recognised: not checked';
      for (const fs of root.querySelectorAll('fieldset[data-key]')) {
        for (const r of fs.querySelectorAll('input')) r.checked = r.value === s[fs.dataset.key];
      }
      if (s.classes !== lastClasses) {
        lastClasses = s.classes;
        q('[data-key="ignore-class"]').innerHTML = '<option value="-1">none</option>' +
          Array.from({ length: s.classes }, (_, i) => `<option value="${i}">${i}</option>`).join('');
      }
      for (const el of inputs) {
        const key = el.dataset.key;
        if (el === root.getRootNode().activeElement && el.type === 'text') continue;
        if (el.type === 'checkbox') el.checked = s[key];
        else if (key === 'class-weight') el.value = s[key].join(',');
        else el.value = String(s[key]);
      }
      q('[data-fl]').textContent = s['from-logits'] ? '=True' : '=False';
      for (const o of root.querySelectorAll('output[data-out]')) o.textContent = String(s[o.dataset.out]);
      // The same rules decide what the Live example applies (story.js).
      const rules = optionRules(s);
      const why = [];
      const enable = (opt, key) => {
        const rule = rules[key];
        const label = q(`[data-opt="${opt}"]`);
        let reason = label.querySelector('.why');
        if (!reason) {
          reason = document.createElement('span');
          reason.className = 'why sr-only';
          reason.id = `${ctx.id}-why-${opt}`;
          label.append(reason);
        }
        reason.textContent = rule.on ? '' : `Not available: ${rule.why}`;
        for (const el of label.querySelectorAll('input, select')) {
          el.setAttribute('aria-disabled', String(!rule.on));
          el.setAttribute('aria-describedby', `${reason.id}${key === 'class-weight' ? ` ${ctx.id}-cw-msg` : ''}`);
        }
        label.classList.toggle('off', !rule.on);
        if (!rule.on && !why.includes(rule.why) && !['gamma', 'alpha', 'class-balancing'].includes(key)) why.push(rule.why);
      };
      // 0/1 labels have one output column: two classes, whatever was chosen before.
      const classes = q('[data-key="classes"]');
      const fixed = s.labels === 'binary01' || s.problem === 'binary';
      classes.setAttribute('aria-disabled', String(fixed));
      q('[data-classes-why]').textContent = fixed ? (s.labels === 'binary01' ? '(0/1 labels: two classes, one output column)' : '(a binary problem has two classes)') : '';
      if (s.labels === 'binary01') classes.value = '2';
      enable('ls', 'label-smoothing');
      enable('pw', 'pos-weight');
      enable('focal', 'focal');
      enable('gamma', 'gamma');
      enable('alpha', 'alpha');
      enable('bal', 'class-balancing');
      enable('ignore', 'ignore-class');
      enable('cw', 'class-weight');
      q('[data-why]').textContent = why.filter(Boolean).join(' ');
    },
  };
}
