// recommend.test.js: the recommender (js/recommend.js) over every row of the
// decision table (js/decision-table.js) and the optional facts. API names are
// checked against lists written here from docs/semantics.md sections 2.1, 3, 5 and
// 6; the expected losses of the correct rows against section 7.1; the warnings
// of each mistake against section 7.2. No wasm: the recommender
// must work before init().
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { FRAMEWORKS, LABELS, OUTPUTS, PROBLEMS, TABLE, lookup } from '../../js/decision-table.js';
import { DECISION_TABLE, WARNINGS, parseCurrentLoss, recommend } from '../../js/recommend.js';
import { TARGET, render } from '../../scripts/gen-choosing.js';

// Keras 3 loss classes and their constructor arguments (docs/semantics.md 2.1).
const KERAS = {
  BinaryCrossentropy: ['from_logits', 'label_smoothing', 'axis', 'reduction', 'name', 'dtype'],
  BinaryFocalCrossentropy: ['apply_class_balancing', 'alpha', 'gamma', 'from_logits', 'label_smoothing', 'axis', 'reduction', 'name', 'dtype'],
  CategoricalCrossentropy: ['from_logits', 'label_smoothing', 'axis', 'reduction', 'name', 'dtype'],
  CategoricalFocalCrossentropy: ['alpha', 'gamma', 'from_logits', 'label_smoothing', 'axis', 'reduction', 'name', 'dtype'],
  SparseCategoricalCrossentropy: ['from_logits', 'ignore_class', 'reduction', 'axis', 'name', 'dtype'],
  // keras/src/losses/losses.py (Keras 3.10+).
  CategoricalGeneralizedCrossEntropy: ['q', 'reduction', 'name', 'dtype'],
};
// keras/src/distillation/distillation_loss.py: keras.distillation.*.
const KERAS_DISTILLATION = { LogitsDistillation: ['temperature', 'loss'] };
// tf.nn ops (docs/semantics.md 3.1-3.5) and the keyword arguments each takes.
const TFNN = {
  sigmoid_cross_entropy_with_logits: ['labels', 'logits', 'name'],
  weighted_cross_entropy_with_logits: ['labels', 'logits', 'pos_weight', 'name'],
  softmax_cross_entropy_with_logits: ['labels', 'logits', 'axis', 'name'],
  sparse_softmax_cross_entropy_with_logits: ['labels', 'logits', 'name'],
};
// TF.js (docs/semantics.md 5.1, 5.2): the tf.losses namespace and the tf.metrics exports.
const TFJS_LOSSES = ['absoluteDifference', 'computeWeightedLoss', 'cosineDistance', 'hingeLoss', 'huberLoss', 'logLoss', 'meanSquaredError', 'sigmoidCrossEntropy', 'softmaxCrossEntropy'];
const TFJS_METRICS = ['binaryCrossentropy', 'categoricalCrossentropy'];
const TFJS_COMPILE_STRINGS = ['sparseCategoricalCrossentropy', 'categoricalCrossentropy', 'binaryCrossentropy'];
// PyTorch modules (docs/semantics.md 6.1) and their keyword arguments.
const TORCH = {
  CrossEntropyLoss: ['weight', 'ignore_index', 'reduction', 'label_smoothing'],
  BCEWithLogitsLoss: ['weight', 'reduction', 'pos_weight'],
  BCELoss: ['weight', 'reduction'],
  NLLLoss: ['weight', 'ignore_index', 'reduction'],
};
// The xent JS API and the options each function takes.
const KERAS_OPTS = ['fromLogits', 'labelSmoothing', 'reduction', 'sampleWeight', 'classWeight'];
const XENT = {
  binaryCrossentropy: KERAS_OPTS,
  categoricalCrossentropy: KERAS_OPTS,
  sparseCategoricalCrossentropy: ['fromLogits', 'reduction', 'sampleWeight', 'classWeight', 'ignoreClass'],
  binaryFocalCrossentropy: [...KERAS_OPTS, 'alpha', 'gamma', 'applyClassBalancing'],
  categoricalFocalCrossentropy: [...KERAS_OPTS, 'alpha', 'gamma'],
  categoricalGeneralizedCrossentropy: ['fromLogits', 'reduction', 'sampleWeight', 'classWeight', 'q'],
  logitsDistillation: ['reduction', 'sampleWeight', 'temperature'],
  polyLossCrossentropy: ['reduction', 'sampleWeight', 'classWeight', 'epsilon'],
  sigmoidCrossEntropyWithLogits: [], weightedCrossEntropyWithLogits: [],
  softmaxCrossEntropyWithLogits: [], sparseSoftmaxCrossEntropyWithLogits: [],
};
const ISSUE_IDS = ['double-activation', 'logits-treated-as-probabilities', 'integer-labels-with-categorical',
  'onehot-labels-with-sparse', 'softmax-on-multilabel', 'sigmoid-on-exclusive', 'single-unit-softmax',
  'binary-one-hot', 'label-out-of-range', 'labels-not-in-0-1', 'unstable-hand-written-loss', 'imbalance',
  'huge-vocabulary', 'label-noise', 'padding'];

function pyKwargs(text) {
  if (!text.trim()) return {};
  return Object.fromEntries(text.split(/,\s*/).map((kv) => {
    const [k, v] = kv.split('=');
    return [k, v];
  }));
}

function checkKeras(k, where) {
  if (k.className === null) {
    // No Keras class (poly-1): the code is Optax's function.
    assert.match(k.code, /^optax\.poly_loss_cross_entropy\(logits, labels, epsilon=[\d.]+\)$/, `${where}: Optax code ${k.code}`);
    return;
  }
  const classes = k.code.startsWith('keras.distillation.') ? KERAS_DISTILLATION : KERAS;
  assert.ok(classes[k.className], `${where}: ${k.className} is a Keras 3 loss class`);
  for (const a of Object.keys(k.args)) assert.ok(classes[k.className].includes(a), `${where}: ${k.className} takes ${a}`);
  const m = k.code.match(/^keras\.(?:losses|distillation)\.(\w+)\((.*)\)$/);
  assert.ok(m, `${where}: keras code ${k.code}`);
  assert.equal(m[1], k.className);
  const kw = pyKwargs(m[2]);
  assert.deepEqual(Object.keys(kw).sort(), Object.keys(k.args).sort(), `${where}: code and args agree`);
  for (const [a, v] of Object.entries(k.args)) {
    const py = v === true ? 'True' : v === false ? 'False' : String(v);
    assert.equal(Number.isFinite(Number(kw[a])) ? Number(kw[a]) : kw[a], typeof v === 'number' ? v : py, `${where}: ${a}`);
  }
}

function checkCode(r, where) {
  checkKeras(r.keras, where);
  const nnOps = [...r.tfnn.code.matchAll(/tf\.nn\.(\w+)\(([^()]*(?:\([^()]*\)[^()]*)*)\)/g)];
  assert.ok(nnOps.length >= 1, `${where}: tf.nn code names an op: ${r.tfnn.code}`);
  for (const [, op, args] of nnOps) {
    assert.ok(TFNN[op], `${where}: tf.nn.${op} exists`);
    for (const kw of args.split(/,\s*(?![^()]*\))/)) {
      const name = kw.split('=')[0].trim();
      assert.ok(kw.includes('='), `${where}: tf.nn.${op} called with named arguments (${kw})`);
      assert.ok(TFNN[op].includes(name), `${where}: tf.nn.${op} takes ${name}`);
    }
  }
  for (const [, ns, fn] of r.tfjs.code.matchAll(/tf\.(losses|metrics)\.(\w+)/g)) {
    assert.ok((ns === 'losses' ? TFJS_LOSSES : TFJS_METRICS).includes(fn), `${where}: tf.${ns}.${fn} exists in TF.js`);
  }
  const compile = r.tfjs.code.match(/loss: '(\w+)'/);
  if (compile) assert.ok(TFJS_COMPILE_STRINGS.includes(compile[1]), `${where}: compile string ${compile[1]}`);
  assert.ok(/tf\.(losses|metrics)\.|loss: '/.test(r.tfjs.code), `${where}: TF.js code calls a loss: ${r.tfjs.code}`);
  const pt = r.pytorch.code.match(/^nn\.(\w+)\((.*)\)$/);
  assert.ok(pt && TORCH[pt[1]], `${where}: PyTorch code ${r.pytorch.code}`);
  for (const kw of pt[2] ? pt[2].split(/,\s*(?![^()]*\))/) : []) assert.ok(TORCH[pt[1]].includes(kw.split('=')[0]), `${where}: nn.${pt[1]} takes ${kw}`);
  assert.equal(typeof r.pytorch.note, 'string');
  assert.ok(XENT[r.xent.fn], `${where}: xent.${r.xent.fn} exists`);
  for (const o of Object.keys(r.xent.options)) assert.ok(XENT[r.xent.fn].includes(o), `${where}: xent.${r.xent.fn} takes ${o}`);
  // The xent call and the Keras class are the same loss with the same from_logits.
  const kerasFn = r.keras.className[0].toLowerCase() + r.keras.className.slice(1);
  assert.equal(r.xent.fn, kerasFn, `${where}: xent fn mirrors the Keras class`);
  assert.equal(r.xent.options.fromLogits, r.keras.args.from_logits === true, `${where}: fromLogits mirrors from_logits`);
}

function checkShape(r, where) {
  for (const k of ['keras', 'tfnn', 'tfjs', 'pytorch', 'xent', 'activation', 'explanation', 'alternatives', 'warnings']) assert.ok(k in r, `${where}: has ${k}`);
  const sentences = r.explanation.split(/(?<=[.!?])\s+(?=[A-Z])/).filter(Boolean);
  assert.ok(sentences.length >= 2 && sentences.length <= 5, `${where}: explanation has 2-5 sentences, got ${sentences.length}: ${r.explanation}`);
  for (const w of r.warnings) {
    assert.ok(WARNINGS[w.id], `${where}: warning ${w.id} is catalogued`);
    assert.ok(['error', 'warning', 'info'].includes(w.severity));
    assert.ok(typeof w.message === 'string' && w.message.length > 20 && !/undefined|NaN|\[object/.test(w.message), `${where}: ${w.id} message reads well: ${w.message}`);
  }
  assert.equal(new Set(r.warnings.map((w) => w.id)).size, r.warnings.length, `${where}: no warning twice`);
  for (const a of r.alternatives) {
    assert.equal(typeof a.summary, 'string');
    checkKeras(a.keras, `${where} alternative`);
    assert.ok(XENT[a.xent.fn]);
  }
  // The activation and from_logits agree: no activation means the loss takes logits.
  const noActivation = r.activation.startsWith('no activation');
  assert.equal(noActivation, r.keras.args.from_logits === true, `${where}: activation '${r.activation}' vs from_logits`);
  assert.deepEqual(r.order, [r.lead, ...FRAMEWORKS.filter((f) => f !== r.lead)]);
}

const ids = (r, min = 'info') => r.warnings.filter((w) => ['error', 'warning', 'info'].indexOf(w.severity) <= ['error', 'warning', 'info'].indexOf(min)).map((w) => w.id).sort();

test('the decision table has exactly one row for each of the 3 x 5 x 3 = 45 combinations', () => {
  assert.equal(TABLE.length, 45);
  assert.equal(DECISION_TABLE, TABLE, 'recommend.js exports the same table');
  for (const p of PROBLEMS) for (const l of LABELS) for (const o of OUTPUTS) assert.ok(lookup(p, l, o), `${p}/${l}/${o}`);
  assert.equal(new Set(TABLE.map((r) => r.key)).size, 45);
  for (const r of TABLE) {
    assert.ok(['correct', 'works', 'mismatch', 'invalid'].includes(r.verdict), r.key);
    for (const w of r.warnings) assert.ok(WARNINGS[w.id], `${r.key}: ${w.id}`);
    if (r.verdict === 'invalid') assert.ok(r.change && r.warnings.some((w) => w.severity === 'error'), `${r.key}: an invalid row says what to change and has an error`);
    if (r.verdict === 'mismatch') assert.ok(r.change && r.warnings.some((w) => w.severity !== 'info'), `${r.key}: a mismatch says what to change`);
  }
});

const FLAG_SETS = [{}, { framework: 'pytorch' }, { framework: 'tfjs', noisyLabels: true }, { imbalanced: true },
  { paddingLabel: 0 }, { hugeVocabulary: true, denseTargets: true }, { outputUnits: 1 }, { outputUnits: 2 },
  { noisyLabels: true, imbalanced: true, paddingLabel: 255, framework: 'tfnn' }];

test('every combination, with every set of optional facts, gets a complete recommendation with valid API names', () => {
  let n = 0;
  for (const row of TABLE) {
    for (const flags of FLAG_SETS) {
      const where = `${row.key} ${JSON.stringify(flags)}`;
      const r = recommend({ problem: row.problem, labels: row.labels, output: row.output, ...flags });
      checkShape(r, where);
      checkCode(r, where);
      if (flags.framework) assert.equal(r.order[0], flags.framework);
      n++;
    }
  }
  assert.equal(n, 45 * FLAG_SETS.length);
});

test('the correct setups of docs/semantics.md 7.1 get the losses it names', () => {
  const expect = [
    ['binary', 'binary01', 'logits', 'BinaryCrossentropy', true],
    ['binary', 'binary01', 'sigmoid', 'BinaryCrossentropy', false],
    ['multiclass', 'integer', 'logits', 'SparseCategoricalCrossentropy', true],
    ['multiclass', 'integer', 'softmax', 'SparseCategoricalCrossentropy', false],
    ['multiclass', 'onehot', 'logits', 'CategoricalCrossentropy', true],
    ['multiclass', 'onehot', 'softmax', 'CategoricalCrossentropy', false],
    ['multiclass', 'soft', 'logits', 'CategoricalCrossentropy', true],
    ['multilabel', 'multihot', 'logits', 'BinaryCrossentropy', true],
    ['multilabel', 'multihot', 'sigmoid', 'BinaryCrossentropy', false],
    ['multilabel', 'soft', 'sigmoid', 'BinaryCrossentropy', false],
  ];
  for (const [problem, labels, output, className, fromLogits] of expect) {
    const r = recommend({ problem, labels, output });
    assert.equal(r.keras.className, className, `${problem}/${labels}/${output}`);
    assert.equal(r.keras.args.from_logits === true, fromLogits);
    assert.equal(r.verdict, 'correct');
  }
  const sparse = recommend({ problem: 'multiclass', labels: 'integer', output: 'logits' });
  assert.equal(sparse.keras.code, 'keras.losses.SparseCategoricalCrossentropy(from_logits=True)');
  assert.equal(sparse.tfnn.code, 'tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=z)');
  assert.equal(sparse.pytorch.code, 'nn.CrossEntropyLoss()');
  assert.deepEqual(sparse.xent, { fn: 'sparseCategoricalCrossentropy', options: { fromLogits: true } });
  const binary = recommend({ problem: 'binary', labels: 'binary01', output: 'logits' });
  assert.equal(binary.tfjs.code, 'tf.losses.sigmoidCrossEntropy(y, z)');
  assert.equal(binary.pytorch.code, 'nn.BCEWithLogitsLoss()');
  const twoWay = recommend({ problem: 'binary', labels: 'binary01', output: 'logits', outputUnits: 2 });
  assert.equal(twoWay.keras.className, 'SparseCategoricalCrossentropy', 'two logits for a binary problem: treat as multi-class');
});

test('a wrong output activation is replaced, never kept, in the recommendation', () => {
  for (const [p, l, o] of [['multiclass', 'onehot', 'sigmoid'], ['multiclass', 'integer', 'sigmoid'], ['multilabel', 'multihot', 'softmax']]) {
    const r = recommend({ problem: p, labels: l, output: o });
    assert.equal(r.verdict, 'mismatch');
    assert.ok(r.activation.startsWith('no activation'));
    assert.equal(r.keras.args.from_logits, true);
  }
  assert.equal(recommend({ problem: 'multilabel', labels: 'multihot', output: 'softmax' }).keras.className, 'BinaryCrossentropy');
  assert.equal(recommend({ problem: 'multiclass', labels: 'onehot', output: 'sigmoid' }).keras.className, 'CategoricalCrossentropy');
});

// Each mistake of docs/semantics.md 7.2, in a situation where it is the only one.
const MISTAKES = [
  ['double-activation', { problem: 'multiclass', labels: 'integer', output: 'softmax', fromLogits: true }],
  ['double-activation', { problem: 'binary', labels: 'binary01', output: 'sigmoid', currentLoss: 'tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=p)' }],
  ['double-activation', { problem: 'multiclass', labels: 'integer', output: 'softmax', currentLoss: 'nn.CrossEntropyLoss()' }],
  ['double-activation', { problem: 'multiclass', labels: 'onehot', output: 'softmax', currentLoss: 'tf.losses.softmaxCrossEntropy', framework: 'tfjs' }],
  ['logits-treated-as-probabilities', { problem: 'binary', labels: 'binary01', output: 'logits', fromLogits: false }],
  ['logits-treated-as-probabilities', { problem: 'binary', labels: 'binary01', output: 'logits', currentLoss: 'binary_crossentropy' }],
  ['logits-treated-as-probabilities', { problem: 'binary', labels: 'binary01', output: 'logits', currentLoss: 'nn.BCELoss()' }],
  ['logits-treated-as-probabilities', { problem: 'multiclass', labels: 'integer', output: 'logits', currentLoss: 'nn.NLLLoss()' }],
  ['integer-labels-with-categorical', { problem: 'multiclass', labels: 'integer', output: 'logits', currentLoss: 'CategoricalCrossentropy(from_logits=True)' }],
  ['onehot-labels-with-sparse', { problem: 'multiclass', labels: 'onehot', output: 'logits', currentLoss: 'keras.losses.SparseCategoricalCrossentropy(from_logits=True)' }],
  ['softmax-on-multilabel', { problem: 'multilabel', labels: 'multihot', output: 'softmax' }],
  ['softmax-on-multilabel', { problem: 'multilabel', labels: 'multihot', output: 'logits', currentLoss: 'CategoricalCrossentropy(from_logits=True)' }],
  ['sigmoid-on-exclusive', { problem: 'multiclass', labels: 'onehot', output: 'sigmoid' }],
  ['sigmoid-on-exclusive', { problem: 'multiclass', labels: 'onehot', output: 'logits', currentLoss: 'BinaryCrossentropy(from_logits=True)' }],
  ['single-unit-softmax', { problem: 'binary', labels: 'binary01', output: 'softmax', outputUnits: 1 }],
  ['single-unit-softmax', { problem: 'multiclass', labels: 'onehot', output: 'logits', outputUnits: 1 }],
  ['binary-one-hot', { problem: 'binary', labels: 'onehot', output: 'logits' }],
  ['label-out-of-range', { problem: 'multiclass', labels: 'integer', output: 'logits', numClasses: 10, labelRange: [1, 10] }],
  ['label-out-of-range', { problem: 'multiclass', labels: 'integer', output: 'logits', numClasses: 21, labelRange: [0, 255] }],
  ['labels-not-in-0-1', { problem: 'binary', labels: 'binary01', output: 'logits', labelRange: [-1, 1] }],
  ['unstable-hand-written-loss', { problem: 'multiclass', labels: 'onehot', output: 'logits', currentLoss: 'custom' }],
  ['unstable-hand-written-loss', { problem: 'multiclass', labels: 'onehot', output: 'logits', currentLoss: '-tf.reduce_sum(y * tf.math.log(p))' }],
  ['imbalance', { problem: 'binary', labels: 'binary01', output: 'logits', imbalanced: true }],
  ['huge-vocabulary', { problem: 'multiclass', labels: 'integer', output: 'logits', hugeVocabulary: true }],
  ['label-noise', { problem: 'multiclass', labels: 'onehot', output: 'logits', noisyLabels: true }],
  ['padding', { problem: 'multiclass', labels: 'integer', output: 'logits', numClasses: 21, labelRange: [0, 255], paddingLabel: 255 }],
  ['sparse-label-smoothing', { problem: 'multiclass', labels: 'integer', output: 'logits', currentLoss: 'SparseCategoricalCrossentropy(from_logits=True, label_smoothing=0.1)' }],
  ['tfjs-sparse-from-logits', { problem: 'multiclass', labels: 'integer', output: 'logits', framework: 'tfjs', currentLoss: 'sparseCategoricalCrossentropy(y, z, true)' }],
  ['positional-arguments', { problem: 'multiclass', labels: 'onehot', output: 'logits', currentLoss: 'tf.nn.softmax_cross_entropy_with_logits(z, y)' }],
  ['units-mismatch', { problem: 'multiclass', labels: 'integer', output: 'logits', numClasses: 10, outputUnits: 9 }],
  ['nll-without-log', { problem: 'multiclass', labels: 'integer', output: 'softmax', currentLoss: 'nn.NLLLoss()' }],
  ['labels-contradict-problem', { problem: 'multilabel', labels: 'integer', output: 'logits' }],
];

test('each listed mistake raises exactly its warning id', () => {
  for (const id of ISSUE_IDS) assert.ok(MISTAKES.some(([m]) => m === id), `a scenario covers ${id}`);
  for (const [id, situation] of MISTAKES) {
    const r = recommend(situation);
    const severity = WARNINGS[id].severity;
    // Nothing else at the mistake's own severity or worse; 'prefer-logits'-style notes may accompany it.
    assert.deepEqual(ids(r, severity === 'info' ? 'info' : 'warning'), [id], `${JSON.stringify(situation)}: ${r.warnings.map((w) => w.id)}`);
  }
});

test('correct setups raise no error and no warning', () => {
  for (const row of TABLE.filter((r) => r.verdict === 'correct')) {
    const r = recommend({ problem: row.problem, labels: row.labels, output: row.output, fromLogits: row.output === 'logits' });
    assert.deepEqual(ids(r, 'warning'), [], row.key);
  }
  const clean = recommend({ problem: 'multiclass', labels: 'integer', output: 'logits', fromLogits: true, numClasses: 10, outputUnits: 10, labelRange: [0, 9], currentLoss: 'SparseCategoricalCrossentropy(from_logits=True)' });
  assert.deepEqual(ids(clean), []);
});

test('the optional facts change the recommended call', () => {
  const smooth = recommend({ problem: 'multiclass', labels: 'onehot', output: 'logits', noisyLabels: true });
  assert.equal(smooth.keras.code, 'keras.losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1)');
  assert.equal(smooth.xent.options.labelSmoothing, 0.1);
  assert.equal(smooth.pytorch.code, 'nn.CrossEntropyLoss(label_smoothing=0.1)');
  const sparseSmooth = recommend({ problem: 'multiclass', labels: 'integer', output: 'logits', noisyLabels: true });
  assert.ok(!('label_smoothing' in sparseSmooth.keras.args), 'Keras sparse has no label_smoothing');
  assert.ok(sparseSmooth.alternatives.some((a) => a.keras.args.label_smoothing === 0.1 && a.labelTransform.id === 'onehot'));
  const pad = recommend({ problem: 'multiclass', labels: 'integer', output: 'logits', paddingLabel: -1 });
  assert.equal(pad.keras.code, 'keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=-1)');
  assert.equal(pad.pytorch.code, 'nn.CrossEntropyLoss(ignore_index=-1)');
  assert.equal(pad.xent.options.ignoreClass, -1);
  // Imbalance keeps the loss the labels call for and weights the classes; focal loss is an alternative.
  const imb = recommend({ problem: 'binary', labels: 'binary01', output: 'logits', imbalanced: true });
  assert.equal(imb.keras.code, 'keras.losses.BinaryCrossentropy(from_logits=True)');
  assert.equal(imb.keras.fit, 'model.fit(x, y, class_weight={0: 1.0, 1: n_neg / n_pos})');
  assert.equal(imb.tfnn.code, 'tf.nn.weighted_cross_entropy_with_logits(labels=y, logits=z, pos_weight=n_neg / n_pos)');
  assert.equal(imb.pytorch.code, 'nn.BCEWithLogitsLoss(pos_weight=torch.tensor([n_neg / n_pos]))');
  assert.equal(imb.tfjs.code, 'tf.losses.sigmoidCrossEntropy(y, z, weights)');
  assert.deepEqual(imb.xent, { fn: 'binaryCrossentropy', options: { fromLogits: true }, note: 'Add classWeight: [1, n_neg / n_pos] (one weight per class).' });
  const focalAlt = imb.alternatives.find((a) => a.keras.className === 'BinaryFocalCrossentropy');
  assert.ok(focalAlt, 'focal loss is offered as the alternative');
  assert.match(focalAlt.summary, /alpha=0\.25 .* down-weights the rare positives/);
  assert.match(imb.warnings.find((w) => w.id === 'imbalance').message, /keep the recommended loss .* alpha=0\.25 .* down-weights the rare positives/);
  const multiImb = recommend({ problem: 'multiclass', labels: 'onehot', output: 'softmax', imbalanced: true });
  assert.equal(multiImb.keras.className, 'CategoricalCrossentropy');
  assert.ok(multiImb.alternatives.some((a) => a.keras.className === 'CategoricalFocalCrossentropy' && /scales the loss and does not rebalance/.test(a.summary)));
  assert.equal(multiImb.pytorch.code, 'nn.CrossEntropyLoss(weight=torch.tensor([w0, w1, ...]))');
  assert.match(multiImb.pytorch.note, /divides by the sum of the weights/);
  assert.equal(recommend({ problem: 'binary', labels: 'integer', output: 'softmax', outputUnits: 1 }).verdict, 'invalid');
});

test('invalid situations throw TypeError or RangeError naming the field and the allowed values', () => {
  const base = { problem: 'binary', labels: 'binary01', output: 'logits' };
  const cases = [
    [undefined, TypeError, /situation must be an object/],
    ['binary', TypeError, /situation must be an object/],
    [{ labels: 'integer', output: 'logits' }, TypeError, /situation\.problem is required: one of 'binary', 'multiclass', 'multilabel'/],
    [{ ...base, problem: 'multi-class' }, RangeError, /situation\.problem must be one of 'binary', 'multiclass', 'multilabel'; got 'multi-class'/],
    [{ ...base, labels: 'one-hot' }, RangeError, /situation\.labels must be one of 'binary01', 'integer', 'onehot', 'soft', 'multihot'/],
    [{ ...base, output: 'relu' }, RangeError, /situation\.output must be one of 'logits', 'sigmoid', 'softmax'/],
    [{ ...base, output: 3 }, TypeError, /situation\.output must be a string/],
    [{ ...base, framework: 'jax' }, RangeError, /situation\.framework must be one of 'keras', 'tfnn', 'tfjs', 'pytorch'/],
    [{ ...base, fromLogits: 'yes' }, TypeError, /situation\.fromLogits must be true or false/],
    [{ ...base, numClasses: 0 }, RangeError, /situation\.numClasses must be a positive integer; got 0/],
    [{ ...base, outputUnits: 2.5 }, RangeError, /situation\.outputUnits/],
    [{ ...base, labelRange: [3] }, TypeError, /situation\.labelRange must be \[min, max\]/],
    [{ ...base, labelRange: [3, 1] }, RangeError, /situation\.labelRange/],
    [{ ...base, paddingLabel: 0.5 }, RangeError, /situation\.paddingLabel must be an integer/],
    [{ ...base, currentLoss: '' }, TypeError, /situation\.currentLoss/],
    [{ ...base, fromLogit: true }, RangeError, /situation\.fromLogit is not a known field/],
    [{ ...base, imbalanced: 1 }, TypeError, /situation\.imbalanced must be true or false/],
  ];
  for (const [s, Err, re] of cases) assert.throws(() => recommend(s), (e) => e instanceof Err && re.test(e.message), JSON.stringify(s));
});

test('data that contradicts the declared encodings is named (from an inspection)', () => {
  const softmaxData = { labels: 'integer', output: 'softmax', labelRange: [0, 4], rows: 8, labelCols: 1, classes: 5,
    rowsBreakingLabelPattern: 0, rowsBreakingOutputPattern: 0, labelNonfinite: 0, predNonfinite: 0, notes: [] };
  const r = recommend({ problem: 'multiclass', labels: 'integer', output: 'logits', inspection: softmaxData });
  assert.deepEqual(ids(r), ['declared-contradicts-data', 'double-activation']);
  const logitsData = { ...softmaxData, output: 'logits' };
  const r2 = recommend({ problem: 'multiclass', labels: 'integer', output: 'softmax', inspection: logitsData });
  assert.deepEqual(ids(r2, 'warning'), ['declared-contradicts-data', 'logits-treated-as-probabilities']);
  const r3 = recommend({ problem: 'multiclass', labels: 'onehot', output: 'logits', inspection: { ...softmaxData, output: 'logits' } });
  assert.deepEqual(ids(r3), ['declared-contradicts-data']);
  assert.match(r3.warnings[0].message, /labels declared onehot but look integer/);
  const r4 = recommend({ problem: 'multiclass', labels: 'integer', output: 'logits', inspection: { ...softmaxData, output: 'logits', labelRange: [1, 5] } });
  assert.deepEqual(ids(r4), ['label-out-of-range'], 'the data range is checked against the data width');
  const fractional = recommend({ problem: 'binary', labels: 'binary01', output: 'logits', inspection: { ...softmaxData, labels: 'soft', output: 'logits', labelRange: [0, 1], classes: 1 } });
  assert.deepEqual(ids(fractional), ['declared-contradicts-data'], 'fractional targets are not 0/1');
  const indices = recommend({ problem: 'binary', labels: 'integer', output: 'logits', inspection: { ...softmaxData, labels: 'binary01', output: 'logits', labelRange: [0, 1], classes: 1 } });
  assert.deepEqual(ids(indices), [], '0/1 data is a special case of integer labels');
  const inferred = recommend({ inspection: { ...softmaxData, output: 'logits' } });
  assert.equal(inferred.keras.code, 'keras.losses.SparseCategoricalCrossentropy(from_logits=True)', 'undeclared fields come from the data');
  const noisy = recommend({ problem: 'multiclass', labels: 'integer', output: 'logits', inspection: { ...softmaxData, output: 'logits', rowsBreakingLabelPattern: 2, labelNonfinite: 1 } });
  assert.deepEqual(ids(noisy), ['inconsistent-rows', 'nonfinite-data']);
});

test('yTrue/yPred go through the injected inspector; without one the error says how to get it', () => {
  const calls = [];
  const inspect = (yTrue, yPred, opts) => {
    calls.push([yTrue, yPred, opts]);
    return { labels: 'onehot', output: 'sigmoid', labelRange: [0, 1], classes: 3, rows: 2, rowsBreakingLabelPattern: 0, rowsBreakingOutputPattern: 0, labelNonfinite: 0, predNonfinite: 0 };
  };
  const r = recommend({ problem: 'multiclass', labels: 'onehot', output: 'softmax', yTrue: [[1, 0, 0], [0, 1, 0]], yPred: [[0.9, 0.8, 0.1], [0.1, 0.7, 0.3]] }, { inspect });
  assert.equal(calls.length, 1);
  assert.ok(ids(r).includes('declared-contradicts-data'));
  assert.throws(() => recommend({ problem: 'binary', labels: 'binary01', output: 'logits', yTrue: [1], yPred: [0] }), /init/);
});

test('current losses as users write them are recognised', () => {
  const cases = [
    ['keras.losses.CategoricalCrossentropy(from_logits=True)', 'categorical', 'logits'],
    ['tf.keras.losses.BinaryCrossentropy()', 'binary', undefined],
    ['sparse_categorical_crossentropy', 'sparse', undefined],
    ['nn.CrossEntropyLoss()', 'torch-ce', 'logits'],
    ['torch.nn.BCEWithLogitsLoss(pos_weight=w)', 'binary', 'logits'],
    ['F.binary_cross_entropy', 'binary', 'probs'],
    ['tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=z)', 'sparse', 'logits'],
    ['tf.losses.logLoss', 'binary', 'probs'],
    ['custom', 'custom', undefined],
    ['hinge', 'unknown', undefined],
  ];
  for (const [text, kind, space] of cases) {
    const p = parseCurrentLoss(text);
    assert.equal(p.kind, kind, text);
    assert.equal(p.space, space, text);
  }
  assert.deepEqual(ids(recommend({ problem: 'binary', labels: 'binary01', output: 'logits', currentLoss: 'hinge' })), ['unknown-current-loss']);
});

test('docs/choosing.md is generated from the table and up to date', () => {
  assert.equal(readFileSync(TARGET, 'utf8'), render(), 'run node scripts/gen-choosing.js');
  const text = render();
  for (const row of TABLE) assert.ok(text.includes(`### ${row.problem} / ${row.labels} / ${row.output}`), row.key);
  for (const id of Object.keys(WARNINGS)) assert.ok(text.includes(`**${id}**`), id);
});

test('the result has the documented shape, with the numbers the user gave filled in', () => {
  const r = recommend({ problem: 'multiclass', labels: 'integer', output: 'logits', numClasses: 10 });
  assert.deepEqual(Object.keys(r.keras).sort(), ['args', 'className', 'code']);
  assert.deepEqual(Object.keys(r.pytorch).sort(), ['code', 'note']);
  assert.deepEqual(Object.keys(r.xent).sort(), ['fn', 'options']);
  assert.deepEqual(Object.keys(recommend({ problem: 'binary', labels: 'binary01', output: 'logits' }).tfnn), ['code'], 'no empty note');
  assert.equal(r.tfjs.code, 'tf.losses.softmaxCrossEntropy(tf.oneHot(y, 10), z)');
  const fromData = recommend({ problem: 'multiclass', labels: 'integer', output: 'logits', numClasses: 10,
    inspection: { labels: 'integer', output: 'logits', labelRange: [0, 8], classes: 9, rows: 4, rowsBreakingLabelPattern: 0, rowsBreakingOutputPattern: 0, labelNonfinite: 0, predNonfinite: 0 } });
  assert.deepEqual(ids(fromData), ['units-mismatch'], 'nine prediction columns for ten classes');
});

test('the recommender knows the wider family: poly-1 for exclusive classes from logits, generalized cross-entropy for noisy labels, logits distillation for a teacher', () => {
  const r = recommend({ problem: 'multiclass', labels: 'integer', output: 'logits', noisyLabels: true, distillation: true });
  const fns = r.alternatives.map((a) => a.xent.fn);
  for (const fn of ['polyLossCrossentropy', 'categoricalGeneralizedCrossentropy', 'logitsDistillation']) assert.ok(fns.includes(fn), `${fn} in ${fns.join(', ')}`);
  assert.ok(r.warnings.some((w) => w.id === 'distillation' && /T\^2/.test(w.message)));
  const poly = r.alternatives.find((a) => a.xent.fn === 'polyLossCrossentropy');
  assert.equal(poly.labelTransform.id, 'onehot', 'poly-1 takes dense labels');
  const probs = recommend({ problem: 'multiclass', labels: 'onehot', output: 'softmax', noisyLabels: true });
  const gce = probs.alternatives.find((a) => a.xent.fn === 'categoricalGeneralizedCrossentropy');
  assert.equal(gce.xent.options.fromLogits, false);
  assert.equal(gce.labelTransform.id, 'argmax', 'generalized CE takes class indices');
  assert.ok(!probs.alternatives.some((a) => a.xent.fn === 'polyLossCrossentropy'), 'poly-1 takes logits');
  const multilabel = recommend({ problem: 'multilabel', labels: 'multihot', output: 'logits', noisyLabels: true, distillation: true });
  assert.ok(!multilabel.alternatives.some((a) => ['polyLossCrossentropy', 'categoricalGeneralizedCrossentropy', 'logitsDistillation'].includes(a.xent.fn)), 'none of them is for independent classes');
  assert.throws(() => recommend({ problem: 'multiclass', labels: 'integer', output: 'logits', distillation: 'yes' }), TypeError);
});
