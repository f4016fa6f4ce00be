// pages.test.js: every page under web/ loads in Chromium from the `npm start`
// server (scripts/serve.js, which serves only web/, js/, dist/ and the TF.js
// files web/tfjs-train.html loads) with no request answered 4xx/5xx, no failed
// request, no console error, and its content shown (guards the server's
// allow-list against dropping something a page needs); what the explorer page
// downloads is the figure README.md's Sizes section states (within 10%).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { start } from './explorer-helpers.js';

const WEB = fileURLToPath(new URL('../../web/', import.meta.url));
const PAGES = readdirSync(WEB, { recursive: true }).filter((f) => f.endsWith('.html')).sort();

let env;
before(async () => { env = await start(); });
after(async () => { if (env) await env.close(); });

test('the pages found under web/ include the explorer, the embed example and the TF.js training page', () => {
  for (const p of ['index.html', 'embed-example.html', 'tfjs-train.html']) assert.ok(PAGES.includes(p), PAGES.join(', '));
});

// Each page and when it has loaded everything: the explorer pages once the
// element rendered; the TF.js training page (?backend=wasm, so the wasm
// backend's .wasm is fetched too) once TF.js started its backend.
const ready = {
  'tfjs-train.html': { query: '?backend=wasm', until: () => window.__xentTfjs && (window.__xentTfjs.backend || window.__xentTfjs.error) },
};
const explorerReady = () => document.querySelector('xent-explorer')?.renderedAt > 0;

for (const page of PAGES) {
  test(`web/${page} loads with every request answered 2xx/3xx and its content shown`, async () => {
    const { query = '', until = explorerReady } = ready[page] ?? {};
    const context = await env.browser.newContext();
    const tab = await context.newPage();
    const log = { errors: [], failed: [], bad: [], responses: [], foreign: [] };
    tab.on('console', (m) => { if (m.type() === 'error') log.errors.push(m.text()); });
    tab.on('pageerror', (e) => log.errors.push(String(e)));
    tab.on('requestfailed', (r) => log.failed.push(`${r.url()} ${r.failure()?.errorText}`));
    tab.on('request', (r) => { if (!r.url().startsWith(env.base) && !r.url().startsWith('data:')) log.foreign.push(r.url()); });
    tab.on('response', (r) => {
      if (r.status() >= 400) log.bad.push(`${r.status()} ${r.url()}`);
      log.responses.push(r);
    });
    await tab.goto(`${env.base}/web/${page}${query}`);
    // An explorer loads when it is seen: scroll to the first one.
    if (until === explorerReady) await tab.locator('xent-explorer').first().scrollIntoViewIfNeeded();
    await tab.waitForFunction(until, null, { timeout: 120000 });
    await tab.waitForTimeout(300);
    assert.deepEqual(log.bad, []);
    assert.deepEqual(log.failed, []);
    assert.deepEqual(log.errors, []);
    assert.deepEqual(log.foreign, []);
    assert.ok(log.responses.length > 3, 'the page loaded its modules');
    if (until === explorerReady) {
      const shown = await tab.evaluate(() => {
        const root = document.querySelector('xent-explorer').shadowRoot;
        // The Live example's loss, or on a page whose explorer shows only the
        // Sampled softmax panel (web/losses/sampled.html) its full softmax loss.
        const shownIn = (part, sel) => root.querySelector(`[data-part="${part}"]:not([hidden]) ${sel}`)?.textContent;
        return { children: root.childElementCount, loss: shownIn('live', '[data-loss]') ?? shownIn('sampled', '[data-sfull]') ?? '' };
      });
      assert.ok(shown.children > 0, 'the shadow root has content');
      assert.match(shown.loss, /^-?\d+(\.\d+)?(e[-+]?\d+)?$/, `a loss number is shown (got ${JSON.stringify(shown.loss)})`);
    } else {
      const r = await tab.evaluate(() => ({ backend: window.__xentTfjs.backend, error: window.__xentTfjs.error }));
      assert.deepEqual(r, { backend: 'wasm', error: null });
    }
    if (page === 'index.html') {
      let bytes = 0;
      for (const r of log.responses) bytes += (await r.body().catch(() => Buffer.alloc(0))).length;
      console.log(`# web/index.html downloads ${(bytes / 1000).toFixed(0)} KB uncompressed in ${log.responses.length} responses`);
      const m = /The explorer page served by\s+`npm start` downloads (\d+) KB/.exec(readFileSync(new URL('../../README.md', import.meta.url), 'utf8'));
      assert.ok(m, 'README.md states what the explorer page downloads');
      assert.ok(Math.abs(Number(m[1]) * 1000 - bytes) <= 0.1 * bytes,
        `README.md states ${m[1]} KB for the explorer page; it downloaded ${(bytes / 1000).toFixed(0)} KB: update README.md`);
    }
    await context.close();
  });
}
