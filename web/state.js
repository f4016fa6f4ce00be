// state.js: the explorer's whole state as one typed schema, and its two text
// forms: the URL hash (`#problem=binary&labels=binary01&logits=1.5,-2`) and the
// element's attributes (the same kebab-case keys). The URL is the state: a
// configuration reloads exactly from it. Pure module (no DOM); imported by
// xent-explorer.js and by the browser tests.

import { LESSONS } from './lessons.js';

export const PANELS = ['lessons', 'choose', 'recommend', 'live', 'shapes', 'imbalance', 'metrics', 'curves', 'learn', 'numerics', 'paste', 'sampled'];
// Parts inside panels that `hide` can name as well.
export const PARTS = ['problem', 'labels', 'output', 'from-logits', 'batch', 'classes', 'options',
  'code', 'explanation', 'warnings', 'tables', 'flip'];

const enumOf = (values, dflt) => ({ type: 'enum', values, default: dflt });
const int = (min, max, dflt) => ({ type: 'int', min, max, default: dflt });
const num = (min, max, dflt) => ({ type: 'float', min, max, default: dflt });

// Key -> type. `logits` and `targets` are flat row-major lists whose meaning
// depends on `labels` (see targetsShape).
export const SCHEMA = {
  problem: enumOf(['binary', 'multiclass', 'multilabel'], 'multiclass'),
  labels: enumOf(['binary01', 'integer', 'onehot', 'soft', 'multihot'], 'integer'),
  output: enumOf(['logits', 'sigmoid', 'softmax'], 'logits'),
  'from-logits': { type: 'bool', default: true },
  batch: int(1, 4, 2),
  classes: int(2, 10, 3),
  logits: { type: 'floats', min: -10, max: 10, default: null },
  targets: { type: 'floats', min: 0, max: 9, default: null },
  'label-smoothing': num(0, 1, 0),
  focal: { type: 'bool', default: false },
  gamma: num(0, 10, 2),
  alpha: num(0, 1, 0.25),
  'class-balancing': { type: 'bool', default: false },
  'pos-weight': num(0.01, 100, 1),
  'class-weight': { type: 'floats', min: 0, max: 100, default: [] },
  'ignore-class': int(-1, 9, -1),
  reduction: enumOf(['sum_over_batch_size', 'sum'], 'sum_over_batch_size'),
  curve: int(0, 39, 0),
  tab: enumOf(['keras', 'tfnn', 'tfjs', 'pytorch', 'xent'], 'keras'),
  'numeric-logit': num(-1e30, 1e30, -200),
  'numeric-label': int(0, 1, 1),
  'sampled-num': int(2, 2000, 64),
  'sampled-seed': int(0, 999999, 1),
  hide: { type: 'tokens', default: [] },
  // What the user trains with now ("your loss", as written; passed to
  // recommend as currentLoss), and facts about the data it cannot show.
  'current-loss': { type: 'text', max: 160, default: '' },
  'huge-vocabulary': { type: 'bool', default: false },
  'dense-targets': { type: 'bool', default: false },
  distillation: { type: 'bool', default: false },
  lesson: enumOf(['', ...LESSONS.map((l) => l.id)], ''),
};
export const KEYS = Object.keys(SCHEMA);

// Units in the model's last layer: one for 0/1 labels, else one per class.
export const units = (s) => (s.labels === 'binary01' ? 1 : s.classes);
// Number of stored target values per example.
export const targetsPerExample = (s) =>
  s.labels === 'soft' || s.labels === 'multihot' ? s.classes : 1;

const clamp = (v, lo, hi) => Math.min(Math.max(v, lo), hi);
export const round = (v, digits = 2) => {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};

function parseOne(spec, text) {
  const t = String(text).trim();
  switch (spec.type) {
    case 'enum':
      return spec.values.includes(t) ? t : undefined;
    case 'bool':
      if (t === '' || t === 'true' || t === '1') return true;
      if (t === 'false' || t === '0') return false;
      return undefined;
    case 'int': {
      const v = Number(t);
      return t !== '' && Number.isInteger(v) ? clamp(v, spec.min, spec.max) : undefined;
    }
    case 'float': {
      const v = Number(t);
      return t !== '' && Number.isFinite(v) ? clamp(v, spec.min, spec.max) : undefined;
    }
    case 'floats': {
      if (t === '') return [];
      const v = t.split(',').map(Number);
      return v.every(Number.isFinite) ? v.map((x) => clamp(x, spec.min, spec.max)) : undefined;
    }
    case 'tokens':
      return t.split(/[\s,]+/).filter(Boolean);
    case 'text':
      return t.slice(0, spec.max);
    default:
      return undefined;
  }
}

function formatOne(spec, v) {
  switch (spec.type) {
    case 'bool':
      return v ? 'true' : 'false';
    case 'float':
      return String(Number(v.toPrecision(9)));
    case 'floats':
      return v.map((x) => String(Number(x.toPrecision(9)))).join(',');
    case 'tokens':
      return v.join(' ');
    default:
      return String(v);
  }
}

export function parseValue(key, text) {
  const spec = SCHEMA[key];
  return spec ? parseOne(spec, text) : undefined;
}

export function defaults() {
  const s = {};
  for (const k of KEYS) s[k] = Array.isArray(SCHEMA[k].default) ? [] : SCHEMA[k].default;
  return normalize(s);
}

// Deterministic starting values, so a fresh page always shows the same batch.
function defaultLogit(i, j) {
  const table = [2.0, -1.0, 0.5, 1.2, -0.3, 0.8, -1.5, 0.1, 0.6, -0.7];
  return round(table[(i * 3 + j) % table.length] - 0.4 * i, 2);
}

// Targets as an [n][C] distribution (one-hot / soft / multi-hot rows), C >= 2.
export function targetsAsRows(s) {
  const n = s.batch, C = s.classes, t = s.targets;
  const rows = [];
  for (let i = 0; i < n; i++) {
    const r = new Array(C).fill(0);
    if (s.labels === 'soft' || s.labels === 'multihot') {
      for (let j = 0; j < C; j++) r[j] = t[i * C + j] ?? 0;
    } else if (s.labels === 'binary01') {
      r[1] = t[i] ?? 0;
      r[0] = 1 - r[1];
    } else {
      r[clamp(Math.round(t[i] ?? 0), 0, C - 1)] = 1;
    }
    rows.push(r);
  }
  return rows;
}

// Converts the stored targets of state `from` into the encoding and class
// count of `to`, for the examples both have (normalize pads the rest), so
// switching the label encoding keeps the same truth.
export function convertTargets(from, to) {
  const rows = targetsAsRows(from);
  const C = to.classes;
  const out = [];
  for (let i = 0; i < Math.min(to.batch, from.batch); i++) {
    const full = Array.from({ length: C }, (_, j) => rows[i][j] ?? 0);
    const arg = full.indexOf(Math.max(...full));
    if (to.labels === 'soft') {
      const sum = full.reduce((a, b) => a + b, 0) || 1;
      for (const v of full) out.push(round(v / sum, 3));
    } else if (to.labels === 'multihot') {
      for (const v of full) out.push(v >= 0.5 ? 1 : 0);
    } else if (to.labels === 'binary01') {
      out.push(C >= 2 && full[1] >= 0.5 ? 1 : 0);
    } else {
      out.push(arg);
    }
  }
  return out;
}

// Logits re-laid out for another batch or unit count: each example keeps its
// first classes; new ones are filled by normalize.
function relayoutLogits(from, to) {
  const uf = units(from), ut = units(to);
  if (uf === ut) return from.logits.slice(0, to.batch * ut);
  if (Math.min(uf, ut) === 1 || to.batch === 0) return [];
  const out = [];
  for (let i = 0; i < Math.min(from.batch, to.batch); i++) {
    for (let j = 0; j < ut; j++) out.push(j < uf ? from.logits[i * uf + j] : defaultLogit(i, j));
  }
  return out;
}

// The state after a change: when the batch, the classes or the label encoding
// change, the logits and targets are carried over into the new layout.
export function applyPatch(base, patch) {
  const next = { ...base, ...patch };
  const shaped = normalize({ ...next, logits: [], targets: [] });
  const reshaped = ['labels', 'classes', 'batch', 'problem'].some((k) => shaped[k] !== base[k]);
  if (reshaped && !('targets' in patch)) next.targets = convertTargets(base, shaped);
  if (reshaped && !('logits' in patch)) next.logits = relayoutLogits(base, shaped);
  return normalize(next);
}

// Makes a state self-consistent: clamps, fixes list lengths to the batch and
// class counts, fills missing values deterministically. Returns a new object.
export function normalize(input) {
  const s = { ...input };
  for (const k of KEYS) {
    if (s[k] === undefined || s[k] === null) {
      s[k] = Array.isArray(SCHEMA[k].default) ? [] : SCHEMA[k].default;
    }
  }
  if (s.problem === 'binary' && s.labels !== 'binary01') s.classes = 2;
  const n = s.batch, u = units(s), C = s.classes;
  const z = Array.isArray(s.logits) ? s.logits.slice(0, n * u) : [];
  for (let k = z.length; k < n * u; k++) z.push(defaultLogit(Math.floor(k / u), k % u));
  s.logits = z.map((v) => clamp(v, -10, 10));
  const per = targetsPerExample(s);
  const t = Array.isArray(s.targets) ? s.targets.slice(0, n * per) : [];
  for (let k = t.length; k < n * per; k++) {
    const i = Math.floor(k / per), j = k % per;
    if (s.labels === 'soft') t.push(j === i % C ? 0.7 : round(0.3 / (C - 1), 3));
    else if (s.labels === 'multihot') t.push(j === i % C || j === (i + 2) % C ? 1 : 0);
    else if (s.labels === 'binary01') t.push(i % 2 === 0 ? 1 : 0);
    else t.push(i % C);
  }
  s.targets = t.map((v, k) => {
    if (s.labels === 'soft') return clamp(v, 0, 1);
    if (s.labels === 'multihot' || s.labels === 'binary01') return v >= 0.5 ? 1 : 0;
    return clamp(Math.round(v), 0, C - 1);
  });
  if (s['class-weight'].length) {
    // One weight per class; a single 0/1 column has the classes 0 and 1.
    const need = u === 1 ? 2 : C;
    const cw = s['class-weight'].slice(0, need);
    while (cw.length < need) cw.push(1);
    s['class-weight'] = cw;
  }
  if (s['ignore-class'] >= C) s['ignore-class'] = -1;
  s.curve = clamp(s.curve, 0, n * u - 1);
  return s;
}

// Reads a state from `key -> text` pairs (URLSearchParams, or the element's
// attributes through a getter). Unknown keys and bad values are ignored.
export function fromEntries(entries, base = defaults()) {
  const patch = {};
  const list = [...entries];
  const lesson = list.find(([k]) => k === 'lesson');
  const id = lesson && parseValue('lesson', lesson[1]);
  if (id) base = lessonState(id, base);
  for (const [k, text] of list) {
    const v = parseValue(k, text);
    if (v !== undefined) patch[k] = v;
  }
  return applyPatch(base, patch);
}

// The state a lesson opens: its keys over `base` (the defaults, or the
// element's attributes), with the lesson named.
export function lessonState(id, base = defaults()) {
  const l = LESSONS.find((x) => x.id === id);
  if (!l) return base;
  const patch = { lesson: id };
  for (const [k, text] of Object.entries(l.state)) {
    const v = parseValue(k, String(text));
    if (v === undefined) throw new RangeError(`lesson ${id}: ${k}=${text} is not a valid value`);
    patch[k] = v;
  }
  return applyPatch(base, patch);
}

// A lesson's fix (or "try this") as a patch over the current state.
export function lessonFix(id) {
  const l = LESSONS.find((x) => x.id === id);
  if (!l?.fix) return null;
  const patch = {};
  for (const [k, text] of Object.entries(l.fix.state || {})) patch[k] = parseValue(k, String(text));
  return patch;
}

export function fromHash(hash, base) {
  const text = String(hash || '').replace(/^#/, '');
  return fromEntries(new URLSearchParams(text).entries(), base);
}

// Only keys that differ from the defaults (or, when a lesson is open, from
// the lesson's state, which `lesson=` restores first), in schema order;
// commas kept readable.
export function toHash(s) {
  const d = s.lesson ? lessonState(s.lesson) : defaults();
  const sameShape = ['problem', 'labels', 'batch', 'classes'].every((k) => d[k] === s[k]);
  if (!s.lesson || !sameShape) {
    // Logits and targets are compared with the defaults of the same shape
    // (after a lesson's shape changed, they are always written).
    const shaped = normalize({ ...defaults(), problem: s.problem, labels: s.labels, batch: s.batch, classes: s.classes, logits: [], targets: [] });
    d.logits = s.lesson ? [] : shaped.logits;
    d.targets = s.lesson ? [] : shaped.targets;
  }
  const parts = [];
  for (const k of KEYS) {
    const a = formatOne(SCHEMA[k], s[k]);
    if (a === formatOne(SCHEMA[k], d[k]) && k !== 'problem' && !(k === 'lesson' && s.lesson)) continue;
    parts.push(`${k}=${encodeURIComponent(a).replace(/%2C/g, ',').replace(/%20/g, '+')}`);
  }
  return '#' + parts.join('&');
}

export function same(a, b) {
  return KEYS.every((k) => formatOne(SCHEMA[k], a[k]) === formatOne(SCHEMA[k], b[k]));
}

export function formatValue(key, v) {
  return formatOne(SCHEMA[key], v);
}
