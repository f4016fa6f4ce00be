// panels/imbalance.js: the Imbalance panel (docs/semantics.md 7.3): for a
// batch of one rare positive and nine common negatives, the gradient each
// example receives from its logit under plain cross-entropy, class weights,
// pos_weight, focal and balanced focal loss (imbalance.js, computed by xent),
// the focal factor (1 − p_t)^γ against p_t (charts/line.js), and where
// Keras' and PyTorch's weighted means differ. Uses the state's gamma, alpha
// and rare-class weight. Called by xent-explorer.js.

import { imbalanceRows, focalFactorPoints, scenarioPt, weightedMeans, SCENARIO } from '../imbalance.js';
import { lineChart } from '../charts/line.js';
import { fmt } from '../model.js';
import { esc } from './recommend.js';

const f4 = (v) => fmt(v, 4);

export function mountImbalance(root, ctx) {
  let last = '';
  return {
    update(s) {
      const cw = s['class-weight'];
      const weight = s['pos-weight'] !== 1 ? s['pos-weight'] : cw.length >= 2 && cw[1] !== cw[0] ? cw[1] / (cw[0] || 1) : SCENARIO.nNeg;
      const key = JSON.stringify([s.gamma, s.alpha, weight]);
      if (key === last) return null;
      last = key;
      const rows = imbalanceRows(ctx.xent, { gamma: s.gamma, alpha: s.alpha, weight });
      const pt = scenarioPt();
      const wm = weightedMeans(ctx.xent);
      const chart = lineChart({
        id: `${ctx.id}-ff`, width: 420, height: 180, x: [0, 1], y: [0, 1],
        series: [{ points: focalFactorPoints(s.gamma), cls: 0 }, { points: focalFactorPoints(0), cls: 1, dashed: true }],
        marker: { x: pt.common, y: (1 - pt.common) ** s.gamma },
        xLabel: 'p_t (probability of the true class)', yLabel: '(1 − p_t)^γ', title: `Focal factor (1 − p_t)^${s.gamma} against p_t; dashed: γ = 0`,
      });
      root.innerHTML = `<p>One rare positive (logit ${SCENARIO.zPos}, p_t = ${f4(pt.rare)}) and ${SCENARIO.nNeg} common negatives
        (logit ${SCENARIO.zNeg}, p_t = ${f4(pt.common)}): the size of the gradient each receives, |∂loss/∂z|, and the rare example's share of the total pull.</p>
        <div class="table-wrap" tabindex="0" role="region" aria-label="Gradient per example"><table data-imbalance><caption>Gradient per example, computed by xent</caption>
        <thead><tr><th scope="col">loss</th><th scope="col">rare example</th><th scope="col">one common example</th><th scope="col">all ${SCENARIO.nNeg} common</th><th scope="col">rare share</th></tr></thead>
        <tbody>${rows.map((r) => `<tr><th scope="row" title="${esc(r.code)}">${esc(r.name)}</th><td>${f4(r.rare)}</td><td>${f4(r.common)}</td><td>${f4(r.commonTotal)}</td><td data-share>${Math.round(r.share * 100)}%</td></tr>`).join('')}</tbody></table></div>
        <p class="note">Class weights and pos_weight give the same numbers on 0/1 labels. The focal factor shrinks the easy negatives' gradient
        (p_t = ${f4(pt.common)}: factor ${f4((1 - pt.common) ** s.gamma)}) far more than the hard positive's (factor ${f4((1 - pt.rare) ** s.gamma)});
        with apply_class_balancing, α = ${s.alpha} weights the positives and 1 − α the negatives.</p>
        <figure class="ff">${chart}<figcaption>The focal factor against p_t for γ = ${s.gamma} (solid; the marker is a common example) and γ = 0 (dashed, plain cross-entropy).</figcaption></figure>
        <p data-weighted-means><strong>Keras and PyTorch weight the mean differently.</strong> Five examples of classes [0, 0, 0, 1, 2] with class weights [1, 3, 3]:
        Keras (class_weight) divides Σ w·L by the batch size, ${wm.n}: loss <output data-keras-mean>${fmt(wm.keras)}</output>;
        PyTorch (nn.CrossEntropyLoss(weight=...)) divides by Σ w = ${wm.sumW}: loss <output data-torch-mean>${fmt(wm.torch)}</output>.
        The minimiser is the same; the numbers, and the gradients' scale per batch, are not.</p>`;
      return rows;
    },
  };
}
