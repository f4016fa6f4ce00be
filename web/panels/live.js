// panels/live.js: the Live example: 1-4 examples x 2-10 classes whose raw
// last-layer values z are vertical sliders (drag the bar, or arrow keys), whose
// labels are set by clicking (soft labels: their own sliders). Each frame it
// runs the setting through xent (model.js evaluate) and shows the model output,
// the probabilities the loss works with, each example's loss, the reduced loss
// and the gradient per class as signed bars, w.r.t. logits or probabilities
// (docs/semantics.md §4), and the same examples under the wider family
// (poly-1, generalized CE, KL divergence, distillation: "New losses").
// Called by xent-explorer.js.

import { units } from '../state.js';
import { evaluate, callText, kerasText, familyLosses, fmt } from '../model.js';
import { kerasName } from '../story.js';
import { makeSlider } from './slider.js';
import { esc } from './recommend.js';
import { renderFormula } from './formula.js';

const clip = (p) => Math.min(Math.max(p, 1e-7), 0.99999988);

// The probabilities the loss actually works with, for display (float64);
// `family` is the loss family the page computes (story.js lossFamily).
export function lossProbs(s, x, n, u, family) {
  const p = new Float64Array(n * u);
  const sparseOrCat = family !== 'binary';
  for (let i = 0; i < n; i++) {
    const row = Array.from(x.subarray(i * u, i * u + u));
    let q;
    if (!sparseOrCat) q = row.map((v) => (s['from-logits'] ? 1 / (1 + Math.exp(-v)) : clip(v)));
    else if (s['from-logits']) {
      const m = Math.max(...row);
      const e = row.map((v) => Math.exp(v - m));
      const sum = e.reduce((a, b) => a + b, 0);
      q = e.map((v) => v / sum);
    } else if (family === 'sparse') {
      const c = row.map(clip);
      const sum = c.reduce((a, b) => a + b, 0);
      q = c.map((v) => v / sum);
    } else {
      const sum = row.reduce((a, b) => a + b, 0);
      q = row.map((v) => clip(sum === 0 ? 0 : v / sum));
    }
    p.set(q, i * u);
  }
  return p;
}

// Two significant digits for the labels on the bars (the table has all seven).
const short = (v) => (Math.abs(v) >= 1e-3 || v === 0 ? String(Number(v.toPrecision(2))) : v.toExponential(0));

const RELEVANT = ['double-activation', 'logits-treated-as-probabilities', 'single-unit-softmax', 'softmax-on-multilabel', 'sigmoid-on-exclusive'];

export function mountLive(root, ctx) {
  root.innerHTML = `<p class="call">Loss: <code data-keras-call></code><br>xent: <code data-call></code></p>
    <details class="formula" open><summary>The loss, written out</summary><div data-formula></div></details>
    <p class="wrt" data-wrt></p>
    <ul class="warnings banner" data-part="warnings" data-banner></ul>
    <p class="legend" aria-hidden="true"><span class="key kz"></span> z, drag or use arrow keys
      <span class="key kp"></span> probability the loss uses <span class="key kg"></span> gradient <span data-grad-label></span>
      <span class="key kc"></span> the logit the curves vary</p>
    <div class="examples" data-examples></div>
    <p class="total">Reduced loss (<span data-red></span>): <output data-loss></output></p>
    <p class="note" data-family></p>
    <details data-part="tables" class="table-wrap"><summary>Numbers as a table</summary><div data-table class="scroll" tabindex="0" role="region" aria-label="Numbers as a table"></div></details>`;
  const q = (sel) => root.querySelector(sel);
  let shapeKey = '';
  let sliders = [];
  let softSliders = [];

  function build(s) {
    const n = s.batch, u = units(s);
    let html = '';
    for (let i = 0; i < n; i++) {
      html += `<div class="ex" data-ex="${i}"><div class="ex-head">Example ${i + 1}: loss <output data-example-loss="${i}"></output> <span data-ignored></span></div>
        <div class="cols" style="--cols:${u}">`;
      for (let j = 0; j < u; j++) {
        const k = i * u + j;
        html += `<div class="col"><div class="zslot" data-zslot="${k}"></div>
          <div class="pbar" aria-hidden="true"><div class="fill" data-pbar="${k}"></div></div>
          <span class="num" aria-hidden="true" data-pnum="${k}"></span>
          <div class="gbar" aria-hidden="true"><div class="zero"></div><div class="bar" data-gbar="${k}"></div></div>
          <span class="num" aria-hidden="true" data-gnum="${k}"></span>
          <div class="lab" data-lab="${k}"></div></div>`;
      }
      html += '</div></div>';
    }
    q('[data-examples]').innerHTML = html;
    sliders = [];
    softSliders = [];
    for (let k = 0; k < n * u; k++) {
      const i = Math.floor(k / u), j = k % u;
      const sl = makeSlider({
        min: -10, max: 10, step: 0.1, vertical: true, signed: true, cls: 'zslider',
        label: u === 1 ? `Example ${i + 1} logit z` : `Example ${i + 1}, class ${j} logit z`,
        onInput: (v) => {
          const z = ctx.state().logits.slice();
          z[k] = v;
          ctx.set({ logits: z, curve: k });
        },
      });
      q(`[data-zslot="${k}"]`).append(sl.el);
      sliders.push(sl);
      const lab = q(`[data-lab="${k}"]`);
      if (s.labels === 'soft') {
        const ss = makeSlider({
          min: 0, max: 1, step: 0.05, vertical: true, cls: 'tslider',
          label: `Example ${i + 1}, class ${j} soft label`,
          onInput: (v) => setSoft(i, j, v),
        });
        lab.append(ss.el);
        softSliders.push(ss);
      } else {
        const b = document.createElement('button');
        b.type = 'button';
        b.className = 'labbtn';
        b.dataset.i = i;
        b.dataset.j = j;
        b.setAttribute('aria-label', s.labels === 'binary01' ? `Example ${i + 1} label y` : `Example ${i + 1}, class ${j} is a true label`);
        lab.append(b);
      }
    }
  }

  function setSoft(i, j, v) {
    const s = ctx.state();
    const C = s.classes;
    const t = s.targets.slice();
    const row = t.slice(i * C, i * C + C);
    const rest = row.reduce((a, b, k) => a + (k === j ? 0 : b), 0);
    for (let k = 0; k < C; k++) {
      if (k === j) row[k] = v;
      else row[k] = rest > 0 ? (row[k] * (1 - v)) / rest : (1 - v) / (C - 1);
      row[k] = Math.round(row[k] * 1000) / 1000;
    }
    t.splice(i * C, C, ...row);
    ctx.set({ targets: t });
  }

  root.addEventListener('click', (e) => {
    const b = e.target.closest('.labbtn');
    if (!b) return;
    const s = ctx.state();
    const i = Number(b.dataset.i), j = Number(b.dataset.j);
    const t = s.targets.slice();
    if (s.labels === 'multihot') t[i * s.classes + j] = t[i * s.classes + j] ? 0 : 1;
    else if (s.labels === 'binary01') t[i] = t[i] ? 0 : 1;
    else t[i] = j;
    ctx.set({ targets: t });
  });

  return {
    update(s, rec) {
      const n = s.batch, u = units(s);
      const key = `${n}|${u}|${s.labels}`;
      if (key !== shapeKey) {
        shapeKey = key;
        build(s);
      }
      const z = Float32Array.from(s.logits);
      let r;
      try {
        r = evaluate(ctx.xent, s, z, s.targets, n);
      } catch (e) {
        q('[data-call]').textContent = `error: ${e.message}`;
        return null;
      }
      const probs = lossProbs(s, r.out, n, u, r.live.family);
      q('[data-call]').textContent = callText(r.spec);
      q('[data-keras-call]').textContent = kerasText(kerasName(r.live));
      q('[data-wrt]').innerHTML = `Gradient bars: <strong>d loss / d ${r.wrt === 'logits' ? 'logits' : 'probabilities'}</strong>
        (the loss input${s.output === 'logits' ? ' = z' : ` = ${s.output}(z)`}), of the reduced loss.`;
      q('[data-red]').textContent = r.spec.options.reduction || 'sum_over_batch_size';
      const f = renderFormula(q('[data-formula]'), s, r.live);
      q('[data-grad-label]').textContent = f.gradient.startsWith('∂loss/∂z = ') ? f.gradient.slice(9) : '';
      q('[data-loss]').textContent = fmt(r.loss);
      const fam = familyLosses(ctx.xent, s, z, n);
      q('[data-family]').innerHTML = fam.length ? `The same examples under the wider family: ${fam.map((f) =>
        `<span data-family-loss="${esc(f.call.slice(5, f.call.indexOf('(')))}" title="${esc(f.call)}">${esc(f.name)} <output>${fmt(f.loss)}</output></span>`).join('; ')}.` : '';
      const warns = (rec?.warnings || []).filter((w) => RELEVANT.includes(w.id));
      q('[data-banner]').innerHTML = warns.map((w) =>
        `<li class="warn sev-${esc(w.severity)}" data-warning="${esc(w.id)}"><code>${esc(w.id)}</code>: ${esc(w.message)}</li>`).join('');
      for (let k = 0; k < n * u; k++) {
        // The announcement carries what the value does: the probability the
        // loss uses and the gradient on this logit's bar.
        sliders[k].set(s.logits[k], `${fmt(s.logits[k], 3)}${s.output !== 'logits' ? `, ${s.output} ${fmt(r.out[k], 4)}` : ''}, probability ${fmt(probs[k], 3)}, gradient ${fmt(r.grad[k], 3)}`);
        sliders[k].el.classList.toggle('current', k === s.curve);
        q(`[data-pbar="${k}"]`).style.height = `${(probs[k] * 100).toFixed(2)}%`;
        q(`[data-pnum="${k}"]`).textContent = short(probs[k]);
        q(`[data-gnum="${k}"]`).textContent = short(r.grad[k]);
        const g = r.grad[k];
        const gb = q(`[data-gbar="${k}"]`);
        const h = Math.min(Math.abs(g), 1) * 50;
        gb.style.height = `${h.toFixed(2)}%`;
        gb.style.top = g >= 0 ? `${50 - h}%` : '50%';
        gb.classList.toggle('neg', g < 0);
        gb.classList.toggle('over', Math.abs(g) > 1);
      }
      for (let i = 0; i < n; i++) {
        q(`[data-example-loss="${i}"]`).textContent = fmt(r.losses[i]);
        q(`[data-ex="${i}"] [data-ignored]`).textContent =
          s.labels === 'integer' && s.targets[i] === s['ignore-class'] ? '(ignored class)' : '';
      }
      if (s.labels === 'soft') {
        softSliders.forEach((ss, k) => ss.set(s.targets[k], fmt(s.targets[k], 3)));
      } else {
        for (const b of root.querySelectorAll('.labbtn')) {
          const i = Number(b.dataset.i), j = Number(b.dataset.j);
          const on = s.labels === 'multihot' ? s.targets[i * s.classes + j] === 1
            : s.labels === 'binary01' ? s.targets[i] === 1 : s.targets[i] === j;
          b.setAttribute('aria-pressed', String(on));
          b.textContent = s.labels === 'binary01' ? `y=${s.targets[i]}` : String(j);
          // The name contains the visible text (y=0 or y=1), as speech input needs.
          if (s.labels === 'binary01') b.setAttribute('aria-label', `Example ${i + 1} label y=${s.targets[i]}`);
        }
      }
      q('[data-table]').innerHTML = table(s, r, probs, n, u);
      return r;
    },
  };
}

function table(s, r, probs, n, u) {
  const head = `<tr><th scope="col">Example</th><th scope="col">Quantity</th>${Array.from({ length: u }, (_, j) =>
    `<th scope="col">${u === 1 ? 'unit' : `class ${j}`}</th>`).join('')}<th scope="col">Example loss</th></tr>`;
  let body = '';
  const rows = [
    ['z', (k) => fmt(s.logits[k]), 'z'],
    [`model output (${s.output})`, (k) => fmt(r.out[k]), 'out'],
    ['probability the loss uses', (k) => fmt(probs[k]), 'p'],
    [`gradient d loss / d ${r.wrt}`, (k) => fmt(r.grad[k]), 'grad'],
  ];
  for (let i = 0; i < n; i++) {
    rows.forEach(([name, f, tag], ri) => {
      body += `<tr>${ri === 0 ? `<th scope="row" rowspan="${rows.length}">${i + 1}</th>` : ''}<td>${name}</td>`;
      for (let j = 0; j < u; j++) body += `<td data-${tag}="${i * u + j}">${f(i * u + j)}</td>`;
      body += ri === 0 ? `<td rowspan="${rows.length}" data-tloss="${i}">${fmt(r.losses[i])}</td>` : '';
      body += '</tr>';
    });
  }
  return `<table><caption>Per class values; reduced loss ${fmt(r.loss)}</caption><thead>${head}</thead><tbody>${body}</tbody></table>`;
}
