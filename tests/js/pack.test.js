// pack.test.js: the published package works from its tarball:
// `npm pack`, install into an empty project (offline, no runtime
// dependencies), then a plain `import * as xent from 'xent'` in Node computes
// losses and gradients that match a float64 reference written here; so does
// `require('xent')` from CommonJS, `import 'xent/explorer'` in Node throws
// nothing, and the tarball carries the LICENSE.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { packAndInstall, root } from './packed.js';

let pkg;
before(() => {
  pkg = packAndInstall();
});
after(() => pkg && pkg.cleanup());

// Float64 references, written from the formulas in docs/semantics.md 2.3, 2.5, 4.3, 4.4.
function sparseSoftmaxRef(labels, rows) {
  const B = rows.length;
  let total = 0;
  const grad = [];
  rows.forEach((z, b) => {
    const m = Math.max(...z);
    const s = z.reduce((acc, v) => acc + Math.exp(v - m), 0);
    total += Math.log(s) + m - z[labels[b]];
    z.forEach((v, j) => grad.push((Math.exp(v - m) / s - (j === labels[b] ? 1 : 0)) / B));
  });
  return { loss: total / B, grad };
}

function binaryProbsRef(y, p) {
  const eps = Math.fround(1e-7);
  const hi = Math.fround(1 - 1e-7);
  const B = p.length;
  const C = p[0].length;
  let total = 0;
  const grad = [];
  p.forEach((row, b) => {
    let r = 0;
    row.forEach((v, j) => {
      const t = y[b][j];
      const c = Math.min(Math.max(v, eps), hi);
      r -= t * Math.log(c) + (1 - t) * Math.log(1 - c);
      grad.push(v >= eps && v <= hi ? (c - t) / (c * (1 - c)) / (B * C) : 0);
    });
    total += r / C;
  });
  return { loss: total / B, grad };
}

const LOGITS = [
  [2.5, -1, 0.3, 4, -3],
  [0, 0, 0, 0, 0],
  [10, -10, 5, 1, 1e-3],
];
const LABELS = [3, 1, 2];
const Y = [
  [0, 1],
  [1, 0],
  [1, 1],
];
const P = [
  [0.6, 0.4],
  [0.4, 0.6],
  [0, 1],
];

// Runs a module inside the installed project, as its own file, and returns its JSON output.
function runInApp(name, source) {
  const file = path.join(pkg.dir, name);
  writeFileSync(file, source);
  return JSON.parse(execFileSync(process.execPath, [file], { cwd: pkg.dir, encoding: 'utf8' }));
}

const APP = (backendOption) => `
import * as xent from 'xent';
const backend = await xent.init(${backendOption});
const sparse = xent.sparseCategoricalCrossentropy(${JSON.stringify(LABELS)}, ${JSON.stringify(LOGITS)}, { fromLogits: true, gradient: true });
const binary = xent.binaryCrossentropy(${JSON.stringify(Y)}, ${JSON.stringify(P)}, { gradient: true });
console.log(JSON.stringify({
  resolved: import.meta.resolve('xent'),
  backend, current: xent.backend,
  sparse: { loss: sparse.loss, grad: Array.from(sparse.grad) },
  binary: { loss: binary.loss, grad: Array.from(binary.grad) },
}));
`;

function assertClose(actual, expected, what) {
  const tol = 1e-6 * Math.abs(expected) + 1e-7;
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: got ${actual}, float64 reference ${expected} (tolerance ${tol})`);
}

function checkResults(out) {
  const sparse = sparseSoftmaxRef(LABELS, LOGITS);
  assertClose(out.sparse.loss, sparse.loss, 'sparse loss');
  assert.equal(out.sparse.grad.length, sparse.grad.length);
  out.sparse.grad.forEach((g, i) => assertClose(g, sparse.grad[i], `sparse grad[${i}]`));
  const binary = binaryProbsRef(Y, P);
  assertClose(out.binary.loss, binary.loss, 'binary loss');
  out.binary.grad.forEach((g, i) => assertClose(g, binary.grad[i], `binary grad[${i}]`));
}

test('the tarball holds the API, its types, the inlined wasm modules and the .wasm files, and no sources or tests', () => {
  for (const f of ['package.json', 'README.md', 'js/index.js', 'js/index.d.ts', 'js/load.js', 'js/wasm/simd.js', 'js/wasm/scalar.js', 'dist/xent-simd.wasm', 'dist/xent.wasm']) {
    assert.ok(pkg.files.includes(f), `${f} is missing from the tarball (files: ${pkg.files.join(', ')})`);
  }
  for (const f of pkg.files) {
    assert.ok(!/^(src|tests|bench|build|node_modules|scripts)\//.test(f), `${f} should not be published`);
  }
  const manifest = JSON.parse(readFileSync(path.join(pkg.dir, 'node_modules/xent/package.json'), 'utf8'));
  assert.deepEqual(manifest.dependencies || {}, {}, 'the package must have no runtime dependencies');
  assert.equal(Object.keys(manifest.exports['.'])[0], 'types', 'types come first in the exports map');
});

test('the inlined modules the package loads are byte for byte the .wasm files it ships', () => {
  const installed = path.join(pkg.dir, 'node_modules/xent');
  for (const [inline, file] of [['js/wasm/simd.js', 'dist/xent-simd.wasm'], ['js/wasm/scalar.js', 'dist/xent.wasm']]) {
    const text = readFileSync(path.join(installed, inline), 'utf8');
    const b64 = /"([A-Za-z0-9+/=]+)"/.exec(text);
    assert.ok(b64, `${inline} holds no base64 string`);
    const bytes = Buffer.from(b64[1], 'base64');
    assert.ok(bytes.equals(readFileSync(path.join(installed, file))), `${inline} does not decode to ${file}`);
  }
});

test('a plain import of the installed package loads the SIMD build and matches a float64 reference', () => {
  const out = runInApp('app-simd.mjs', APP(''));
  assert.ok(out.resolved.startsWith(`file://${pkg.dir}/node_modules/xent/`), `'xent' resolved to ${out.resolved}`);
  assert.equal(out.backend, 'wasm-simd');
  assert.equal(out.current, 'wasm-simd');
  checkResults(out);
});

test("init({ backend: 'wasm' }) on the installed package loads the scalar build and matches the same reference", () => {
  const out = runInApp('app-scalar.mjs', APP("{ backend: 'wasm' }"));
  assert.equal(out.backend, 'wasm');
  assert.equal(out.current, 'wasm');
  checkResults(out);
});

test('require("xent") from a CommonJS file works on this Node, which package.json engines admits', () => {
  const manifest = JSON.parse(readFileSync(path.join(pkg.dir, 'node_modules/xent/package.json'), 'utf8'));
  // require() of an ES module works unflagged from Node 20.19 and 22.12 (not in 21 or 22.0-22.11).
  assert.equal(manifest.engines.node, '^20.19.0 || >=22.12.0');
  const [major, minor] = process.versions.node.split('.').map(Number);
  assert.ok((major === 20 && minor >= 19) || (major === 22 && minor >= 12) || major > 22, `this test needs a Node the engines field admits, not ${process.version}`);
  const file = path.join(pkg.dir, 'app-require.cjs');
  writeFileSync(file, `const xent = require('xent');
xent.init().then((backend) => {
  const r = xent.sparseCategoricalCrossentropy(${JSON.stringify(LABELS)}, ${JSON.stringify(LOGITS)}, { fromLogits: true, gradient: true });
  console.log(JSON.stringify({ resolved: require.resolve('xent'), backend, current: xent.backend, sparse: { loss: r.loss, grad: Array.from(r.grad) },
    binary: (({ loss, grad }) => ({ loss, grad: Array.from(grad) }))(xent.binaryCrossentropy(${JSON.stringify(Y)}, ${JSON.stringify(P)}, { gradient: true })) }));
});
`);
  const out = JSON.parse(execFileSync(process.execPath, ['--no-warnings', file], { cwd: pkg.dir, encoding: 'utf8' }));
  assert.ok(out.resolved.startsWith(path.join(pkg.dir, 'node_modules/xent/')), out.resolved);
  assert.equal(out.backend, 'wasm-simd');
  checkResults(out);
});

test('importing xent/explorer in Node (server-side rendering) throws nothing and registers nothing', () => {
  const out = runInApp('app-ssr.mjs', `
const m = await import('xent/explorer');
console.log(JSON.stringify({ resolved: import.meta.resolve('xent/explorer'), exports: Object.keys(m), kind: typeof m.XentExplorer,
  customElements: typeof globalThis.customElements, HTMLElement: typeof globalThis.HTMLElement, document: typeof globalThis.document }));
`);
  assert.ok(out.resolved.endsWith('/node_modules/xent/web/define.js'), out.resolved);
  assert.deepEqual(out, { resolved: out.resolved, exports: ['XentExplorer'], kind: 'function', customElements: 'undefined', HTMLElement: 'undefined', document: 'undefined' });
});

test("the tarball's size is the one README.md states (within 10%)", () => {
  const bytes = statSync(pkg.tarball).size;
  const m = /Packed tarball: (\d+) KB/.exec(readFileSync(path.join(root, 'README.md'), 'utf8'));
  assert.ok(m, 'README.md states the packed tarball size as "Packed tarball: N KB"');
  assert.ok(Math.abs(Number(m[1]) * 1000 - bytes) <= 0.1 * bytes, `README.md states ${m[1]} KB; the tarball is ${(bytes / 1000).toFixed(0)} KB: update README.md`);
});

test('the wasm and inlined module sizes README.md states are the shipped files\' (within 1%)', () => {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const installed = path.join(pkg.dir, 'node_modules/xent');
  const m = /`dist\/xent-simd\.wasm` ([\d.]+) KB, `dist\/xent\.wasm` ([\d.]+) KB/.exec(readme);
  const js = /\(`js\/wasm\/\*\.js`, ([\d.]+) KB and ([\d.]+) KB\)/.exec(readme);
  assert.ok(m && js, 'README.md states the sizes of dist/*.wasm and js/wasm/*.js');
  const stated = [[m[1], 'dist/xent-simd.wasm'], [m[2], 'dist/xent.wasm'], [js[1], 'js/wasm/simd.js'], [js[2], 'js/wasm/scalar.js']];
  for (const [kb, file] of stated) {
    const bytes = statSync(path.join(installed, file)).size;
    assert.ok(Math.abs(Number(kb) * 1000 - bytes) <= 0.01 * bytes, `README.md states ${kb} KB for ${file}; it is ${(bytes / 1000).toFixed(1)} KB: update README.md`);
  }
});

test('the tarball carries the MIT LICENSE that package.json names, copyright the xent authors', () => {
  assert.ok(pkg.files.includes('LICENSE'), pkg.files.join(', '));
  const text = readFileSync(path.join(pkg.dir, 'node_modules/xent/LICENSE'), 'utf8');
  assert.match(text, /^MIT License\n\nCopyright \(c\) \d{4} the xent authors\n/);
  assert.match(text, /THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND/);
  const manifest = JSON.parse(readFileSync(path.join(pkg.dir, 'node_modules/xent/package.json'), 'utf8'));
  assert.equal(manifest.license, 'MIT');
  assert.ok(manifest.keywords.includes('cross-entropy') && manifest.keywords.includes('webassembly'), manifest.keywords.join(', '));
});
