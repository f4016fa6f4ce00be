// panels/recommend.js: the Recommended loss panel: xent.recommend's answer for
// the Choose panel's situation: the Keras class in large type, the verdict
// (recommend's, decided from its warnings), the last-layer activation, code
// tabs (Keras, tf.nn, TensorFlow.js, PyTorch, xent; codegen.js: programs for
// the Live example's loss with every option, printing the page's number)
// with a copy button, the explanation, alternatives and every warning.
// Redraws only when something shown changes. Called by xent-explorer.js.

import { units } from '../state.js';
import { story } from '../story.js';
import { evaluate } from '../model.js';
import { codeTabs } from '../codegen.js';

const TABS = [
  ['keras', 'Keras'],
  ['tfnn', 'tf.nn'],
  ['tfjs', 'TensorFlow.js'],
  ['pytorch', 'PyTorch'],
  ['xent', 'xent'],
];

export const esc = (s) =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

// The tabs for a state: programs for the Live example's loss and numbers.
export function tabsFor(xent, s) {
  const st = story(s);
  const z = Float32Array.from(s.logits);
  const r = evaluate(xent, s, z, s.targets, s.batch);
  return codeTabs(st.spec, { z, y: r.yTrue, n: s.batch, u: units(s), loss: r.loss }, st.call, st.verdict);
}

function altText(a) {
  if (typeof a === 'string') return esc(a);
  const code = a.keras?.code || a.code || a.className || '';
  const note = a.summary || a.note || a.why || a.explanation || '';
  return `<code>${esc(code)}</code>${note ? ` ${esc(note)}` : ''}`;
}

export function mountRecommend(root, ctx) {
  const id = ctx.id;
  root.innerHTML = `<p class="headline"><code data-rec-class></code> <span class="verdict" data-rec-verdict></span></p>
    <p class="activation" data-rec-activation></p>
    <ul class="warnings" data-part="warnings" data-rec-warnings></ul>
    <div class="code" data-part="code">
      <div role="tablist" aria-label="Code for">${TABS.map(([k, t]) =>
        `<button role="tab" id="${id}-tab-${k}" data-tab="${k}" aria-controls="${id}-code" aria-selected="false" tabindex="-1">${t}</button>`).join('')}
      </div>
      <div role="tabpanel" id="${id}-code" tabindex="0" class="codebox">
        <pre><code data-rec-code></code></pre>
        <button type="button" class="copy" data-copy>Copy</button>
      </div>
      <p class="note" data-rec-note></p>
      <p class="note" data-rec-fit></p>
    </div>
    <div data-part="explanation"><p data-rec-explanation></p>
      <div data-rec-alternatives></div></div>`;
  const q = (sel) => root.querySelector(sel);
  const tablist = q('[role="tablist"]');
  tablist.addEventListener('click', (e) => {
    const b = e.target.closest('[data-tab]');
    if (b) ctx.set({ tab: b.dataset.tab });
  });
  tablist.addEventListener('keydown', (e) => {
    const keys = TABS.map((t) => t[0]);
    const i = keys.indexOf(ctx.state().tab);
    let j = -1;
    if (e.key === 'ArrowRight') j = (i + 1) % keys.length;
    else if (e.key === 'ArrowLeft') j = (i + keys.length - 1) % keys.length;
    else if (e.key === 'Home') j = 0;
    else if (e.key === 'End') j = keys.length - 1;
    if (j < 0) return;
    e.preventDefault();
    ctx.set({ tab: keys[j] });
    q(`[data-tab="${keys[j]}"]`).focus();
  });
  q('[data-rec-warnings]').addEventListener('click', (e) => {
    const b = e.target.closest('[data-open-lesson]');
    if (b) ctx.openLesson(b.dataset.openLesson);
  });
  q('[data-copy]').addEventListener('click', async (e) => {
    const text = q('[data-rec-code]').textContent;
    const btn = e.currentTarget;
    try {
      await navigator.clipboard.writeText(text);
      btn.textContent = 'Copied';
    } catch {
      const range = document.createRange();
      range.selectNodeContents(q('[data-rec-code]'));
      const sel = root.getRootNode().getSelection?.() || getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      btn.textContent = 'Selected: press Ctrl+C';
    }
    setTimeout(() => (btn.textContent = 'Copy'), 1500);
  });

  let last = '';
  return {
    update(s, rec) {
      const tabs = rec.error ? null : tabsFor(ctx.xent, s);
      const key = JSON.stringify([rec, tabs, s.tab]);
      if (key === last) return rec;
      last = key;
      for (const b of root.querySelectorAll('[data-tab]')) {
        const on = b.dataset.tab === s.tab;
        b.setAttribute('aria-selected', String(on));
        b.tabIndex = on ? 0 : -1;
      }
      q('[role="tabpanel"]').setAttribute('aria-labelledby', `${id}-tab-${s.tab}`);
      if (rec.error) {
        q('[data-rec-class]').textContent = `recommend() failed: ${rec.error}`;
        return rec;
      }
      q('[data-rec-class]').textContent = rec.keras?.code || rec.keras?.className || '';
      q('[data-rec-class]').dataset.className = rec.keras?.className || '';
      const verdict = q('[data-rec-verdict]');
      verdict.textContent = rec.verdict ? `your setup ${rec.verdictText}` : '';
      verdict.dataset.verdict = rec.verdict || '';
      q('[data-rec-activation]').innerHTML = rec.activation
        ? `Last layer activation: <strong>${esc(rec.activation)}</strong>` : '';
      q('[data-rec-code]').textContent = tabs[s.tab].code;
      q('[data-rec-note]').textContent = tabs[s.tab].note || '';
      q('[data-rec-fit]').textContent = rec.keras?.fit ? `Recommended for imbalance: ${rec.keras.fit}. ${rec.keras.note}` : '';
      q('[data-rec-explanation]').textContent = rec.explanation || '';
      const alts = rec.alternatives || [];
      q('[data-rec-alternatives]').innerHTML = alts.length
        ? `<p>Also correct:</p><ul>${alts.map((a) => `<li>${altText(a)}</li>`).join('')}</ul>` : '';
      // Each warning folds to its first sentence (a phone shows a list, not a wall).
      q('[data-rec-warnings]').innerHTML = (rec.warnings || []).map((w) => {
        const [first, ...rest] = w.message.split(/(?<=[.:])\s(?=[A-Z])/);
        return `<li class="warn sev-${esc(w.severity)}" data-warning="${esc(w.id)}"><details><summary><strong>${esc(w.severity)}</strong> <code>${esc(w.id)}</code>: ${esc(first)}</summary>${rest.length ? `<p>${esc(rest.join(' '))}</p>` : ''} <button type="button" class="lesson-link" data-open-lesson="${esc(w.id)}">Open the lesson</button></details></li>`;
      }).join('');
      return rec;
    },
  };
}
