// loss-pages.test.js (browser): each live documentation page
// (web/losses/<family>.html) loads in Debian's chromium without console
// errors or failed requests, and its embedded explorer computes the page's
// loss: the Live example names that Keras class and the recommendation
// agrees; the pitfall links open the explorer with that lesson.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, settled } from './explorer-helpers.js';
import { FAMILIES } from '../../web/loss-pages.js';

let env;
before(async () => { env = await start(); });
after(async () => env && env.close());

const EXPECT = {
  binary: /^keras\.losses\.BinaryCrossentropy\(from_logits=True\)$/,
  categorical: /^keras\.losses\.CategoricalCrossentropy\(from_logits=True\)$/,
  sparse: /^keras\.losses\.SparseCategoricalCrossentropy\(from_logits=True\)$/,
  focal: /^keras\.losses\.BinaryFocalCrossentropy\(gamma=2, from_logits=True\)$/,
};

for (const family of Object.keys(FAMILIES)) {
  test(`the ${family} page loads without errors and its explorer computes ${FAMILIES[family].title.split(' ')[0]}`, async () => {
    const { page, log, context } = await env.open(`/web/losses/${family}.html`);
    await settled(page);
    assert.deepEqual(log.errors, []);
    assert.deepEqual(log.bad.filter((b) => !b.endsWith('/favicon.ico')), []);
    const shown = await page.evaluate(() => {
      const root = document.querySelector('xent-explorer').shadowRoot;
      return { live: root.querySelector('[data-keras-call]').textContent, verdict: root.querySelector('[data-rec-verdict]').dataset.verdict, loss: root.querySelector('[data-loss]').textContent };
    });
    assert.match(shown.live, EXPECT[family]);
    assert.equal(shown.verdict, 'correct');
    assert.ok(Number.isFinite(Number(shown.loss)) && Number(shown.loss) > 0, shown.loss);
    const first = FAMILIES[family].pitfalls[0];
    await page.locator(`a[href="../index.html#lesson=${first}"]`).click();
    await page.waitForFunction(() => document.querySelector('xent-explorer')?.renderedAt > 0);
    await settled(page);
    assert.equal(await page.evaluate(() => document.querySelector('xent-explorer').state.lesson), first);
    await context.close();
  });
}
