// metrics.js: which accuracy metric goes with the Live example's loss
// (docs/semantics.md 7.1): sparse_categorical_accuracy for class indices,
// categorical_accuracy for rows, binary_accuracy with its threshold for one
// sigmoid per column (0.5 on probabilities, 0 on logits, since
// sigmoid(z) > 0.5 exactly when z > 0), with the Keras, TF.js and PyTorch
// spellings, and the metric's value on the Live example (with, for logits,
// what the default threshold 0.5 would report instead). Pure; used by
// panels/metrics.js and the tests.

import { liveSpec, labelsFor } from './story.js';
import { activate } from './model.js';

const argmax = (r) => r.reduce((b, v, j) => (v > r[b] ? j : b), 0);

export function metricFor(s) {
  const spec = liveSpec(s);
  const logits = spec.fromLogits && s.output === 'logits';
  if (spec.family === 'binary') {
    const t = logits ? 0 : 0.5;
    return { id: 'binary_accuracy', threshold: t, keras: `keras.metrics.BinaryAccuracy(threshold=${t.toFixed(1)})`,
      compile: logits ? "metrics=[keras.metrics.BinaryAccuracy(threshold=0.0)]  # 'accuracy' would threshold logits at 0.5" : "metrics=['accuracy']  # binary_accuracy, threshold 0.5",
      tfjs: logits ? 'tf.metrics.binaryAccuracy(y, tf.sigmoid(z))  // it thresholds at 0.5' : 'tf.metrics.binaryAccuracy(y, p)',
      pytorch: logits ? '((z > 0).float() == y).float().mean()' : '((p > 0.5).float() == y).float().mean()',
      auc: `keras.metrics.AUC(from_logits=${logits ? 'True' : 'False'})`,
      why: logits ? 'The model outputs logits: a logit above 0 is a probability above 0.5, so the threshold is 0 (or apply the sigmoid first).'
        : 'Probabilities: the default threshold 0.5.' };
  }
  const sparse = spec.family === 'sparse';
  return { id: sparse ? 'sparse_categorical_accuracy' : 'categorical_accuracy', threshold: null,
    keras: sparse ? 'keras.metrics.SparseCategoricalAccuracy()' : 'keras.metrics.CategoricalAccuracy()',
    compile: `metrics=['accuracy']  # resolves to ${sparse ? 'sparse_categorical_accuracy' : 'categorical_accuracy'} for this loss`,
    tfjs: sparse ? 'tf.metrics.sparseCategoricalAccuracy(y, z)' : 'tf.metrics.categoricalAccuracy(y, z)',
    pytorch: sparse ? '(z.argmax(dim=1) == y).float().mean()' : '(z.argmax(dim=1) == y.argmax(dim=1)).float().mean()',
    auc: null,
    why: 'The predicted class is the argmax of the row, which a softmax does not change: logits and probabilities give the same accuracy.' };
}

// The metric on the Live example: { value, wrong } (wrong: with threshold 0.5
// applied to logits, when that is the mistake to avoid).
export function liveAccuracy(s) {
  const spec = liveSpec(s);
  const n = s.batch, u = spec.u;
  const out = activate(s.output, Float32Array.from(s.logits), n, u);
  const y = labelsFor(s, spec, s.targets, n);
  if (spec.family === 'binary') {
    const m = metricFor(s);
    const acc = (t) => {
      let ok = 0;
      for (let k = 0; k < n * u; k++) ok += (out[k] > t ? 1 : 0) === (y[k] >= 0.5 ? 1 : 0) ? 1 : 0;
      return ok / (n * u);
    };
    return { value: acc(m.threshold), wrong: m.threshold === 0 ? acc(0.5) : null };
  }
  let ok = 0;
  for (let i = 0; i < n; i++) {
    const row = Array.from(out.subarray(i * u, i * u + u));
    const truth = spec.family === 'sparse' ? y[i] : argmax(Array.from(y.subarray(i * u, i * u + u)));
    ok += argmax(row) === truth ? 1 : 0;
  }
  return { value: ok / n, wrong: null };
}
