// panels/shapes.js: the Label shapes panel: for the chosen encoding the
// Live example's y_true and y_pred as arrays with their shapes, the loss that
// takes them, the error each framework prints for the common mismatches, and
// the one-line conversions (shapes.js; docs/semantics.md 2.2, 7.2). Called by
// xent-explorer.js.

import { labelShapes } from '../shapes.js';
import { esc } from './recommend.js';

export function mountShapes(root) {
  let last = '';
  return {
    update(s) {
      const key = JSON.stringify([s.labels, s.batch, s.classes, s.targets, s.logits, s.output, s.problem, s['from-logits']]);
      if (key === last) return null;
      last = key;
      const d = labelShapes(s);
      const arr = (name, a) => `<div class="shape-arr"><p><code>${name}</code>: ${esc(a.what)}, shape <code data-shape="${name}">${esc(a.shape)}</code>, ${a.dtype}</p>
        <pre><code data-array="${name}">${esc(a.text)}</code></pre></div>`;
      root.innerHTML = `<div class="shape-grid">${arr('y_true', d.yTrue)}${arr('y_pred', d.yPred)}</div>
        <p>These go to <code data-shape-loss>${esc(d.loss)}</code>.</p>
        ${d.mismatches.length ? `<h4>Common mismatches and the errors they give</h4><ul class="mismatches">${d.mismatches.map((m) => `<li data-mismatch="${m.id}">
          <p><strong>${esc(m.what)}</strong></p><ul>${m.errors.map(([fw, msg]) => `<li><span class="fw">${esc(fw)}</span>: <code data-error-message>${esc(msg)}</code></li>`).join('')}</ul>
          <p class="note">Fix: ${esc(m.fix)}.</p></li>`).join('')}</ul>` : ''}
        ${d.conversions.map((c) => `<h4>${esc(c.title)}</h4><table class="conv"><tbody>${c.lines.map(([fw, code]) =>
          `<tr><th scope="row">${esc(fw)}</th><td><code data-conversion>${esc(code)}</code></td></tr>`).join('')}</tbody></table>`).join('')}`;
      return d;
    },
  };
}
