#!/usr/bin/env node
// test.js [c] [js] [browser]: runs the test suites and prints one line per
// suite (its counts and time), every failure in full (message, stack, and the
// suite's output), figures the tests print (lines starting with '# '), and as
// the LAST line `N passed, N failed` (`, N skipped` when any were skipped),
// which CI reads. Exits 1 on any failure. Run by `npm test` (all parts) and
// `npm run test:c|test:js|test:browser` after scripts/ensure.sh.
//   c        the C tests through ctest, natively (scalar, and f32x4 via
//            SIMDe), again under ASan + UBSan, and the check that the committed
//            wasm modules are what the sources build (scripts/build.sh check-wasm),
//            and the libFuzzer targets, 3 s each (tests/fuzz/run.sh;
//            XENT_FUZZ_SECONDS changes it, 0 skips them);
//   js       tests/js/*.test.js (JS API, recommender, CLI, server, package);
//   browser  tests/browser/*.test.js (Debian's chromium via playwright-core).
// XENT_TEST_JS_DIR replaces tests/js (tests/js/test-runner.test.js runs this
// script on files that pass, fail and crash).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { run } from 'node:test';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PARTS = ['c', 'js', 'browser'];
const parts = process.argv.slice(2);
for (const p of parts) {
  if (!PARTS.includes(p)) {
    console.error(`test.js: unknown part ${JSON.stringify(p)}; the parts are ${PARTS.join(', ')}`);
    process.exit(2);
  }
}
const wanted = parts.length ? parts : PARTS;
const jobs = String(Math.max(1, availableParallelism()));
const total = { passed: 0, failed: 0, skipped: 0 };

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
function report(name, counts, ms) {
  const parts_ = [`${counts.passed} passed`];
  if (counts.failed) parts_.push(`${counts.failed} failed`);
  if (counts.skipped) parts_.push(`${counts.skipped} skipped`);
  const mark = counts.failed ? 'FAIL' : 'ok  ';
  console.log(`${mark} ${name.padEnd(44)} ${parts_.join(', ').padEnd(30)} ${seconds(ms).padStart(8)}`);
  for (const k of Object.keys(total)) total[k] += counts[k];
}
const indent = (text, by = '     ') => text.replace(/\n$/, '').split('\n').map((l) => by + l).join('\n');

function sh(cmd, args) {
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28 });
  const output = `${r.stdout || ''}${r.stderr || ''}${r.error ? String(r.error) : ''}`;
  return { code: r.status ?? 1, output, ms: Date.now() - t0 };
}

/** Builds with scripts/build.sh TARGET, then runs ctest in DIR; one count per ctest test. */
function ctestSuite(name, target, dir) {
  const build = sh('bash', ['scripts/build.sh', target]);
  if (build.code !== 0) {
    report(name, { passed: 0, failed: 1, skipped: 0 }, build.ms);
    console.log(indent(`build failed (bash scripts/build.sh ${target}):\n${build.output}`));
    return;
  }
  const r = sh('ctest', ['--test-dir', dir, '--output-on-failure', '-j', jobs]);
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for (const line of r.output.split('\n')) {
    const m = /^\s*\d+\/\d+ Test\s+#\d+: (\S+) \.*\s*(?:\*\*\*)?(.*?)\s+[\d.]+ sec/.exec(line);
    if (!m) continue;
    if (m[2] === 'Passed') counts.passed += 1;
    else if (/^(Skipped|Not Run \(Disabled\))/.test(m[2])) counts.skipped += 1;
    else counts.failed += 1;
  }
  if (r.code !== 0 && counts.failed === 0) counts.failed = 1;
  if (counts.passed + counts.failed === 0) counts.failed = 1; // ctest found no tests
  report(name, counts, build.ms + r.ms);
  if (counts.failed) console.log(indent(r.output));
}

function checkWasm() {
  const name = 'committed wasm modules = a build of src/';
  const r = sh('bash', ['scripts/build.sh', 'check-wasm']);
  if (r.code === 77) {
    report(name, { passed: 0, failed: 0, skipped: 1 }, r.ms);
    console.log(indent(r.output.trim().split('\n').pop()));
  } else if (r.code === 0) {
    report(name, { passed: 1, failed: 0, skipped: 0 }, r.ms);
  } else {
    report(name, { passed: 0, failed: 1, skipped: 0 }, r.ms);
    console.log(indent(r.output));
  }
}

/** The libFuzzer targets (tests/fuzz/run.sh); one count per target. */
function fuzzSuite() {
  const name = 'libFuzzer targets, scalar vs f32x4, ASan + UBSan';
  const secs = process.env.XENT_FUZZ_SECONDS ?? '3';
  if (secs === '0') {
    report(name, { passed: 0, failed: 0, skipped: 1 }, 0);
    return;
  }
  const r = sh('bash', ['tests/fuzz/run.sh', secs]);
  const passed = r.output.split('\n').filter((l) => /^fuzz xent_\w+ +\d+ runs/.test(l)).length;
  const failed = r.code === 0 && passed > 0 ? 0 : 1;
  report(name, { passed, failed, skipped: 0 }, r.ms);
  const all = /^fuzz: (\d+) executions/m.exec(r.output);
  if (all) console.log(indent(`# fuzz: ${all[1]} executions, ${secs} s per target`));
  if (failed) console.log(indent(r.output));
}

/** Runs the node:test files under DIR (process per file); one line per file. */
async function nodeSuites(dir) {
  const files = readdirSync(path.resolve(ROOT, dir)).filter((f) => f.endsWith('.test.js')).sort()
    .map((f) => path.resolve(ROOT, dir, f));
  const state = new Map(files.map((f) => [f, { counts: { passed: 0, failed: 0, skipped: 0 }, failures: [], out: [], t0: Date.now(), done: false }]));
  const finish = (file) => {
    const s = state.get(file);
    if (!s || s.done) return;
    s.done = true;
    report(path.relative(ROOT, file), s.counts, Date.now() - s.t0);
    const figures = s.out.join('').split('\n').filter((l) => l.startsWith('# '));
    if (figures.length) console.log(indent(figures.join('\n')));
    for (const f of s.failures) console.log(indent(f));
    if (s.counts.failed && s.out.length) console.log(indent(`output of ${path.relative(ROOT, file)}:\n${s.out.join('')}`));
  };
  const concurrency = Math.max(1, availableParallelism() - 1);
  for await (const ev of run({ files, concurrency })) {
    const d = ev.data || {};
    const s = d.file && state.get(d.file);
    if (!s) continue;
    if (ev.type === 'test:dequeue' && d.name === d.file) s.t0 = Date.now();
    if (ev.type === 'test:stdout' || ev.type === 'test:stderr') s.out.push(d.message);
    if ((ev.type === 'test:pass' || ev.type === 'test:fail') && d.details?.type !== 'suite') {
      if (s.done) continue; // a crashed file's own failure, already counted at its test:complete
      if (d.skip !== undefined || d.todo !== undefined) s.counts.skipped += 1;
      else if (ev.type === 'test:pass') s.counts.passed += 1;
      else {
        s.counts.failed += 1;
        const err = d.details?.error;
        const where = d.line ? `${path.relative(ROOT, d.file)}:${d.line}` : path.relative(ROOT, d.file);
        const what = d.name === d.file ? 'the file failed to run' : `"${d.name}"`;
        s.failures.push(`FAILED ${what} (${where})\n${indent(inspect(err?.cause ?? err, { depth: 4 }), '  ')}`);
      }
    }
    if (ev.type === 'test:complete' && d.name === d.file && d.nesting === 0) {
      // A file that exits non-zero with no failing test is a failure of its own.
      if (d.details?.error && s.counts.failed === 0 && !s.failures.length) {
        s.counts.failed += 1;
        s.failures.push(`FAILED ${path.relative(ROOT, d.file)} (the file exited with an error)`);
      }
      finish(d.file);
    }
  }
  for (const f of files) finish(f);
}

const t0 = Date.now();
if (wanted.includes('c')) {
  ctestSuite('C tests: scalar, and f32x4 through SIMDe', 'native', 'build/native');
  ctestSuite('C tests under ASan + UBSan', 'sanitize', 'build/sanitize');
  checkWasm();
  fuzzSuite();
}
if (wanted.includes('js')) await nodeSuites(process.env.XENT_TEST_JS_DIR || 'tests/js');
if (wanted.includes('browser')) await nodeSuites('tests/browser');
console.log(`(${wanted.join(', ')} in ${seconds(Date.now() - t0)})`);
console.log(`${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
process.exitCode = total.failed ? 1 : 0;
