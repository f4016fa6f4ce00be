// explorer-helpers.js: shared setup for the explorer's browser tests: the
// repository served by scripts/serve.js on a free port, Debian's chromium
// driven by playwright-core with a fresh profile, and a page wrapper that
// records console errors, failed requests and transferred bytes.
import { chromium } from 'playwright-core';
import { existsSync } from 'node:fs';
import { serve } from '../../scripts/serve.js';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export async function start() {
  if (!existsSync(CHROMIUM)) throw new Error(`chromium not found at ${CHROMIUM}: run \`npm test\` (it installs it) or set CHROMIUM`);
  const server = await serve({ port: 0 });
  // launch() gives every run a fresh temporary user-data-dir.
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  const base = `http://127.0.0.1:${server.port}`;
  return {
    base,
    browser,
    // `folded: true` keeps the panels as a first visit sees them; by default
    // every panel is opened (they start folded below the first screen).
    // `scrollTo` scrolls that element into view first (an explorer below the
    // first screen loads only when it is seen).
    async open(path, { width = 1280, height = 900, colorScheme = 'light', folded = false, scrollTo = null } = {}) {
      const context = await browser.newContext({ viewport: { width, height }, colorScheme });
      const page = await context.newPage();
      const log = { errors: [], failed: [], bad: [], responses: [], foreign: [] };
      page.on('console', (m) => { if (m.type() === 'error') log.errors.push(m.text()); });
      page.on('pageerror', (e) => log.errors.push(String(e)));
      page.on('requestfailed', (r) => log.failed.push(`${r.url()} ${r.failure()?.errorText}`));
      page.on('request', (r) => { if (!r.url().startsWith(base) && !r.url().startsWith('data:')) log.foreign.push(r.url()); });
      page.on('response', (r) => {
        if (r.status() >= 400) log.bad.push(`${r.status()} ${r.url()}`);
        log.responses.push(r);
      });
      await page.goto(base + path);
      if (scrollTo) await page.locator(scrollTo).first().scrollIntoViewIfNeeded();
      await page.waitForFunction(() => {
        const el = document.querySelector('xent-explorer');
        return el && el.backend && el.renderedAt > 0;
      });
      if (!folded) {
        await page.evaluate(() => new Promise((ok) => {
          for (const el of document.querySelectorAll('xent-explorer')) for (const d of el.shadowRoot.querySelectorAll('details.fold')) d.open = true;
          requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(ok)));
        }));
      }
      return { page, log, context };
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

// The numbers the explorer shows are printed with 7 significant digits.
export function close7(shown, expected, what) {
  const v = Number(shown);
  const tol = 6e-7 * Math.abs(expected) + 1e-12;
  if (!(Math.abs(v - expected) <= tol)) throw new Error(`${what}: page shows ${shown}, expected ${expected}`);
}

// Everything the live example shows, read from the page (shadow DOM pierced).
export async function readLive(page) {
  return page.evaluate(() => {
    const root = document.querySelector('xent-explorer').shadowRoot;
    const all = (sel) => [...root.querySelectorAll(sel)];
    return {
      z: all('.zslider').map((s) => Number(s.getAttribute('aria-valuenow'))),
      pressed: all('.labbtn').map((b) => b.getAttribute('aria-pressed') === 'true'),
      loss: root.querySelector('[data-loss]').textContent,
      losses: all('[data-example-loss]').map((o) => o.textContent),
      grad: all('[data-grad]').map((td) => td.textContent),
      call: root.querySelector('[data-call]').textContent,
    };
  });
}

// Waits until the element has redrawn after the current task.
export async function settled(page) {
  await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok))));
}
