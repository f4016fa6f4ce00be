// tfjs.js: `npm run bench:tfjs`, the benchmark of xent/tfjs (js/tfjs.js)
// against TensorFlow.js's own losses on the same TF.js backend (wasm: SIMD,
// one thread; cpu), in one Node process, measured round-robin after warm-up
// (bench/harness.js). Two parts:
//   1. loss + gradient alone at 4096 x 1000: tf.valueAndGrad of the loss with
//      respect to logits already in the backend, the gradient left there as a
//      training step leaves it; xent/tfjs's copies into and out of xent's
//      memory are inside the timed call. TF.js has no sparse loss: its peer
//      one-hots the integer labels (timed, as a user must; and untimed).
//   2. a training step of small models (forward, loss, gradient, update:
//      optimizer.minimize with adam of a linear softmax classifier and of a
//      two-layer MLP), same weights and data for both losses.
// Prints the tables, the ratios (TF.js time / xent/tfjs time) and the target
// (loss + gradient at least 5x faster than TF.js's own on its wasm backend).
// TF.js and the adapter come from one bundle (tests/js/tfjs-adapter-bundle.js).
//   node bench/tfjs.js [--quick] [--backend=wasm|cpu]
import os from 'node:os';
import { measure, fmtTime, table } from './harness.js';
import { loadAdapter } from '../tests/js/tfjs-adapter-bundle.js';
import { rng } from '../tests/js/reference.js';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const only = (argv.find((a) => a.startsWith('--backend=')) || '').slice(10);
const budget = quick ? { budgetMs: 400, maxSamples: 7, warmMs: 50 } : { budgetMs: 1500, maxSamples: 15, warmMs: 200 };
const BACKENDS = only ? [only] : ['wasm', 'cpu'];

const { tf, xt } = await loadAdapter();
const normal = (r) => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());

// ---- Part 1: loss + gradient at 4096 x 1000 -------------------------------------

function lossData(batch, classes) {
  const r = rng(1);
  const n = batch * classes;
  const z = Float32Array.from({ length: n }, () => 3 * normal(r));
  const labels = Int32Array.from({ length: batch }, () => Math.floor(r() * classes));
  const soft = new Float32Array(n);
  for (let b = 0; b < batch; b++) {
    let s = 0;
    for (let j = 0; j < classes; j++) s += soft[b * classes + j] = Math.exp(2 * normal(r));
    for (let j = 0; j < classes; j++) soft[b * classes + j] /= s;
  }
  const multi = Float32Array.from({ length: n }, () => (r() < 0.1 ? 1 : 0));
  return { batch, classes, z, labels, soft, multi };
}

// One timed call: value and gradient of `loss` at `logits`, the loss read back.
const valueAndGrad = (loss, logits) => () =>
  tf.tidy(() => {
    const { value } = tf.valueAndGrad(loss)(logits);
    return value.dataSync()[0];
  });

function lossPeers(d) {
  const shape = [d.batch, d.classes];
  const t = {
    z: tf.tensor(d.z, shape),
    labels: tf.tensor(d.labels, [d.batch], 'int32'),
    hot: tf.oneHot(tf.tensor(d.labels, [d.batch], 'int32'), d.classes),
    soft: tf.tensor(d.soft, shape),
    multi: tf.tensor(d.multi, shape),
  };
  const kinds = [
    {
      id: 'sparse softmax CE from logits (integer labels)',
      xent: valueAndGrad((x) => xt.sparseCategoricalCrossentropy(t.labels, x, { fromLogits: true }), t.z),
      tf: valueAndGrad((x) => tf.losses.softmaxCrossEntropy(tf.oneHot(t.labels, d.classes), x), t.z),
      tfName: 'tf.losses.softmaxCrossEntropy(tf.oneHot(labels))',
      extra: { name: 'the same, one-hot made beforehand', call: valueAndGrad((x) => tf.losses.softmaxCrossEntropy(t.hot, x), t.z) },
    },
    {
      id: 'categorical CE from logits (soft labels)',
      xent: valueAndGrad((x) => xt.categoricalCrossentropy(t.soft, x, { fromLogits: true }), t.z),
      tf: valueAndGrad((x) => tf.losses.softmaxCrossEntropy(t.soft, x), t.z),
      tfName: 'tf.losses.softmaxCrossEntropy',
    },
    {
      id: 'multi-label sigmoid CE from logits',
      xent: valueAndGrad((x) => xt.binaryCrossentropy(t.multi, x, { fromLogits: true }), t.z),
      tf: valueAndGrad((x) => tf.losses.sigmoidCrossEntropy(t.multi, x), t.z),
      tfName: 'tf.losses.sigmoidCrossEntropy',
    },
  ];
  return { kinds, dispose: () => tf.dispose(Object.values(t)) };
}

// ---- Part 2: a training step ------------------------------------------------------

const MODELS = [
  { id: 'linear softmax 64 -> 1000, batch 512', batch: 512, inputs: 64, hidden: 0, classes: 1000 },
  { id: 'MLP 32-64-10, batch 256', batch: 256, inputs: 32, hidden: 64, classes: 10 },
];

function trainPeers(m) {
  const x = tf.randomNormal([m.batch, m.inputs], 0, 1, 'float32', 3);
  const labels = tf.argMax(tf.matMul(x, tf.randomNormal([m.inputs, m.classes], 0, 1, 'float32', 4)), 1);
  const width = m.hidden || m.inputs;
  const init = [
    tf.randomNormal([width, m.classes], 0, 0.1, 'float32', 6), tf.zeros([m.classes]),
    ...(m.hidden ? [tf.randomNormal([m.inputs, m.hidden], 0, 0.1, 'float32', 5), tf.zeros([m.hidden])] : []),
  ];
  const model = (loss) => {
    const vars = init.map((v) => tf.variable(v.clone()));
    const [w, b, w1, b1] = vars;
    const opt = tf.train.adam(1e-3);
    const features = () => (m.hidden ? tf.relu(tf.add(tf.matMul(x, w1), b1)) : x);
    const logits = () => tf.add(tf.matMul(features(), w), b);
    return { step: () => tf.tidy(() => opt.minimize(() => loss(logits()), true).dataSync()[0]), dispose: () => { tf.dispose(vars); opt.dispose(); } };
  };
  const ours = model((z) => xt.sparseCategoricalCrossentropy(labels, z, { fromLogits: true }));
  const theirs = model((z) => tf.losses.softmaxCrossEntropy(tf.oneHot(labels, m.classes), z));
  return {
    xent: ours.step,
    tf: theirs.step,
    dispose: () => {
      ours.dispose();
      theirs.dispose();
      tf.dispose([x, labels, ...init]);
    },
  };
}

// ---- Run ---------------------------------------------------------------------------

async function onBackend(name) {
  const warn = console.warn;
  console.warn = () => {};
  await tf.setBackend(name);
  console.warn = warn;
}

const rows = [['backend', 'workload', 'xent/tfjs', 'TF.js', 'TF.js peer', 'TF.js / xent/tfjs']];
const targets = [];
const d = lossData(4096, 1000);
for (const backend of BACKENDS) {
  await onBackend(backend);
  const { kinds, dispose } = lossPeers(d);
  for (const k of kinds) {
    const peers = [{ name: 'xent', call: k.xent }, { name: 'tf', call: k.tf }];
    if (k.extra) peers.push({ name: 'extra', call: k.extra.call });
    const r = await measure(peers, budget);
    const [ours, theirs] = r;
    const ratio = theirs.ms / ours.ms;
    rows.push([backend, `${k.id}, 4096 x 1000, loss + grad`, fmtTime(ours.ms), fmtTime(theirs.ms), k.tfName, `${ratio.toFixed(2)}x`]);
    if (k.extra) rows.push([backend, '', '', fmtTime(r[2].ms), k.extra.name, `${(r[2].ms / ours.ms).toFixed(2)}x`]);
    if (backend === 'wasm') targets.push({ what: k.id, ratio, extra: k.extra ? r[2].ms / ours.ms : undefined });
    process.stderr.write('.');
  }
  dispose();
  for (const m of MODELS) {
    const p = trainPeers(m);
    const [ours, theirs] = await measure([{ name: 'xent', call: p.xent }, { name: 'tf', call: p.tf }], budget);
    rows.push([backend, `training step, ${m.id}`, fmtTime(ours.ms), fmtTime(theirs.ms), 'tf.losses.softmaxCrossEntropy(tf.oneHot(labels))', `${(theirs.ms / ours.ms).toFixed(2)}x`]);
    p.dispose();
    process.stderr.write('.');
  }
}
// What one copy each way costs per element: a 4096 x 1000 float32 array into another.
const src = new Float32Array(d.z);
const dst = new Float32Array(src.length);
const [copy] = await measure([{ name: 'copy', call: () => (dst.set(src), dst[7]) }], budget);
process.stderr.write('\n');

const load = os.loadavg()[0].toFixed(2);
console.log(`xent/tfjs against TF.js ${tf.version_core} on the same backend (wasm: SIMD, one thread), Node ${process.version}, ${os.cpus().length} cores, load ${load}; medians per call`);
console.log(table(rows, (c) => c >= 2 && c !== 4));
console.log(`\nOne copy of 4096 x 1000 float32 values (TypedArray.set): ${fmtTime(copy.ms)}, ${(copy.ms * 1e6 / src.length).toFixed(2)} ns per element`);
if (targets.length) {
  console.log('\nTarget: xent/tfjs loss + gradient at least 5x faster than TF.js\'s own on its wasm backend (copies included)');
  for (const t of targets) {
    const extra = t.extra === undefined ? '' : ` (${t.extra.toFixed(2)}x against the one-hot made beforehand)`;
    console.log(`  ${t.what}: ${t.ratio.toFixed(2)}x ${t.ratio >= 5 ? 'met' : 'NOT met'}${extra}`);
  }
}
