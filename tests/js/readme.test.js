// readme.test.js: every JavaScript example of README.md runs, as a user's app
// would run it (a scratch directory whose node_modules/xent is this
// repository), and every value it prints is the value the README's comment on
// that line says (comment grammar in readme-examples.js). Also checks the
// comparison itself on values that must and must not match.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkComment, describeValue, jsBlocks, program } from './readme-examples.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const README = join(ROOT, 'README.md');

// The example module reports each console.log call as one JSON line.
function runExamples() {
  const { code, logs } = program(jsBlocks(README), '__log');
  const dir = mkdtempSync(join(tmpdir(), 'xent-readme-'));
  try {
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(ROOT, join(dir, 'node_modules', 'xent'), 'dir');
    const prelude = `const describeValue = ${describeValue.toString()};\n` +
      'globalThis.__log = (line, ...args) => process.stdout.write(JSON.stringify({ line, values: args.map(describeValue) }) + "\\n");\n';
    // Imports stay first in a module; the prelude only defines a global.
    const importEnd = code.indexOf('\n\n');
    writeFileSync(join(dir, 'examples.mjs'), `${code.slice(0, importEnd)}\n${prelude}${code.slice(importEnd)}`);
    const out = execFileSync(process.execPath, ['examples.mjs'], { cwd: dir, encoding: 'utf8' });
    const printed = out.trim().split('\n').map((l) => JSON.parse(l));
    return { logs, printed };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('every console.log in the README examples has a comment saying what it prints', () => {
  const { logs } = program(jsBlocks(README), null);
  assert.ok(logs.length >= 15, `found only ${logs.length} console.log lines in README.md`);
  const bare = logs.filter((l) => !l.comment).map((l) => `README.md:${l.line}`);
  assert.deepEqual(bare, [], `console.log without a comment of its printed values: ${bare.join(', ')}`);
});

test('the README examples run and print the values their comments say', () => {
  const { logs, printed: calls } = runExamples();
  // A console.log in a loop prints once per pass: its first call is compared.
  const printed = calls.filter((p, i) => i === 0 || calls[i - 1].line !== p.line);
  assert.deepEqual(printed.map((p) => p.line), logs.map((l) => l.line), 'every console.log line runs, in README order');
  const wrong = [];
  for (const p of printed) {
    const { comment } = logs.find((l) => l.line === p.line);
    const why = comment === null ? 'no comment (see the test above)' : checkComment(comment, p.values);
    if (why) wrong.push(`README.md:${p.line} (// ${comment}): ${why}`);
  }
  assert.deepEqual(wrong, [], wrong.join('\n'));
});

test('a number matches a comment literal only to the digits the literal gives', () => {
  const n = (v) => ({ kind: 'number', value: v });
  assert.equal(checkComment('0.8654580116271973', [n(0.8654580116271973)]), null);
  assert.equal(checkComment('0.865458', [n(0.8654580116271973)]), null);
  assert.match(checkComment('0.8654579...', [n(0.8654580116271973)]), /prints 0.8654580116271973 but the comment says 0.8654579/);
  assert.equal(checkComment('6.9077554 -0.0039023438: log(1000) and (1/1000 - 1) / 256', [n(6.907755374908447), n(-0.003902343800291419)]), null);
  assert.match(checkComment('the mean', [n(1)]), /no number/);
  assert.equal(checkComment('0 ~7.7, then noisy', [n(0), n(7.93)]), null);
  assert.match(checkComment('0 ~7.7, then noisy', [n(0), n(8.2)]), /says ~7.7/);
});

test('typed arrays, strings, booleans and objects match only what the comment states', () => {
  const f32 = (...v) => ({ kind: 'Float32Array', values: v });
  assert.equal(checkComment('Float32Array(2), d loss / d logits', [f32(1, 2)]), null);
  assert.match(checkComment('Float32Array(3)', [f32(1, 2)]), /length 2/);
  assert.equal(checkComment('Float32Array [3.2058e-5, 0.46627]', [f32(0.000032058331271400675, 0.4662734568119049)]), null);
  assert.match(checkComment('Float32Array [3.2059e-5, 0.46627]', [f32(0.000032058331271400675, 0.4662734568119049)]), /element 0/);
  assert.equal(checkComment("'wasm-simd' or 'wasm'", [{ kind: 'string', value: 'wasm' }]), null);
  assert.match(checkComment("'wasm-simd'", [{ kind: 'string', value: 'wasm' }]), /allows/);
  assert.equal(checkComment('keras.losses.X(a=1)', [{ kind: 'string', value: 'keras.losses.X(a=1)' }]), null);
  const stats = { kind: 'object', fields: { memoryBytes: 1, arenaBytes: 2, liveTensors: 0 } };
  assert.equal(checkComment('true { memoryBytes, arenaBytes, liveTensors: 0 }', [{ kind: 'boolean', value: true }, stats]), null);
  assert.match(checkComment('false { memoryBytes, arenaBytes, liveTensors }', [{ kind: 'boolean', value: true }, stats]), /says false/);
  assert.match(checkComment('true { memoryBytes, liveTensors }', [{ kind: 'boolean', value: true }, stats]), /also has arenaBytes/);
  assert.equal(checkComment("{ labels: 'onehot', ... }", [{ kind: 'object', fields: { labels: 'onehot', output: 'logits' } }]), null);
  assert.match(checkComment("{ labels: 'integer', ... }", [{ kind: 'object', fields: { labels: 'onehot' } }]), /labels is "onehot"/);
});
