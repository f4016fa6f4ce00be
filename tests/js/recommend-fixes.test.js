// recommend-fixes.test.js: what the recommender says, read as a new user
// reads it: data alone ({ yTrue, yPred }) is enough; an inspection object is
// accepted as documented; current losses as users write them (TF.js strings in
// quotes, sampled and NCE losses, KL divergence, PyTorch's NLLLoss,
// torchvision's sigmoid_focal_loss) are recognised, and an unknown one is said
// to be unknown; the 0/1-labels-with-CategoricalCrossentropy shape error is
// named; the wording fits the setup (no softmax where there is none, the
// double-softmax floor for the actual class count, "works" names its
// change); the explorer prints no "-0".
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as xent from '../../js/index.js';
import { parseCurrentLoss, recommend } from '../../js/recommend.js';
import { fmt } from '../../web/model.js';

before(async () => { await xent.init(); });

const ids = (r) => r.warnings.map((w) => w.id).sort();

test('recommend() accepts the data alone and reads it as the declared fields would be', () => {
  const multi = xent.recommend({ yTrue: Int32Array.of(0, 2, 1, 2), yPred: Float32Array.of(1, 2, 0.5, -1, 0.2, 3, 0.3, 1.2, -0.4, 2, 1, 3), shape: [4, 3] });
  assert.deepEqual(multi.situation, { problem: 'multiclass', labels: 'integer', output: 'logits' });
  assert.equal(multi.keras.code, 'keras.losses.SparseCategoricalCrossentropy(from_logits=True)');
  const column = xent.recommend({ yTrue: [1, 0, 1, 1], yPred: [0.9, 0.2, 0.7, 0.6] });
  assert.deepEqual(column.situation, { problem: 'binary', labels: 'binary01', output: 'sigmoid' }, 'flat arrays: one prediction per example');
  assert.equal(column.keras.code, 'keras.losses.BinaryCrossentropy()');
  const inspected = recommend({ inspection: xent.inspect(Int32Array.of(2, 0), Float32Array.of(2, -1, 0.5, 0.3, 1, -2), { shape: [2, 3] }) });
  assert.equal(inspected.situation.labels, 'integer');
  assert.throws(() => recommend({ inspection: 'no' }), /situation\.inspection must be the object returned by xent\.inspect\(\)/);
});

test('current losses as users write them are recognised; an unknown one is said so', () => {
  const cases = [
    ["'categoricalCrossentropy'", 'categorical'],
    ['"binaryCrossentropy"', 'binary'],
    ['tf.nn.sampled_softmax_loss', 'sampled'],
    ['tf.nn.nce_loss(weights, biases, labels, inputs, 10, 1000)', 'sampled'],
    ['keras.losses.KLDivergence()', 'kl'],
    ['nn.NLLLoss', 'sparse'],
    ['torchvision.ops.sigmoid_focal_loss', 'binary'],
  ];
  for (const [text, kind] of cases) assert.equal(parseCurrentLoss(text).kind, kind, text);
  const base = { problem: 'multiclass', labels: 'onehot', output: 'softmax', fromLogits: false };
  const quoted = recommend({ ...base, currentLoss: "'categoricalCrossentropy'" });
  assert.deepEqual(quoted.currentLoss, { text: "'categoricalCrossentropy'", recognised: true, kind: 'categorical' });
  assert.deepEqual(ids(quoted).filter((i) => i !== 'prefer-logits'), []);
  assert.ok(ids(recommend({ ...base, currentLoss: 'tf.nn.sampled_softmax_loss' })).includes('sampled-current-loss'));
  assert.ok(ids(recommend({ ...base, output: 'logits', fromLogits: true, currentLoss: 'KLDivergence' })).includes('logits-treated-as-probabilities'), 'KL takes probabilities');
  assert.ok(ids(recommend({ ...base, labels: 'integer', currentLoss: 'nn.NLLLoss' })).includes('nll-without-log'));
  const unknown = recommend({ ...base, currentLoss: 'hinge' });
  assert.deepEqual(unknown.currentLoss, { text: 'hinge', recognised: false, kind: 'unknown' });
  assert.match(unknown.warnings.find((w) => w.id === 'unknown-current-loss').message, /"hinge" is not one this recommender knows/);
});

test('0/1 labels with a two-unit softmax and categorical_crossentropy get the shape error', () => {
  const r = recommend({ problem: 'binary', labels: 'binary01', output: 'softmax', fromLogits: false, outputUnits: 2, currentLoss: 'categorical_crossentropy' });
  const w = r.warnings.find((x) => x.id === 'binary-labels-with-categorical');
  assert.ok(w, ids(r).join());
  assert.equal(w.severity, 'error');
  assert.match(w.message, /target\.shape=\(N, 1\), output\.shape=\(N, 2\)/);
  assert.equal(r.verdict, 'invalid');
  assert.ok(!ids(recommend({ problem: 'binary', labels: 'binary01', output: 'softmax', outputUnits: 2, currentLoss: 'sparse_categorical_crossentropy' })).includes('binary-labels-with-categorical'));
});

test('the wording fits the setup', () => {
  // Multi-class with 0/1 labels and logits: one column, and no softmax exists.
  const oneCol = recommend({ problem: 'multiclass', labels: 'binary01', output: 'logits', outputUnits: 1 });
  const single = oneCol.warnings.find((w) => w.id === 'single-unit-softmax');
  assert.match(single.message, /^A categorical loss on a one-column output/);
  assert.doesNotMatch(single.message, /softmax over one unit/);
  assert.match(single.message, /It runs, but the loss never changes/);
  // The double-softmax floor is that of the actual class count: log(e + C - 1) - 1.
  for (const C of [2, 3, 10]) {
    const r = recommend({ problem: 'multiclass', labels: 'integer', output: 'softmax', fromLogits: true, numClasses: C, outputUnits: C });
    const m = r.warnings.find((w) => w.id === 'double-activation').message;
    assert.ok(m.includes(`a perfect ${C}-class prediction still scores ${(Math.log(Math.E + C - 1) - 1).toFixed(4)}`), m);
  }
  // "works" always names its change; no verdict text says "will not run".
  const works = recommend({ problem: 'binary', labels: 'onehot', output: 'sigmoid', outputUnits: 1 });
  assert.equal(works.verdict, 'works');
  assert.equal(works.verdictText, `works, after one change: ${works.change}`);
  assert.ok(works.change.length > 10);
  for (const r of [oneCol, works]) assert.doesNotMatch(r.verdictText, /will not run/);
  // The explanation speaks of the user's from_logits.
  const mistake = recommend({ problem: 'multiclass', labels: 'integer', output: 'softmax', fromLogits: true });
  assert.match(mistake.explanation, /Your from_logits=True applies a second softmax to outputs that already went through one/);
  assert.match(recommend({ problem: 'binary', labels: 'binary01', output: 'logits', fromLogits: false }).explanation, /Your from_logits=False makes the loss read raw logits as probabilities/);
});

test('the explorer prints zero without a sign', () => {
  assert.equal(fmt(-0), '0');
  assert.equal(fmt(0), '0');
  assert.equal(fmt(-1e-9), '-1e-9');
});
