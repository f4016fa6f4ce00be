// build.test.js: scripts/build.sh, which builds from the C sources. A build
// folder moved with the repository (CMake records the absolute source path) is
// reconfigured instead of failing; `check-wasm` (run by `npm test`) rebuilds the
// modules in a scratch folder and fails, naming the file and the fix, when a
// committed module differs from what the sources build. Skipped where cmake or
// Emscripten is missing: the JS tests need neither.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const has = (tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
const run = (cmd, args, cwd) => spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 600000 });

test('a build folder moved with the repository is reconfigured, not a CMake error', { skip: !has('cmake') && 'cmake is not installed' }, () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'xent-moved-'));
  try {
    const before = path.join(tmp, 'before');
    mkdirSync(path.join(before, 'scripts'), { recursive: true });
    cpSync(path.join(ROOT, 'scripts/build.sh'), path.join(before, 'scripts/build.sh'));
    // A project with nothing to compile: what is under test is the cache handling.
    writeFileSync(path.join(before, 'CMakeLists.txt'), 'cmake_minimum_required(VERSION 3.13)\nproject(moved NONE)\n');
    assert.equal(run('cmake', ['-S', '.', '-B', 'build/native'], before).status, 0);
    const after = path.join(tmp, 'after');
    renameSync(before, after);
    const plain = run('cmake', ['-S', '.', '-B', 'build/native'], after);
    assert.notEqual(plain.status, 0, 'CMake itself refuses the moved cache');
    assert.match(plain.stderr, /CMakeCache\.txt directory .* is different|does not match the source/);
    const r = run('bash', ['scripts/build.sh', 'native'], after);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /build\/native was configured for .*before; reconfiguring it for .*after/);
    const cache = readFileSync(path.join(after, 'build/native/CMakeCache.txt'), 'utf8');
    assert.match(cache, new RegExp(`CMAKE_HOME_DIRECTORY:INTERNAL=${after.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\n`));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('check-wasm fails on a committed module that differs from the sources, names it and says `npm run build`', { skip: !(has('cmake') && has('emcc')) && 'cmake or emcc is not installed', timeout: 900000 }, (t) => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'xent-drift-'));
  try {
    for (const p of ['CMakeLists.txt', 'emsdk-env.sh', 'src', 'scripts', 'dist', 'js/wasm']) {
      cpSync(path.join(ROOT, p), path.join(tmp, p), { recursive: true });
    }
    appendFileSync(path.join(tmp, 'dist/xent.wasm'), Buffer.from([0]));
    const r = run('bash', ['scripts/build.sh', 'check-wasm'], tmp);
    if (r.status === 77) { // another Emscripten than the pinned one: nothing to compare
      t.skip(r.stdout.trim());
      return;
    }
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.ok(r.stdout.includes('The committed wasm modules differ'), `stdout: ${r.stdout}\nstderr: ${r.stderr}`);
    // Only the altered file differs: the other three, built in another folder, are byte-identical.
    assert.match(r.stdout, /The committed wasm modules differ.*\n {2}dist\/xent\.wasm \((\d+) bytes committed, \d+ built\)\nFix: run `npm run build`, then commit dist\/ and js\/wasm\//);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
