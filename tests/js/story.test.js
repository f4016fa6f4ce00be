// story.test.js: the explorer's story over every declared problem x labels x
// output x from_logits combination and the option states that change the
// loss or its code (story-states.js, 810 states). For each: the verdict agrees
// with the warnings; the Keras program the page prints, read back as text
// (its labels, its logits, its activation, its loss class and arguments, its
// sample weights), recomputed here through the xent API equals the loss the
// Live example shows; every option set appears in all five tabs, or is named
// there as not applied; a correct setup names the loss the recommendation
// names. The verdict rule itself is checked on the recommender directly.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as xent from '../../js/index.js';
import { TABLE } from '../../js/decision-table.js';
import { recommend } from '../../js/recommend.js';
import { page, states } from './story-states.js';

before(async () => { await xent.init(); });

// Keras class -> xent function, and Keras argument -> xent option, written here.
const FN = { BinaryCrossentropy: 'binaryCrossentropy', CategoricalCrossentropy: 'categoricalCrossentropy',
  SparseCategoricalCrossentropy: 'sparseCategoricalCrossentropy', BinaryFocalCrossentropy: 'binaryFocalCrossentropy',
  CategoricalFocalCrossentropy: 'categoricalFocalCrossentropy' };
const OPT = { from_logits: 'fromLogits', label_smoothing: 'labelSmoothing', apply_class_balancing: 'applyClassBalancing',
  alpha: 'alpha', gamma: 'gamma', ignore_class: 'ignoreClass', reduction: 'reduction' };
const pyValue = (t) => (t === 'True' ? true : t === 'False' ? false : /^"/.test(t) ? t.slice(1, -1) : Number(t));
const arr = (text) => JSON.parse(text);

// Reads the Keras tab back: data, activation, loss, weights; recomputes through xent.
function kerasLoss(code) {
  const y = arr(code.match(/^y_true = np\.array\((.*), dtype="(?:int32|float32)"\)$/m)[1]);
  const z = arr(code.match(/^z = np\.array\((.*), dtype="float32"\)/m)[1]);
  const n = z.length, u = z[0].length;
  let p = z.map((r) => r.slice());
  if (/^y_pred = 1 \/ \(1 \+ np\.exp\(-z\)\)/m.test(code)) p = z.map((r) => r.map((v) => 1 / (1 + Math.exp(-Math.fround(v)))));
  else if (/^y_pred = e \/ e\.sum/m.test(code)) {
    p = z.map((r) => { const f = r.map(Math.fround); const m = Math.max(...f); const e = f.map((v) => Math.exp(v - m)); const s = e.reduce((a, b) => a + b, 0); return e.map((v) => v / s); });
  } else assert.match(code, /^y_pred = z/m);
  const yPred = Float32Array.from(p.flat());
  const custom = code.match(/pos_weight=([\d.e+-]+)\)/);
  if (custom) {
    const sm = code.match(/^ {4}y = y_true \* ([\d.]+) \+ ([\d.e-]+)$/m);
    const yy = Float32Array.from(y.flat(), (v) => (sm ? v * Number(sm[1]) + Number(sm[2]) : v));
    const r = xent.weightedCrossEntropyWithLogits(yy, yPred, Number(custom[1]), { shape: [n, u] });
    let total = 0;
    for (let i = 0; i < n; i++) { let a = 0; for (let j = 0; j < u; j++) a += r.losses[i * u + j]; total += a / u; }
    return Math.fround(total / (/reduce_sum\(per_example\)/.test(code) ? 1 : n));
  }
  const [, cls, argText] = code.match(/^loss_fn = keras\.losses\.(\w+)\((.*)\)$/m);
  const options = { shape: [n, u] };
  for (const kv of argText.split(/,\s*/).filter(Boolean)) {
    const [k, v] = kv.split('=');
    assert.ok(OPT[k], `Keras argument ${k}`);
    options[OPT[k]] = pyValue(v);
  }
  const sw = code.match(/^sample_weight = np\.array\((.*), dtype="float32"\)$/m);
  if (sw) options.sampleWeight = arr(sw[1]);
  const yTrue = cls === 'SparseCategoricalCrossentropy' ? Int32Array.from(y) : Float32Array.from(y.flat());
  return xent[FN[cls]](yTrue, yPred, options).loss;
}

// The numbers an option state puts into the code, per tab language.
function optionTexts(spec) {
  const t = [];
  if (spec.labelSmoothing) t.push(['smoothing', spec.labelSmoothing]);
  if (spec.focal) t.push(['gamma', spec.gamma]);
  if (spec.focal && (spec.family === 'categorical' || spec.classBalancing)) t.push(['alpha', spec.alpha]);
  if (spec.posWeight !== null) t.push(['pos_weight', spec.posWeight]);
  if (spec.ignoreClass !== null) t.push(['ignore', spec.ignoreClass]);
  return t;
}

test('every state: the verdict follows from the warnings, the Keras program recomputes the Live loss, every option is in every tab', () => {
  let count = 0;
  for (const { key, s } of states()) {
    const p = page(xent, s);
    count++;
    const rec = p.rec;
    // Verdict and warnings never contradict each other.
    const errors = rec.warnings.filter((w) => w.severity === 'error').length;
    const warns = rec.warnings.filter((w) => w.severity === 'warning').length;
    assert.equal(rec.verdict === 'invalid', errors > 0, `${key}: invalid iff an error (${rec.verdict})`);
    assert.equal(rec.verdict === 'mismatch', errors === 0 && warns > 0, `${key}: mismatch iff a warning and no error`);
    assert.ok(rec.verdict !== 'works' || rec.change, `${key}: 'works' names its change`);
    if (s['from-logits'] !== (s.output === 'logits')) assert.equal(rec.verdict, 'invalid', `${key}: a from_logits mistake is never correct`);
    assert.match(rec.explanation, new RegExp(`Your from_logits=${s['from-logits'] ? 'True' : 'False'}`), `${key}: the explanation speaks of the user's from_logits`);
    // The Live loss is the loss the page names: the Keras program recomputes it.
    const kerasCode = p.tabs.keras.code;
    assert.equal(kerasLoss(kerasCode), p.r.loss, `${key}: Keras program vs Live loss`);
    // A correct setup names the recommended loss (or, with focal on, its focal alternative).
    if (rec.verdict === 'correct') {
      const named = [rec.keras.className, ...rec.alternatives.filter((a) => /Focal/.test(a.keras.className)).map((a) => a.keras.className)];
      if (p.keras.className) assert.ok(named.includes(p.keras.className), `${key}: live class ${p.keras.className} is one the recommendation names (${named})`);
      if (p.keras.className) assert.equal(p.keras.args.from_logits, rec.keras.args.from_logits === true, `${key}: live from_logits = recommended`);
    }
    if (rec.verdict === 'correct' && !p.keras.className) assert.equal(rec.tfnn.code.split('(')[0], p.keras.op, `${key}: pos_weight is the tf.nn op recommended`);
    // Every applied option appears in every tab; every dropped one is named.
    for (const tab of ['keras', 'tfnn', 'tfjs', 'pytorch', 'xent']) {
      const code = p.tabs[tab].code;
      for (const [what, v] of optionTexts(p.spec)) {
        const texts = [String(v), String(1 - v), String(v / 2), String(v - 1)];
        assert.ok(texts.some((x) => code.includes(x)), `${key} ${tab}: ${what} ${v} in\n${code}`);
      }
      if (p.spec.classWeight) for (const c of new Set(p.r.yTrue.length ? [...p.spec.classWeight] : [])) assert.ok(code.includes(String(c)), `${key} ${tab}: class weight ${c}`);
      if (p.spec.reduction === 'sum') assert.ok(/sum/.test(code), `${key} ${tab}: reduction sum`);
      for (const d of p.spec.notApplied) assert.ok(code.includes(`Not applied: ${d.option}`), `${key} ${tab}: says ${d.option} is not applied`);
      if (rec.verdict !== 'correct') assert.ok(code.includes(`Verdict: ${rec.verdict}`), `${key} ${tab}: the verdict is stated`);
      assert.ok(code.includes(`The page shows ${String(Number(p.r.loss.toPrecision(7)))}`), `${key} ${tab}: the page's number`);
    }
  }
  assert.equal(count, 810);
});

test('the verdict rule over the decision table: never correct beside an error or a warning', () => {
  for (const row of TABLE) {
    for (const extra of [{}, { fromLogits: true }, { fromLogits: false }, { outputUnits: 1 }, { outputUnits: 2 }, { imbalanced: true, noisyLabels: true }]) {
      const r = recommend({ problem: row.problem, labels: row.labels, output: row.output, ...extra });
      const worst = r.warnings.some((w) => w.severity === 'error') ? 'invalid' : r.warnings.some((w) => w.severity === 'warning') ? 'mismatch' : r.change ? 'works' : 'correct';
      assert.equal(r.verdict, worst, `${row.key} ${JSON.stringify(extra)}`);
      assert.equal(typeof r.verdictText, 'string');
      if (r.verdict === 'works') assert.ok(r.verdictText.includes(r.change), `${row.key}: the change is in the verdict text`);
    }
  }
  // The table's own verdicts are what the rule gives each bare row.
  for (const row of TABLE) assert.equal(recommend({ problem: row.problem, labels: row.labels, output: row.output }).verdict, row.verdict, row.key);
  // The from_logits mistakes of the declared combinations are all 'invalid'.
  let mistakes = 0;
  for (const row of TABLE) {
    for (const fromLogits of [true, false]) {
      if (fromLogits === (row.output === 'logits')) continue;
      const r = recommend({ problem: row.problem, labels: row.labels, output: row.output, fromLogits });
      assert.equal(r.verdict, 'invalid', row.key);
      mistakes++;
    }
  }
  assert.equal(mistakes, 45);
});
