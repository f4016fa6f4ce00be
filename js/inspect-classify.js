/* inspect-classify.js: turns the counts of the C core's one-pass inspection
 * (xent_inspect, struct xent_inspection in src/xent.h) into a description of
 * the data: which label encoding and which kind of model output it looks like,
 * and how many rows break that pattern (the encodings of docs/semantics.md
 * section 7.1). Pure: no wasm. Called by js/index.js `inspect`, whose result
 * recommend.js compares with the declared encodings. */

/**
 * @typedef {object} InspectionStats  what xent_inspect counted, plus the shape
 * @property {number} rows, labelCols, classes
 * @property {number} labelNonfinite, labelIntegerRows, labelBinaryRows,
 *   labelOnehotRows, labelUnitRows, labelSum1Rows, labelMin, labelMax
 * @property {number} predNonfinite, predUnitRows, predSum1Rows, predMin, predMax
 *
 * @typedef {object} Inspection
 * @property {'integer'|'binary01'|'onehot'|'multihot'|'soft'|'unknown'} labels
 *   the most specific encoding followed by at least 90% as many rows as the
 *   most followed one; 'unknown' when fewer than half the rows follow any
 * @property {'logits'|'sigmoid'|'softmax'|'unknown'} output  rows summing to 1
 *   look softmax-like, rows in [0, 1] sigmoid-like, rows with any value outside
 *   [0, 1] are logits; 'unknown' for an empty batch
 * @property {[number, number]} labelRange  [min, max] over finite label values
 * @property {[number, number]} predRange   [min, max] over finite predictions
 * @property {number} rowsBreakingLabelPattern   rows not in the chosen encoding
 * @property {number} rowsBreakingOutputPattern  rows not in the chosen output
 *   kind (0 for logits: any finite row can be logits)
 * @property {boolean} softRowsSumTo1  for 'soft' labels: do the rows sum to 1
 *   (a distribution) or are they per-class probabilities (multi-label soft)
 * @property {boolean} labelOutOfRange  integer labels outside [0, classes)
 * @property {number} rows, labelCols, classes, labelNonfinite, predNonfinite
 *   copied from the stats
 * @property {string[]} notes  plain sentences about what was seen
 */

/* The most specific candidate (candidates come most specific first) that
 * covers at least 90% as many rows as the best one: a few damaged one-hot rows
 * still read as one-hot although they may lie in [0, 1]. */
function best(candidates) {
  const top = Math.max(...candidates.map((c) => c[1]));
  return candidates.find((c) => c[1] >= 0.9 * top);
}

/** @param {InspectionStats} s @returns {Inspection} */
export function classify(s) {
  const rows = s.rows;
  const notes = [];
  const out = {
    labels: 'unknown', output: 'unknown',
    labelRange: [s.labelMin, s.labelMax], predRange: [s.predMin, s.predMax],
    rowsBreakingLabelPattern: 0, rowsBreakingOutputPattern: 0,
    softRowsSumTo1: false, labelOutOfRange: false,
    rows, labelCols: s.labelCols, classes: s.classes,
    labelNonfinite: s.labelNonfinite, predNonfinite: s.predNonfinite, notes,
  };
  if (rows === 0) {
    notes.push('The batch is empty: nothing to inspect.');
    return out;
  }

  const labelCandidates = s.labelCols === 1
    ? [['binary01', s.labelBinaryRows], ['integer', s.labelIntegerRows], ['soft', s.labelUnitRows]]
    : [['onehot', s.labelOnehotRows], ['multihot', s.labelBinaryRows], ['soft', s.labelSum1Rows], ['soft-unit', s.labelUnitRows]];
  const [label, labelCount] = best(labelCandidates);
  if (labelCount * 2 >= rows) {
    out.labels = label === 'soft-unit' ? 'soft' : label;
    out.rowsBreakingLabelPattern = rows - labelCount;
    out.softRowsSumTo1 = label === 'soft' && s.labelCols > 1;
    if (label === 'soft-unit') notes.push('The label rows hold values in [0, 1] that do not sum to 1: per-class probabilities, soft multi-label targets.');
  } else {
    out.rowsBreakingLabelPattern = rows;
    notes.push(`No label encoding fits at least half of the ${rows} rows (values span [${s.labelMin}, ${s.labelMax}]).`);
  }
  if (out.labels === 'integer' || out.labels === 'binary01') {
    out.labelOutOfRange = s.labelMin < 0 || (s.classes > 1 && s.labelMax >= s.classes);
    if (out.labelOutOfRange && out.labels === 'integer') notes.push(`Integer labels span [${s.labelMin}, ${s.labelMax}], outside the class indices [0, ${s.classes}).`);
  }
  if (out.labels === 'integer' && s.classes === 1 && (s.labelMin < 0 || s.labelMax > 1)) {
    notes.push(`One prediction column with labels in [${s.labelMin}, ${s.labelMax}]: binary targets must lie in [0, 1].`);
  }

  const logitRows = rows - s.predUnitRows;
  const outputCandidates = s.classes === 1
    ? [['sigmoid', s.predUnitRows], ['logits', logitRows]]
    : [['softmax', s.predSum1Rows], ['sigmoid', s.predUnitRows], ['logits', logitRows]];
  const [output, outputCount] = best(outputCandidates);
  out.output = output;
  out.rowsBreakingOutputPattern = output === 'logits' ? 0 : rows - outputCount;
  if (s.classes === 1 && s.predSum1Rows === rows && s.predUnitRows === rows) {
    notes.push('Every prediction is exactly 1: a softmax over one unit, which is constant and learns nothing.');
  }
  if (output === 'logits' && s.predUnitRows > 0) {
    notes.push(`${s.predUnitRows} of ${rows} prediction rows lie within [0, 1]; logits can, but check that no activation was applied to them.`);
  }
  if (s.labelNonfinite || s.predNonfinite) {
    notes.push(`Non-finite values (NaN or Infinity): ${s.labelNonfinite} in the labels, ${s.predNonfinite} in the predictions.`);
  }
  return out;
}
