#!/usr/bin/env node
// gen-loss-pages.js: writes web/losses/<family>.html, one live documentation
// page per loss family (binary, categorical, sparse, focal, sampled), from the
// recommender's data through web/loss-pages.js. Run after changing the
// decision table, the lessons or the page data; tests/js/loss-pages.test.js
// fails while the files are stale.
import { mkdirSync, writeFileSync } from 'node:fs';
import { FAMILIES, pageHtml } from '../web/loss-pages.js';

const dir = new URL('../web/losses/', import.meta.url);
mkdirSync(dir, { recursive: true });
for (const family of Object.keys(FAMILIES)) {
  writeFileSync(new URL(`${family}.html`, dir), pageHtml(family));
  console.log(`web/losses/${family}.html`);
}
