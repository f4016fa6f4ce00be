// peers.js: the TensorFlow.js 4.x peers of the benchmark: the wasm
// backend (SIMD, one thread) and the cpu backend, computing each workload's
// loss and gradient the way a TF.js user would: tensors made from the caller's
// typed arrays, tf.losses.* (or, for Keras' clipped binary crossentropy on
// probabilities, the tfjs-layers formula in core ops, docs/semantics.md 5.2),
// tf.valueAndGrad, and the gradient read back into a typed array. Called by
// bench/run.js.
//
// Loading in Node, offline: tfjs-core's Node entry (a CommonJS bundle) has no
// gradients and its ES build cannot be imported by Node directly (extension-less
// specifiers), so the ES builds of tfjs-core (with register_all_gradients),
// -backend-cpu and -backend-wasm are bundled once with the project's esbuild
// into node_modules/.cache/xent-bench/tfjs.cjs (one engine, one registry). The
// wasm backend's .wasm files are read from node_modules through setWasmPaths
// with a directory path (Emscripten reads it with fs in Node); threads are
// switched off so it runs the single-threaded SIMD module.
import { createRequire } from 'node:module';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(root, 'node_modules/.cache/xent-bench/tfjs.cjs');
const ENTRY = `export * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
export { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
`;

async function bundleTf() {
  const pkg = path.join(root, 'node_modules/@tensorflow/tfjs-core/package.json');
  if (existsSync(bundle) && statSync(bundle).mtimeMs > statSync(pkg).mtimeMs) return;
  const esbuild = await import('esbuild');
  await esbuild.build({
    stdin: { contents: ENTRY, resolveDir: root },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    mainFields: ['module', 'main'],
    outfile: bundle,
    logLevel: 'error',
  });
}

/** Loads TF.js with both backends registered; returns { tf, version, simd }. */
export async function loadTf() {
  await bundleTf();
  const { tf, setWasmPaths } = createRequire(import.meta.url)(bundle);
  setWasmPaths(path.join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist') + path.sep);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  // The cpu backend prints an advertisement for tfjs-node on its first write in Node.
  const warn = console.warn;
  console.warn = () => {};
  try {
    for (const name of ['cpu', 'wasm']) {
      if (!(await tf.setBackend(name))) throw new Error(`TF.js backend '${name}' failed to initialise`);
      tf.tensor1d([1]).dispose();
    }
  } finally {
    console.warn = warn;
  }
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = tf.findBackend('wasm').wasm.tfjs.getThreadsCount();
  return { tf, version: tf.version_core, simd, threads };
}

const EPS = 1e-7;

/**
 * The loss functions of each workload, as (tf, inputs) => scalar loss tensor of
 * the prediction tensor `x`; `w.labels` is turned into a tensor inside the
 * timed call, as a user would.
 */
const LOSSES = {
  // TF.js has no sparse softmax loss: one-hot the integer labels, then softmaxCrossEntropy.
  sparse: (tf, w) => {
    const y = tf.oneHot(tf.tensor1d(w.labels, 'int32'), w.classes);
    return (x) => tf.losses.softmaxCrossEntropy(y, x);
  },
  soft: (tf, w) => {
    const y = tf.tensor2d(w.labels, [w.batch, w.classes]);
    return (x) => tf.losses.softmaxCrossEntropy(y, x);
  },
  sigmoid: (tf, w) => {
    const y = tf.tensor2d(w.labels, [w.batch, w.classes]);
    return (x) => tf.losses.sigmoidCrossEntropy(y, x);
  },
  // tfjs-layers binaryCrossentropy: clip, logit = log(p / (1 - p)), sigmoid xent, mean.
  probs: (tf, w) => {
    const y = tf.tensor2d(w.labels, [w.batch, w.classes]);
    return (p) => {
      const pc = tf.clipByValue(p, EPS, 1 - EPS);
      const logit = tf.log(tf.div(pc, tf.sub(1, pc)));
      return tf.mean(tf.losses.sigmoidCrossEntropy(y, logit, undefined, 0, tf.Reduction.NONE));
    };
  },
};

/**
 * One call of workload `w` ({ kind, labels, x, batch, classes }) on TF.js backend
 * `backend`; writes the gradient into `grad` and returns the loss.
 */
export function tfRun(tf, backend, w, grad) {
  if (tf.getBackend() !== backend) tf.setBackend(backend);
  return tf.tidy(() => {
    const x = tf.tensor2d(w.x, [w.batch, w.classes]);
    const { value, grad: g } = tf.valueAndGrad(LOSSES[w.kind](tf, w))(x);
    grad.set(g.dataSync());
    return value.dataSync()[0];
  });
}
