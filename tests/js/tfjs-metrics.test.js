// tfjs-metrics.test.js: xent's probability paths against the real
// tf.metrics.binaryCrossentropy and tf.metrics.categoricalCrossentropy of
// @tensorflow/tfjs-layers 4.22 (the functions model.compile's string losses run),
// values and tf.grad gradients, on random and extreme inputs. tfjs.test.js covers
// tfjs-core's tf.losses; this file covers what only tfjs-layers has.
// Tolerance: 1e-5 relative + 1e-6 absolute, because TF.js rounds every
// intermediate to float32 (its binary loss goes through logit(clip(p)) and back).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as xent from '../../js/index.js';
import { loadTf } from './tfjs-bundle.js';
import { deviation, rng } from './reference.js';

const RTOL = 1e-5;
const ATOL = 1e-6;

let tf;
before(async () => {
  tf = await loadTf();
  await xent.init();
});

function close(what, got, want) {
  const d = deviation(got, want, RTOL, ATOL);
  assert.ok(d.excess <= 1, `${what}[${d.at}]: xent ${got[d.at]}, TF.js ${want[d.at]}`);
}

// The mean of a tf.metrics function over the batch, and its gradient w.r.t. p:
// Keras' default sum_over_batch_size on the per-example values.
function tfMean(metric, y, p, shape) {
  const yt = tf.tensor(y, shape);
  const { value, grad } = tf.valueAndGrad((x) => tf.mean(metric(yt, x)))(tf.tensor(p, shape));
  return { loss: value.dataSync()[0], losses: metric(yt, tf.tensor(p, shape)).dataSync(), grad: grad.dataSync() };
}

function randomCase(random, batch, classes, { lo = 0.02, hi = 0.98, onehot = false } = {}) {
  const y = new Float32Array(batch * classes);
  const p = new Float32Array(batch * classes);
  for (let b = 0; b < batch; b++) {
    const hot = Math.floor(random() * classes);
    for (let j = 0; j < classes; j++) {
      const i = b * classes + j;
      y[i] = onehot ? (j === hot ? 1 : 0) : random() < 0.5 ? 0 : 1;
      p[i] = lo + (hi - lo) * random();
    }
  }
  return { y, p };
}

describe('tf.metrics (tfjs-layers 4.22) agrees with xent on probabilities', () => {
  test('binaryCrossentropy: per-example losses, mean and gradient, for 1 to 9 and 33 classes', () => {
    const random = rng(7);
    for (const classes of [1, 2, 3, 4, 5, 7, 8, 9, 33]) {
      const batch = 6;
      const { y, p } = randomCase(random, batch, classes);
      const ours = xent.binaryCrossentropy(y, p, { shape: [batch, classes], gradient: true });
      const theirs = tfMean(tf.metrics.binaryCrossentropy, y, p, [batch, classes]);
      close(`binary C=${classes} losses`, ours.losses, theirs.losses);
      close(`binary C=${classes} loss`, [ours.loss], [theirs.loss]);
      close(`binary C=${classes} grad`, ours.grad, theirs.grad);
    }
  });

  test('categoricalCrossentropy: one-hot labels, prediction rows that do not sum to 1 (normalised first)', () => {
    const random = rng(11);
    for (const classes of [2, 3, 5, 10, 33]) {
      const batch = 5;
      const { y, p } = randomCase(random, batch, classes, { onehot: true });
      const ours = xent.categoricalCrossentropy(y, p, { shape: [batch, classes], gradient: true });
      const theirs = tfMean(tf.metrics.categoricalCrossentropy, y, p, [batch, classes]);
      close(`categorical C=${classes} losses`, ours.losses, theirs.losses);
      close(`categorical C=${classes} loss`, [ours.loss], [theirs.loss]);
      close(`categorical C=${classes} grad`, ours.grad, theirs.grad);
    }
  });

  test('probabilities of exactly 0 and 1 clip to the same bounded values in both', () => {
    const y = [0, 1, 0, 1, 1, 0];
    const p = [0, 1, 1, 0, 0.5, 1e-9];
    const ours = xent.binaryCrossentropy(y, p, { shape: [6, 1] });
    const theirs = tf.metrics.binaryCrossentropy(tf.tensor(y, [6, 1]), tf.tensor(p, [6, 1])).dataSync();
    close('binary extremes', ours.losses, theirs);
    for (const v of ours.losses) assert.ok(Number.isFinite(v) && v <= 16.2, `bounded by -log(1e-7), got ${v}`);

    const yc = [0, 1, 0, 1, 0, 0];
    const pc = [1, 0, 0, 0.2, 0.8, 0];
    const oc = xent.categoricalCrossentropy(yc, pc, { shape: [2, 3] });
    const tc = tf.metrics.categoricalCrossentropy(tf.tensor(yc, [2, 3]), tf.tensor(pc, [2, 3])).dataSync();
    close('categorical extremes', oc.losses, tc);
  });
});
