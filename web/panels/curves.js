// panels/curves.js: the Curves panel: one example's loss and its derivative as
// functions of one chosen logit z_j (the others held), with the current point
// and its tangent, so the gradient reads as a slope; overlaid with the same
// model under the flipped from_logits setting (the mistake, or its fix:
// probabilities fed as logits = double activation; logits fed as probabilities
// = clipping, docs/semantics.md §7.2 M1/M2). One xent call per curve: every sample
// point is a row of one batch. Called by xent-explorer.js.

import { units, targetsPerExample } from '../state.js';
import { evaluate, fmt } from '../model.js';
import { lineChart, yExtent } from '../charts/line.js';
import { chartWidth } from './chart-width.js';

const N = 121, LO = -10, HI = 10;

// The rows of the sweep: example `i` repeated with z_j = x, plus the current point last.
export function sweep(xent, s, k, override) {
  const u = units(s), per = targetsPerExample(s);
  const i = Math.floor(k / u), j = k % u;
  const rows = N + 1;
  const z = new Float32Array(rows * u);
  const t = [];
  const base = s.logits.slice(i * u, i * u + u);
  const tb = s.targets.slice(i * per, i * per + per);
  for (let r = 0; r < rows; r++) {
    z.set(base, r * u);
    z[r * u + j] = r < N ? LO + ((HI - LO) * r) / (N - 1) : s.logits[k];
    t.push(...tb);
  }
  const res = evaluate(xent, s, z, t, rows, { reduction: 'sum', ...override });
  const xs = [], loss = [], deriv = [];
  for (let r = 0; r < rows; r++) {
    xs.push(z[r * u + j]);
    loss.push(res.losses[r]);
    deriv.push(res.gradZ[r * u + j]);
  }
  return { xs, loss, deriv };
}

export function flipLabel(s) {
  const matched = s['from-logits'] === (s.output === 'logits');
  const other = !s['from-logits'];
  let what;
  if (s.output === 'logits') what = other ? 'logits with from_logits=True (correct)' : 'logits fed as probabilities (from_logits=False)';
  else what = other ? `double ${s.output}: from_logits=True on ${s.output} outputs` : `${s.output} outputs with from_logits=False (correct)`;
  return { matched, what };
}

export function mountCurves(root, ctx) {
  root.innerHTML = `<label class="row">Vary <select data-curve></select></label>
    <p class="note" data-curve-note></p>
    <div class="charts"><div data-chart-loss></div><div data-chart-deriv></div></div>
    <p class="legend"><span class="key s0"></span> your setting <span class="key s1 dashed" data-part="flip"></span><span data-flip-label data-part="flip"></span></p>
    <details data-part="tables" class="table-wrap"><summary>Curves as a table</summary><div data-curve-table class="scroll" tabindex="0" role="region" aria-label="Curves as a table"></div></details>`;
  const q = (sel) => root.querySelector(sel);
  q('[data-curve]').addEventListener('change', (e) => ctx.set({ curve: Number(e.target.value) }));
  const chart = chartWidth(q('[data-chart-loss]'), 480, () => ctx.schedule());
  let optKey = '';
  return {
    update(s) {
      const u = units(s);
      const key = `${s.batch}|${u}`;
      if (key !== optKey) {
        optKey = key;
        let html = '';
        for (let k = 0; k < s.batch * u; k++) {
          const i = Math.floor(k / u), j = k % u;
          html += `<option value="${k}">example ${i + 1}${u > 1 ? `, class ${j}` : ''} logit</option>`;
        }
        q('[data-curve]').innerHTML = html;
      }
      q('[data-curve]').value = String(s.curve);
      const k = s.curve, j = k % u;
      let a, b;
      try {
        a = sweep(ctx.xent, s, k, {});
        b = sweep(ctx.xent, s, k, { 'from-logits': !s['from-logits'] });
      } catch (e) {
        q('[data-curve-note]').textContent = `error: ${e.message}`;
        return null;
      }
      const flip = flipLabel(s);
      q('[data-flip-label]').textContent = `flipped: ${flip.what}`;
      q('[data-curve-note]').textContent = `The example's loss as z${j} moves (the derivative is d loss / d z${j}, through the ${s.output === 'logits' ? 'identity' : s.output} output${s.output === 'logits' ? '' : ' by the chain rule'}).${s.hide.includes('flip') ? '' : flip.matched ? ' The dashed line is the common mistake.' : ' Your setting is the mistake; the dashed line is the fix.'}`;
      const pts = (xs, ys) => xs.slice(0, N).map((x, r) => [x, ys[r]]);
      const cur = N;
      // hide="flip" leaves only the user's own setting on the charts.
      const flipped = !s.hide.includes('flip');
      const lossSeries = [{ points: pts(a.xs, a.loss), cls: 0 }];
      const derivSeries = [{ points: pts(a.xs, a.deriv), cls: 0 }];
      if (flipped) {
        lossSeries.push({ points: pts(b.xs, b.loss), cls: 1, dashed: true });
        derivSeries.push({ points: pts(b.xs, b.deriv), cls: 1, dashed: true });
      }
      const [dlo, dhi] = yExtent(derivSeries, 5);
      q('[data-chart-loss]').innerHTML = lineChart({
        id: `${ctx.id}-cl`, width: chart.width, x: [LO, HI], y: yExtent(lossSeries, 20), series: lossSeries,
        marker: { x: a.xs[cur], y: a.loss[cur], slope: a.deriv[cur] },
        xLabel: `z${j}`, yLabel: 'example loss', title: `Loss of the example as a function of z${j}`,
      });
      q('[data-chart-deriv]').innerHTML = lineChart({
        id: `${ctx.id}-cd`, width: chart.width, x: [LO, HI], y: [Math.min(dlo, -0.1), Math.max(dhi, 0.1)], series: derivSeries,
        marker: { x: a.xs[cur], y: a.deriv[cur] },
        xLabel: `z${j}`, yLabel: `d loss / d z${j}`, title: `Derivative of the example loss with respect to z${j}`,
      });
      let rows = '';
      const picks = [...Array.from({ length: (N - 1) / 5 + 1 }, (_, r) => r * 5), cur];
      for (const idx of picks) {
        rows += `<tr${idx === cur ? ' class="cur"' : ''}><th scope="row">${fmt(a.xs[idx])}${idx === cur ? ' (current)' : ''}</th><td>${fmt(a.loss[idx])}</td><td>${fmt(a.deriv[idx])}</td><td>${fmt(b.loss[idx])}</td><td>${fmt(b.deriv[idx])}</td></tr>`;
      }
      q('[data-curve-table]').innerHTML = `<table><thead><tr><th scope="col">z${j}</th><th scope="col">loss</th><th scope="col">d loss/d z${j}</th><th scope="col">flipped loss</th><th scope="col">flipped derivative</th></tr></thead><tbody>${rows}</tbody></table>`;
      return { a, b };
    },
  };
}
