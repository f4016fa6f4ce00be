// explorer-family.test.js: the explorer shows the wider family (docs/semantics.md
// "New losses"): with `loss=poly1|generalized|kl|distillation` in the URL the
// live panel calls polyLossCrossentropy, categoricalGeneralizedCrossentropy,
// klDivergence or logitsDistillation and shows the loss the JS API computes
// for the same numbers; and model.js in Node for every label encoding.
// Debian's chromium via playwright-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as xent from '../../js/index.js';
import { applyPatch, defaults } from '../../web/state.js';
import { FAMILY, evaluate, lossSpec } from '../../web/model.js';
import { start, close7 } from './explorer-helpers.js';

let env;
before(async () => {
  await xent.init();
  env = await start();
});
after(async () => env && env.close());

test('model.js runs each loss of the family on the labels it takes and falls back to cross-entropy on the others', () => {
  for (const [loss, f] of Object.entries(FAMILY)) {
    for (const labels of ['binary01', 'integer', 'onehot', 'soft', 'multihot']) {
      const s = applyPatch(defaults(), { problem: labels === 'multihot' ? 'multilabel' : labels === 'binary01' ? 'binary' : 'multiclass', labels, loss });
      const spec = lossSpec(s);
      assert.equal(spec.fn === f.fn, f.labels.includes(labels), `${loss} with ${labels}: ${spec.fn}`);
      const n = s.batch;
      const u = labels === 'binary01' ? 1 : s.classes;
      const z = Float32Array.from({ length: n * u }, (_, i) => Math.sin(i + 1) * 3);
      const targets = labels === 'integer' || labels === 'onehot' ? [0, 2] : Array.from({ length: n * u }, (_, i) => ((i % u) + 1) / ((u * (u + 1)) / 2));
      const r = evaluate(xent, s, z, targets, n);
      assert.ok(Number.isFinite(r.loss), `${loss} with ${labels}: loss ${r.loss}`);
      assert.ok(r.gradZ.every(Number.isFinite));
    }
  }
});

test('the live panel shows poly-1, generalized CE, KL divergence and distillation as the JS API computes them', async () => {
  const cases = [
    ['labels=onehot&output=logits&loss=poly1&epsilon=1.5', 'polyLossCrossentropy'],
    ['labels=integer&output=softmax&from-logits=false&loss=generalized&q=0.7', 'categoricalGeneralizedCrossentropy'],
    ['labels=soft&output=softmax&from-logits=false&loss=kl', 'klDivergence'],
    ['labels=soft&output=logits&loss=distillation&temperature=2', 'logitsDistillation'],
  ];
  for (const [hash, fn] of cases) {
    const { page, context } = await env.open(`/web/index.html#${hash}`);
    const shown = await page.evaluate(() => {
      const el = document.querySelector('xent-explorer');
      const root = el.shadowRoot;
      return { call: root.querySelector('[data-call]').textContent, loss: root.querySelector('[data-loss]').textContent, state: el.state };
    });
    assert.ok(shown.call.startsWith(`xent.${fn}(`), `${hash}: ${shown.call}`);
    const s = shown.state;
    const n = s.batch;
    const u = s.classes;
    const z = Float32Array.from(s.logits.slice(0, n * u));
    const want = evaluate(xent, s, z, s.targets, n).loss;
    close7(shown.loss, want, `${fn} loss`);
    await context.close();
  }
});
