// story.test.js (browser): the explorer's fixes that only a page shows, in
// Debian's chromium through playwright-core: a paste that stops parsing
// clears the old diagnosis and its button; one prediction per example is read
// as a 0/1 column (short or long, under the default settings); an inspect
// error reads once; the numerics box names bad, empty, comma and out-of-range
// input and the table says which z it shows; training ends with "Train
// again", and a double softmax is captioned with its loss floor and its
// smaller gradients; the verdict badge, the URL hash, the Classes select and
// the label-smoothing slider agree with the state; multi-label one-hot rows
// are computed and named as binary cross-entropy; the Choose panel disables
// what the Live example does not apply. Expected numbers come from
// the JS API or from formulas written here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as xent from '../../js/index.js';
import { recommend } from '../../js/recommend.js';
import { start, close7, settled } from './explorer-helpers.js';

let env;
before(async () => {
  await xent.init();
  env = await start();
});
after(async () => env && env.close());

const shadow = (page, fn, arg) => page.evaluate(([f, a]) => new Function('root', 'arg', f)(document.querySelector('xent-explorer').shadowRoot, a), [fn, arg]);

test('paste: a parse error clears the previous diagnosis and its "use what inspect sees" button', async () => {
  const { page, context } = await env.open('/web/index.html');
  const el = (sel) => page.locator(`xent-explorer ${sel}`);
  await el('[data-pl]').fill('[[1, 0, 0], [0, 1, 0]]');
  await el('[data-pp]').fill('[[2.0, -1.0, 0.5], [0.1, 0.2, 3.0]]');
  await settled(page);
  assert.equal(await el('[data-seen-labels]').textContent(), 'onehot');
  assert.equal(await el('[data-adopt]').count(), 1, 'the clash offers the button');
  await el('[data-pp]').fill('[[2.0, -1.0, 0.5], [0.1, 0.2');
  await settled(page);
  assert.match(await el('[data-paste-out] .error').textContent(), /^Predictions: unbalanced brackets/);
  assert.equal(await el('[data-adopt]').count(), 0, 'no button acts on the old arrays');
  assert.equal(await el('[data-seen]').textContent(), '', 'the old diagnosis is gone');
  await context.close();
});

test('paste: 1-D 0/1 labels with 1-D logits are one column of 0/1 labels, short or long, under the default settings', async () => {
  const { page, context } = await env.open('/web/index.html');
  const el = (sel) => page.locator(`xent-explorer ${sel}`);
  assert.equal((await page.evaluate(() => document.querySelector('xent-explorer').state)).labels, 'integer', 'default settings');
  for (const n of [4, 40]) {
    const y = Array.from({ length: n }, (_, i) => (i * 7) % 3 === 0 ? 1 : 0);
    const z = n === 4 ? [2, -1.5, -0.25, 3] : Array.from({ length: n }, (_, i) => Math.round((Math.sin(i) * 4) * 100) / 100);
    await el('[data-pl]').fill(`[${y.join(', ')}]`);
    await el('[data-pp]').fill(`array([${z.join(', ')}], dtype=float32)`);
    await settled(page);
    assert.equal(await el('[data-seen-labels]').textContent(), 'binary01', `n=${n}: not multi-hot`);
    assert.equal(await el('[data-seen-output]').textContent(), 'logits');
    assert.match(await el('[data-paste-reading]').textContent(), new RegExp(`read as ${n} examples with one output column`));
    const api = xent.binaryCrossentropy(Float32Array.from(y), Float32Array.from(z), { fromLogits: true, shape: [n, 1] });
    close7(await el('[data-paste-loss]').textContent(), api.loss, `n=${n} pasted loss`);
    const ref = y.reduce((a, t, i) => { const x = Math.fround(z[i]); return a + Math.max(x, 0) - x * t + Math.log1p(Math.exp(-Math.abs(x))); }, 0) / n;
    close7(await el('[data-paste-loss]').textContent(), ref, `n=${n} vs float64`);
  }
  await context.close();
});

test('paste: an inspect error is reported once, without a doubled "inspect:"', async () => {
  const { page, context } = await env.open('/web/index.html');
  await page.locator('xent-explorer [data-pl]').fill('[0, 1, 2, 0, 1]');
  await page.locator('xent-explorer [data-pp]').fill('[[1, 2], [3, 4]]');
  await settled(page);
  const text = await page.locator('xent-explorer [data-seen]').textContent();
  assert.match(text, /^inspect: yTrue has shape/);
  assert.doesNotMatch(text, /inspect: inspect:/);
  await context.close();
});

test('numerics: NaN, words, a decimal comma and an empty box are named; 1e400 is clamped with a note', async () => {
  const { page, context } = await env.open('/web/index.html');
  const box = page.locator('xent-explorer [data-nz]');
  const caption = () => page.locator('xent-explorer [data-ntable] caption').textContent();
  const msg = page.locator('xent-explorer [data-nz-msg]');
  assert.match(await caption(), /at z = -200,/);
  for (const [text, re] of [['NaN', /"NaN" is not a number/], ['abc', /"abc" is not a number/], ['1,5', /decimal comma: write 1\.5/], ['', /Type a number/]]) {
    await box.fill(text);
    await box.press('Enter');
    await settled(page);
    assert.match(await msg.textContent(), re, text);
    assert.match(await msg.textContent(), /The table still shows z = -200\./);
    assert.equal(await box.getAttribute('aria-invalid'), 'true');
    assert.match(await caption(), /at z = -200,/, `${JSON.stringify(text)} does not change the table silently`);
  }
  await box.fill('1e400');
  await box.press('Enter');
  await settled(page);
  assert.match(await msg.textContent(), /beyond ±1e30/);
  assert.match(await caption(), /at z = 1e\+30,/);
  await box.fill('2.5');
  await box.press('Enter');
  await settled(page);
  assert.equal(await msg.isHidden(), true);
  assert.equal(await box.getAttribute('aria-invalid'), 'false');
  assert.match(await caption(), /at z = 2\.5,/);
  await context.close();
});

test('learn: after the last step the button offers "Train again"; a double softmax is captioned with its loss floor and smaller gradients', async () => {
  const { page, context } = await env.open('/web/index.html#problem=multiclass&labels=integer&output=softmax&from-logits=true&classes=3');
  const el = (sel) => page.locator(`xent-explorer ${sel}`);
  await el('[data-train]').click();
  await page.waitForFunction(() => /step 240\//.test(document.querySelector('xent-explorer').shadowRoot.querySelector('[data-learn-status]').textContent), null, { timeout: 30000 });
  assert.equal(await el('[data-train]').textContent(), 'Train again');
  assert.match(await el('[data-learn-status]').textContent(), /^finished, step 240\/240/);
  const caption = await el('[data-learn-floor]').textContent();
  const floor = Math.log(Math.E + 2) - 1; // a perfect 3-class prediction through a second softmax
  const m = /Your setting applies the softmax twice .*can never go below ([\d.]+), and its gradients average ([\d.]+)× those of the flipped setting/.exec(caption);
  assert.ok(m, caption);
  assert.ok(Math.abs(Number(m[1]) - floor) < 1e-4, `floor ${m[1]} vs ${floor}`);
  assert.ok(Number(m[2]) < 1, `smaller gradients: ratio ${m[2]}`);
  const last = Number(/loss ([\d.]+) \(flipped/.exec(await el('[data-learn-status]').textContent())[1]);
  assert.ok(last > floor, `the double-softmax loss ${last} stays above its floor ${floor}`);
  // "Train again" starts a new run from step 0.
  await el('[data-train]').click();
  await el('[data-train]').click();
  const status = await el('[data-learn-status]').textContent();
  assert.ok(/step (\d+)\//.exec(status) === null || Number(/step (\d+)\//.exec(status)[1]) < 240, status);
  await context.close();
});

test('the badge, the URL hash, the Classes select and the smoothing slider agree with the state at once', async () => {
  const { page, context } = await env.open('/web/index.html#problem=binary&labels=binary01&output=sigmoid&from-logits=true&label-smoothing=0.8');
  const el = (sel) => page.locator(`xent-explorer ${sel}`);
  const want = recommend({ problem: 'binary', labels: 'binary01', output: 'sigmoid', fromLogits: true, numClasses: 2, outputUnits: 1, noisyLabels: true });
  assert.equal(want.verdict, 'invalid');
  assert.equal(await el('[data-rec-verdict]').textContent(), `your setup ${want.verdictText}`);
  assert.equal(await el('[data-rec-verdict]').getAttribute('data-verdict'), 'invalid');
  assert.equal(await el('select[data-key="classes"]').inputValue(), '2', '0/1 labels: two classes');
  assert.equal(await el('select[data-key="classes"]').isDisabled(), true);
  assert.equal(await el('input[data-key="label-smoothing"]').getAttribute('max'), '1');
  assert.equal(await el('input[data-key="label-smoothing"]').inputValue(), '0.8', 'the slider reaches what the URL allows');
  // The hash follows the input at the next frame, not 400 ms later.
  const hash = await page.evaluate(() => new Promise((ok) => {
    const x = document.querySelector('xent-explorer');
    x.output = 'logits';
    x.batch = 3;
    requestAnimationFrame(() => requestAnimationFrame(() => ok(location.hash)));
  }));
  assert.match(hash, /batch=3/);
  assert.doesNotMatch(hash, /output=sigmoid/);
  assert.equal(await shadow(page, 'return root.querySelector("[data-rec-verdict]").dataset.verdict'), 'correct');
  await context.close();
});

test('multi-label with one-hot rows: the Live example computes and names the binary cross-entropy the recommendation names', async () => {
  const { page, context } = await env.open('/web/index.html#problem=multilabel&labels=onehot&output=logits&from-logits=true&classes=3&batch=2&logits=1,-2,0.5,0.3,2,-1&targets=0,2');
  const el = (sel) => page.locator(`xent-explorer ${sel}`);
  assert.equal(await el('[data-rec-class]').textContent(), 'keras.losses.BinaryCrossentropy(from_logits=True)');
  assert.equal(await el('[data-keras-call]').textContent(), 'keras.losses.BinaryCrossentropy(from_logits=True)');
  const y = Float32Array.of(1, 0, 0, 0, 0, 1);
  const z = Float32Array.of(1, -2, 0.5, 0.3, 2, -1);
  const api = xent.binaryCrossentropy(y, z, { fromLogits: true, shape: [2, 3] });
  close7(await el('[data-loss]').textContent(), api.loss, 'live loss vs binary cross-entropy on one-hot rows');
  let ref = 0;
  for (let k = 0; k < 6; k++) ref += Math.max(z[k], 0) - z[k] * y[k] + Math.log1p(Math.exp(-Math.abs(z[k])));
  close7(await el('[data-loss]').textContent(), ref / 6, 'live loss vs float64');
  await context.close();
});

test('the Choose panel disables exactly the options the Live example does not apply, and says why', async () => {
  const { page, context } = await env.open('/web/index.html#problem=multiclass&labels=integer&output=logits&label-smoothing=0.3');
  const el = (sel) => page.locator(`xent-explorer ${sel}`);
  assert.equal(await el('input[data-key="label-smoothing"]').isDisabled(), true);
  assert.equal(await el('input[data-key="focal"]').isDisabled(), true);
  assert.equal(await el('select[data-key="ignore-class"]').isDisabled(), false);
  assert.match(await el('[data-why]').textContent(), /SparseCategoricalCrossentropy has no label_smoothing/);
  assert.match(await el('[data-rec-code]').textContent(), /Not applied: label-smoothing/);
  assert.doesNotMatch(await el('[data-keras-call]').textContent(), /label_smoothing/);
  await context.close();
});
