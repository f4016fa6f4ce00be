// panels/numerics.js: the Numerics panel: a logit z up to +-1e30 and a label,
// the naive -y*log(p) on sigmoid(z) (float64, and float32 where p is exactly 0
// or 1) beside Keras 3's clipped formula (written out here in JS), xent on the
// same probability (clip at 1e-7: the gradient is exactly zero outside) and
// xent from logits (finite everywhere); then the same for a 3-class softmax.
// docs/semantics.md §1 (clip bounds), §2.3, §4.1, §4.3, §8. Called by xent-explorer.js.

import { fmt } from '../model.js';

const EPS = Math.fround(1e-7), HI = Math.fround(1 - 1e-7);
const PRESETS = [-1e30, -100, -20, -5, 0, 5, 20, 100, 1e30];
const f32 = Math.fround;

function naive(y, p) {
  const loss = -y * Math.log(p) - (1 - y) * Math.log(1 - p);
  const dp = -y / p + (1 - y) / (1 - p);
  return { loss, dp, dz: dp * p * (1 - p) };
}

function naive32(y, p) {
  const l1 = f32(Math.log(p)), l0 = f32(Math.log(f32(1 - p)));
  const loss = f32(-f32(f32(y * l1) + f32((1 - y) * l0)));
  const dp = f32(f32(-y / p) + f32((1 - y) / f32(1 - p)));
  return { loss, dp };
}

export function rows(xent, z, y) {
  const z32 = f32(z);
  const p64 = 1 / (1 + Math.exp(-z));
  const p32 = f32(p64);
  const out = [];
  const n64 = naive(y, p64);
  out.push({ name: 'naive -y·log(p), p = sigmoid(z) in float64', fed: `p = ${fmt(p64)}`, loss: n64.loss, grad: n64.dz, wrt: 'z' });
  const n32 = naive32(y, p32);
  out.push({ name: 'naive -y·log(p), p = sigmoid output in float32', fed: `p = ${fmt(p32)}`, loss: n32.loss, grad: n32.dp, wrt: 'p' });
  const pc = Math.min(Math.max(p32, EPS), HI);
  const kLoss = -(y * Math.log(pc) + (1 - y) * Math.log(f32(1 - pc)));
  const kGrad = p32 >= EPS && p32 <= HI ? (pc - y) / (pc * (1 - pc)) : 0;
  out.push({ name: 'Keras 3 BinaryCrossentropy() formula: clip to [1e-7, 1−2⁻²³], written out in JS', fed: `p = ${fmt(p32)}`, loss: kLoss, grad: kGrad, wrt: 'p' });
  const a = xent.binaryCrossentropy(Float32Array.of(y), Float32Array.of(p32), { fromLogits: false, gradient: true, shape: [1, 1] });
  out.push({ name: 'xent.binaryCrossentropy(y, p, { fromLogits: false })', fed: `p = ${fmt(p32)}`, loss: a.loss, grad: a.grad[0], wrt: 'p', xent: true });
  const b = xent.binaryCrossentropy(Float32Array.of(y), Float32Array.of(z32), { fromLogits: true, gradient: true, shape: [1, 1] });
  out.push({ name: 'xent.binaryCrossentropy(y, z, { fromLogits: true })', fed: `z = ${fmt(z32)}`, loss: b.loss, grad: b.grad[0], wrt: 'z', xent: true, best: true });
  const kl = Math.max(z32, 0) - z32 * y + Math.log1p(Math.exp(-Math.abs(z32)));
  out.push({ name: 'Keras from_logits=True formula max(z,0) − z·y + log1p(exp(−|z|)) in JS', fed: `z = ${fmt(z32)}`, loss: kl, grad: 1 / (1 + Math.exp(-z32)) - y, wrt: 'z' });
  // Three classes, logits [z, 0, 0]; the true class is 0 when y = 1, else 1.
  const t = y === 1 ? 0 : 1;
  const e = [Math.exp(z32), 1, 1], sum = e[0] + 2;
  const sm = e.map((v) => v / sum);
  out.push({ name: 'naive softmax: exp(z)/Σexp(z), then −log p[true] (3 classes, logits [z, 0, 0])', fed: `z = ${fmt(z32)}`, loss: -Math.log(sm[t]), grad: sm[0] - (t === 0 ? 1 : 0), wrt: 'z' });
  const c = xent.sparseCategoricalCrossentropy(Int32Array.of(t), Float32Array.of(z32, 0, 0), { fromLogits: true, gradient: true, shape: [1, 3] });
  out.push({ name: 'xent.sparseCategoricalCrossentropy(…, { fromLogits: true })', fed: `z = ${fmt(z32)}`, loss: c.loss, grad: c.grad[0], wrt: 'z', xent: true, best: true });
  return out;
}

// Reads the logit box strictly: { value } or { error } (what is wrong and
// what to type); values beyond the range the panel covers are clamped with a
// note. An empty box is an error, not 0.
export function readLogit(text) {
  const t = String(text).trim();
  if (!t) return { error: 'Type a number for z.' };
  if (/^[+-]?\d+,\d+$/.test(t)) return { error: `"${t}" uses a decimal comma: write ${t.replace(',', '.')}.` };
  const v = Number(t);
  if (Number.isNaN(v)) return { error: `"${t}" is not a number.` };
  if (!Number.isFinite(v) || Math.abs(v) > 1e30) {
    return { value: v > 0 ? 1e30 : -1e30, note: `${t} is beyond ±1e30 (float32 ends at 3.4e38); shown at ${v > 0 ? '' : '-'}1e30.` };
  }
  return { value: v };
}

export function mountNumerics(root, ctx) {
  root.innerHTML = `<div class="row"><label>Logit z <input type="text" inputmode="decimal" data-nz size="10" aria-describedby="${ctx.id}-nz-msg"></label>
      <span class="presets">${PRESETS.map((v) => `<button type="button" data-preset="${v}">${v === 0 ? '0' : String(v).replace('e+', 'e')}</button>`).join('')}</span>
      <label>Label y <select data-ny><option value="1">1</option><option value="0">0</option></select></label></div>
    <p class="error" id="${ctx.id}-nz-msg" data-nz-msg hidden></p>
    <p class="note">A sigmoid layer in float32 outputs exactly 1 once z &gt; 17 and exactly 0 below z ≈ −88 (−104 with denormals). The naive formula then meets log(0) = −Infinity and 0·log(0) = NaN. Keras clips p to [1e-7, 1−2⁻²³]: finite, but the loss saturates at 16.118095 or 15.942385 and the gradient outside the clip is exactly 0, so training on a saturated example stops. From logits, nothing saturates: that is why from_logits=True is the stable choice.</p>
    <div class="table-wrap" tabindex="0" role="region" aria-label="Numerics table"><table data-ntable></table></div>`;
  const q = (sel) => root.querySelector(sel);
  const box = q('[data-nz]'), msg = q('[data-nz-msg]');
  const say = (text) => {
    msg.hidden = !text;
    msg.textContent = text;
    box.setAttribute('aria-invalid', String(Boolean(text)));
    if (text) ctx.announce?.(text);
  };
  box.addEventListener('change', (e) => {
    const r = readLogit(e.target.value);
    if (r.error) {
      say(`${r.error} The table still shows z = ${fmt(ctx.state()['numeric-logit'])}.`);
      return;
    }
    say(r.note || '');
    ctx.set({ 'numeric-logit': r.value });
    if (r.note) box.value = String(r.value);
  });
  q('[data-ny]').addEventListener('change', (e) => ctx.set({ 'numeric-label': Number(e.target.value) }));
  root.addEventListener('click', (e) => {
    const b = e.target.closest('[data-preset]');
    if (b) {
      say('');
      ctx.set({ 'numeric-logit': Number(b.dataset.preset) });
    }
  });
  let last = '';
  return {
    update(s) {
      const z = s['numeric-logit'], y = s['numeric-label'];
      // Once the box has lost focus it shows the z the table shows again.
      if (root.getRootNode().activeElement !== box && box.value !== String(z)) {
        box.value = String(z);
        say('');
      }
      q('[data-ny]').value = String(y);
      const key = `${z}|${y}`;
      if (key === last) return null;
      last = key;
      let r;
      try {
        r = rows(ctx.xent, z, y);
      } catch (e) {
        q('[data-ntable]').innerHTML = `<caption>error: ${e.message}</caption>`;
        return null;
      }
      const cls = (v) => (Number.isFinite(v) ? '' : ' class="bad"');
      q('[data-ntable]').innerHTML = `<caption>Binary cross-entropy at z = ${fmt(z)}, y = ${y}</caption>
        <thead><tr><th scope="col">computation</th><th scope="col">value fed</th><th scope="col">loss</th><th scope="col">gradient</th></tr></thead><tbody>${
        r.map((x) => `<tr${x.best ? ' class="best"' : ''}><th scope="row">${x.name}</th><td data-label="value fed">${x.fed}</td><td data-label="loss"${cls(x.loss)}>${fmt(x.loss)}</td><td data-label="gradient"${cls(x.grad)}>${fmt(x.grad)} <small>d/d${x.wrt}</small></td></tr>`).join('')}</tbody>`;
      return r;
    },
  };
}
