// parse.js: reads an array as printed by NumPy, PyTorch, TensorFlow, TF.js or
// JS: nested brackets with commas or spaces, `array(...)`, `tensor(...)`,
// `tf.Tensor(...)`, `<tf.Tensor: shape=..., numpy=array(...)>`, dtype/device/
// grad_fn suffixes, nan/inf, `True`/`False`; or bare rows, one per line.
// Returns { values: number[], shape: number[] } or throws an Error saying
// where the text stopped making sense. Pure; used by panels/paste.js and tests.

const NUMBER = /^[+-]?(?:nan|inf(?:inity)?|(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)/i;

function numberAt(text, i) {
  const m = NUMBER.exec(text.slice(i));
  if (!m) return null;
  const t = m[0].toLowerCase();
  let v;
  if (t.endsWith('nan')) v = NaN;
  else if (t.includes('inf')) v = t.startsWith('-') ? -Infinity : Infinity;
  else v = Number(t);
  return { v, len: m[0].length };
}

// The bracketed part: from the first '[' to its matching ']'.
function bracketed(text) {
  const start = text.indexOf('[');
  if (start < 0) return null;
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    if (text[i] === '[') depth++;
    else if (text[i] === ']' && --depth === 0) return text.slice(start, i + 1);
  }
  throw new Error('unbalanced brackets: a "]" is missing');
}

function nested(text) {
  let i = 0;
  const skip = () => {
    while (i < text.length && /[\s,]/.test(text[i])) i++;
    if (text.startsWith('...', i)) throw new Error('the array is abbreviated with "...": print it in full (np.set_printoptions(threshold=sys.maxsize))');
  };
  const value = () => {
    skip();
    if (text[i] === '[') {
      i++;
      const items = [];
      for (;;) {
        skip();
        if (text[i] === ']') {
          i++;
          return items;
        }
        if (i >= text.length) throw new Error('unbalanced brackets');
        items.push(value());
      }
    }
    const word = /^(true|false)/i.exec(text.slice(i));
    if (word) {
      i += word[0].length;
      return word[0].toLowerCase() === 'true' ? 1 : 0;
    }
    const n = numberAt(text, i);
    if (!n) throw new Error(`not a number at "${text.slice(i, i + 12)}"`);
    i += n.len;
    return n.v;
  };
  const v = value();
  return v;
}

function shapeOf(a, path = 'array') {
  if (!Array.isArray(a)) return [];
  if (a.length === 0) return [0];
  const inner = shapeOf(a[0], `${path}[0]`);
  for (let k = 1; k < a.length; k++) {
    const s = shapeOf(a[k], `${path}[${k}]`);
    if (s.join() !== inner.join()) {
      throw new Error(`ragged rows: ${path}[0] has shape [${inner}] but ${path}[${k}] has shape [${s}]`);
    }
  }
  return [a.length, ...inner];
}

export function parseArray(input) {
  const text = String(input).trim();
  if (!text) throw new Error('empty');
  const part = bracketed(text);
  if (part) {
    const a = nested(part);
    const shape = shapeOf(a);
    return { values: Array.isArray(a) ? a.flat(Infinity) : [a], shape };
  }
  // Bare numbers: one row per line, separated by commas or spaces.
  const rows = text.split(/\n+/).map((line) => line.trim()).filter(Boolean).map((line) =>
    line.split(/[\s,;]+/).filter(Boolean).map((t) => {
      const n = numberAt(t, 0);
      if (!n || n.len !== t.length) throw new Error(`not a number: "${t}"`);
      return n.v;
    }));
  const shape = shapeOf(rows.length === 1 ? rows[0] : rows);
  return { values: rows.flat(), shape };
}
