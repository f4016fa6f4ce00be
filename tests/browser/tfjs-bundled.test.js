// tfjs-bundled.test.js: xent/tfjs as a bundler ships it to a browser. One app
// that imports '@tensorflow/tfjs-core' (with its gradients), the cpu, webgl and
// wasm backends and xent/tfjs (js/tfjs.js) is bundled by esbuild for the
// browser, so the adapter's import of '@tensorflow/tfjs-core' resolves to the
// app's own copy (the bundle must hold exactly one), and runs in Debian's
// Chromium on each backend: the value and gradient of xent/tfjs's sparse and
// sigmoid losses against TF.js's softmaxCrossEntropy and sigmoidCrossEntropy,
// and 200 optimizer.minimize steps inside tf.tidy with numTensors unchanged.
// The bundle and the wasm backend's .wasm files (from the npm package) are
// served from memory and disk by the test itself; nothing else is fetched.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import * as esbuild from 'esbuild';
import { root } from '../js/packed.js';

const ORIGIN = 'http://xent-tfjs.test';
const WASM_DIR = path.join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');

const APP = `import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as xt from './js/tfjs.js';

setWasmPaths('${ORIGIN}/wasm/');
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);

window.run = async (backend) => {
  if (!(await tf.setBackend(backend))) throw new Error('no ' + backend + ' backend');
  const B = 32, C = 10;
  let s = 99;
  const rand = () => ((s = (Math.imul(s ^ (s >>> 15), 1 | s) + 0x6d2b79f5) >>> 0) / 4294967296);
  const z = Array.from({ length: B * C }, () => 8 * rand() - 4);
  const labels = Array.from({ length: B }, () => Math.floor(rand() * C));
  const multi = Array.from({ length: B * C }, () => (rand() < 0.2 ? 1 : 0));
  const excess = (a, b) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]) / (1e-5 * Math.abs(b[i]) + 1e-6)), 0);
  const pair = (ours, theirs) => tf.tidy(() => {
    const x = tf.tensor2d(z, [B, C]);
    const a = tf.valueAndGrad(ours)(x);
    const b = tf.valueAndGrad(theirs)(x);
    return Math.max(excess(a.value.dataSync(), b.value.dataSync()), excess(a.grad.dataSync(), b.grad.dataSync()));
  });
  const sparse = pair(
    (x) => xt.sparseCategoricalCrossentropy(tf.tensor1d(labels, 'int32'), x, { fromLogits: true }),
    (x) => tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d(labels, 'int32'), C), x));
  const sigmoid = pair(
    (x) => xt.binaryCrossentropy(tf.tensor2d(multi, [B, C]), x, { fromLogits: true }),
    (x) => tf.losses.sigmoidCrossEntropy(tf.tensor2d(multi, [B, C]), x));
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
  return { backend: tf.getBackend(), sparse, sigmoid, first, last, count, after, same: xt.tf.engine() === tf.engine() };
};
`;

let code;
let browser;
let profile;
before(async () => {
  const r = await esbuild.build({
    stdin: { contents: APP, resolveDir: root, loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  code = r.outputFiles[0].text;
  profile = mkdtempSync(path.join(os.tmpdir(), 'xent-chromium-tfjs-bundled-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
after(async () => {
  if (browser) await browser.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

test('the browser bundle of an app and xent/tfjs holds one copy of tfjs-core', () => {
  const marker = 'The f passed in customGrad(f) must be a function';
  assert.equal(code.split(marker).length - 1, 1);
});

for (const backend of ['cpu', 'wasm', 'webgl']) {
  test(`bundled, on the ${backend} backend: gradients match TF.js's losses and 200 steps keep numTensors`, async () => {
    const page = await browser.newPage();
    const foreign = [];
    await page.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.origin !== ORIGIN) {
        foreign.push(url.href);
        return route.abort();
      }
      if (url.pathname === '/') return route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>xent/tfjs bundle</title><script type="module" src="/app.js"></script>' });
      if (url.pathname === '/app.js') return route.fulfill({ contentType: 'text/javascript', body: code });
      const wasm = /^\/wasm\/(tfjs-backend-wasm[a-z-]*\.wasm)$/.exec(url.pathname);
      if (wasm) return route.fulfill({ contentType: 'application/wasm', body: readFileSync(path.join(WASM_DIR, wasm[1])) });
      return route.fulfill({ status: 404, body: 'not found' });
    });
    try {
      await page.goto(`${ORIGIN}/`);
      await page.waitForFunction(() => typeof window.run === 'function', null, { timeout: 60000 });
      const r = await page.evaluate((b) => window.run(b), backend);
      assert.equal(r.backend, backend);
      assert.equal(r.same, true);
      assert.ok(r.sparse <= 1 && r.sigmoid <= 1, JSON.stringify(r));
      assert.ok(r.last < 0.5 * r.first, `loss ${r.first} -> ${r.last}`);
      assert.equal(r.after, r.count);
      assert.deepEqual(foreign, []);
    } finally {
      await page.close();
    }
  });
}
