// test-runner.test.js: scripts/test.js, the summary `npm test` prints: one
// line per suite, failures in full, and as the last line the plain
// `N passed, N failed[, N skipped]` that CI reads, with a non-zero exit code on
// any failure. Run here on test files written for the purpose (passing,
// failing, skipped, crashing at load, exiting non-zero after passing).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function runOn(files) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xent-runner-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
    // Without NODE_TEST_CONTEXT, which makes node:test in a child report to this runner instead.
    const { NODE_TEST_CONTEXT, ...env } = process.env;
    const r = spawnSync(process.execPath, ['scripts/test.js', 'js'], {
      cwd: ROOT, encoding: 'utf8', env: { ...env, XENT_TEST_JS_DIR: dir }, timeout: 60000,
    });
    return { code: r.status, lines: r.stdout.trimEnd().split('\n'), stdout: r.stdout, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const HEAD = "import { test, describe } from 'node:test';\nimport assert from 'node:assert/strict';\n";

test('all passing: quiet, one line per file, the last line counts them, exit code 0', () => {
  const r = runOn({
    'a.test.js': `${HEAD}console.log('chatter nobody needs');\ntest('one', () => {});\ndescribe('group', () => { test('two', () => {}); });\n`,
    'b.test.js': `${HEAD}console.log('# a figure worth printing: 42');\ntest('three', () => {});\ntest('later', { skip: 'not today' }, () => {});\n`,
  });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(r.lines.at(-1), '3 passed, 0 failed, 1 skipped');
  assert.match(r.stdout, /a\.test\.js\s+2 passed/);
  assert.match(r.stdout, /b\.test\.js\s+1 passed, 1 skipped/);
  assert.match(r.stdout, /# a figure worth printing: 42/);
  assert.doesNotMatch(r.stdout, /chatter/);
  assert.ok(r.lines.length <= 5, r.stdout);
});

test('failures are printed in full with the file output, counted, and the exit code is non-zero', () => {
  const r = runOn({
    'fails.test.js': `${HEAD}console.log('context line');\ntest('fine', () => {});\ntest('adds wrong', () => { assert.equal(1 + 1, 3, 'one plus one'); });\n`,
    'crashes.test.js': "throw new Error('broken at load');\n",
    'exits.test.js': `${HEAD}test('passes', () => {});\nsetTimeout(() => { process.exitCode = 3; }, 10);\n`,
  });
  assert.equal(r.code, 1);
  assert.equal(r.lines.at(-1), '2 passed, 3 failed');
  assert.match(r.stdout, /FAILED "adds wrong" \(.*fails\.test\.js:5\)/);
  assert.match(r.stdout, /one plus one/);
  assert.match(r.stdout, /context line/);
  assert.match(r.stdout, /Error: broken at load/);
  assert.match(r.stdout, /exits\.test\.js\s+1 passed, 1 failed/);
});

test('an unknown part is refused with the list of parts', () => {
  const r = spawnSync(process.execPath, ['scripts/test.js', 'everything'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown part "everything"; the parts are c, js, browser/);
});
