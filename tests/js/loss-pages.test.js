// loss-pages.test.js: the per-family documentation pages (web/losses/*.html)
// are what scripts/gen-loss-pages.js generates from the recommender's data
// (web/loss-pages.js) now, so they cannot drift from it; each lists the
// decision-table rows that call for its loss, every framework, and pitfalls
// that are lessons.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { FAMILIES, pageHtml, whenToUse, equivalents } from '../../web/loss-pages.js';
import { lessonById } from '../../web/lessons.js';
import { TABLE, LOSSES } from '../../js/decision-table.js';

test('each web/losses/<family>.html is up to date with its data (run node scripts/gen-loss-pages.js)', () => {
  for (const family of Object.keys(FAMILIES)) {
    const file = readFileSync(new URL(`../../web/losses/${family}.html`, import.meta.url), 'utf8');
    assert.equal(file, pageHtml(family), `web/losses/${family}.html is stale`);
  }
});

test('each page names when to use its loss (the table\'s correct rows), five frameworks, and lesson pitfalls', () => {
  for (const [family, f] of Object.entries(FAMILIES)) {
    const rows = whenToUse(family);
    const expected = TABLE.filter((r) => r.verdict === 'correct' && f.losses.includes(r.loss)).length;
    assert.ok(rows.length > 0 && rows.length === expected, `${family}: ${rows.length} rows`);
    for (const e of equivalents(family)) assert.deepEqual(e.rows.map((r) => r[0]), ['Keras 3', 'tf.nn', 'TF.js', 'PyTorch', 'xent']);
    for (const id of f.pitfalls) assert.ok(lessonById(id), `${family}: pitfall ${id} is a lesson`);
    const html = pageHtml(family);
    for (const id of f.losses) if (!f.focal) assert.ok(html.includes(LOSSES[id].keras.className), `${family}: names ${LOSSES[id].keras.className}`);
    assert.match(html, /<xent-explorer [^>]*problem="/);
  }
});
