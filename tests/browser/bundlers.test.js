// bundlers.test.js: the packed package works in a browser through the bundlers
// users have, with no bundler configuration. Against the tarball installed in
// a temporary project, two pages: api.html, whose module imports only 'xent',
// and explorer.html, whose module imports 'xent' and 'xent/explorer' and holds
// a <xent-explorer>. Each is bundled with esbuild, built with `vite build` and
// served by the Vite dev server (which pre-bundles dependencies), and loaded in
// Chromium from scripts/serve.js (the `npm start` server): the SIMD build must
// compute a loss and gradient equal to a float64 reference written here, the
// explorer must render (package.json `sideEffects` keeps its registration),
// nothing may be fetched from elsewhere, and no bundler may warn. The bytes
// each page downloads are measured and must match the table in README.md's
// Sizes section (within 10%).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import * as esbuild from 'esbuild';
import { build as viteBuild, createServer as viteServer, createLogger } from 'vite';
import { packAndInstall } from '../js/packed.js';
import { serve } from '../../scripts/serve.js';

const README = fileURLToPath(new URL('../../README.md', import.meta.url));

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

const COMPUTE = `const out = {};
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
const API_JS = `import * as xent from 'xent';\n${COMPUTE}`;
const EXPLORER_JS = `import * as xent from 'xent';\nimport 'xent/explorer';\n${COMPUTE}`;
const page = (script, body = '') =>
  `<!doctype html><html><head><meta charset="utf-8"><title>xent bundler app</title><link rel="icon" href="data:,"></head>` +
  `<body>${body}<script type="module" src="${script}"></script></body></html>\n`;
const EXPLORER_TAG = '<xent-explorer labels="integer" output="logits"></xent-explorer>';

let pkg;
let browser;
let profile;
const servers = [];
const measured = {}; // measured[bundler][page] = bytes the page downloaded

before(async () => {
  pkg = packAndInstall('xent-bundlers-');
  writeFileSync(path.join(pkg.dir, 'api.js'), API_JS);
  writeFileSync(path.join(pkg.dir, 'explorer.js'), EXPLORER_JS);
  writeFileSync(path.join(pkg.dir, 'api.html'), page('/api.js'));
  writeFileSync(path.join(pkg.dir, 'explorer.html'), page('/explorer.js', EXPLORER_TAG));
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

/** Serves a bundler's output folder with scripts/serve.js; resolves to its origin. */
async function serveDir(dir) {
  const server = await serve({ root: dir, port: 0 });
  servers.push(server);
  return `http://127.0.0.1:${server.port}`;
}

/**
 * Opens `url` in Chromium, waits for the app's result, checks it against the
 * reference, and (when `explorer`) that the element rendered a loss. Returns the
 * bytes of every response body the page received.
 */
async function runInChromium(url, { explorer = false } = {}) {
  const tab = await browser.newPage();
  const origin = new URL(url).origin;
  const foreign = [];
  const errors = [];
  const bad = [];
  const responses = [];
  tab.on('request', (r) => {
    if (!r.url().startsWith(origin) && !r.url().startsWith('data:')) foreign.push(r.url());
  });
  tab.on('response', (r) => {
    if (r.status() >= 400) bad.push(`${r.status()} ${r.url()}`);
    if (!r.url().startsWith('data:')) responses.push(r);
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
    if (explorer) {
      await tab.waitForFunction(() => document.querySelector('xent-explorer')?.renderedAt > 0, null, { timeout: 60000 })
        .catch(() => assert.fail(`<xent-explorer> did not render at ${url} (page errors: ${errors.join('; ')})`));
      const shown = await tab.evaluate(() => {
        const el = document.querySelector('xent-explorer');
        return { defined: !!customElements.get('xent-explorer'), children: el.shadowRoot?.childElementCount ?? 0,
          loss: el.shadowRoot?.querySelector('[data-loss]')?.textContent ?? '' };
      });
      assert.equal(shown.defined, true, 'xent-explorer is registered');
      assert.ok(shown.children > 0, 'the shadow root has content');
      assert.match(shown.loss, /^\d+(\.\d+)?(e[-+]?\d+)?$/, `the element shows a loss number (got ${JSON.stringify(shown.loss)})`);
    }
    assert.deepEqual(foreign, [], 'the page fetched something from outside the local server');
    assert.deepEqual(bad, []);
    assert.deepEqual(errors, []);
    let bytes = 0;
    for (const r of responses) bytes += (await r.body().catch(() => Buffer.alloc(0))).length;
    return bytes;
  } finally {
    await tab.close();
  }
}

test('an esbuild bundle of each page loads the SIMD build, computes the loss and renders the explorer in Chromium', { timeout: 180000 }, async () => {
  const outdir = path.join(pkg.dir, 'esbuild-out');
  const result = await esbuild.build({
    entryPoints: [path.join(pkg.dir, 'api.js'), path.join(pkg.dir, 'explorer.js')],
    absWorkingDir: pkg.dir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    outdir,
    logLevel: 'silent',
  });
  assert.deepEqual(result.warnings.map((w) => w.text), [], 'esbuild warns about nothing (an import dropped by sideEffects would warn)');
  writeFileSync(path.join(outdir, 'api.html'), page('./api.js'));
  writeFileSync(path.join(outdir, 'explorer.html'), page('./explorer.js', EXPLORER_TAG));
  assert.deepEqual(readdirSync(outdir).sort(), ['api.html', 'api.js', 'explorer.html', 'explorer.js'], 'one JS file per page; no wasm file needs copying');
  const origin = await serveDir(outdir);
  measured.esbuild = {
    api: await runInChromium(`${origin}/api.html`),
    explorer: await runInChromium(`${origin}/explorer.html`, { explorer: true }),
  };
});

test('a vite build of each page loads the SIMD build, computes the loss and renders the explorer in Chromium', { timeout: 180000 }, async () => {
  measured.vite = {};
  // One build per page, as two separate apps: a multi-page build would share chunks between them.
  for (const name of ['api', 'explorer']) {
    const outDir = path.join(pkg.dir, `vite-out-${name}`);
    const warnings = [];
    const logger = createLogger('warn', { allowClearScreen: false });
    logger.warn = (msg) => warnings.push(msg);
    logger.warnOnce = (msg) => warnings.push(msg);
    await viteBuild({
      root: pkg.dir,
      configFile: false,
      customLogger: logger,
      logLevel: 'warn',
      cacheDir: path.join(pkg.dir, '.vite-cache'),
      build: { outDir, emptyOutDir: true, rolldownOptions: { input: path.join(pkg.dir, `${name}.html`) } },
    });
    assert.deepEqual(warnings, [], 'vite build warns about nothing');
    const origin = await serveDir(outDir);
    measured.vite[name] = await runInChromium(`${origin}/${name}.html`, { explorer: name === 'explorer' });
  }
});

test('the Vite dev server (pre-bundled dependencies) serves both pages: the loss is computed and the explorer renders', { timeout: 180000 }, async () => {
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
  await runInChromium(`http://127.0.0.1:${port}/api.html`);
  await runInChromium(`http://127.0.0.1:${port}/explorer.html`, { explorer: true });
});

test("README.md's Sizes table states the bytes each bundled page downloads, as measured here (within 10%)", (t) => {
  if (!measured.esbuild || !measured.vite) {
    t.skip('a bundler test above failed: nothing measured');
    return;
  }
  const kb = (b) => `${(b / 1000).toFixed(0)} KB`;
  console.log(`# bytes a page downloads (uncompressed): imports xent: esbuild ${kb(measured.esbuild.api)}, vite build ${kb(measured.vite.api)}; ` +
    `imports xent and xent/explorer: esbuild ${kb(measured.esbuild.explorer)}, vite build ${kb(measured.vite.explorer)}`);
  const readme = readFileSync(README, 'utf8');
  const rows = {
    api: /^\| a page importing `xent` \| (\d+) KB \| (\d+) KB \|$/m.exec(readme),
    explorer: /^\| a page importing `xent` and `xent\/explorer` \| (\d+) KB \| (\d+) KB \|$/m.exec(readme),
  };
  for (const [name, row] of Object.entries(rows)) {
    assert.ok(row, `README.md has no Sizes row for the ${name} page (| a page importing ... | N KB | N KB |)`);
    const stated = { esbuild: Number(row[1]) * 1000, vite: Number(row[2]) * 1000 };
    for (const bundler of ['esbuild', 'vite']) {
      const got = measured[bundler][name];
      assert.ok(Math.abs(got - stated[bundler]) <= 0.1 * got,
        `README.md states ${stated[bundler] / 1000} KB for the ${name} page with ${bundler}; measured ${kb(got)}: update the Sizes table`);
    }
  }
  // The reason for the difference: esbuild's single file holds both wasm modules, vite's page fetches one.
  assert.ok(measured.esbuild.api > measured.vite.api, 'the esbuild single-file bundle is the larger');
});
