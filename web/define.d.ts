// define.d.ts: hand-written declarations of `xent/explorer` (web/define.js,
// which registers <xent-explorer> where there is a DOM; the class is
// web/xent-explorer.js). The
// element's state keys are its attributes (kebab-case), its properties
// (camelCase) and the URL hash keys (web/README.md, web/state.js).
// tests/js/types.test.js compiles uses of it with `tsc --strict` and checks
// that it declares exactly what define.js exports.

import type { Backend, LabelEncoding, OutputKind, Problem } from '../js/index.js';

/** The explorer's panels, in page order; each can be hidden with `hide`. */
export type ExplorerPanel =
  | 'lessons' | 'choose' | 'recommend' | 'live' | 'shapes' | 'imbalance' | 'metrics'
  | 'curves' | 'learn' | 'numerics' | 'paste' | 'sampled';
/** Parts inside the panels that `hide` can name as well. */
export type ExplorerPart =
  | 'problem' | 'labels' | 'output' | 'from-logits' | 'batch' | 'classes' | 'options'
  | 'code' | 'explanation' | 'warnings' | 'tables' | 'flip';
/** The framework tab of the code panel. */
export type ExplorerTab = 'keras' | 'tfnn' | 'tfjs' | 'pytorch' | 'xent';

/**
 * The whole state, keyed like the attributes and the URL hash. Values out of
 * range are clamped and lists are fitted to the batch and class counts when set.
 */
export interface ExplorerState {
  problem: Problem;
  labels: LabelEncoding;
  /** The model's last activation. */
  output: OutputKind;
  'from-logits': boolean;
  /** 1 to 4 examples. */
  batch: number;
  /** 2 to 10 classes. */
  classes: number;
  /** The sliders' values z, row-major, each in [-10, 10]. */
  logits: number[];
  /** Class indices (integer, one-hot), 0/1 per example, or a row per example (soft, multi-hot). */
  targets: number[];
  'label-smoothing': number;
  focal: boolean;
  gamma: number;
  alpha: number;
  'class-balancing': boolean;
  'pos-weight': number;
  'class-weight': number[];
  /** -1 for none. */
  'ignore-class': number;
  reduction: 'sum_over_batch_size' | 'sum';
  /** Which logit the Curves panel varies (flat index). */
  curve: number;
  tab: ExplorerTab;
  'numeric-logit': number;
  'numeric-label': number;
  /** The sampled-softmax panel's numSampled (2 to 2000) and seed. */
  'sampled-num': number;
  'sampled-seed': number;
  /** Panels and parts hidden (ExplorerPanel or ExplorerPart names). */
  hide: string[];
  /** The loss the user trains with now, as written (passed to recommend() as currentLoss). */
  'current-loss': string;
  'huge-vocabulary': boolean;
  'dense-targets': boolean;
  /** Soft targets from a teacher. */
  distillation: boolean;
  /** The open lesson's id (web/lessons.js), or ''. */
  lesson: string;
}

/** The `change` event: fired after each update, with the state as `detail`. */
export type XentExplorerChangeEvent = CustomEvent<ExplorerState>;

export interface XentExplorerEventMap extends HTMLElementEventMap {
  change: XentExplorerChangeEvent;
}

/** The <xent-explorer> element. */
export declare class XentExplorer extends HTMLElement {
  static readonly observedAttributes: string[];
  /** A copy of the whole state; setting it applies the given keys and redraws. */
  get state(): ExplorerState;
  set state(patch: Partial<ExplorerState>);
  /** The loaded xent backend, or null until the wasm module has loaded. */
  readonly backend: Backend | null;
  /** performance.now() at the end of the last redraw (0 before the first). */
  readonly renderedAt: number;
  /** How long the last redraw took, in ms (undefined before the first). */
  readonly renderMs: number | undefined;

  problem: Problem;
  labels: LabelEncoding;
  output: OutputKind;
  fromLogits: boolean;
  batch: number;
  classes: number;
  get logits(): number[];
  set logits(value: readonly number[]);
  get targets(): number[];
  set targets(value: readonly number[]);
  labelSmoothing: number;
  focal: boolean;
  gamma: number;
  alpha: number;
  classBalancing: boolean;
  posWeight: number;
  get classWeight(): number[];
  set classWeight(value: readonly number[]);
  ignoreClass: number;
  reduction: 'sum_over_batch_size' | 'sum';
  curve: number;
  tab: ExplorerTab;
  numericLogit: number;
  numericLabel: number;
  sampledNum: number;
  sampledSeed: number;
  get hide(): string[];
  set hide(value: readonly (ExplorerPanel | ExplorerPart)[]);
  currentLoss: string;
  hugeVocabulary: boolean;
  denseTargets: boolean;
  distillation: boolean;
  lesson: string;

  connectedCallback(): void;
  disconnectedCallback(): void;
  attributeChangedCallback(name: string, oldValue: string | null, newValue: string | null): void;

  addEventListener<K extends keyof XentExplorerEventMap>(type: K, listener: (this: XentExplorer, ev: XentExplorerEventMap[K]) => unknown, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof XentExplorerEventMap>(type: K, listener: (this: XentExplorer, ev: XentExplorerEventMap[K]) => unknown, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

declare global {
  interface HTMLElementTagNameMap {
    'xent-explorer': XentExplorer;
  }
}
