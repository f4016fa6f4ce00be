// readme-examples.js: the README's JavaScript examples as programs, for
// tests/js/readme.test.js (run them and compare what they print with the
// README's comments) and tests/js/types.test.js (compile them with tsc
// --strict). Each ```js block becomes a scope of its own ({ ... }) in one
// module, in README order, with the blocks' imports hoisted to the top, as a
// reader pasting them one after another into one file would run them.
//
// Comment grammar of a `console.log(a, b, ...); // comment` line: for each
// printed value, in order, the comment holds
//   a number        a numeric literal, equal to the value rounded to as many
//                   significant digits as the literal has; `~7.7` (a value
//                   that varies from run to run) within 5% of the literal;
//   a Float32Array  `Float32Array(n)` (its length) or `Float32Array [x, y]`
//                   (its values, as numbers above);
//   a string        `'a'` or `'a' or 'b'` (one of them), or the string itself
//                   unquoted (the comment starts with it);
//   true / false / undefined   that word;
//   an object       `{ key, key: 'value', key: number, ... }`: the keys listed
//                   (values compared where given), and no other keys unless
//                   the list ends with `...`.
// Text after the last value is prose and is not read. A console.log inside a
// loop is compared on its first call.

import { readFileSync } from 'node:fs';

const NUMBER = /-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?/iy;

/** The ```js blocks of a markdown file: [{ line, code }], line 1-based (first code line). */
export function jsBlocks(markdownPath) {
  const lines = readFileSync(markdownPath, 'utf8').split('\n');
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== '```js') continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end].trim() !== '```') end++;
    blocks.push({ line: start + 1, lines: lines.slice(start, end) });
    i = end;
  }
  return blocks;
}

/**
 * One module from the blocks. `log` names the function that replaces
 * console.log (called with the README line number first), or null to keep
 * console.log (for type checking). Returns { code, logs: [{ line, comment }] }.
 */
export function program(blocks, log) {
  const imports = [];
  const body = [];
  const logs = [];
  for (const b of blocks) {
    body.push('{');
    b.lines.forEach((text, k) => {
      const line = b.line + k;
      if (/^import\s/.test(text)) {
        if (!imports.includes(text)) imports.push(text);
        return;
      }
      let out = text;
      const at = text.indexOf('console.log(');
      if (at >= 0) {
        const cut = text.indexOf('); //');
        logs.push({ line, comment: cut >= 0 ? text.slice(cut + 5).trim() : null });
        if (log) out = `${text.slice(0, at)}${log}(${line}, ${text.slice(at + 'console.log('.length)}`;
      }
      body.push(`  ${out}`);
    });
    body.push('}');
  }
  return { code: `${imports.join('\n')}\n\n${body.join('\n')}\n`, logs };
}

/** A printed value in JSON form, as the example program reports it. */
export function describeValue(v) {
  if (v === undefined) return { kind: 'undefined' };
  if (v === null) return { kind: 'null' };
  if (ArrayBuffer.isView(v)) return { kind: v.constructor.name, values: Array.from(v) };
  if (typeof v === 'object') {
    const fields = {};
    for (const [k, x] of Object.entries(v)) fields[k] = typeof x === 'object' && x !== null ? null : x;
    return { kind: 'object', fields };
  }
  return { kind: typeof v, value: v };
}

function significant(literal) {
  const mantissa = literal.replace(/^-/, '').replace(/e.*$/i, '').replace('.', '').replace(/^0+/, '');
  return Math.max(mantissa.length, 1);
}

function numberMatches(value, literal) {
  if (typeof value !== 'number') return false;
  return Number(value.toPrecision(significant(literal))) === Number(literal);
}

/** Index of the next numeric literal at or after `at`, with the literal. */
function nextNumber(text, at) {
  for (let i = at; i < text.length; i++) {
    if (!/[-\d.]/.test(text[i]) || (i > 0 && /[\w.]/.test(text[i - 1]))) continue;
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (m) return { index: i, literal: m[0], end: i + m[0].length };
  }
  return null;
}

/**
 * Checks the printed values (describeValue forms) against the comment.
 * Returns null when they match, else a sentence saying what differs.
 */
export function checkComment(comment, values) {
  let at = 0;
  const show = (d) => JSON.stringify(d.values ?? d.value ?? d.fields ?? d.kind);
  for (let n = 0; n < values.length; n++) {
    const d = values[n];
    const rest = comment.slice(at);
    const which = `value ${n + 1} (${show(d)})`;
    if (d.kind === 'number') {
      const m = nextNumber(comment, at);
      if (!m) return `${which}: the comment has no number for it`;
      const about = m.index > 0 && comment[m.index - 1] === '~';
      const ok = about ? Math.abs(d.value - Number(m.literal)) <= 0.05 * Math.abs(Number(m.literal)) : numberMatches(d.value, m.literal);
      if (!ok) return `${which} prints ${d.value} but the comment says ${about ? '~' : ''}${m.literal}`;
      at = m.end;
    } else if (/Array$/.test(d.kind)) {
      const k = comment.indexOf(d.kind, at);
      if (k < 0) return `${which}: the comment does not name ${d.kind}`;
      at = k + d.kind.length;
      const len = /^\((\d+)\)/.exec(comment.slice(at));
      if (len) {
        if (Number(len[1]) !== d.values.length) return `${which} has length ${d.values.length} but the comment says ${d.kind}(${len[1]})`;
        at += len[0].length;
        continue;
      }
      const open = comment.indexOf('[', at);
      const close = comment.indexOf(']', open);
      if (open < 0 || close < 0) return `${which}: the comment gives neither ${d.kind}(n) nor ${d.kind} [values]`;
      const literals = comment.slice(open + 1, close).split(',').map((s) => s.trim());
      if (literals.length !== d.values.length) return `${which} has ${d.values.length} values but the comment lists ${literals.length}`;
      for (let i = 0; i < literals.length; i++) {
        if (!numberMatches(d.values[i], literals[i])) return `${which}: element ${i} prints ${d.values[i]} but the comment says ${literals[i]}`;
      }
      at = close + 1;
    } else if (d.kind === 'string') {
      const quoted = /^\s*,?\s*('[^']*'(?:\s+or\s+'[^']*')*)/.exec(rest);
      if (quoted) {
        const options = quoted[1].match(/'[^']*'/g).map((s) => s.slice(1, -1));
        if (!options.includes(d.value)) return `${which}: the comment allows ${quoted[1]}`;
        at += quoted[0].length;
      } else {
        if (!rest.trimStart().startsWith(d.value)) return `${which}: the comment does not start with it`;
        at += rest.length - rest.trimStart().length + d.value.length;
      }
    } else if (d.kind === 'boolean' || d.kind === 'undefined') {
      const word = d.kind === 'undefined' ? 'undefined' : String(d.value);
      const m = new RegExp(`\\b(true|false|undefined)\\b`).exec(rest);
      if (!m || m[1] !== word) return `${which}: the comment says ${m ? m[1] : 'nothing'} where ${word} is printed`;
      at += m.index + m[0].length;
    } else if (d.kind === 'object') {
      const open = comment.indexOf('{', at);
      const close = comment.indexOf('}', open);
      if (open < 0 || close < 0) return `${which}: the comment has no { keys } for it`;
      const items = comment.slice(open + 1, close).split(',').map((s) => s.trim()).filter(Boolean);
      const open_ = items[items.length - 1] === '...';
      const listed = [];
      for (const item of open_ ? items.slice(0, -1) : items) {
        const [key, valueText] = item.split(/:\s*/);
        listed.push(key);
        if (!(key in d.fields)) return `${which} has no key ${key}`;
        if (valueText === undefined) continue;
        const want = valueText.startsWith("'") ? valueText.slice(1, -1) : Number(valueText);
        const got = d.fields[key];
        const same = typeof want === 'string' ? got === want : numberMatches(got, valueText);
        if (!same) return `${which}: ${key} is ${JSON.stringify(got)} but the comment says ${valueText}`;
      }
      const extra = Object.keys(d.fields).filter((k) => !listed.includes(k));
      if (!open_ && extra.length) return `${which} also has ${extra.join(', ')}; list them or end the list with ...`;
      at = close + 1;
    } else {
      return `${which}: cannot compare a ${d.kind} with a comment`;
    }
  }
  return null;
}
