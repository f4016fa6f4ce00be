// story.js: everything the explorer says about a state, as pure functions of
// it: the recommender's situation and answer (verdict, warnings, explanation),
// the loss the Live example computes (docs/semantics.md §2.3-2.8, §3.2: the
// family the recommendation names for this problem and these labels, with the
// user's from_logits and every option that applies to it), the options set
// but not applied and why, the labels in the layout that loss takes, and the
// xent call. No DOM, no wasm. Imported by model.js, codegen.js, the panels and
// the tests; the explorer, the code tabs and the tests all read these, so
// the page cannot name one loss and compute another.

import { recommend } from '../js/recommend.js';
import { LOSSES, resolve } from '../js/decision-table.js';
import { units, targetsAsRows } from './state.js';

// The recommender's situation for a state: what the Choose panel declares.
export function situation(s) {
  const sit = {
    problem: s.problem,
    labels: s.labels,
    output: s.output,
    fromLogits: s['from-logits'],
    numClasses: s.labels === 'binary01' ? 2 : s.classes,
    outputUnits: units(s),
  };
  if (s['class-weight'].length || s['pos-weight'] !== 1 || s.focal) sit.imbalanced = true;
  if (s['label-smoothing'] > 0) sit.noisyLabels = true;
  if (s['ignore-class'] >= 0) sit.paddingLabel = s['ignore-class'];
  if (s['current-loss']) sit.currentLoss = s['current-loss'];
  if (s['huge-vocabulary']) sit.hugeVocabulary = true;
  if (s['dense-targets']) sit.denseTargets = true;
  if (s.distillation) sit.distillation = true;
  return sit;
}

// The situation with data: the state's declarations and xent.inspect's
// reading of pasted arrays. The output width comes from the data, so a last
// layer of the wrong width shows against the declared class count.
export function dataSituation(s, inspection) {
  const sit = { ...situation(s), inspection };
  delete sit.outputUnits;
  return sit;
}

// The loss family the Live example uses: the one the recommendation names for
// this problem, labels and output width (from_logits does not change it). One
// output column only fits the binary loss; soft or multi-hot rows cannot be
// class indices.
export function lossFamily(s) {
  const u = units(s);
  if (u === 1) return 'binary';
  const family = LOSSES[resolve(s.problem, s.labels, s.output, u).loss].family;
  if (family === 'sparse' && s.labels !== 'integer' && s.labels !== 'onehot') return 'categorical';
  return family;
}

const ON = Object.freeze({ on: true, why: '' });
const off = (why) => ({ on: false, why });

// Which options apply to the state's loss, and why not when one does not.
// The Choose panel enables exactly these; liveSpec applies exactly these.
export function optionRules(s) {
  const family = lossFamily(s);
  const focal = s.focal && family !== 'sparse';
  const pw = family === 'binary' && s['from-logits'] && !s.focal;
  return {
    'label-smoothing': family === 'sparse' ? off('Keras’ SparseCategoricalCrossentropy has no label_smoothing: choose one-hot labels to smooth them.') : ON,
    focal: family === 'sparse' ? off('Keras has no sparse focal loss: choose one-hot labels for CategoricalFocalCrossentropy.') : ON,
    gamma: focal ? ON : off('gamma belongs to the focal loss: turn focal on.'),
    alpha: focal && (family === 'categorical' || s['class-balancing']) ? ON
      : off(focal ? 'BinaryFocalCrossentropy uses alpha only with apply_class_balancing.' : 'alpha belongs to the focal loss: turn focal on.'),
    'class-balancing': focal && family === 'binary' ? ON : off('apply_class_balancing belongs to the binary focal loss.'),
    'pos-weight': pw ? ON : off(family !== 'binary' ? 'pos_weight is for a sigmoid per output column (0/1 or multi-label targets).'
      : s.focal ? 'pos_weight and the focal loss are alternatives: turn focal off to use pos_weight.'
        : 'pos_weight needs logits (tf.nn.weighted_cross_entropy_with_logits): set from_logits=True.'),
    'class-weight': pw && s['pos-weight'] !== 1 ? off('Class weights and pos_weight are alternatives: set pos_weight to 1 to use class weights.')
      : s.problem === 'multilabel' && units(s) > 1 ? off('Class weights give each example the weight of one class (the argmax of its row), which does not fit multi-label targets: use pos_weight.') : ON,
    'ignore-class': family === 'sparse' ? ON : off('ignore_class exists only for the sparse loss (integer labels).'),
  };
}

const DEFAULTS = { 'label-smoothing': 0, focal: false, gamma: 2, alpha: 0.25, 'class-balancing': false, 'pos-weight': 1, 'class-weight': [], 'ignore-class': -1 };
const isSet = (s, k) => (Array.isArray(DEFAULTS[k]) ? s[k].length > 0 : s[k] !== DEFAULTS[k]);

// The loss the Live example computes, framework-neutral: family, from_logits,
// the model output, the shape [n, u] and every option that applies.
// `notApplied` lists the options set that do not apply, with the reason.
export function liveSpec(s) {
  const rules = optionRules(s);
  const use = (k) => rules[k].on && isSet(s, k);
  const family = lossFamily(s);
  const spec = {
    family, fromLogits: s['from-logits'], output: s.output, n: s.batch, u: units(s), classes: s.classes,
    reduction: s.reduction, labelSmoothing: use('label-smoothing') ? s['label-smoothing'] : 0,
    focal: use('focal'), gamma: s.gamma, alpha: s.alpha, classBalancing: use('class-balancing'),
    posWeight: use('pos-weight') ? s['pos-weight'] : null,
    classWeight: use('class-weight') ? s['class-weight'].slice() : null,
    ignoreClass: use('ignore-class') ? s['ignore-class'] : null,
    notApplied: Object.keys(DEFAULTS).filter((k) => isSet(s, k) && !rules[k].on).map((k) => ({ option: k, why: rules[k].why })),
  };
  if (!spec.focal) spec.classBalancing = false;
  return spec;
}

// The Keras class (or, for pos_weight, the tf.nn op Keras lacks) and its
// arguments in Keras spelling, in the order Keras documents them.
export function kerasName(spec) {
  if (spec.posWeight !== null) return { className: null, args: { pos_weight: spec.posWeight }, op: 'tf.nn.weighted_cross_entropy_with_logits' };
  const args = {};
  let className;
  if (spec.family === 'binary' && spec.focal) {
    className = 'BinaryFocalCrossentropy';
    if (spec.classBalancing) Object.assign(args, { apply_class_balancing: true, alpha: spec.alpha });
    args.gamma = spec.gamma;
  } else if (spec.family === 'categorical' && spec.focal) {
    className = 'CategoricalFocalCrossentropy';
    Object.assign(args, { alpha: spec.alpha, gamma: spec.gamma });
  } else {
    className = { binary: 'BinaryCrossentropy', categorical: 'CategoricalCrossentropy', sparse: 'SparseCategoricalCrossentropy' }[spec.family];
  }
  args.from_logits = spec.fromLogits;
  if (spec.labelSmoothing) args.label_smoothing = spec.labelSmoothing;
  if (spec.ignoreClass !== null) args.ignore_class = spec.ignoreClass;
  if (spec.reduction !== 'sum_over_batch_size') args.reduction = spec.reduction;
  return { className, args };
}

// The xent call: { fn, options } (options without shape and gradient), or
// for pos_weight the tf.nn op with its per-element losses averaged by us.
export function xentCall(spec) {
  if (spec.posWeight !== null) {
    return { fn: 'weightedCrossEntropyWithLogits', posWeight: spec.posWeight, labelSmoothing: spec.labelSmoothing, options: {} };
  }
  const o = { fromLogits: spec.fromLogits };
  let fn = { binary: 'binaryCrossentropy', categorical: 'categoricalCrossentropy', sparse: 'sparseCategoricalCrossentropy' }[spec.family];
  if (spec.focal) {
    fn = spec.family === 'binary' ? 'binaryFocalCrossentropy' : 'categoricalFocalCrossentropy';
    o.gamma = spec.gamma;
    o.alpha = spec.alpha;
    if (spec.classBalancing) o.applyClassBalancing = true;
  }
  if (spec.labelSmoothing) o.labelSmoothing = spec.labelSmoothing;
  if (spec.classWeight) o.classWeight = spec.classWeight.slice();
  if (spec.ignoreClass !== null) o.ignoreClass = spec.ignoreClass;
  if (spec.reduction !== 'sum_over_batch_size') o.reduction = spec.reduction;
  return { fn, options: o };
}

// Labels in the layout the spec's loss takes, from targets in the state's
// encoding: int32 class indices [n] for the sparse loss, else float32 [n, u]
// rows (one-hot rows for class indices).
export function labelsFor(s, spec, targets, n) {
  if (spec.family === 'sparse') return Int32Array.from(targets.slice(0, n));
  const u = spec.u;
  if (u === 1 || s.labels === 'soft' || s.labels === 'multihot') return Float32Array.from(targets.slice(0, n * u));
  const rows = targetsAsRows({ ...s, batch: n, targets });
  return Float32Array.from(rows.flat());
}

// The class of each example, as Keras' class_weight and xent read it: the
// index, else the argmax of the row (first maximum), else (one column) y
// rounded half to even (labels in [0, 1]: 1 above 0.5).
export function exampleClasses(spec, y, n) {
  if (spec.family === 'sparse') return Array.from(y.slice(0, n));
  const u = spec.u;
  return Array.from({ length: n }, (_, i) => {
    if (u === 1) return y[i] > 0.5 ? 1 : 0;
    let best = 0;
    for (let j = 1; j < u; j++) if (y[i * u + j] > y[i * u + best]) best = j;
    return best;
  });
}

// Everything the page shows about a state besides the numbers: the
// recommendation (with its verdict), the Live loss and the options dropped.
export function story(s) {
  const spec = liveSpec(s);
  let rec;
  try {
    rec = recommend(situation(s));
  } catch (e) {
    rec = { error: e.message, warnings: [] };
  }
  const worst = rec.error ? undefined : rec.warnings.find((w) => w.severity === (rec.verdict === 'invalid' ? 'error' : 'warning'));
  const verdict = rec.error ? null : { verdict: rec.verdict, text: rec.verdictText, fix: rec.keras.code, first: worst?.id ?? null };
  return { rec, spec, verdict, keras: kerasName(spec), call: xentCall(spec) };
}
