// sampled.js: `node bench/sampled.js [--quick]`, the huge-vocabulary case of
// the benchmark (docs/semantics.md section 3.5): one training step at
// 100 000 classes, dim 128, batch 256, measured round-robin in this one process
// (bench/harness.js):
//   - xent.sampledSoftmaxLoss and xent.nceLoss, numSampled 64, loss + sparse
//     gradients (inputs, touched weight rows, biases); the weight table and the
//     biases are xent tensors, so nothing of the 51 MB table is copied;
//   - the full softmax at its best in JS: all 25.6M logits by TensorFlow.js's
//     matMul on its wasm backend (XNNPACK, SIMD, one thread, bench/peers.js)
//     plus the biases, xent.sparseSoftmaxCrossEntropyWithLogits with the
//     gradient G, and (for a training step) the two backward matMuls,
//     d inputs = G W and the dense d weights, kept transposed as
//     inputs^T G. The table is also kept transposed for the forward product,
//     so that every matMul is a plain one: TF.js's wasm matMul with a
//     transposed operand measured 5-8x slower here.
// Prints the medians and the speed-up of the sampled step over the full one.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { measure, fmtTime, table } from './harness.js';
import { loadTf } from './peers.js';
import { rng } from '../tests/js/reference.js';
import * as xent from '../js/index.js';

const quick = process.argv.includes('--quick');
const C = 100000;
const D = 128;
const B = 256;
const S = 64;

export async function hugeVocabulary() {
  await xent.init();
  const r = rng(3);
  const normal = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const W = xent.tensor([C, D]);
  const bias = xent.tensor([C]);
  W.data.set(Float32Array.from({ length: C * D }, () => 0.05 * normal()));
  bias.data.set(Float32Array.from({ length: C }, () => 0.01 * normal()));
  const inputs = Float32Array.from({ length: B * D }, () => normal());
  // Zipf-like labels: frequent classes have small ids, as the sampler assumes.
  const labels = Int32Array.from({ length: B }, () => Math.floor(Math.exp(r() * Math.log(C + 1))) - 1);

  let step = 0;
  const sampledStep = (fn) => () => {
    const out = fn({ weights: W, biases: bias, labels, inputs, numSampled: S, numClasses: C, seed: step++, gradient: true });
    return out.losses[0] + out.grad.weights[0];
  };

  const { tf, version } = await loadTf();
  await tf.setBackend('wasm');
  const tW = tf.tensor2d(W.data, [C, D]);
  const tWT = tf.transpose(tW);
  const tb = tf.tensor1d(bias.data);
  const logitsOut = xent.tensor([B, C]);
  const gradOut = new Float32Array(B * C);
  // One full-softmax training step, its forward part timed on the way.
  const fullStep = () => {
    const t0 = performance.now();
    const x = tf.tensor2d(inputs, [B, D]);
    const z = tf.matMul(x, tWT);
    const zb = tf.add(z, tb);
    logitsOut.data.set(zb.dataSync());
    const res = xent.sparseSoftmaxCrossEntropyWithLogits(labels, logitsOut, { gradient: true, out: { grad: gradOut } });
    const t1 = performance.now();
    const g = tf.tensor2d(res.grad, [B, C]);
    const dX = tf.matMul(g, tW);
    const xT = tf.transpose(x);
    const dWT = tf.matMul(xT, g);
    const v = res.losses[0] + dX.dataSync()[0] + dWT.dataSync()[0];
    for (const t of [x, z, zb, g, dX, xT, dWT]) t.dispose();
    return { forward: t1 - t0, step: performance.now() - t0, v };
  };

  const sampled = await measure([
    { name: 'xent sampledSoftmaxLoss (loss + sparse grads)', call: sampledStep(xent.sampledSoftmaxLoss) },
    { name: 'xent nceLoss (loss + sparse grads)', call: sampledStep(xent.nceLoss) },
  ], { budgetMs: quick ? 1000 : 3000, warmMs: 100 });
  // The full step takes seconds: one warm-up, then `reps` timed runs, median.
  const reps = quick ? 2 : 3;
  fullStep();
  const runs = Array.from({ length: reps }, fullStep);
  const med = (a) => [...a].sort((p, q) => p - q)[a.length >> 1];
  const fwd = { name: 'full softmax forward (TF.js wasm matMul + bias, xent sparse CE + grad)', ms: med(runs.map((r) => r.forward)), min: Math.min(...runs.map((r) => r.forward)), samples: reps };
  const full = { name: 'full softmax step (forward + backward matMuls)', ms: med(runs.map((r) => r.step)), min: Math.min(...runs.map((r) => r.step)), samples: reps };
  const results = [...sampled, fwd, full];
  tW.dispose();
  tWT.dispose();
  tb.dispose();
  W.free();
  bias.free();
  logitsOut.free();
  const [ss, nce] = sampled;
  console.log(`\nHuge vocabulary: ${C} classes, dim ${D}, batch ${B}, numSampled ${S}; xent ${xent.backend}, TF.js ${version} wasm\n`);
  console.log(table([
    ['peer', 'median', 'min', 'samples'],
    ...results.map((x) => [x.name, fmtTime(x.ms), fmtTime(x.min), String(x.samples)]),
  ], (c) => c > 0));
  const speedup = full.ms / ss.ms;
  console.log(`\nsampled softmax step vs full softmax step: ${speedup.toFixed(0)}x faster (target >= 100x: ${speedup >= 100 ? 'met' : 'NOT met'})`);
  console.log(`NCE step vs full softmax step: ${(full.ms / nce.ms).toFixed(0)}x; sampled softmax vs the full forward pass alone: ${(fwd.ms / ss.ms).toFixed(0)}x`);
  return { classes: C, dim: D, batch: B, numSampled: S, results, speedup };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) await hugeVocabulary();
