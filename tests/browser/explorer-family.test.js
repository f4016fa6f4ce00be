// explorer-family.test.js: the Live panel shows the same examples under the
// wider family (docs/semantics.md "New losses"): poly-1, generalized
// cross-entropy, KL divergence and distillation, as model.js familyLosses
// computes them through the JS API, for the label encodings each takes.
// model.js in Node, and the page in Debian's chromium via playwright-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as xent from '../../js/index.js';
import { applyPatch, defaults } from '../../web/state.js';
import { familyLosses } from '../../web/model.js';
import { start, close7 } from './explorer-helpers.js';

let env;
before(async () => {
  await xent.init();
  env = await start();
});
after(async () => env && env.close());

test('familyLosses gives poly-1 and generalized CE for class labels, poly-1, KL and distillation for rows, nothing for other problems', () => {
  const names = (patch) => {
    const s = applyPatch(defaults(), patch);
    return familyLosses(xent, s, Float32Array.from(s.logits), s.batch).map((f) => f.call.match(/xent\.(\w+)/)[1]);
  };
  assert.deepEqual(names({ problem: 'multiclass', labels: 'integer' }), ['polyLossCrossentropy', 'categoricalGeneralizedCrossentropy']);
  assert.deepEqual(names({ problem: 'multiclass', labels: 'onehot' }), ['polyLossCrossentropy', 'categoricalGeneralizedCrossentropy', 'klDivergence', 'logitsDistillation']);
  assert.deepEqual(names({ problem: 'multiclass', labels: 'soft' }), ['polyLossCrossentropy', 'klDivergence', 'logitsDistillation']);
  assert.deepEqual(names({ problem: 'multilabel', labels: 'multihot' }), []);
  assert.deepEqual(names({ problem: 'binary', labels: 'binary01' }), []);
  // Soft targets (0.7 on one class): the distillation and KL values are the API's on the same numbers.
  const s = applyPatch(defaults(), { problem: 'multiclass', labels: 'soft', batch: 2, classes: 3 });
  const z = Float32Array.from(s.logits);
  const y = Float32Array.from(s.targets);
  const f = familyLosses(xent, s, z, 2);
  const kd = xent.logitsDistillation(y.map((v) => Math.log(Math.max(v, 1e-30))), z, { shape: [2, 3], temperature: 3 }).loss;
  assert.equal(f.find((x) => x.call.includes('logitsDistillation')).loss, kd);
});

test('the Live panel shows the family beside the loss, with the values the JS API computes', async () => {
  for (const hash of ['labels=integer&output=logits', 'labels=soft&output=softmax&from-logits=false', 'problem=multiclass&labels=onehot&output=logits&batch=3&classes=4']) {
    const { page, context } = await env.open(`/web/index.html#${hash}`);
    const shown = await page.evaluate(() => {
      const el = document.querySelector('xent-explorer');
      const spans = [...el.shadowRoot.querySelectorAll('[data-family-loss]')];
      return { state: el.state, values: spans.map((x) => [x.dataset.familyLoss, x.querySelector('output').textContent]) };
    });
    const s = shown.state;
    const want = familyLosses(xent, s, Float32Array.from(s.logits), s.batch);
    assert.equal(shown.values.length, want.length, hash);
    for (const [i, [fn, text]] of shown.values.entries()) {
      assert.ok(want[i].call.startsWith(`xent.${fn}(`), `${hash}: ${fn}`);
      close7(text, want[i].loss, `${hash} ${fn}`);
    }
    await context.close();
  }
});
