// panels/learn.js: Watch it learn: a linear classifier z = x W + b on a 2-D toy
// dataset that matches the label encoding (two blobs for 0/1 labels, C blobs
// for integer/one-hot/soft labels, C half-planes for multi-hot), trained by
// full-batch gradient descent with the chosen loss through xent (model.js
// evaluate: xent's gradient chained to z). A second model trains side by side
// with from_logits flipped, so a mismatched setting is seen learning badly.
// Draws decision regions on canvas and the loss curves as SVG. Pauses off
// screen. Called by xent-explorer.js.

import { units } from '../state.js';
import { evaluate, lossSpec, fmt } from '../model.js';
import { lineChart, yExtent } from '../charts/line.js';
import { chartWidth } from './chart-width.js';
import { drawRegions } from '../charts/regions.js';
import { flipLabel } from './curves.js';

const STEPS = 240, PER_FRAME = 4, POINTS = 120;

// Deterministic generator (mulberry32) and a normal sample.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const normal = (r) => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());

// Points X [N, 2], targets in the state's encoding, and the true class per point for colouring.
export function dataset(s) {
  const r = rng(7 + s.classes * 31 + s.labels.length);
  const C = s.classes, X = new Float64Array(POINTS * 2), targets = [], cls = [];
  for (let i = 0; i < POINTS; i++) {
    if (s.labels === 'multihot') {
      const x = r() * 4 - 2, y = r() * 4 - 2;
      X[2 * i] = x;
      X[2 * i + 1] = y;
      let first = -1;
      for (let j = 0; j < C; j++) {
        const a = (Math.PI * 2 * j) / C + 0.3;
        const on = x * Math.cos(a) + y * Math.sin(a) > 0.35 * ((j % 3) - 1) ? 1 : 0;
        targets.push(on);
        if (on && first < 0) first = j;
      }
      cls.push(first);
      continue;
    }
    const k = s.labels === 'binary01' ? i % 2 : i % C;
    const n = s.labels === 'binary01' ? 2 : C;
    const a = (Math.PI * 2 * k) / n + 0.4;
    X[2 * i] = 1.5 * Math.cos(a) + 0.6 * normal(r);
    X[2 * i + 1] = 1.5 * Math.sin(a) + 0.6 * normal(r);
    cls.push(k);
    if (s.labels === 'soft') for (let j = 0; j < C; j++) targets.push(j === k ? 0.8 : Math.round((0.2 / (C - 1)) * 1000) / 1000);
    else targets.push(k);
  }
  return { X, targets, cls, n: POINTS };
}

export function forward(X, W, b, n, u) {
  const z = new Float32Array(n * u);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < u; j++) z[i * u + j] = X[2 * i] * W[j] + X[2 * i + 1] * W[u + j] + b[j];
  }
  return z;
}

function accuracy(s, z, data, u) {
  let ok = 0, total = 0;
  for (let i = 0; i < data.n; i++) {
    if (s.labels === 'multihot') {
      for (let j = 0; j < u; j++) ok += (z[i * u + j] > 0 ? 1 : 0) === data.targets[i * u + j] ? 1 : 0;
      total += u;
    } else if (u === 1) {
      ok += (z[i] > 0 ? 1 : 0) === data.cls[i] ? 1 : 0;
      total++;
    } else {
      let best = 0;
      for (let j = 1; j < u; j++) if (z[i * u + j] > z[i * u + best]) best = j;
      ok += best === data.cls[i] ? 1 : 0;
      total++;
    }
  }
  return ok / total;
}

function newRun(s, override) {
  const u = units(s), r = rng(99);
  const W = new Float64Array(2 * u).map(() => 0.1 * normal(r));
  return { W, b: new Float64Array(u), override, loss: [], acc: [], grad: [] };
}

// The loss floor of a double activation (docs/semantics.md §7.2): a perfect
// prediction pushed through a second softmax over C classes scores
// log(e + C - 1) - 1; through a second sigmoid each element scores at least
// log(1 + e^-1) = 0.3133. Null when the run is no double activation.
export function doubleActivation(s, override = {}) {
  const fl = override['from-logits'] ?? s['from-logits'];
  if (!fl || s.output === 'logits') return null;
  const u = units(s);
  const floor = s.output === 'softmax' && u > 1 ? Math.log(Math.E + u - 1) - 1 : Math.log1p(Math.exp(-1));
  return { activation: s.output, floor };
}

function step(xent, s, run, data) {
  const u = units(s);
  const z = forward(data.X, run.W, run.b, data.n, u);
  const r = evaluate(xent, s, z, data.targets, data.n, run.override);
  const lr = (s.reduction === 'sum' ? 1 / data.n : 1) * 0.8;
  for (let j = 0; j < u; j++) {
    let g0 = 0, g1 = 0, gb = 0;
    for (let i = 0; i < data.n; i++) {
      const g = r.gradZ[i * u + j];
      g0 += data.X[2 * i] * g;
      g1 += data.X[2 * i + 1] * g;
      gb += g;
    }
    run.W[j] -= lr * g0;
    run.W[u + j] -= lr * g1;
    run.b[j] -= lr * gb;
  }
  run.loss.push(r.loss);
  run.acc.push(accuracy(s, z, data, u));
  let g = 0;
  for (let k = 0; k < r.gradZ.length; k++) g += Math.abs(r.gradZ[k]);
  run.grad.push(g / r.gradZ.length);
}

// Says what accuracy hides when one of the two runs applies its activation
// twice: the loss floor it cannot go below, and how much smaller its
// gradients are than the other run's (mean |d loss / d z| over the run).
export function floorCaption(s, runs, n) {
  const parts = [];
  runs.forEach((run, k) => {
    const d = doubleActivation(s, run.override);
    if (!d) return;
    const who = k === 0 ? 'Your setting' : 'The flipped setting';
    const other = runs[1 - k];
    const mean = (a) => a.reduce((x, y) => x + y, 0) / (a.length || 1);
    const ratio = n ? mean(run.grad) / mean(other.grad) : NaN;
    parts.push(`${who} applies the ${d.activation} twice (from_logits=True on ${d.activation} outputs): its loss can never go below ${fmt(d.floor, 4)}${d.activation === 'sigmoid' ? ' per element' : ''}` +
      `${n ? `, and its gradients average ${fmt(ratio, 2)}× those of the ${k === 0 ? 'flipped' : 'matched'} setting` : ''}, so it learns more slowly and its probabilities stay soft even when the accuracy looks the same.`);
  });
  return parts.join(' ');
}

export function mountLearn(root, ctx) {
  root.innerHTML = `<div class="row"><button type="button" data-train>Train</button>
      <button type="button" data-reset>Reset</button> <span data-learn-status></span></div>
    <div class="learn-grid">
      <figure><canvas width="240" height="240" data-canvas="0" role="img" aria-label="Decision regions, your setting"></canvas>
        <figcaption>Your setting<span data-acc="0"></span></figcaption></figure>
      <figure data-part="flip"><canvas width="240" height="240" data-canvas="1" role="img" aria-label="Decision regions, from_logits flipped"></canvas>
        <figcaption data-flip-caption></figcaption></figure>
      <div class="learn-chart" data-learn-chart></div>
    </div>
    <p class="note" data-learn-floor role="note"></p>
    <details data-part="tables" class="table-wrap"><summary>Training as a table</summary><div data-learn-table class="scroll" tabindex="0" role="region" aria-label="Training as a table"></div></details>`;
  const q = (sel) => root.querySelector(sel);
  let key = '', data = null, runs = [], running = false, paused = false, raf = 0, s = null;

  const reset = () => {
    data = dataset(s);
    runs = [newRun(s, {}), newRun(s, { 'from-logits': !s['from-logits'] })];
    running = false;
    draw();
  };
  const frame = () => {
    raf = 0;
    if (!running || !ctx.visible()) return;
    for (let i = 0; i < PER_FRAME && runs[0].loss.length < STEPS; i++) {
      for (const run of runs) step(ctx.xent, s, run, data);
    }
    if (runs[0].loss.length >= STEPS) running = false;
    draw();
    if (running) raf = requestAnimationFrame(frame);
  };
  // After the last step the button offers a new run ("Train again"), never a
  // "Continue" that silently starts over.
  const start = () => {
    if (runs[0].loss.length >= STEPS) reset();
    running = true;
    if (!raf) raf = requestAnimationFrame(frame);
  };
  q('[data-train]').addEventListener('click', () => {
    if (running) running = false;
    else start();
    draw();
  });
  q('[data-reset]').addEventListener('click', reset);
  const chart = chartWidth(q('[data-learn-chart]'), 360, () => { if (s) draw(); });

  function draw() {
    const u = units(s);
    const done = runs[0].loss.length >= STEPS;
    q('[data-train]').textContent = running ? 'Pause' : done ? 'Train again' : runs[0].loss.length ? 'Continue' : 'Train';
    runs.forEach((run, k) => {
      drawRegions(q(`[data-canvas="${k}"]`), { X: data.X, cls: data.cls, n: data.n, u, multi: s.labels === 'multihot', W: run.W, b: run.b });
      const acc = run.acc.length ? run.acc[run.acc.length - 1] : null;
      const el = q(`[data-acc="${k}"]`);
      if (el) el.textContent = acc === null ? '' : `: accuracy ${(acc * 100).toFixed(1)}%`;
    });
    const flip = flipLabel(s);
    const accB = runs[1].acc.length ? `: accuracy ${(runs[1].acc[runs[1].acc.length - 1] * 100).toFixed(1)}%` : '';
    q('[data-flip-caption]').textContent = `Flipped: ${flip.what}${accB}`;
    const n = runs[0].loss.length;
    const status = n
      ? `${done ? 'finished, ' : ''}step ${n}/${STEPS}: loss ${fmt(runs[0].loss[n - 1], 4)} (flipped ${fmt(runs[1].loss[n - 1], 4)})` : 'not trained yet';
    // Only the end of training is announced (the explorer's one live region).
    if (done && q('[data-learn-status]').textContent !== status) ctx.announce?.(`Training ${status}`);
    q('[data-learn-status]').textContent = status;
    q('[data-learn-floor]').textContent = floorCaption(s, runs, n);
    const shown = s.hide.includes('flip') ? runs.slice(0, 1) : runs;
    const series = shown.map((run, k) => ({ points: run.loss.map((v, i) => [i + 1, v]), cls: k, dashed: k === 1 }));
    q('[data-learn-chart]').innerHTML = lineChart({
      id: `${ctx.id}-lc`, width: chart.width, height: 240, x: [0, STEPS], y: n ? yExtent(series, 20) : [0, 1], series,
      xLabel: 'step', yLabel: 'training loss', title: 'Training loss per step, your setting and flipped',
    });
    let rows = '';
    for (let i = 0; i < n; i += 20) rows += `<tr><th scope="row">${i + 1}</th>${runs.map((r) => `<td>${fmt(r.loss[i])}</td><td>${(r.acc[i] * 100).toFixed(1)}%</td>`).join('')}</tr>`;
    q('[data-learn-table]').innerHTML = `<table><thead><tr><th scope="col">step</th><th scope="col">loss</th><th scope="col">accuracy</th><th scope="col">flipped loss</th><th scope="col">flipped accuracy</th></tr></thead><tbody>${rows}</tbody></table>`;
  }

  return {
    update(state) {
      s = state;
      const k = JSON.stringify([lossSpec(s), s.labels, s.classes, s.output]);
      if (k !== key) {
        key = k;
        reset();
      }
      return null;
    },
    visibility(visible) {
      if (visible && running && !raf && s) raf = requestAnimationFrame(frame);
      paused = !visible;
      return paused;
    },
  };
}
