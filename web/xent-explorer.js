// xent-explorer.js: the <xent-explorer> custom element class (define.js
// registers it). It owns the state (state.js), loads the JS API lazily when the
// element first scrolls into view, and redraws every panel inside one
// animation frame after any input. Attributes (the URL keys) preset the state,
// `hide="code curves"` hides panels or parts, `sync-url` ties the state to
// location.hash, and a `change` event carries the state after each update.
// Work stops while the element is off screen (IntersectionObserver).

import * as xent from '../js/index.js';
import { KEYS, PANELS, PARTS, applyPatch, defaults, fromEntries, fromHash, lessonState, toHash } from './state.js';
import { lessonById } from './lessons.js';
import { esc } from './panels/recommend.js';
import { situation, fmt } from './model.js';
import { css } from './styles.js';
import { mountChoose } from './panels/choose.js';
import { mountLessons } from './panels/lessons.js';
import { mountShapes } from './panels/shapes.js';
import { mountImbalance } from './panels/imbalance.js';
import { mountMetrics } from './panels/metrics.js';
import { mountRecommend } from './panels/recommend.js';
import { mountLive } from './panels/live.js';
import { mountCurves } from './panels/curves.js';
import { mountLearn } from './panels/learn.js';
import { mountNumerics } from './panels/numerics.js';
import { mountPaste } from './panels/paste.js';
import { mountSampled } from './panels/sampled.js';

const TITLES = {
  lessons: 'Lessons',
  choose: 'Choose',
  recommend: 'Recommended loss',
  live: 'Live example',
  shapes: 'Label shapes',
  imbalance: 'Imbalance: class weights, pos_weight, focal',
  metrics: 'Metrics',
  curves: 'Curves',
  learn: 'Watch it learn',
  numerics: 'Numerics',
  paste: 'Bring your own numbers',
  sampled: 'Sampled softmax: for training only',
};
const MOUNT = {
  lessons: mountLessons,
  choose: mountChoose,
  recommend: mountRecommend,
  live: mountLive,
  shapes: mountShapes,
  imbalance: mountImbalance,
  metrics: mountMetrics,
  curves: mountCurves,
  learn: mountLearn,
  numerics: mountNumerics,
  paste: mountPaste,
  sampled: mountSampled,
};

// Panels open on a first visit; the others are one click away.
const OPEN = ['lessons', 'choose', 'recommend', 'live'];

let uid = 0;
const camel = (k) => k.replace(/-(\w)/g, (_, c) => c.toUpperCase());

// Without a DOM (server-side rendering in Node) the class extends a plain
// class, so importing it throws nothing; define.js then registers nothing.
const Base = typeof HTMLElement === 'undefined' ? class {} : HTMLElement;

export class XentExplorer extends Base {
  static get observedAttributes() {
    return [...KEYS, 'sync-url'];
  }

  constructor() {
    super();
    this._id = `xe${++uid}`;
    this._state = defaults();
    this._panels = {};
    this._ready = false;
    this._visible = false;
    this._frame = 0;
    this._built = false;
    this.renderedAt = 0;
    this.attachShadow({ mode: 'open' });
  }

  // The state as a plain object keyed like the URL and the attributes.
  get state() {
    return structuredClone(this._state);
  }

  set state(value) {
    this._set(value);
  }

  get backend() {
    return this._ready ? xent.backend : null;
  }

  connectedCallback() {
    // The attributes (then the URL) set the state once; moving the element
    // in the document keeps what the user did.
    if (!this._built) {
      this._build();
      this._state = this._readAttributes();
      if (this.hasAttribute('sync-url')) this._state = fromHash(location.hash, this._state);
      if (this._early) this._state = applyPatch(this._state, this._early);
    }
    if (this.hasAttribute('sync-url')) {
      this._onHash = () => {
        const next = fromHash(location.hash, this._readAttributes());
        if (toHash(next) !== toHash(this._state)) {
          this._state = next;
          this._schedule();
        }
      };
      addEventListener('hashchange', this._onHash);
    }
    this._io = new IntersectionObserver((entries) => {
      const visible = entries.some((e) => e.isIntersecting);
      this._setVisible(visible);
    });
    this._io.observe(this);
  }

  disconnectedCallback() {
    this._io?.disconnect();
    if (this._onHash) removeEventListener('hashchange', this._onHash);
    this._setVisible(false);
  }

  attributeChangedCallback(name, old, value) {
    if (!this._built || old === value || name === 'sync-url') return;
    this._state = fromEntries([[name, value ?? '']], this._state);
    this._schedule();
  }

  _readAttributes() {
    const entries = [];
    for (const k of KEYS) if (this.hasAttribute(k)) entries.push([k, this.getAttribute(k)]);
    return fromEntries(entries, defaults());
  }

  _build() {
    this._built = true;
    // Progressive disclosure: the first screen answers "which loss" and
    // offers the lessons; the other panels start folded and draw when opened.
    const sections = PANELS.map(
      (p) => `<section class="panel panel-${p}" data-part="${p}" aria-labelledby="${this._id}-${p}">
        <details class="fold" data-fold="${p}"${OPEN.includes(p) ? ' open' : ''}><summary><h3 id="${this._id}-${p}">${TITLES[p]}</h3></summary>
        <div class="body"></div></details></section>`,
    ).join('');
    this.shadowRoot.innerHTML = `<style>${css}</style>
      <div class="xe" part="root">
        <header class="top"><h2 class="title">Cross-entropy explorer</h2>
          <span class="badge" data-backend>loading wasm…</span></header>
        <p class="answer" data-answer></p>
        <p class="error" data-error hidden></p>
        <div class="grid">${sections}</div>
        <div class="sr-only" aria-live="polite" data-live></div>
      </div>`;
    this._live = this.shadowRoot.querySelector('[data-live]');
    for (const d of this.shadowRoot.querySelectorAll('[data-fold]')) d.addEventListener('toggle', () => this._schedule());
    const ctx = {
      id: this._id,
      xent,
      state: () => this._state,
      set: (patch) => this._set(patch),
      schedule: () => this._schedule(),
      visible: () => this._visible,
      // A lesson opens its whole state over the element's attributes.
      openLesson: (lid) => {
        this._state = lessonState(lid, this._readAttributes());
        this._schedule();
      },
      paste: (arrays) => this._panels.paste?.fill(arrays),
      // The one live region: errors and the end of training are said at once.
      announce: (text) => {
        this._announced = text;
        this._live.textContent = text;
      },
    };
    this._folds = {};
    for (const p of PANELS) {
      this._folds[p] = this.shadowRoot.querySelector(`[data-fold="${p}"]`);
      const body = this.shadowRoot.querySelector(`[data-part="${p}"] .body`);
      this._panels[p] = MOUNT[p](body, ctx);
    }
  }

  _set(patch) {
    // Properties set before the element is connected win over its attributes.
    if (!this._built) this._early = { ...this._early, ...patch };
    this._state = applyPatch(this._state, patch);
    this._schedule();
  }

  _setVisible(visible) {
    this._visible = visible;
    for (const p of Object.values(this._panels)) p.visibility?.(visible);
    if (visible) {
      if (!this._loading) this._load();
      this._schedule();
    }
  }

  async _load() {
    this._loading = true;
    const badge = this.shadowRoot.querySelector('[data-backend]');
    try {
      await xent.init();
      this._ready = true;
      badge.textContent = `backend: ${xent.backend}`;
      badge.dataset.backend = xent.backend;
      this._schedule();
    } catch (e) {
      badge.textContent = 'wasm failed to load';
      const err = this.shadowRoot.querySelector('[data-error]');
      err.hidden = false;
      err.textContent = `The xent WebAssembly module did not load: ${e.message}`;
    }
  }

  // Coalesces any number of inputs into one redraw in the next animation frame.
  _schedule() {
    if (this._frame) return;
    this._frame = requestAnimationFrame(() => {
      this._frame = 0;
      this._render();
    });
  }

  _render() {
    // Off screen or before the wasm loads nothing is drawn; becoming visible
    // (or the load finishing) schedules the redraw with the latest state.
    if (!this._ready || !this._visible) return;
    const t0 = performance.now();
    const s = this._state;
    this._applyHide(s.hide);
    // A newly opened lesson with arrays puts them in the paste panel.
    if (s.lesson !== this._lessonShown) {
      this._lessonShown = s.lesson;
      const l = lessonById(s.lesson);
      if (l?.paste) {
        this._panels.paste.fill(l.paste);
        this._folds.paste.open = true;
      }
      for (const p of l?.open ?? []) if (this._folds[p]) this._folds[p].open = true;
    }
    let rec = null;
    try {
      rec = xent.recommend(situation(s));
    } catch (e) {
      rec = { error: e.message, warnings: [] };
    }
    const results = {};
    const answer = this.shadowRoot.querySelector('[data-answer]');
    answer.innerHTML = rec.error ? '' : `Use <code>${esc(rec.keras?.code ?? '')}</code> <span class="verdict" data-verdict="${esc(rec.verdict)}">your setup ${esc(rec.verdictText)}</span>`;
    for (const p of PANELS) {
      if (s.hide.includes(p) || !this._folds[p].open) continue;
      try {
        results[p] = this._panels[p].update(s, rec, results);
      } catch (e) {
        reportError(e); // one broken panel must not stop the others
      }
    }
    this.renderedAt = performance.now();
    this.renderMs = this.renderedAt - t0;
    this.dispatchEvent(new CustomEvent('change', { detail: this.state, bubbles: true }));
    this._afterRender(s, rec, results.live);
  }

  _applyHide(hide) {
    const key = hide.join(' ');
    if (key === this._hideKey) return;
    this._hideKey = key;
    for (const el of this.shadowRoot.querySelectorAll('[data-part]')) {
      const part = el.dataset.part;
      if (PANELS.includes(part) || PARTS.includes(part)) el.hidden = hide.includes(part);
    }
  }

  // The URL follows every render at once (a link copied right after an input
  // shares that input); the live region is debounced so a screen reader is
  // not flooded while a slider moves.
  _afterRender(s, rec, live) {
    if (this.hasAttribute('sync-url')) {
      const hash = toHash(s);
      if (hash !== location.hash) history.replaceState(null, '', hash);
    }
    clearTimeout(this._slow);
    this._slow = setTimeout(() => {
      const parts = [];
      if (live && live.loss !== undefined) parts.push(`Loss ${fmt(live.loss)}.`);
      const top = rec?.warnings?.[0];
      if (top) parts.push(`Warning: ${top.message}`);
      const text = parts.join(' ');
      if (text !== this._announced) {
        this._announced = text;
        this._live.textContent = text;
      }
    }, 400);
  }
}

// Every state key is also a property (camelCase: el.fromLogits = false), like
// the attributes (kebab-case: from-logits="false").
for (const key of KEYS) {
  Object.defineProperty(XentExplorer.prototype, camel(key), {
    get() {
      return structuredClone(this._state[key]);
    },
    set(value) {
      this._set({ [key]: value });
    },
  });
}
