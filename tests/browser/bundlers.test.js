// bundlers.test.js: the packed package works in a browser through the bundlers
// users have: one app file that does
// `import * as xent from 'xent'` against the tarball installed in a temporary
// project, bundled with esbuild, built with `vite build`, and served by the
// Vite dev server (which pre-bundles dependencies), each loaded in Chromium
// with no bundler configuration. Each must load the SIMD build and compute a
// loss and gradient equal to a float64 reference written here, and fetch
// nothing from anywhere but the local server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import * as esbuild from 'esbuild';
import { build as viteBuild, createServer as viteServer } from 'vite';
import { packAndInstall } from '../js/packed.js';

const LOGITS = [
  [2.5, -1, 0.3, 4, -3],
  [0, 0, 0, 0, 0],
  [10, -10, 5, 1, 1e-3],
];
const LABELS = [3, 1, 2];

// Float64 reference (docs/semantics.md 2.5, 4.4): mean of logsumexp(z) - z_y; grad (softmax - onehot) / B.
function reference() {
  const B = LOGITS.length;
  let total = 0;
  const grad = [];
  LOGITS.forEach((z, b) => {
    const m = Math.max(...z);
    const s = z.reduce((acc, v) => acc + Math.exp(v - m), 0);
    total += Math.log(s) + m - z[LABELS[b]];
    z.forEach((v, j) => grad.push((Math.exp(v - m) / s - (j === LABELS[b] ? 1 : 0)) / B));
  });
  return { loss: total / B, grad };
}

const MAIN = `import * as xent from 'xent';
const out = {};
try {
  out.backend = await xent.init();
  const r = xent.sparseCategoricalCrossentropy(${JSON.stringify(LABELS)}, ${JSON.stringify(LOGITS)}, { fromLogits: true, gradient: true });
  out.current = xent.backend;
  out.loss = r.loss;
  out.grad = Array.from(r.grad);
} catch (e) {
  out.error = String((e && e.stack) || e);
}
window.__xent = out;
`;
const page = (script) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>xent bundler app</title></head>` +
  `<body><script type="module" src="${script}"></script></body></html>\n`;

let pkg;
let browser;
let profile;
const servers = [];

before(async () => {
  pkg = packAndInstall('xent-bundlers-');
  writeFileSync(path.join(pkg.dir, 'main.js'), MAIN);
  writeFileSync(path.join(pkg.dir, 'index.html'), page('/main.js'));
  profile = mkdtempSync(path.join(os.tmpdir(), 'xent-chromium-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  if (browser) await browser.close();
  for (const s of servers) await s.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
  if (pkg) pkg.cleanup();
});

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json' };

/** Serves `dir` read-only on 127.0.0.1; resolves to its origin. */
function serveStatic(dir) {
  const server = createHttpServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = path.join(dir, rel.endsWith('/') ? `${rel}index.html` : rel);
    if (!file.startsWith(dir) || !statSync(file, { throwIfNoEntry: false })?.isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' }).end(readFileSync(file));
  });
  servers.push({ close: () => new Promise((r) => server.close(r)) });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`)));
}

/** Opens `url` in Chromium, waits for the app's result, and checks it against the reference. */
async function runInChromium(url) {
  const tab = await browser.newPage();
  const origin = new URL(url).origin;
  const foreign = [];
  const errors = [];
  tab.on('request', (r) => {
    if (!r.url().startsWith(origin) && !r.url().startsWith('data:')) foreign.push(r.url());
  });
  tab.on('pageerror', (e) => errors.push(String(e)));
  try {
    await tab.goto(url);
    let out;
    const deadline = Date.now() + 60000;
    // The Vite dev server may reload the page once after optimising dependencies.
    while (out === undefined && Date.now() < deadline) {
      out = await tab.evaluate(() => window.__xent).catch(() => undefined);
      if (out === undefined) await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(out, `no result from ${url} within 60 s; page errors: ${errors.join('; ')}`);
    assert.equal(out.error, undefined, `the app threw: ${out.error}`);
    assert.equal(out.backend, 'wasm-simd');
    assert.equal(out.current, 'wasm-simd');
    const ref = reference();
    const close = (a, e) => Math.abs(a - e) <= 1e-6 * Math.abs(e) + 1e-7;
    assert.ok(close(out.loss, ref.loss), `loss ${out.loss}, float64 reference ${ref.loss}`);
    assert.equal(out.grad.length, ref.grad.length);
    out.grad.forEach((g, i) => assert.ok(close(g, ref.grad[i]), `grad[${i}] ${g}, float64 reference ${ref.grad[i]}`));
    assert.deepEqual(foreign, [], 'the page fetched something from outside the local server');
    assert.deepEqual(errors, []);
  } finally {
    await tab.close();
  }
}

test('an esbuild bundle of an app importing xent computes the loss in Chromium with no configuration', { timeout: 120000 }, async () => {
  const outdir = path.join(pkg.dir, 'esbuild-out');
  await esbuild.build({
    entryPoints: [path.join(pkg.dir, 'main.js')],
    absWorkingDir: pkg.dir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    outdir,
    logLevel: 'silent',
  });
  writeFileSync(path.join(outdir, 'index.html'), page('./main.js'));
  const emitted = readdirSync(outdir).sort();
  assert.deepEqual(emitted, ['index.html', 'main.js'], 'the bundle is one JS file; no wasm file needs copying');
  await runInChromium(`${await serveStatic(outdir)}/index.html`);
});

test('a vite build of an app importing xent computes the loss in Chromium with no configuration', { timeout: 120000 }, async () => {
  const outDir = path.join(pkg.dir, 'vite-out');
  await viteBuild({
    root: pkg.dir,
    configFile: false,
    logLevel: 'silent',
    cacheDir: path.join(pkg.dir, '.vite-cache'),
    build: { outDir, emptyOutDir: true },
  });
  await runInChromium(`${await serveStatic(outDir)}/index.html`);
});

test('the Vite dev server (pre-bundled dependencies) serves an app importing xent that computes the loss in Chromium', { timeout: 120000 }, async () => {
  const server = await viteServer({
    root: pkg.dir,
    configFile: false,
    logLevel: 'silent',
    cacheDir: path.join(pkg.dir, '.vite-dev-cache'),
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false, watch: null },
  });
  servers.push({ close: () => server.close() });
  await server.listen();
  const { port } = server.httpServer.address();
  await runInChromium(`http://127.0.0.1:${port}/`);
});
