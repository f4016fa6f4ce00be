// loss-pages.test.js (browser): each live documentation page
// (web/losses/<family>.html) loads in Debian's chromium without console
// errors or failed requests, and its embedded explorer computes the page's
// loss: the Live example names that Keras class and the recommendation
// agrees; on the sampled losses' page the Sampled softmax panel is open and
// shows the full softmax loss, the sampled softmax and NCE estimates and
// their mean over seeds that a float64 reference computes here
// (tests/js/sampled-estimate-reference.js); the pitfall links open the
// explorer with that lesson.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as xent from '../../js/index.js';
import { start, settled } from './explorer-helpers.js';
import { FAMILIES } from '../../web/loss-pages.js';
import { C, LABEL, SEEDS, study } from '../../web/panels/sampled.js';
import { fullSoftmaxLoss, sampledLosses } from '../js/sampled-estimate-reference.js';

let env;
before(async () => {
  await xent.init();
  env = await start();
});
after(async () => env && env.close());

const EXPECT = {
  binary: /^keras\.losses\.BinaryCrossentropy\(from_logits=True\)$/,
  categorical: /^keras\.losses\.CategoricalCrossentropy\(from_logits=True\)$/,
  sparse: /^keras\.losses\.SparseCategoricalCrossentropy\(from_logits=True\)$/,
  focal: /^keras\.losses\.BinaryFocalCrossentropy\(gamma=2, from_logits=True\)$/,
};

// A number printed with `digits` significant digits is within half a unit
// of its last place of the reference.
function near(shown, want, digits, what) {
  const v = Number(shown);
  const half = 0.5 * 10 ** (Math.floor(Math.log10(Math.abs(want))) - digits + 1);
  assert.ok(Number.isFinite(v) && Math.abs(v - want) <= half + 2e-6 * Math.abs(want), `${what}: page shows ${shown}, float64 reference ${want}`);
}

async function checkSampled(page) {
  const shown = await page.evaluate(() => {
    const el = document.querySelector('xent-explorer');
    const root = el.shadowRoot;
    const text = (sel) => root.querySelector(sel)?.textContent ?? null;
    return {
      open: [...root.querySelectorAll('section.panel')].filter((p) => !p.hidden && p.querySelector('details').open).map((p) => p.dataset.part),
      full: text('[data-sfull]'), est: text('[data-sest]'), nce: text('[data-snce]'), mean: text('[data-smean]'),
      chart: root.querySelector('[data-schart] svg') !== null,
      k: el.state['sampled-num'], seed: el.state['sampled-seed'],
    };
  });
  assert.deepEqual(shown.open, ['sampled']);
  assert.equal(shown.k, 16);
  assert.ok(shown.chart, 'the bias chart is drawn');
  const s = study(xent);
  const o = { weights: s.weights, biases: s.biases, labels: s.labels, inputs: s.inputs, numClasses: C, numSampled: shown.k };
  const full = fullSoftmaxLoss(o, 0, LABEL);
  near(shown.full, full, 7, 'full softmax loss');
  near(shown.est, sampledLosses({ ...o, seed: shown.seed })[0], 7, 'sampled softmax estimate');
  near(shown.nce, sampledLosses({ ...o, seed: shown.seed, nce: true })[0], 7, 'NCE estimate');
  let mean = 0;
  for (let seed = 1000; seed < 1000 + SEEDS; seed++) mean += sampledLosses({ ...o, seed })[0] / SEEDS;
  const [m, bias] = /^(\S+) \(bias (\S+)\)$/.exec(shown.mean).slice(1);
  near(m, mean, 4, 'mean of the estimate over the seeds');
  near(bias, mean - full, 3, 'bias');
  assert.ok(mean - full < -1, `at numSampled 16 the estimate is biased low: ${mean - full}`);
}

for (const family of Object.keys(FAMILIES)) {
  const f = FAMILIES[family];
  test(`the ${family} page loads without errors and its explorer computes ${f.sampled ? 'the sampled estimates beside the full softmax loss' : f.title.split(' ')[0]}`, async () => {
    // The sampled page's explorer, below a longer text, is opened as a
    // visitor sees it: the panels its preset unfolds, and no others.
    const { page, log, context } = await env.open(`/web/losses/${family}.html`, { folded: !!f.sampled, scrollTo: 'xent-explorer' });
    await settled(page);
    assert.deepEqual(log.errors, []);
    assert.deepEqual(log.bad.filter((b) => !b.endsWith('/favicon.ico')), []);
    if (f.sampled) {
      await checkSampled(page);
    } else {
      const shown = await page.evaluate(() => {
        const root = document.querySelector('xent-explorer').shadowRoot;
        return { live: root.querySelector('[data-keras-call]').textContent, verdict: root.querySelector('[data-rec-verdict]').dataset.verdict, loss: root.querySelector('[data-loss]').textContent };
      });
      assert.match(shown.live, EXPECT[family]);
      assert.equal(shown.verdict, 'correct');
      assert.ok(Number.isFinite(Number(shown.loss)) && Number(shown.loss) > 0, shown.loss);
    }
    const first = f.pitfalls[0];
    await page.locator(`a[href="../index.html#lesson=${first}"]`).click();
    await page.waitForFunction(() => document.querySelector('xent-explorer')?.renderedAt > 0);
    await settled(page);
    assert.equal(await page.evaluate(() => document.querySelector('xent-explorer').state.lesson), first);
    await context.close();
  });
}
