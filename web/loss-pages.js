// loss-pages.js: the "live" documentation page of each loss family (binary,
// categorical, sparse, focal, and the sampled losses), built from the
// recommender's data: the decision table's rows that call for the family (when
// to use it), its LOSSES entries (the Keras, tf.nn, TF.js, PyTorch and xent
// equivalents with their notes), the lessons for its mistakes (pitfalls,
// linking to `index.html#lesson=<id>`), and an embedded <xent-explorer> preset
// to it. The formulas are docs/semantics.md 2.3-2.6 and, for the sampled
// losses (sampled softmax and NCE, which have no LOSSES entry: their
// equivalents are data here), 3.5; their "when to use it" is the recommender's
// huge-vocabulary advice for the state the page's explorer opens, and the full
// softmax loss it recommends for evaluation. Pure: pageHtml(family) returns the
// HTML that scripts/gen-loss-pages.js writes to web/losses/<family>.html (a
// test checks the files are up to date).

import { LOSSES, TABLE, NAMES } from '../js/decision-table.js';
import { recommend } from '../js/recommend.js';
import { lessonById } from './lessons.js';
import { fromEntries } from './state.js';
import { situation } from './story.js';
import { SAMPLED } from './loss-pages-sampled.js';

export const FAMILIES = Object.freeze({
  binary: {
    title: 'BinaryCrossentropy', losses: ['bce-logits', 'bce-probs'],
    computes: 'Each output column is its own yes/no question. With p = σ(z) (or the given probability, clipped to [1e-7, 1 − 1e-7]) and labels smoothed to y′ = y(1 − s) + s/2, each element costs −[y′ log p + (1 − y′) log(1 − p)]; an example\'s loss is the mean over its columns, and the batch loss the mean over examples. From logits it is computed as max(z, 0) − z·y′ + log(1 + e^−|z|), exact for any z. The gradient with respect to the logit is σ(z) − y′.',
    preset: { problem: 'binary', labels: 'binary01', output: 'logits', 'from-logits': 'true', batch: '3' },
    pitfalls: ['double-activation', 'logits-treated-as-probabilities', 'labels-not-in-0-1', 'sigmoid-on-exclusive', 'single-unit-softmax', 'imbalance'],
  },
  categorical: {
    title: 'CategoricalCrossentropy', losses: ['cce-logits', 'cce-probs'],
    computes: 'One row of C exclusive classes per example with a one-hot or soft label row, smoothed to y′ = y(1 − s) + s/C. From logits: Σ_j y′_j (logsumexp(z) − z_j), i.e. −Σ y′ log softmax(z); from probabilities the row is normalised, clipped to [1e-7, 1 − 1e-7] and −Σ y′ log q taken. The gradient with respect to the logits is softmax(z) − y′.',
    preset: { problem: 'multiclass', labels: 'onehot', output: 'logits', 'from-logits': 'true', classes: '3' },
    pitfalls: ['integer-labels-with-categorical', 'double-activation', 'softmax-on-multilabel', 'binary-labels-with-categorical', 'label-noise'],
  },
  sparse: {
    title: 'SparseCategoricalCrossentropy', losses: ['scce-logits', 'scce-probs'],
    computes: 'The same loss as the categorical one with the label given as a class index y ∈ [0, C): logsumexp(z) − z_y, i.e. −log softmax(z)_y. No label smoothing (one-hot the labels for that); ignore_class drops padding positions from the loss and the mean. The gradient with respect to the logits is softmax(z) − onehot(y).',
    preset: { problem: 'multiclass', labels: 'integer', output: 'logits', 'from-logits': 'true', classes: '3' },
    pitfalls: ['onehot-labels-with-sparse', 'label-out-of-range', 'sparse-label-smoothing', 'tfjs-sparse-from-logits', 'padding', 'nll-without-log'],
  },
  focal: {
    title: 'BinaryFocalCrossentropy and CategoricalFocalCrossentropy', losses: ['bce-logits', 'cce-logits'],
    computes: 'Cross-entropy scaled by the focal factor (1 − p_t)^γ, where p_t is the probability given to the true label: well-classified examples (p_t near 1) count far less. Binary: (1 − p_t)^γ · BCE per element, times α for positives and 1 − α for negatives with apply_class_balancing=True. Categorical: Σ_j α (1 − p_j)^γ (−y′_j log p_j), where α is one number for all classes. γ = 0 is plain cross-entropy.',
    preset: { problem: 'binary', labels: 'binary01', output: 'logits', 'from-logits': 'true', batch: '3', focal: 'true', gamma: '2' },
    pitfalls: ['imbalance', 'double-activation', 'label-noise'],
    focal: true,
  },
  sampled: SAMPLED,
});

const HIDE = 'lessons curves learn numerics paste imbalance';

const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const py = (v) => (v === true ? 'True' : v === false ? 'False' : String(v));
const kerasCode = (L, focal) => {
  const cls = focal ? (L.family === 'binary' ? 'BinaryFocalCrossentropy' : 'CategoricalFocalCrossentropy') : L.keras.className;
  const args = { ...(focal ? (L.family === 'binary' ? { gamma: 2.0 } : { alpha: 0.25, gamma: 2.0 }) : {}), ...L.keras.args };
  return `keras.losses.${cls}(${Object.entries(args).map(([k, v]) => `${k}=${py(v)}`).join(', ')})`;
};

// The recommender's answer for the state the page's explorer opens (the
// sampled page: its huge-vocabulary advice and the loss to evaluate with).
export function advice(family) {
  return recommend(situation(fromEntries(Object.entries(FAMILIES[family].preset))));
}

// The decision-table rows whose correct answer is this family (for focal:
// the rows of its two base losses; for the sampled losses: the rows of the
// full softmax loss they stand in for during training), as "problem, labels,
// output" lines.
export function whenToUse(family) {
  const f = FAMILIES[family];
  return TABLE.filter((r) => r.verdict === 'correct' && f.losses.includes(r.loss))
    .map((r) => ({ key: r.key, text: `${NAMES[r.problem]}; labels: ${NAMES[r.labels]}; model output: ${NAMES[r.output]}`, activation: r.activation }));
}

// One row per framework for one LOSSES entry (focal: its focal form).
function lossRows(id, focal, label) {
  const L = LOSSES[id];
  label ??= focal ? (L.family === 'binary' ? 'binary focal, from logits' : 'categorical focal, from logits') : L.fromLogits ? 'from logits' : 'from probabilities';
  return { id, label, rows: [
    ['Keras 3', kerasCode(L, focal), ''],
    ['tf.nn', focal ? 'no focal op: write (1 − p_t)^γ · sigmoid_cross_entropy_with_logits(labels=y, logits=z)' : L.tfnn, focal ? '' : L.tfnnNote],
    ['TF.js', focal ? 'no focal loss: multiply tf.losses.sigmoidCrossEntropy(y, z, undefined, undefined, tf.Reduction.NONE) by (1 − p_t)^γ' : L.tfjs, focal ? '' : L.tfjsNote],
    ['PyTorch', focal ? (L.family === 'binary' ? 'torchvision.ops.sigmoid_focal_loss(z, y, alpha=0.25, gamma=2, reduction="mean") (alpha=-1 turns the class balancing off)' : 'no built-in: (1 − p)^γ · F.cross_entropy(z, y, reduction="none")') : L.pytorch, focal ? '' : L.pytorchNote],
    ['xent', `xent.${focal ? (L.family === 'binary' ? 'binaryFocalCrossentropy' : 'categoricalFocalCrossentropy') : L.xent.fn}(yTrue, yPred, { fromLogits: ${L.fromLogits}${focal ? ', gamma: 2' : ''} })`, ''],
  ] };
}

// The equivalents: one row per framework for each of the family's losses;
// the sampled page's own two tables, then the full loss to evaluate with.
export function equivalents(family) {
  const f = FAMILIES[family];
  if (f.sampled) return [...f.equivalents, ...f.losses.map((id) => lossRows(id, false, 'evaluation: the full softmax loss, from logits'))];
  return f.losses.map((id) => lossRows(id, !!f.focal));
}

// "When to use it" on the sampled page: the family's cases around the decision
// table's row (train sampled, evaluate with the recommended full loss), and
// the recommender's own advice for a huge vocabulary.
function sampledUse(family) {
  const f = FAMILIES[family];
  const rec = advice(family);
  const said = rec.warnings.find((w) => w.id === 'huge-vocabulary');
  const rows = whenToUse(family).map((r) => `\n    <li>${esc(r.text)}: train with the sampled loss on the last layer's inputs, weights and biases; evaluate with <code>${esc(rec.keras.code)}</code> on all the logits</li>`);
  return `  <ul>${[`\n    <li>${esc(f.when[0])}</li>`, ...rows, ...f.when.slice(1).map((w) => `\n    <li>${esc(w)}</li>`)].join('')}
  </ul>
  <p>The recommender's advice (<code>xent.recommend</code> with <code>hugeVocabulary: true</code>): ${esc(said.message)}</p>`;
}

export function pageHtml(family) {
  const f = FAMILIES[family];
  const attrs = Object.entries(f.preset).map(([k, v]) => `${k}="${esc(v)}"`).join(' ');
  const others = Object.keys(FAMILIES).filter((k) => k !== family).map((k) => `<a href="./${k}.html">${esc(FAMILIES[k].title)}</a>`).join(' · ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${esc(f.title)}, live: what it computes, when to use it, equivalents and pitfalls</title>
<meta name="description" content="${esc(f.title)} explained with a live explorer: the formula, when to use it, the Keras, tf.nn, TensorFlow.js and PyTorch equivalents, and the common mistakes.">
<link rel="icon" href="data:,">
<style>
  body { margin: 0; font: 16px/1.5 system-ui, sans-serif; background: Canvas; color: CanvasText; }
  main { max-width: 1100px; margin: 0 auto; padding: 0 14px 48px; }
  h1 { font-size: 1.6rem; margin: 16px 0 6px; overflow-wrap: anywhere; }
  code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.9em; overflow-wrap: anywhere; }
  table { border-collapse: collapse; width: 100%; }
  th, td { border-bottom: 1px solid GrayText; padding: 4px 8px; text-align: left; vertical-align: top; }
  .note { font-size: 0.9rem; opacity: 0.85; overflow-wrap: anywhere; }
  a { color: LinkText; }
</style>
<script type="module" src="../define.js"></script>
</head>
<body>
<main data-family="${family}">
  <p><a href="../index.html">The explorer</a> · ${others}</p>
  <h1>${esc(f.title)}, live</h1>
  <h2>What it computes</h2>
${[].concat(f.computes).map((p) => `  <p>${esc(p)}</p>`).join('\n')}
  <h2>Try it</h2>
  <xent-explorer ${attrs} hide="${f.hide ?? HIDE}"></xent-explorer>
  <h2>When to use it</h2>
${f.sampled ? sampledUse(family) : `  <ul>${whenToUse(family).map((r) => `\n    <li>${esc(r.text)}: last layer ${esc(r.activation)}</li>`).join('')}
  </ul>`}
  <h2>Equivalents</h2>
${equivalents(family).map((e) => `  <h3>${esc(e.label)}</h3>
  <table><tbody>${e.rows.map(([fw, code, note]) => `\n    <tr><th scope="row">${esc(fw)}</th><td><code>${esc(code)}</code>${note ? `<br><span class="note">${esc(note)}</span>` : ''}</td></tr>`).join('')}
  </tbody></table>`).join('\n')}
  <h2>Pitfalls</h2>
  <ul>${f.pitfalls.map((id) => { const l = lessonById(id); return `\n    <li><a href="../index.html#lesson=${id}">${esc(l.title)}</a>: ${esc(l.notice)}</li>`; }).join('')}${(f.notes ?? []).map(([title, text]) => `\n    <li><strong>${esc(title)}</strong>: ${esc(text)}</li>`).join('')}
  </ul>
</main>
</body>
</html>
`;
}
