// panels/paste.js: Bring your own numbers: labels and predictions pasted as
// printed by NumPy, PyTorch, TF or JS (parse.js), read by xent.inspect (what
// encoding and output kind they look like), checked against the Choose panel,
// then run through the chosen loss (model.js evaluate, predictions taken as
// the model output as-is) for per-example losses and gradients. Called by
// xent-explorer.js.

import { evaluate, callText, fmt } from '../model.js';
import { parseArray } from '../parse.js';
import { esc } from './recommend.js';
import { dataSituation } from '../story.js';

const EXAMPLE_LABELS = 'array([2, 0, 1])';
const EXAMPLE_PREDS = `array([[ 0.1, -1.2,  2.3],
       [ 1.5,  0.3, -0.8],
       [-0.2,  0.9,  0.4]], dtype=float32)`;

// Shapes the pasted arrays into what the chosen loss takes: returns
// { n, u, pred: Float32Array, targets (state encoding), labelShape, labels,
// reading }. One prediction per example with one label each (two 1-D arrays of
// the same length, or [n, 1] predictions) is read as n examples with one
// output column, whatever the Choose panel says: 0/1 labels and the binary
// loss (`reading` says so).
export function arrange(s, lab, pred) {
  const flatLabels = lab.shape.length === 1 || (lab.shape.length === 2 && lab.shape[1] === 1);
  const column = flatLabels && ((pred.shape.length === 1 && lab.shape[0] === pred.shape[0] && pred.shape[0] > 1) ||
    (pred.shape.length === 2 && pred.shape[1] === 1 && lab.shape[0] === pred.shape[0]));
  if (column) {
    const n = lab.shape[0];
    const bad = lab.values.find((v) => v !== 0 && v !== 1);
    if (bad !== undefined) throw new Error(`one prediction per example takes 0/1 labels, but a label is ${bad}: paste the predictions as [batch, classes] for class indices`);
    return { n, u: 1, pred: Float32Array.from(pred.values), targets: lab.values, labelShape: lab.shape, labels: 'binary01',
      reading: `one prediction per example: read as ${n} examples with one output column and 0/1 labels (binary cross-entropy)` };
  }
  let [n, u] = pred.shape.length === 2 ? pred.shape : [0, 0];
  if (pred.shape.length === 1) [n, u] = [1, pred.shape[0]];
  if (pred.shape.length > 2 || n === 0) throw new Error(`predictions must be [batch, classes]; got shape [${pred.shape}]`);
  const rows = lab.shape.length === 2 && lab.shape[1] === 1 ? [lab.shape[0]] : lab.shape.length === 0 ? [1] : lab.shape;
  let targets;
  if (s.labels === 'integer' || s.labels === 'binary01') {
    if (rows.length !== 1 || rows[0] !== n) throw new Error(`${s.labels === 'integer' ? 'integer' : '0/1'} labels need shape [${n}] (one per example); got [${lab.shape}]`);
    targets = lab.values;
    if (s.labels === 'binary01' && u !== 1) throw new Error(`0/1 labels go with one output unit; the predictions have ${u} columns`);
  } else {
    if (rows.length !== 2 || rows[0] !== n || rows[1] !== u) throw new Error(`${s.labels} labels need shape [${n}, ${u}] like the predictions; got [${lab.shape}]`);
    targets = s.labels === 'onehot'
      ? Array.from({ length: n }, (_, i) => { const r = lab.values.slice(i * u, i * u + u); return r.indexOf(Math.max(...r)); })
      : lab.values;
  }
  return { n, u, pred: Float32Array.from(pred.values), targets, labelShape: lab.shape, labels: s.labels, reading: '' };
}

// The shape inspect reads the predictions with (the same reading as arrange).
export function inspectShape(lab, pred) {
  const flatLabels = lab.shape.length === 1 || (lab.shape.length === 2 && lab.shape[1] === 1);
  if (pred.shape.length === 1 && flatLabels && lab.shape[0] === pred.shape[0] && pred.shape[0] > 1) return [pred.shape[0], 1];
  return pred.shape.length === 2 ? pred.shape : [1, pred.values.length];
}

export function mountPaste(root, ctx) {
  const id = ctx.id;
  root.innerHTML = `<div class="paste-grid">
      <div><label for="${id}-pl">Labels (y_true)</label><textarea id="${id}-pl" rows="4" spellcheck="false" data-pl></textarea></div>
      <div><label for="${id}-pp">Predictions (y_pred)</label><textarea id="${id}-pp" rows="4" spellcheck="false" data-pp></textarea></div>
    </div>
    <div data-seen></div>
    <ul class="warnings" data-paste-warnings></ul>
    <div data-paste-out></div>`;
  const q = (sel) => root.querySelector(sel);
  q('[data-pl]').value = EXAMPLE_LABELS;
  q('[data-pp]').value = EXAMPLE_PREDS;
  let dirty = true, lastKey = '', seen = null;
  root.addEventListener('input', () => {
    dirty = true;
    ctx.schedule();
  });
  root.addEventListener('click', (e) => {
    if (!e.target.closest('[data-adopt]') || !seen) return;
    const patch = {};
    if (['binary01', 'integer', 'onehot', 'soft', 'multihot'].includes(seen.labels)) patch.labels = seen.labels;
    if (['logits', 'sigmoid', 'softmax'].includes(seen.output)) {
      patch.output = seen.output;
      patch['from-logits'] = seen.output === 'logits';
    }
    ctx.set(patch);
  });

  return {
    // Puts arrays in the boxes (a lesson's), as if typed.
    fill({ labels, preds }) {
      q('[data-pl]').value = labels;
      q('[data-pp]').value = preds;
      dirty = true;
    },
    update(s, rec) {
      const key = JSON.stringify([s.labels, s.output, s['from-logits'], s['label-smoothing'], s.focal, s.gamma, s.alpha,
        s['class-balancing'], s['pos-weight'], s['class-weight'], s['ignore-class'], s.reduction, s.problem, s.classes, s['current-loss'], rec?.verdictText]);
      if (!dirty && key === lastKey) return null;
      dirty = false;
      lastKey = key;
      const out = q('[data-paste-out]');
      // A parse error clears the previous diagnosis: nothing may act on old arrays.
      // The error under the boxes describes them (aria-describedby); the box at fault is marked invalid.
      const mark = (which) => {
        for (const [box, name] of [[q('[data-pl]'), 'labels'], [q('[data-pp]'), 'preds']]) {
          box.setAttribute('aria-invalid', String(which === name));
          if (which) box.setAttribute('aria-describedby', `${id}-paste-err`);
          else box.removeAttribute('aria-describedby');
        }
      };
      mark(null);
      const failed = (html) => {
        seen = null;
        q('[data-seen]').innerHTML = '';
        q('[data-paste-warnings]').innerHTML = '';
        out.innerHTML = html;
        return null;
      };
      let lab, pred;
      try {
        lab = parseArray(q('[data-pl]').value);
      } catch (e) {
        mark('labels');
        return failed(`<p class="error" id="${id}-paste-err">Labels: ${esc(e.message)}</p>`);
      }
      try {
        pred = parseArray(q('[data-pp]').value);
      } catch (e) {
        mark('preds');
        return failed(`<p class="error" id="${id}-paste-err">Predictions: ${esc(e.message)}</p>`);
      }
      const shape = inspectShape(lab, pred);
      try {
        seen = ctx.xent.inspect(Float32Array.from(lab.values), Float32Array.from(pred.values), { shape });
        const range = seen.labelRange ? ` (values ${seen.labelRange.map((v) => fmt(v)).join(' to ')})` : '';
        const clash = [];
        if (seen.labels && seen.labels !== s.labels) clash.push(`labels look <strong>${esc(seen.labels)}</strong>, you chose ${esc(s.labels)}`);
        if (seen.output && seen.output !== s.output) clash.push(`predictions look like <strong>${esc(seen.output)}</strong>, you chose ${esc(s.output)}`);
        q('[data-seen]').innerHTML = `<p>xent.inspect sees labels <strong data-seen-labels>${esc(seen.labels)}</strong>${range}
          and predictions <strong data-seen-output>${esc(seen.output)}</strong>; rows breaking the label pattern: ${seen.rowsBreakingLabelPattern ?? 0},
          output pattern: ${seen.rowsBreakingOutputPattern ?? 0}.</p>
          ${(seen.notes || []).length ? `<ul>${seen.notes.map((n) => `<li>${esc(typeof n === 'string' ? n : n.message || JSON.stringify(n))}</li>`).join('')}</ul>` : ''}
          ${clash.length ? `<p class="warn">Check: ${clash.join('; ')}. <button type="button" data-adopt>Use what inspect sees</button></p>` : '<p>That matches your choices.</p>'}`;
        // What the data adds to the recommendation: warnings the panel above does not show.
        const shown = new Set((rec?.warnings || []).map((w) => w.id));
        const more = ctx.xent.recommend(dataSituation(s, seen)).warnings.filter((w) => !shown.has(w.id));
        q('[data-paste-warnings]').innerHTML = more.map((w) => {
          const [first, ...rest] = w.message.split(/(?<=[.:])\s(?=[A-Z])/);
          return `<li class="warn sev-${esc(w.severity)}" data-warning="${esc(w.id)}"><details><summary><strong>${esc(w.severity)}</strong> <code>${esc(w.id)}</code> (from the data): ${esc(first)}</summary>${rest.length ? `<p>${esc(rest.join(' '))}</p>` : ''}</details></li>`;
        }).join('');
      } catch (e) {
        seen = null;
        q('[data-paste-warnings]').innerHTML = '';
        q('[data-seen]').innerHTML = `<p class="error">inspect: ${esc(e.message.replace(/^inspect: /, ''))}</p>`;
      }
      try {
        const a = arrange(s, lab, pred);
        const st = { ...s, labels: a.labels, batch: a.n, classes: Math.max(2, a.u) };
        const r = evaluate(ctx.xent, st, a.pred, a.targets, a.n, { raw: true });
        const head = `<tr><th scope="col">example</th><th scope="col">loss</th>${Array.from({ length: a.u }, (_, j) => `<th scope="col">grad ${j}</th>`).join('')}</tr>`;
        let body = '';
        for (let i = 0; i < a.n; i++) {
          body += `<tr><th scope="row">${i + 1}</th><td data-paste-losses="${i}">${fmt(r.losses[i])}</td>${Array.from({ length: a.u }, (_, j) =>
            `<td data-paste-grad="${i * a.u + j}">${fmt(r.grad[i * a.u + j])}</td>`).join('')}</tr>`;
        }
        out.innerHTML = `${a.reading ? `<p class="note" data-paste-reading>${esc(a.reading)}.</p>` : ''}<p>With your settings: <code>${esc(callText(r.spec))}</code></p>
          <p>Reduced loss: <output data-paste-loss>${fmt(r.loss)}</output>; gradient w.r.t. ${r.wrt}.</p>
          <div class="table-wrap" tabindex="0" role="region" aria-label="Per-example losses and gradients"><table><caption>Per-example losses and gradients</caption><thead>${head}</thead><tbody>${body}</tbody></table></div>`;
        return r;
      } catch (e) {
        mark('both');
        out.innerHTML = `<p class="error" id="${id}-paste-err">${esc(e.message)}</p>`;
        return null;
      }
    },
  };
}
