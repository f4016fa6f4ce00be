// lessons.test.js (browser): the explorer's lessons in Debian's chromium
// through playwright-core: every `#lesson=<id>` opens the lesson's state
// (state.js lessonState, compared through the URL form) with its title and
// text shown, and a mistake lesson shows the warning it is named after, in
// the recommendation or (for pasted data) in the paste panel; the fix button
// removes the warning; the tour walks its steps; a link with a lesson and
// changed keys reloads as the changed state.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, settled } from './explorer-helpers.js';
import { LESSONS, TOUR } from '../../web/lessons.js';
import { lessonState, toHash, defaults, applyPatch } from '../../web/state.js';

let env;
before(async () => { env = await start(); });
after(async () => env && env.close());

const read = (page) => page.evaluate(() => {
  const el = document.querySelector('xent-explorer');
  const root = el.shadowRoot;
  const card = root.querySelector('[data-lesson-card]');
  return {
    state: el.state,
    shown: !card.hidden,
    title: root.querySelector('[data-lesson-title]').textContent,
    notice: root.querySelector('[data-lesson-notice]').textContent,
    step: root.querySelector('[data-lesson-step]').textContent,
    fix: root.querySelector('[data-lesson-fix]').hidden ? null : root.querySelector('[data-lesson-fix]').textContent,
    warnings: [...root.querySelectorAll('[data-rec-warnings] [data-warning]')].map((w) => w.dataset.warning),
    dataWarnings: [...root.querySelectorAll('[data-paste-warnings] [data-warning]')].map((w) => w.dataset.warning),
    pasted: [root.querySelector('[data-pl]').value, root.querySelector('[data-pp]').value],
  };
});

async function goto(page, hash) {
  await page.evaluate((h) => { location.hash = h; }, hash);
  await settled(page);
  await settled(page);
}

test('each #lesson=<id> opens its state with its text, and each mistake lesson shows its warning', async () => {
  const { page, log, context } = await env.open('/web/index.html');
  for (const l of LESSONS) {
    await goto(page, `#lesson=${l.id}`);
    const r = await read(page);
    assert.equal(toHash(r.state), toHash(lessonState(l.id)), `${l.id}: the lesson's state`);
    assert.ok(r.shown, `${l.id}: the card is shown`);
    assert.equal(r.title, l.title);
    assert.equal(r.notice, l.notice);
    assert.equal(r.fix, l.fix ? l.fix.label : null);
    if (l.paste) assert.deepEqual(r.pasted, [l.paste.labels, l.paste.preds], `${l.id}: the arrays are pasted`);
    if (l.kind === 'mistake') {
      const where = l.paste ? [...r.warnings, ...r.dataWarnings] : r.warnings;
      assert.ok(where.includes(l.id), `${l.id}: the warning is on the page (recommendation: ${r.warnings}; data: ${r.dataWarnings})`);
    }
  }
  assert.deepEqual(log.errors, []);
  await context.close();
});

test('a fresh page opened at #lesson=double-activation shows the lesson, and its fix button removes the error', async () => {
  const { page, context } = await env.open('/web/index.html#lesson=double-activation');
  let r = await read(page);
  assert.ok(r.shown && r.warnings.includes('double-activation'));
  assert.equal(r.step, `Tour, step ${TOUR.indexOf('double-activation') + 1} of ${TOUR.length}`);
  await page.locator('xent-explorer [data-lesson-fix]').click();
  await settled(page);
  r = await read(page);
  assert.equal(r.state.output, 'logits');
  assert.ok(!r.warnings.includes('double-activation'), `after the fix: ${r.warnings}`);
  assert.match(await page.locator('xent-explorer [data-lesson-after]').textContent(), /^Applied: Drop the softmax, keep from_logits=True\. Your setup now is correct\.$/);
  // The URL now holds the fixed state with the lesson named: reloading shows the same.
  const hash = await page.evaluate(() => location.hash);
  assert.match(hash, /lesson=double-activation/);
  await page.reload();
  await page.waitForFunction(() => document.querySelector('xent-explorer').renderedAt > 0);
  await settled(page);
  const again = await read(page);
  assert.equal(toHash(again.state), toHash(r.state));
  assert.equal(again.state.output, 'logits', 'the keys after lesson= override its state');
  await context.close();
});

test('a pasted-data lesson\'s fix replaces the arrays and the data warning goes', async () => {
  const { page, context } = await env.open('/web/index.html#lesson=label-out-of-range');
  assert.ok((await read(page)).dataWarnings.includes('label-out-of-range'));
  await page.locator('xent-explorer [data-lesson-fix]').click();
  await settled(page);
  const r = await read(page);
  assert.equal(r.pasted[0], '[0, 1, 2]');
  assert.ok(!r.dataWarnings.includes('label-out-of-range'), `${r.dataWarnings}`);
  await context.close();
});

test('the tour starts at its first step, walks with Next and Back, and Close hides the card', async () => {
  const { page, context } = await env.open('/web/index.html');
  assert.equal((await read(page)).shown, false, 'no lesson on a plain visit');
  const el = (sel) => page.locator(`xent-explorer ${sel}`);
  await el('[data-tour]').click();
  await settled(page);
  let r = await read(page);
  assert.equal(r.state.lesson, TOUR[0]);
  assert.equal(r.step, `Tour, step 1 of ${TOUR.length}`);
  assert.equal(await el('[data-lesson-back]').isHidden(), true);
  await el('[data-lesson-next]').click();
  await settled(page);
  r = await read(page);
  assert.equal(r.state.lesson, TOUR[1]);
  assert.equal(toHash(r.state), toHash(lessonState(TOUR[1])));
  await el('[data-lesson-back]').click();
  await settled(page);
  assert.equal((await read(page)).state.lesson, TOUR[0]);
  await el('[data-lesson-select]').selectOption('prefer-logits');
  await settled(page);
  assert.equal((await read(page)).state.lesson, 'prefer-logits');
  await el('[data-lesson-close]').click();
  await settled(page);
  r = await read(page);
  assert.equal(r.shown, false);
  assert.equal(toHash(r.state), toHash(applyPatch(lessonState('prefer-logits'), { lesson: '' })), 'closing keeps the state');
  assert.ok(toHash(r.state) !== toHash(defaults()));
  await context.close();
});

test('the sampled-softmax lesson opens the folded sampled panel with its numSampled, and its button samples more classes', async () => {
  const { page, context } = await env.open('/web/index.html#lesson=sampled-softmax', { folded: true });
  await settled(page);
  assert.equal(await page.evaluate(() => document.querySelector('xent-explorer').shadowRoot.querySelector('[data-fold="sampled"]').open), true);
  assert.equal((await read(page)).state['sampled-num'], 8);
  await page.locator('xent-explorer [data-lesson-fix]').click();
  await settled(page);
  assert.equal((await read(page)).state['sampled-num'], 512);
  await context.close();
});
