// tfjs.test.js: xent/tfjs in Debian's Chromium on TF.js's cpu, wasm and webgl
// backends (webgl runs on SwiftShader, Chromium's software GPU, with the
// flags every browser test uses). Loads the example page web/tfjs-train.html
// (TF.js by script tags from node_modules, served by the project's server;
// the wasm backend's .wasm files come from the npm package) and checks that
// its model.fit with sparse [batch, 1] targets lowers the loss; then, in the
// same page, xent/tfjs's gradient against tf.losses.softmaxCrossEntropy and
// 200 optimizer.minimize steps inside tf.tidy with tf.memory().numTensors
// unchanged. Nothing may be fetched from anywhere but the local server.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { serve } from '../../scripts/serve.js';
import { root as ROOT } from '../js/packed.js';

let server;
let browser;
let profile;
before(async () => {
  server = await serve({ port: 0 });
  profile = mkdtempSync(path.join(os.tmpdir(), 'xent-chromium-tfjs-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
after(async () => {
  if (browser) await browser.close();
  if (server) await server.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

// In the page: xent/tfjs against TF.js's own softmax cross-entropy, then a
// training loop; returns what the test asserts.
function inPage() {
  const { tf, xt } = window;
  const B = 16;
  const C = 10;
  let s = 12345;
  const rand = () => ((s = (Math.imul(s ^ (s >>> 15), 1 | s) + 0x6d2b79f5) >>> 0) / 4294967296);
  const z = Array.from({ length: B * C }, () => 8 * rand() - 4);
  const labels = Array.from({ length: B }, () => Math.floor(rand() * C));
  const check = tf.tidy(() => {
    const hot = tf.oneHot(tf.tensor1d(labels, 'int32'), C);
    const zs = tf.tensor2d(z, [B, C]);
    const ours = tf.valueAndGrad((x) => xt.sparseCategoricalCrossentropy(tf.tensor1d(labels, 'int32'), x, { fromLogits: true }))(zs);
    const theirs = tf.valueAndGrad((x) => tf.losses.softmaxCrossEntropy(hot, x))(zs);
    const g = ours.grad.dataSync();
    const w = theirs.grad.dataSync();
    let worst = 0;
    for (let i = 0; i < g.length; i++) worst = Math.max(worst, Math.abs(g[i] - w[i]) / (1e-5 * Math.abs(w[i]) + 1e-6));
    const lv = ours.value.dataSync()[0];
    const lw = theirs.value.dataSync()[0];
    return { gradExcess: worst, lossExcess: Math.abs(lv - lw) / (1e-5 * Math.abs(lw) + 1e-6) };
  });
  const x = tf.randomNormal([64, 8], 0, 1, 'float32', 5);
  const y = tf.argMax(tf.matMul(x, tf.randomNormal([8, 4], 0, 1, 'float32', 6)), 1);
  const w = tf.variable(tf.zeros([8, 4]));
  const opt = tf.train.sgd(0.5);
  const step = () => tf.tidy(() => opt.minimize(() => xt.sparseCategoricalCrossentropy(y, tf.matMul(x, w), { fromLogits: true }), true).dataSync()[0]);
  const first = step();
  const count = tf.memory().numTensors;
  let last;
  for (let i = 0; i < 200; i++) last = step();
  const after = tf.memory().numTensors;
  tf.dispose([x, y, w]);
  opt.dispose();
  return { ...check, first, last, count, after, backend: tf.getBackend() };
}

for (const backend of ['cpu', 'wasm', 'webgl']) {
  describe(`xent/tfjs in Chromium on the TF.js ${backend} backend`, () => {
    let page;
    const foreign = [];
    before(async () => {
      page = await browser.newPage();
      await page.route('**/*', (route) => {
        const url = new URL(route.request().url());
        if (url.hostname === 'localhost' || url.hostname === '127.0.0.1') return route.continue();
        foreign.push(url.href);
        return route.abort();
      });
      await page.goto(`${server.url}web/tfjs-train.html?backend=${backend}`);
      await page.waitForFunction(() => window.__xentTfjs && window.__xentTfjs.done, null, { timeout: 180000 });
    });
    after(async () => {
      if (page) await page.close();
    });

    test('the example page trains its model with model.fit and sparse targets on this backend', async () => {
      const r = await page.evaluate(() => window.__xentTfjs);
      assert.equal(r.error, null, r.error);
      assert.equal(r.backend, backend);
      assert.equal(r.losses.length, 12);
      assert.ok(r.losses.at(-1) < 0.5 * r.losses[0], `losses ${r.losses.join(', ')}`);
      assert.ok(r.accuracy > 0.9, `accuracy ${r.accuracy}`);
      assert.equal(r.numTensors.end, r.numTensors.afterFirst, 'tensors after the first epoch and at the end');
      assert.match(await page.textContent('#status'), /^Done on /);
      assert.deepEqual(foreign, []);
    });

    if (backend === 'cpu') {
      test('axe-core finds no serious or critical accessibility violations on the page', async () => {
        await page.addScriptTag({ path: path.join(ROOT, 'node_modules/axe-core/axe.min.js') });
        const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations
          .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) })));
        for (const v of violations) console.log(`# axe ${v.impact}: ${v.id} ${v.nodes.join(', ')}`);
        assert.deepEqual(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'), []);
      });
    }

    test("the gradient matches tf.losses.softmaxCrossEntropy and 200 minimize steps keep numTensors", async () => {
      const r = await page.evaluate(inPage);
      assert.equal(r.backend, backend);
      // webgl computes TF.js's side in its own float32 shaders: the same 1e-5 + 1e-6 bound.
      assert.ok(r.gradExcess <= 1 && r.lossExcess <= 1, JSON.stringify(r));
      assert.ok(r.last < 0.5 * r.first, `loss ${r.first} -> ${r.last}`);
      assert.equal(r.after, r.count);
    });
  });
}
