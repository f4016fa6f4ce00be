// shapes.js: what the Label shapes panel says for a state, as data: the
// y_true and y_pred arrays of the Live example with their shapes, the loss
// that takes them (story.js), the errors each framework raises for the
// common mismatches of this encoding (messages as Keras 3, tf.keras 2,
// tf.nn and PyTorch print them; docs/semantics.md 7.2), and the one-line
// conversions. Pure; used by panels/shapes.js and the tests.

import { liveSpec, kerasName } from './story.js';
import { units } from './state.js';

const num = (v) => String(Number(Number(v).toPrecision(4)));
const rows = (flat, n, u) => `[${Array.from({ length: n }, (_, i) => `[${flat.slice(i * u, i * u + u).map(num).join(', ')}]`).join(', ')}]`;

// The arrays of the Live example as Python would print them, with shapes.
export function arraysOf(s) {
  const n = s.batch, u = units(s), C = s.classes;
  const yPred = { text: rows(s.logits, n, u), shape: `(${n}, ${u})`, dtype: 'float32', what: s.output === 'logits' ? 'logits z' : `${s.output}(z)` };
  let yTrue;
  if (s.labels === 'integer') yTrue = { text: `[${s.targets.join(', ')}]`, shape: `(${n},)`, dtype: 'int32', what: 'class indices' };
  else if (s.labels === 'binary01') yTrue = { text: `[${s.targets.join(', ')}]`, shape: `(${n},) or (${n}, 1)`, dtype: 'float32', what: '0/1 labels' };
  else if (s.labels === 'onehot') {
    const flat = s.targets.flatMap((k) => Array.from({ length: C }, (_, j) => (j === k ? 1 : 0)));
    yTrue = { text: rows(flat, n, C), shape: `(${n}, ${C})`, dtype: 'float32', what: 'one-hot rows' };
  } else yTrue = { text: rows(s.targets, n, C), shape: `(${n}, ${C})`, dtype: 'float32', what: s.labels === 'soft' ? 'soft rows' : 'multi-hot rows' };
  return { yTrue, yPred };
}

// The common mismatches for this label encoding: what goes wrong, the
// framework's message, and the fix.
export function mismatches(s) {
  const C = s.labels === 'binary01' ? 2 : s.classes;
  const out = [];
  if (s.labels === 'integer' || s.labels === 'binary01') {
    out.push({ id: 'indices-to-categorical', what: `class indices (N,) given to CategoricalCrossentropy with ${C} outputs`, errors: [
      ['Keras 3', `ValueError: Arguments \`target\` and \`output\` must have the same rank (ndim). Received: target.shape=(None,), output.shape=(None, ${C})`],
      ['Keras 3, labels (N, 1)', `ValueError: Arguments \`target\` and \`output\` must have the same shape. Received: target.shape=(None, 1), output.shape=(None, ${C})`],
      ['tf.keras 2', `ValueError: Shapes (None, 1) and (None, ${C}) are incompatible`],
    ], fix: 'use SparseCategoricalCrossentropy, or one-hot encode the labels' });
  }
  if (s.labels === 'integer') {
    out.push({ id: 'index-out-of-range', what: `a label equal to ${C} (1-based labels, or a layer one unit short)`, errors: [
      ['TensorFlow (CPU)', `InvalidArgumentError: Received a label value of ${C} which is outside the valid range of [0, ${C})`],
      ['TensorFlow (GPU, XLA)', 'no error: the loss and that row\'s gradient are NaN'],
      ['PyTorch', `IndexError: Target ${C} is out of bounds.`],
    ], fix: 'subtract 1 from 1-based labels, or give the last layer one unit per class' });
    out.push({ id: 'float-indices-torch', what: 'class indices stored as floats, given to nn.CrossEntropyLoss', errors: [
      ['PyTorch', 'RuntimeError: expected scalar type Long but found Float'],
    ], fix: 'y.long()' });
  }
  if (s.labels === 'onehot' || s.labels === 'soft') {
    out.push({ id: 'rows-to-sparse', what: `rows (N, ${C}) given to SparseCategoricalCrossentropy`, errors: [
      ['Keras 3 (TensorFlow)', `ValueError: Argument \`output\` must have rank (ndim) \`target.ndim - 1\`. Received: target.shape=(None, ${C}), output.shape=(None, ${C})`],
      ['PyTorch', 'no error: nn.CrossEntropyLoss reads float rows as class probabilities (since 1.10), which is right for one-hot rows'],
    ], fix: 'use CategoricalCrossentropy, or pass the argmax of each row' });
  }
  if (s.labels === 'binary01' || s.labels === 'multihot') {
    const u = s.labels === 'binary01' ? 1 : C;
    out.push({ id: 'column-vs-vector', what: s.labels === 'binary01' ? 'labels (N,) against one output column (N, 1) in tf.nn or PyTorch' : `labels of another width than the ${C} output columns`, errors: [
      ['tf.nn.sigmoid_cross_entropy_with_logits', `ValueError: \`logits\` and \`labels\` must have the same shape, received ((None, ${u}) vs (None,)).`],
      ['PyTorch nn.BCEWithLogitsLoss', `ValueError: Target size (torch.Size([N])) must be the same as input size (torch.Size([N, ${u}]))`],
      ['Keras 3', s.labels === 'binary01' ? 'no error: BinaryCrossentropy reshapes (N,) to (N, 1) itself' : `ValueError: Arguments \`target\` and \`output\` must have the same shape. Received: target.shape=(None, 1), output.shape=(None, ${u})`],
    ], fix: s.labels === 'binary01' ? 'reshape the labels to (N, 1), or squeeze the logits to (N,)' : 'one column per label, in the same order' });
  }
  return out;
}

// One-line conversions between the encodings, for each framework.
export function conversions(s) {
  const C = s.labels === 'binary01' ? 2 : s.classes;
  const toOneHot = { title: 'class indices → one-hot rows', lines: [
    ['Keras', `keras.utils.to_categorical(y, num_classes=${C})`], ['TensorFlow', `tf.one_hot(y, depth=${C})`],
    ['TF.js', `tf.oneHot(tf.tensor1d(y, 'int32'), ${C})`], ['PyTorch', `torch.nn.functional.one_hot(y, num_classes=${C}).float()`], ['NumPy', `np.eye(${C})[y]`]] };
  const toIndex = { title: 'one-hot rows → class indices', lines: [
    ['NumPy', 'np.argmax(y, axis=-1)'], ['TensorFlow', 'tf.argmax(y, axis=-1)'], ['TF.js', 'tf.argMax(y, -1)'], ['PyTorch', 'y.argmax(dim=1)']] };
  const toColumn = { title: '0/1 labels (N,) → a column (N, 1)', lines: [
    ['NumPy', 'y.reshape(-1, 1)'], ['TensorFlow', 'tf.reshape(y, (-1, 1))'], ['TF.js', 'tf.reshape(y, [-1, 1])'], ['PyTorch', 'y.float().unsqueeze(1)']] };
  if (s.labels === 'integer') return [toOneHot];
  if (s.labels === 'onehot' || s.labels === 'soft') return [toIndex];
  if (s.labels === 'binary01') return [toColumn, toOneHot];
  return [];
}

// Everything the panel shows for a state.
export function labelShapes(s) {
  const spec = liveSpec(s);
  const k = kerasName(spec);
  return { ...arraysOf(s), loss: k.className ?? k.op, mismatches: mismatches(s), conversions: conversions(s) };
}
