// panels/recommend.js: the Recommended loss panel: xent.recommend's answer for
// the Choose panel's situation: the Keras class in large type, the
// last-layer activation, code tabs (Keras, tf.nn, TensorFlow.js, PyTorch,
// xent) with a copy button, the explanation, alternatives and every warning.
// Redraws only when the answer changes. Called by xent-explorer.js.

const TABS = [
  ['keras', 'Keras'],
  ['tfnn', 'tf.nn'],
  ['tfjs', 'TensorFlow.js'],
  ['pytorch', 'PyTorch'],
  ['xent', 'xent'],
];

const VERDICTS = { correct: 'correct', works: 'works, with a change noted below', mismatch: 'mismatched', invalid: 'will not run' };

export const esc = (s) =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

export function codeFor(rec, tab) {
  if (!rec || rec.error) return '';
  if (tab === 'xent') {
    const x = rec.xent || {};
    const opts = Object.entries({ ...(x.options || {}), gradient: true }).map(([k, v]) => `${k}: ${JSON.stringify(v).replace(/"/g, "'")}`);
    return `import * as xent from 'xent';\nawait xent.init();\nconst { loss, grad } = xent.${x.fn}(yTrue, yPred, { ${opts.join(', ')} });`;
  }
  const c = rec[tab]?.code;
  return c || `No ${TABS.find((t) => t[0] === tab)[1]} equivalent for this case.`;
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
      const key = JSON.stringify(rec) + s.tab;
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
      verdict.textContent = rec.verdict ? `your setup: ${VERDICTS[rec.verdict] || rec.verdict}` : '';
      verdict.dataset.verdict = rec.verdict || '';
      q('[data-rec-activation]').innerHTML = rec.activation
        ? `Last layer activation: <strong>${esc(rec.activation)}</strong>` : '';
      q('[data-rec-code]').textContent = codeFor(rec, s.tab);
      q('[data-rec-note]').textContent = rec[s.tab]?.note || '';
      q('[data-rec-explanation]').textContent = rec.explanation || '';
      const alts = rec.alternatives || [];
      q('[data-rec-alternatives]').innerHTML = alts.length
        ? `<p>Also correct:</p><ul>${alts.map((a) => `<li>${altText(a)}</li>`).join('')}</ul>` : '';
      q('[data-rec-warnings]').innerHTML = (rec.warnings || []).map((w) =>
        `<li class="warn sev-${esc(w.severity)}" data-warning="${esc(w.id)}"><strong>${esc(w.severity)}</strong> <code>${esc(w.id)}</code>: ${esc(w.message)}</li>`).join('');
      return rec;
    },
  };
}
