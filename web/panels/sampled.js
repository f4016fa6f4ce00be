// panels/sampled.js: the "Sampled softmax" panel: why xent.sampledSoftmaxLoss
// and xent.nceLoss are for training only (docs/semantics.md section 3.5). One
// fixed example over 2000 classes (dim 16, Zipf-like biases so that frequent
// classes have small ids, as the log-uniform sampler assumes): its full
// softmax loss (xent.sparseSoftmaxCrossEntropyWithLogits on all 2000 logits, what
// to evaluate with) beside the sampled estimate for the chosen numSampled and
// seed, and a chart of the estimate's mean and spread over 24 seeds as
// numSampled goes from 2 to all 2000 classes: the bias shrinks as numSampled
// grows. Called by xent-explorer.js; study() and curve() are pure and tested in
// Node (tests/js/sampled-panel.test.js).

import { fmt } from '../model.js';
import { lineChart, yExtent } from '../charts/line.js';
import { chartWidth } from './chart-width.js';

export const C = 2000;
export const D = 16;
export const LABEL = 37;
export const SIZES = [2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2000];
export const SEEDS = 16;

// The fixed example, from a small seeded generator (mulberry32).
function problem() {
  let a = 20240607;
  const r = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const weights = Float32Array.from({ length: C * D }, () => 0.45 * normal());
  const biases = Float32Array.from({ length: C }, (_, c) => -0.6 * Math.log(c + 1));
  const inputs = Float32Array.from({ length: D }, () => normal());
  for (let j = 0; j < D; j++) inputs[j] += 0.8 * weights[LABEL * D + j];
  return { weights, biases, inputs, labels: Int32Array.of(LABEL) };
}

let cached = null;
/** The example and its full softmax loss (the evaluation loss). */
export function study(xent) {
  if (cached && cached.xent === xent) return cached;
  const p = problem();
  const logits = new Float32Array(C);
  for (let c = 0; c < C; c++) {
    let v = 0;
    for (let j = 0; j < D; j++) v += p.inputs[j] * p.weights[c * D + j];
    logits[c] = v + p.biases[c];
  }
  const full = xent.sparseSoftmaxCrossEntropyWithLogits(p.labels, logits).losses[0];
  cached = { xent, ...p, full, curve: null };
  return cached;
}

/** One sampled estimate (sampled softmax and NCE on the same sample). */
export function estimate(xent, numSampled, seed) {
  const s = study(xent);
  const o = { weights: s.weights, biases: s.biases, labels: s.labels, inputs: s.inputs, numSampled, numClasses: C, seed };
  return { softmax: xent.sampledSoftmaxLoss(o).losses[0], nce: xent.nceLoss(o).losses[0] };
}

/** Mean and standard deviation of the sampled softmax estimate over SEEDS seeds, per size. */
export function curve(xent) {
  const s = study(xent);
  if (s.curve) return s.curve;
  s.curve = SIZES.map((k) => {
    const v = [];
    const o = { weights: s.weights, biases: s.biases, labels: s.labels, inputs: s.inputs, numSampled: k, numClasses: C };
    for (let seed = 0; seed < SEEDS; seed++) v.push(xent.sampledSoftmaxLoss({ ...o, seed: 1000 + seed }).losses[0]);
    const mean = v.reduce((a, x) => a + x, 0) / v.length;
    const sd = Math.sqrt(v.reduce((a, x) => a + (x - mean) ** 2, 0) / (v.length - 1));
    return { numSampled: k, mean, sd, bias: mean - s.full };
  });
  return s.curve;
}

export function mountSampled(root, ctx) {
  root.innerHTML = `<p class="note">With tens of thousands of classes a training step can score the true class and a few sampled ones instead of all of them: <code>xent.sampledSoftmaxLoss</code> and <code>xent.nceLoss</code> (TensorFlow's <code>tf.nn.sampled_softmax_loss</code>, <code>tf.nn.nce_loss</code>). The number they return is an estimate that depends on the sample and is biased, most when few classes are sampled, so they are for training only: evaluate with the full softmax. One example over ${C} classes:</p>
    <div class="row"><label>numSampled <select data-sk>${SIZES.map((k) => `<option value="${k}">${k}</option>`).join('')}</select></label>
      <button type="button" data-sseed>Draw another sample</button></div>
    <div class="table-wrap"><table data-stable></table></div>
    <div data-schart></div>
    <p class="legend"><span class="key s0"></span> sampled softmax estimate, mean of ${SEEDS} seeds <span class="key s1 dashed"></span> full softmax loss (evaluation)</p>`;
  const q = (sel) => root.querySelector(sel);
  q('[data-sk]').addEventListener('change', (e) => ctx.set({ 'sampled-num': Number(e.target.value) }));
  q('[data-sseed]').addEventListener('click', () => ctx.set({ 'sampled-seed': (ctx.state()['sampled-seed'] + 1) % 1000000 }));
  const chart = chartWidth(q('[data-schart]'), 480, () => ctx.schedule());
  let last = '';
  return {
    update(s) {
      // The nearest listed size (the URL may hold any integer).
      const want = s['sampled-num'];
      const k = SIZES.reduce((a, b) => (Math.abs(Math.log(b / want)) < Math.abs(Math.log(a / want)) ? b : a));
      const seed = s['sampled-seed'];
      q('[data-sk]').value = String(k);
      const key = `${k}|${seed}|${chart.width}`;
      if (key === last) return null;
      last = key;
      let st, e, cv;
      try {
        st = study(ctx.xent);
        e = estimate(ctx.xent, k, seed);
        cv = curve(ctx.xent);
      } catch (err) {
        q('[data-stable]').innerHTML = `<caption>error: ${err.message}</caption>`;
        return null;
      }
      const at = cv.find((x) => x.numSampled === k);
      q('[data-stable]').innerHTML = `<caption>Class ${LABEL} is the true class; classes are numbered by frequency</caption>
        <tbody><tr class="best"><th scope="row">full softmax loss over all ${C} classes (evaluate with this)</th><td data-sfull>${fmt(st.full)}</td></tr>
        <tr><th scope="row">sampledSoftmaxLoss, numSampled ${k}, seed ${seed}</th><td data-sest>${fmt(e.softmax)}</td></tr>
        <tr><th scope="row">its mean over ${SEEDS} seeds, and the bias (mean − full)</th><td data-smean>${fmt(at.mean, 4)} (bias ${fmt(at.bias, 3)})</td></tr>
        <tr><th scope="row">nceLoss on the same sample (another estimate, not a softmax loss)</th><td data-snce>${fmt(e.nce)}</td></tr></tbody>`;
      const xs = (x) => Math.log2(x.numSampled);
      const series = [
        { points: cv.map((x) => [xs(x), x.mean]), cls: 0 },
        { points: cv.map((x) => [xs(x), st.full]), cls: 1, dashed: true },
        { points: cv.map((x) => [xs(x), x.mean - x.sd]), cls: 0, dashed: true },
        { points: cv.map((x) => [xs(x), x.mean + x.sd]), cls: 0, dashed: true },
      ];
      q('[data-schart]').innerHTML = lineChart({
        id: `${ctx.id}-sb`, width: chart.width, x: [1, Math.log2(C)], y: yExtent(series), series,
        marker: { x: Math.log2(k), y: at.mean },
        xLabel: 'log2(numSampled)', yLabel: 'loss', title: 'Sampled softmax estimate (mean and ±1 sd over seeds) against the full softmax loss, as numSampled grows',
      });
      return { full: st.full, estimate: e, curve: cv };
    },
  };
}
