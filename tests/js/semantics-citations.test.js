// semantics-citations.test.js: every place in the repository that cites
// docs/semantics.md by number ("docs/semantics.md 2.4", "section 2.8",
// "sections 3.1-3.5", "§7.2 M1/M2", "decisions 1, 3 and 6") names a section,
// mistake or decision that the document has, and nothing cites the research
// notes outside the repository.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DOC = readFileSync(join(ROOT, 'docs/semantics.md'), 'utf8');
const DIRS = ['src', 'js', 'web', 'bin', 'bench', 'scripts', 'tests', 'docs'];
const EXT = /\.(c|h|js|mjs|ts|md|html|sh|txt|json)$/;

function files(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files(path, out);
    else if (EXT.test(name)) out.push(path);
  }
  return out;
}
const SOURCES = [join(ROOT, 'README.md'), ...DIRS.flatMap((d) => files(join(ROOT, d)))]
  .filter((f) => !f.endsWith(join('docs', 'semantics.md')) && !f.endsWith('semantics-citations.test.js'));

// What the document has: "## 1." / "### 2.4" headings, "| M3 |" rows, "N. **" decisions.
const SECTIONS = new Set([...DOC.matchAll(/^#{2,3} (\d+(?:\.\d+)?)[ .]/gm)].map((m) => m[1]));
const MISTAKES = new Set([...DOC.matchAll(/^\| (M\d+) \|/gm)].map((m) => m[1]));
const decisionsPart = DOC.slice(DOC.indexOf("## xent's decisions"), DOC.indexOf('## 1.'));
const DECISIONS = new Set([...decisionsPart.matchAll(/^(\d+)\. \*\*/gm)].map((m) => m[1]));

/**
 * The numbers cited right after each "semantics.md" in `text` (comment
 * markers and line breaks removed): sections, mistakes (M3) and decisions.
 */
export function citations(text) {
  const flat = text.replace(/\n\s*(\*|\/\/|#)?\s*/g, ' ');
  const out = [];
  for (const m of flat.matchAll(/semantics\.md/g)) {
    let rest = flat.slice(m.index + m[0].length);
    let kind = 'section';
    for (;;) {
      const step = /^(?:\s+|,|;|\/|-|–|§|\band\b|\bsections?\b|\((?!\s*sections?\b)\s*[a-z][^()]*\)|\(|\)|\bdecisions?\b|(\d+(?:\.\d+)?)\b(?!\.\d)|(M\d+)\b)/i.exec(rest);
      if (!step || step[0] === '') break;
      if (/^decisions?$/i.test(step[0])) kind = 'decision';
      else if (step[1]) out.push({ kind, ref: step[1] });
      else if (step[2]) out.push({ kind: 'mistake', ref: step[2] });
      rest = rest.slice(step[0].length);
    }
  }
  return out;
}

test('the citation reader finds sections, ranges, mistakes and decisions', () => {
  const refs = (t) => citations(t).map((c) => `${c.kind}:${c.ref}`);
  assert.deepEqual(refs('/* docs/semantics.md 2.4 (loss), 4.4 and 4.5 (gradients) and decisions 1, 3 and 6,\n * and more'),
    ['section:2.4', 'section:4.4', 'section:4.5', 'decision:1', 'decision:3', 'decision:6']);
  assert.deepEqual(refs('// = clipping, docs/semantics.md §7.2 M1/M2). One'), ['section:7.2', 'mistake:M1', 'mistake:M2']);
  assert.deepEqual(refs('(docs/semantics.md sections 3.1-3.5) and the'), ['section:3.1', 'section:3.5']);
  assert.deepEqual(refs('see docs/semantics.md section 2.8: per-example'), ['section:2.8']);
  assert.deepEqual(refs('(docs/semantics.md 1): eps = 1e-7f'), ['section:1']);
  assert.deepEqual(refs('from docs/semantics.md (sections 1-4 and the\n// project decisions'), ['section:1', 'section:4']);
});

test('the document has the numbered sections, mistakes and decisions the code relies on', () => {
  for (const s of ['1', '2.1', '2.2', '2.3', '2.4', '2.5', '2.6', '2.7', '2.8', '3.1', '3.2', '3.3', '3.4', '3.5', '3.6',
    '4.1', '4.2', '4.3', '4.4', '4.5', '4.6', '4.7', '4.8', '4.9', '5', '5.1', '5.2', '5.3', '6', '6.1', '6.2', '7', '7.1', '7.2', '8']) {
    assert.ok(SECTIONS.has(s), `docs/semantics.md has no section ${s}`);
  }
  for (let i = 1; i <= 17; i++) assert.ok(MISTAKES.has(`M${i}`), `docs/semantics.md 7.2 has no mistake M${i}`);
  for (let i = 1; i <= 9; i++) assert.ok(DECISIONS.has(String(i)), `docs/semantics.md has no decision ${i}`);
});

test('every numbered citation of docs/semantics.md in the repository names something the document has', () => {
  const missing = [];
  let count = 0;
  for (const file of SOURCES) {
    const text = readFileSync(file, 'utf8');
    if (!text.includes('semantics.md')) continue;
    for (const c of citations(text)) {
      count++;
      const have = c.kind === 'section' ? SECTIONS : c.kind === 'mistake' ? MISTAKES : DECISIONS;
      if (!have.has(c.ref)) missing.push(`${relative(ROOT, file)} cites ${c.kind} ${c.ref}`);
    }
  }
  assert.ok(count >= 50, `only ${count} citations found`);
  assert.deepEqual(missing, [], `docs/semantics.md lacks what these cite:\n${missing.join('\n')}`);
});

test('no file of the repository points at the research notes outside it', () => {
  const outside = SOURCES.filter((f) => /\.\.\/shared|\/work\/shared/.test(readFileSync(f, 'utf8')))
    .map((f) => relative(ROOT, f));
  assert.deepEqual(outside, []);
});
