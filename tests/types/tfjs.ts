// tfjs.ts: compiled by tests/js/types.test.js with tsc --strict. `xent/tfjs`
// (js/tfjs.d.ts): the losses take and return TF.js tensors.
import * as tf from '@tensorflow/tfjs-core';
import * as xtf from 'xent/tfjs';

const labels = tf.tensor2d([[0, 1, 0]]);
const logits = tf.variable(tf.tensor2d([[0.2, 1.5, -0.3]]));
const loss: tf.Tensor = xtf.categoricalCrossentropy(labels, logits, { fromLogits: true });
const grads = tf.variableGrads(() => xtf.categoricalCrossentropy(labels, logits, { fromLogits: true }) as tf.Scalar);
const sparse = xtf.sparseCategoricalCrossentropy(tf.tensor1d([1], 'int32'), logits, { fromLogits: true, ignoreClass: 255 });
void loss, grads, sparse;
// @ts-expect-error: sparse categorical cross-entropy has no label smoothing
xtf.sparseCategoricalCrossentropy(tf.tensor1d([1], 'int32'), logits, { labelSmoothing: 0.1 });
