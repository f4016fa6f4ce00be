// tfjs-readme.test.js: the README's xent/tfjs example runs as printed, in a
// separate Node process with the published entry points ('xent/tfjs' resolves
// to this package by its own name, '@tensorflow/tfjs' is a dev dependency),
// and prints what its comments say: model.fit lowers the loss of the sparse
// model (its initial weights are random, so the test asks for a fall to under a
// quarter rather than the exact figures), and the focal loop, which starts
// from zeros and is deterministic, ends at the printed 0.023.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { root } from './packed.js';

test("the README's xent/tfjs example runs and prints what its comments say", () => {
  const text = readFileSync(path.join(root, 'README.md'), 'utf8');
  const section = text.slice(text.indexOf('## TensorFlow.js: `xent/tfjs`'));
  const code = /```javascript\n([\s\S]*?)```/.exec(section.slice(0, section.indexOf('\n## ', 5)))[1];
  assert.match(code, /from 'xent\/tfjs'/);
  const file = path.join(root, 'build/readme-tfjs-example.mjs');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, code);
  const out = execFileSync(process.execPath, [file], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = out.split('\n').filter((l) => /^\d/.test(l));
  assert.equal(lines.length, 2, out);
  const [first, last] = lines[0].split(' -> ').map(Number);
  assert.ok(last < first / 4, `model.fit: ${lines[0]}`);
  assert.match(code, /\/\/ 0\.023\n/);
  assert.equal(lines[1], '0.023');
});
