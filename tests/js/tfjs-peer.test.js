// tfjs-peer.test.js: how xent/tfjs (js/tfjs.js) finds TensorFlow.js. It
// imports the user's '@tensorflow/tfjs-core' (an optional peer dependency):
// under Node's own resolution it is the very module the user imports; a
// bundle of user code and xent/tfjs holds one copy of tfjs-core; the packed
// package installed without TF.js loads `xent` as before, and importing
// `xent/tfjs` there fails with an error saying what to install. Values are
// checked against the float64 reference (reference.js).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packAndInstall, root } from './packed.js';
import * as ref from './reference.js';

let pkg;
const temps = [];
before(() => {
  pkg = packAndInstall('xent-tfjs-peer-');
});
after(() => {
  if (pkg) pkg.cleanup();
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

test("under Node's resolution xent/tfjs uses the very '@tensorflow/tfjs-core' module the caller imports", async () => {
  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-cpu');
  const xt = await import('../../js/tfjs.js');
  assert.equal(xt.tf.customGrad, tf.customGrad);
  assert.equal(xt.tf.engine(), tf.engine());
  tf.env().set('PROD', true);
  const warn = console.warn;
  console.warn = () => {};
  try {
    await tf.setBackend('cpu');
  } finally {
    console.warn = warn;
  }
  // Only the adapter's own op is on the tape, so this needs no registered gradients.
  const z = [2, -1, 0.5, 0, 3, -2];
  const { value, grad } = tf.valueAndGrad((x) => xt.sparseCategoricalCrossentropy(tf.tensor([2, 0], [2], 'int32'), x, { fromLogits: true }))(tf.tensor(z, [2, 3]));
  const want = ref.sparseCategoricalCrossentropy([2, 0], z, 2, 3, { fromLogits: true });
  assert.ok(ref.deviation(value.dataSync(), [want.loss], 1e-6, 1e-7).excess <= 1);
  assert.ok(ref.deviation(grad.dataSync(), want.grad, 1e-6, 1e-7).excess <= 1);
});

test('a bundle of user code and xent/tfjs holds one copy of tfjs-core, and runs', async () => {
  const esbuild = await import('esbuild');
  const entry = `import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as xt from './js/tfjs.js';
tf.env().set('PROD', true);
await tf.setBackend('cpu');
const loss = xt.categoricalCrossentropy(tf.tensor([[0, 1, 0]]), tf.tensor([[1, 2, 3]]), { fromLogits: true });
console.log(JSON.stringify({ loss: loss.dataSync()[0], same: xt.tf.engine() === tf.engine() }));
`;
  const r = await esbuild.build({
    stdin: { contents: entry, resolveDir: root, loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    mainFields: ['module', 'main'],
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    write: false,
    logLevel: 'silent',
  });
  const code = r.outputFiles[0].text;
  // A message written once in tfjs-core's engine.
  const marker = 'The f passed in customGrad(f) must be a function';
  assert.equal(code.split(marker).length - 1, 1, 'copies of tfjs-core in the bundle');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xent-tfjs-bundle-'));
  temps.push(dir);
  writeFileSync(path.join(dir, 'app.mjs'), code);
  const out = JSON.parse(execFileSync(process.execPath, [path.join(dir, 'app.mjs')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n').at(-1));
  const want = ref.categoricalCrossentropy([0, 1, 0], [1, 2, 3], 1, 3, { fromLogits: true }).loss;
  assert.ok(Math.abs(out.loss - want) <= 1e-6 * want, `loss ${out.loss}, reference ${want}`);
  assert.equal(out.same, true);
});

test('the packed package declares the ./tfjs export with its types and TF.js as an optional peer', () => {
  const manifest = JSON.parse(readFileSync(path.join(pkg.dir, 'node_modules/xent/package.json'), 'utf8'));
  assert.deepEqual(manifest.exports['./tfjs'], { types: './js/tfjs.d.ts', default: './js/tfjs.js' });
  assert.ok(pkg.files.includes('js/tfjs.js') && pkg.files.includes('js/tfjs.d.ts'));
  assert.ok(manifest.peerDependencies['@tensorflow/tfjs-core']);
  assert.equal(manifest.peerDependenciesMeta['@tensorflow/tfjs-core'].optional, true);
  assert.equal(existsSync(path.join(pkg.dir, 'node_modules/@tensorflow')), false, 'npm installed no TF.js');
});

test('without TF.js installed, xent loads and xent/tfjs fails with an error that says what to install', () => {
  const run = (code) => {
    try {
      return { out: execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: pkg.dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
    } catch (e) {
      return { err: String(e.stderr) };
    }
  };
  const main = run("const x = await import('xent'); await x.init(); console.log(x.sparseCategoricalCrossentropy([1], [[0, 0]], { fromLogits: true }).loss);");
  assert.equal(main.err, undefined, main.err);
  assert.ok(Math.abs(Number(main.out) - Math.LN2) < 1e-6);
  const adapter = run("await import('xent/tfjs');");
  assert.match(adapter.err, /xent\/tfjs: cannot import '@tensorflow\/tfjs-core'/);
  assert.match(adapter.err, /npm install @tensorflow\/tfjs-core/);
});
