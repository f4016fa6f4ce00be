// panels/formula.js: the formula strip at the top of the Live example: for
// each example the activation the loss applies, the loss written out with the
// current numbers (`−log p_0 = −log 0.7856 = 0.2413`), the smoothed target
// row and the loss floor it implies, the reduction, and what the gradient
// bars are (`∂loss/∂z = (p − y) / 2`). The numbers are formula.js's float64
// recomputation of the loss xent computes (docs/semantics.md 2.3-2.8, 4).
// Called by panels/live.js.

import { formulaStrip } from '../formula.js';
import { esc } from './recommend.js';

export function renderFormula(el, s, spec) {
  const f = formulaStrip(s, spec);
  const rows = f.examples.map((e) => `<li data-formula-ex="${e.i}" data-f64="${e.loss}">
      <span class="fx-label">Example ${e.i + 1}</span> <span class="fx-probs">${esc(e.probs)} = [${e.p.map((v) => esc(String(Number(v.toPrecision(4))))).join(', ')}]</span><br>
      <span class="fx-loss" data-formula-loss="${e.i}">${esc(e.text)}</span>
      ${e.floor ? `<br><span class="fx-floor" data-formula-floor="${e.i}" data-f64="${e.floor.value}">${esc(e.floor.text)}</span>` : ''}</li>`).join('');
  el.innerHTML = `<ol class="fx">${rows}</ol>
    <p class="fx-total" data-formula-total data-f64="${f.total}">Reduced, ${esc(f.reduction)}</p>
    <p class="fx-grad" data-formula-grad>Gradient bars: <strong>${esc(f.gradient)}</strong></p>`;
  return f;
}
