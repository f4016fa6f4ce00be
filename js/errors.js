// errors.js: how the JS API reports misuse. Every message starts with the
// function name, names the argument, says what was expected and what was
// given. TypeError for the wrong kind of value, RangeError for a bad value or
// shape (STYLE.md, "Errors across the C/JS boundary"). Also translates the
// xent_error a C entry point fills into the same JS errors, so a check that
// only the C core makes reads exactly like the JS one. Used by args.js,
// index.js and load.js.

/** Short description of a value for messages: its type, and the value when short. */
export function describe(v) {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'number') return `the number ${v}`;
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '...' : v)}`;
  if (typeof v === 'boolean') return `the boolean ${v}`;
  if (typeof v === 'bigint') return `the bigint ${v}n`;
  if (typeof v === 'function') return 'a function';
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name} of length ${v.length}`;
  const name = v.constructor && v.constructor.name;
  if (typeof name === 'string' && /.Array$/.test(name)) return `an object posing as a ${name} (a Proxy?), which is not one; pass the ${name} itself`;
  return name && name !== 'Object' ? `a ${name}` : 'an object';
}

export function shapeString(shape) {
  return `[${shape.join(', ')}]`;
}

export function typeError(fn, message) {
  return new TypeError(`${fn}: ${message}`);
}

export function rangeError(fn, message) {
  return new RangeError(`${fn}: ${message}`);
}

export function notInitialized(fn) {
  return new Error(`${fn}: xent is not initialised; call \`await xent.init()\` once before using it`);
}

// Levenshtein distance, for "did you mean" on option names (short strings only).
function distance(a, b) {
  const prev = new Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = prev[j];
      prev[j] = next;
    }
  }
  return prev[b.length];
}

// Names other libraries use for xent's options (Keras snake_case is caught by
// the comparison below; these are the PyTorch and tf.losses spellings).
const ALIASES = {
  ignoreindex: 'ignoreClass',
  weights: 'sampleWeight',
  weight: 'classWeight',
  smoothing: 'labelSmoothing',
  logits: 'fromLogits',
};

/** The closest known name, when it is close enough to be a typo, else undefined. */
export function closest(name, known) {
  const alias = ALIASES[name.toLowerCase().replace(/_/g, '')];
  if (alias && known.includes(alias)) return alias;
  const lower = name.toLowerCase().replace(/_/g, '');
  let best;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = k.toLowerCase() === lower ? 0 : distance(name, k);
    if (d < bestDistance) {
      bestDistance = d;
      best = k;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

export function unknownOption(fn, name, known) {
  const guess = closest(name, known);
  const hint = guess ? ` (did you mean ${guess}?)` : '';
  return typeError(fn, `unknown option '${name}'${hint}; the options are ${known.join(', ')}`);
}

// The C core spells arguments as Keras does; the JS API in camelCase.
const C_ARG_NAMES = {
  y_true: 'yTrue',
  y_pred: 'yPred',
  labels: 'labels',
  logits: 'logits',
  label_smoothing: 'options.labelSmoothing',
  reduction: 'options.reduction',
  ignore_class: 'options.ignoreClass',
  alpha: 'options.alpha',
  gamma: 'options.gamma',
  pos_weight: 'posWeight',
  q: 'options.q',
  epsilon: 'options.epsilon',
  temperature: 'options.temperature',
  alpha_per_class: 'options.alpha',
  classes: 'the number of classes',
  batch: 'the batch size',
};

/**
 * The JS error for a failed C call. `status` is the xent_status; `arg`, `index`
 * and `value` come from xent_error; `classes` is the row length of the call and
 * `statusText` the C core's sentence for the status.
 */
export function fromStatus(fn, status, arg, index, value, classes, statusText) {
  const name = C_ARG_NAMES[arg] || arg || 'an argument';
  switch (status) {
    case 3: // XENT_ERR_LABEL
      return labelOutOfRange(fn, name, index, value, classes);
    case 4: // XENT_ERR_OPTION
      return rangeError(fn, `${name} is outside its domain, got ${value} (${statusText})`);
    case 2: // XENT_ERR_SHAPE
      return rangeError(fn, `${name} is out of range, got ${value} (${statusText})`);
    default:
      return new Error(`${fn}: the xent core failed with status ${status} (${statusText}) on ${name}`);
  }
}

export function labelOutOfRange(fn, name, index, value, classes) {
  return rangeError(
    fn,
    `${name}[${index}] = ${value} is outside the valid range [0, ${classes}) of class indices ` +
      `(the last dimension of the predictions has ${classes} classes)`,
  );
}

export function nonIntegerLabel(fn, name, index, value) {
  return rangeError(fn, `${name}[${index}] = ${value} is not an integer; sparse labels are class indices`);
}
