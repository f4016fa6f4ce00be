// panels/metrics.js: the Metrics panel: the accuracy metric that goes with
// the Live example's loss, in Keras, TF.js and PyTorch, its threshold (0 on
// logits), and its value on the Live example (metrics.js). Called by
// xent-explorer.js.

import { metricFor, liveAccuracy } from '../metrics.js';
import { esc } from './recommend.js';

const pct = (v) => `${Math.round(v * 1000) / 10}%`;

export function mountMetrics(root) {
  let last = '';
  return {
    update(s) {
      const m = metricFor(s);
      const a = liveAccuracy(s);
      const key = JSON.stringify([m, a]);
      if (key === last) return null;
      last = key;
      root.innerHTML = `<p>Accuracy for this loss: <code data-metric>${esc(m.id)}</code>${m.threshold !== null ? `, threshold <strong data-threshold>${m.threshold}</strong>` : ''}.</p>
        <p class="note">${esc(m.why)}</p>
        <table class="conv"><tbody>
          <tr><th scope="row">Keras</th><td><code>${esc(m.keras)}</code><br><code>${esc(m.compile)}</code></td></tr>
          <tr><th scope="row">TF.js</th><td><code>${esc(m.tfjs)}</code></td></tr>
          <tr><th scope="row">PyTorch</th><td><code>${esc(m.pytorch)}</code></td></tr>
          ${m.auc ? `<tr><th scope="row">AUC</th><td><code>${esc(m.auc)}</code></td></tr>` : ''}
        </tbody></table>
        <p>On the Live example: <output data-accuracy>${pct(a.value)}</output>${a.wrong !== null ? `; with the default threshold 0.5 on these logits it would report <output data-wrong-accuracy>${pct(a.wrong)}</output>` : ''}.</p>`;
      return { m, a };
    },
  };
}
