// formula.test.js (browser): the formula strip of the Live example, in
// Debian's chromium: for states across the loss families, each example's
// written-out loss and the reduced loss agree with the numbers xent computes
// on the page (the Live example's outputs) and with a float64 recomputation
// written here from docs/semantics.md 2.3-2.8; the printed arithmetic holds
// (−log of the printed p is the printed loss); the smoothed row's floor is its
// entropy; the gradient bars are labelled p − y with the reduction's scale.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, settled, readLive } from './explorer-helpers.js';

let env;
before(async () => { env = await start(); });
after(async () => env && env.close());

const logSumExp = (r) => { const m = Math.max(...r); return m + Math.log(r.reduce((a, v) => a + Math.exp(v - m), 0)); };
const softplus = (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
const f32 = (a) => a.map(Math.fround);

// Independent float64 losses per example for the plain cases (from logits).
const CASES = [
  { hash: '#problem=multiclass&labels=integer&batch=3&classes=4&logits=2,-1,0.5,1.2,0.8,-0.7,0.4,3,-2,1,0,0.25&targets=0,3,1',
    ref: (z) => [0, 1, 2].map((i) => logSumExp(z.slice(i * 4, i * 4 + 4)) - z[i * 4 + [0, 3, 1][i]]), grad: '(p − y) / 3' },
  { hash: '#problem=binary&labels=binary01&batch=4&logits=1.5,-0.5,3,-2&targets=1,0,0,1',
    ref: (z) => z.map((x, i) => softplus(x) - x * [1, 0, 0, 1][i]), grad: '(p − y) / 4' },
  { hash: '#problem=multiclass&labels=onehot&batch=2&classes=3&logits=8,-2,-2,0.5,1,-1&targets=0,1&label-smoothing=0.3',
    ref: (z) => [0, 1].map((i) => { const y = [0.1, 0.1, 0.1]; y[[0, 1][i]] = 0.8; const r = z.slice(i * 3, i * 3 + 3); return y.reduce((a, v, j) => a + v * (logSumExp(r) - r[j]), 0); }),
    grad: '(p − y) / 2', floor: -(0.8 * Math.log(0.8) + 0.2 * Math.log(0.1)) },
  { hash: '#problem=multilabel&labels=multihot&batch=2&classes=3&logits=1,-1,2,0.5,0.5,-3&targets=1,0,1,0,1,0&reduction=sum',
    ref: (z) => [0, 1].map((i) => [0, 1, 2].reduce((a, j) => a + softplus(z[i * 3 + j]) - z[i * 3 + j] * [1, 0, 1, 0, 1, 0][i * 3 + j], 0) / 3), grad: '(p − y) / 3' },
];

test('the strip\'s per-example and reduced losses equal the page\'s numbers and a float64 recomputation, and its arithmetic holds', async () => {
  const { page, log, context } = await env.open('/web/index.html');
  for (const c of CASES) {
    await page.evaluate((h) => { location.hash = h; }, c.hash);
    await settled(page);
    await settled(page);
    const live = await readLive(page);
    const strip = await page.evaluate(() => {
      const root = document.querySelector('xent-explorer').shadowRoot;
      return {
        ex: [...root.querySelectorAll('[data-formula-ex]')].map((li) => ({ f64: Number(li.dataset.f64), text: li.querySelector('.fx-loss').textContent, probs: li.querySelector('.fx-probs').textContent })),
        total: Number(root.querySelector('[data-formula-total]').dataset.f64),
        totalText: root.querySelector('[data-formula-total]').textContent,
        grad: root.querySelector('[data-formula-grad]').textContent,
        legend: root.querySelector('[data-grad-label]').textContent,
        floor: [...root.querySelectorAll('[data-formula-floor]')].map((e) => Number(e.dataset.f64)),
      };
    });
    const z = f32(live.z);
    const ref = c.ref(z);
    assert.equal(strip.ex.length, ref.length, c.hash);
    strip.ex.forEach((e, i) => {
      const page32 = Number(live.losses[i]);
      assert.ok(Math.abs(e.f64 - ref[i]) <= 1e-12 * Math.max(1, ref[i]), `${c.hash} example ${i}: strip ${e.f64} vs float64 ${ref[i]}`);
      assert.ok(Math.abs(e.f64 - page32) <= 2e-6 * Math.max(page32, 1e-3), `${c.hash} example ${i}: strip ${e.f64} vs page ${page32}`);
      const shown = Number(e.text.split(' = ').pop());
      assert.ok(Math.abs(shown - ref[i]) <= 5e-4 * Math.max(ref[i], 1e-3), `${c.hash} example ${i}: printed ${shown}`);
      const m = /^−log p_\d+ = −log ([\d.e-]+) = /.exec(e.text);
      if (m) assert.ok(Math.abs(-Math.log(Number(m[1])) - shown) <= 5e-4 * Math.max(shown, 0.01), `−log ${m[1]} = ${shown}`);
    });
    const total = ref.reduce((a, b) => a + b, 0) / (c.hash.includes('reduction=sum') ? 1 : ref.length);
    assert.ok(Math.abs(strip.total - total) <= 1e-12 * Math.max(1, total), `${c.hash}: total`);
    assert.ok(Math.abs(strip.total - Number(live.loss)) <= 2e-6 * Number(live.loss), `${c.hash}: total vs page ${live.loss}`);
    assert.match(strip.totalText, new RegExp(`= ${String(Number(total.toPrecision(4))).replace('.', '\\.')}$`));
    assert.equal(strip.grad, `Gradient bars: ∂loss/∂z = ${c.grad}`);
    assert.equal(strip.legend, `= ${c.grad}`);
    if (c.floor) for (const f of strip.floor) assert.ok(Math.abs(f - c.floor) < 1e-12, `floor ${f} vs ${c.floor}`);
  }
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('the strip writes the activation out: a double softmax shows softmax(softmax(z)), probabilities show the clip', async () => {
  const { page, context } = await env.open('/web/index.html#lesson=double-activation');
  let probs = await page.locator('xent-explorer .fx-probs').first().textContent();
  assert.match(probs, /^p = softmax\(softmax\(z\)\) = softmax\(\[0\.9951, 0\.002467, 0\.002467\]\) = \[/);
  await page.evaluate(() => { location.hash = '#lesson=prefer-logits'; });
  await settled(page);
  await settled(page);
  probs = await page.locator('xent-explorer .fx-probs').first().textContent();
  assert.match(probs, /^p = clip\(softmax\(z\)\) \/ Σ clip\(softmax\(z\)\)/);
  const text = await page.locator('xent-explorer .fx-loss').first().textContent();
  // 1e-7 / (sum of the clipped row): rounded, so written with four digits.
  assert.match(text, /^−log p_1 = −log 1\.000e-7 = 16\.12$/, 'the clipped probability is 1e-7 after normalising');
  assert.match(await page.locator('xent-explorer [data-formula-grad]').textContent(), /∂loss\/∂p \(the loss takes probabilities: 0 where p is clipped\)/);
  await context.close();
});
