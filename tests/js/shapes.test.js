// shapes.test.js: the Label shapes panel's data (web/shapes.js) against the
// real frameworks: each PyTorch error it quotes is the message PyTorch
// (/usr/bin/python3, Debian's python3-torch) raises for that mismatch, and
// each PyTorch, NumPy and TF.js conversion line it prints runs and gives the
// expected array; the arrays and shapes follow the state. (The Keras and
// TensorFlow messages are quoted from their sources: keras/src/backend/
// tensorflow/nn.py, tensorflow tensor_shape.py and nn_impl.py, and the
// sparse_xent kernel; TensorFlow is not installed here.)
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { applyPatch, defaults } from '../../web/state.js';
import { labelShapes } from '../../web/shapes.js';
import { loadTf } from './tfjs-bundle.js';

const PY = '/usr/bin/python3';
const hasTorch = existsSync(PY) && (() => { try { execFileSync(PY, ['-c', 'import torch, numpy']); return true; } catch { return false; } })();
let tf;
before(async () => { tf = await loadTf(); });

const state = (patch) => applyPatch(defaults(), patch);
const find = (d, id) => d.mismatches.find((m) => m.id === id);
const quoted = (m, fw) => m.errors.find(([f]) => f === fw)[1];
const line = (d, fw) => d.conversions.flatMap((c) => c.lines).find(([f]) => f === fw)[1];

test('the arrays and shapes follow the state: indices (n,), rows (n, C), logits (n, u)', () => {
  let d = labelShapes(state({ labels: 'integer', batch: 3, classes: 4, targets: [2, 0, 3] }));
  assert.equal(d.yTrue.text, '[2, 0, 3]');
  assert.equal(d.yTrue.shape, '(3,)');
  assert.equal(d.yPred.shape, '(3, 4)');
  assert.equal(d.loss, 'SparseCategoricalCrossentropy');
  d = labelShapes(state({ labels: 'onehot', batch: 2, classes: 3, targets: [2, 0] }));
  assert.equal(d.yTrue.text, '[[0, 0, 1], [1, 0, 0]]');
  assert.equal(d.yTrue.shape, '(2, 3)');
  assert.equal(d.loss, 'CategoricalCrossentropy');
  d = labelShapes(state({ problem: 'binary', labels: 'binary01', batch: 2 }));
  assert.equal(d.yPred.shape, '(2, 1)');
  assert.equal(d.loss, 'BinaryCrossentropy');
});

test('the PyTorch errors quoted are the ones PyTorch raises', { skip: !hasTorch && 'no /usr/bin/python3 with torch' }, () => {
  const run = (code) => {
    try {
      execFileSync(PY, ['-c', `import torch\n${code}`], { stdio: 'pipe' });
      return '';
    } catch (e) {
      const last = String(e.stderr).trim().split('\n').pop();
      return last;
    }
  };
  const d = labelShapes(state({ labels: 'integer', classes: 3 }));
  assert.equal(run('torch.nn.CrossEntropyLoss()(torch.zeros(2, 3), torch.tensor([0, 3]))'), quoted(find(d, 'index-out-of-range'), 'PyTorch'));
  assert.equal(run('torch.nn.CrossEntropyLoss()(torch.zeros(2, 3), torch.tensor([0., 1.]))'), quoted(find(d, 'float-indices-torch'), 'PyTorch'));
  const b = labelShapes(state({ problem: 'binary', labels: 'binary01' }));
  assert.equal(run('torch.nn.BCEWithLogitsLoss()(torch.zeros(5, 1), torch.zeros(5))'), quoted(find(b, 'column-vs-vector'), 'PyTorch nn.BCEWithLogitsLoss').replace(/\[N\]/, '[5]').replace('[N, 1]', '[5, 1]'));
  assert.equal(run('torch.nn.CrossEntropyLoss()(torch.zeros(2, 3), torch.tensor([[1., 0, 0], [0, 1, 0]]))'), '', 'float one-hot rows are accepted as probabilities');
});

test('the PyTorch and NumPy conversions run and convert', { skip: !hasTorch && 'no /usr/bin/python3 with torch' }, () => {
  const py = (setup, expr) => execFileSync(PY, ['-c', `import torch, numpy as np\n${setup}\nr = ${expr}\nprint(np.asarray(r).tolist())`]).toString().trim();
  const i = labelShapes(state({ labels: 'integer', classes: 3 }));
  assert.equal(py('y = torch.tensor([2, 0])', line(i, 'PyTorch')), '[[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]');
  assert.equal(py('y = np.array([2, 0])', line(i, 'NumPy')), '[[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]');
  const o = labelShapes(state({ labels: 'onehot', classes: 3 }));
  assert.equal(py('y = torch.tensor([[0., 0, 1], [1, 0, 0]])', line(o, 'PyTorch')), '[2, 0]');
  assert.equal(py('y = np.array([[0., 0, 1], [1, 0, 0]])', line(o, 'NumPy')), '[2, 0]');
  const b = labelShapes(state({ problem: 'binary', labels: 'binary01' }));
  assert.equal(py('y = torch.tensor([1, 0])', b.conversions[0].lines.find(([f]) => f === 'PyTorch')[1]), '[[1.0], [0.0]]');
  assert.equal(py('y = np.array([1, 0])', b.conversions[0].lines.find(([f]) => f === 'NumPy')[1]), '[[1], [0]]');
});

test('the TF.js conversions run and convert', () => {
  const js = (setup, expr) => new Function('tf', `${setup}; return (${expr}).arraySync();`)(tf);
  const i = labelShapes(state({ labels: 'integer', classes: 3 }));
  assert.deepEqual(js('const y = [2, 0]', line(i, 'TF.js')), [[0, 0, 1], [1, 0, 0]]);
  const o = labelShapes(state({ labels: 'onehot', classes: 3 }));
  assert.deepEqual(js('const y = tf.tensor2d([[0, 0, 1], [1, 0, 0]])', line(o, 'TF.js')), [2, 0]);
  const b = labelShapes(state({ problem: 'binary', labels: 'binary01' }));
  assert.deepEqual(js('const y = tf.tensor1d([1, 0])', b.conversions[0].lines.find(([f]) => f === 'TF.js')[1]), [[1], [0]]);
});
