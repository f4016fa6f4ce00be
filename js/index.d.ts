// index.d.ts: hand-written declarations of the xent JS API (js/index.js).
// Semantics: docs/semantics.md (Keras 3 on TensorFlow, and tf.nn).

/** The loaded module: the f32x4 SIMD build or the scalar build. */
export type Backend = 'wasm-simd' | 'wasm';

export interface InitOptions {
  /** Force a build: 'wasm' loads the scalar module even where SIMD works. */
  backend?: Backend;
  /**
   * The module itself, for setups that ship the .wasm file: its bytes, a
   * fetch Response (or a promise of one), a URL (file: URLs work in Node) or a
   * compiled WebAssembly.Module. Bytes that are not wasm (for example an HTML
   * page served in its place) give a TypeError that says how to fix it.
   */
  wasm?: ArrayBuffer | ArrayBufferView | Response | PromiseLike<Response> | URL | string | WebAssembly.Module;
}

/**
 * Loads the wasm module: the SIMD build where the engine validates WebAssembly
 * SIMD, else the scalar build. Idempotent: later calls without options return
 * the same promise. Asking for another module replaces the loaded one (tensors
 * of the old one become unusable). Resolves to the backend name.
 */
export declare function init(options?: InitOptions): Promise<Backend>;

/** The loaded backend; undefined until init() resolves. */
export declare let backend: Backend | undefined;

/** True when this engine runs the WebAssembly SIMD instructions the SIMD build uses. */
export declare function simdSupported(): boolean;

/** Numbers as a flat typed array, a plain array, or nested arrays (shape inferred). */
export type NumericArray = Float32Array | Float64Array | Int32Array | Uint8Array | Int16Array | Uint16Array | Uint32Array | Int8Array | number[];
export type NestedArray = number[] | NestedArray[];
export type Input = NumericArray | NestedArray | Tensor;

/** An array in wasm memory, accepted by every function without a copy. */
export interface Tensor {
  readonly shape: readonly number[];
  readonly dtype: 'float32' | 'int32';
  readonly size: number;
  /** A view of the tensor's memory, re-created when the wasm memory grows: read it again rather than keeping it across calls that allocate. */
  readonly data: Float32Array | Int32Array;
  readonly freed: boolean;
  /** Returns the memory. Using the tensor afterwards throws; freeing twice does nothing. */
  free(): void;
}

/**
 * Allocates a zeroed tensor in wasm memory (needs init()). At most 536 870 896
 * values (the module's memory is 2 GiB); more is a RangeError naming shape.
 */
export declare function tensor(shape: number | readonly number[], dtype?: 'float32' | 'int32'): Tensor;

/** Wasm memory in use: its size, the scratch arena's high-water mark, the live tensors. */
export declare function memoryStats(): { memoryBytes: number; arenaBytes: number; liveTensors: number };

export type Reduction = 'sum_over_batch_size' | 'sum' | 'none' | 'mean_with_sample_weight' | 'mean' | null;

export interface Out {
  /** Receives the per-example losses (length batch; batch * classes for the sigmoid tf.nn ops). */
  losses?: Float32Array | Tensor;
  /** Receives the gradient (shaped like the prediction); implies gradient: true. */
  grad?: Float32Array | Tensor;
}

export interface CommonOptions {
  /** Also return the gradient (default false). */
  gradient?: boolean;
  /** [batch, classes] (or [..., classes]) for flat inputs; a flat prediction without it is one example. */
  shape?: readonly number[];
  /**
   * Caller buffers for the outputs: a training loop then allocates nothing per step.
   * They may share memory with the inputs or each other (out.grad = the logits
   * tensor computes in place): the result equals that of separate buffers.
   */
  out?: Out;
}

export interface KerasOptions extends CommonOptions {
  /** yPred holds logits (true) or probabilities (false, the default). */
  fromLogits?: boolean;
  /** Default 'sum_over_batch_size'. With 'none', `loss` is undefined and `grad` is the gradient of the sum of `losses`. */
  reduction?: Reduction;
  /** One weight per example, one number for all, or (nested) any shape Keras broadcasts against the losses ([batch, 1] per sequence). */
  sampleWeight?: number | NumericArray | NestedArray | Tensor;
  /** Keras mask: one boolean per example (0 or false: loss 0, left out of the mean). */
  mask?: ArrayLike<boolean | number> | NestedArray;
  /** One weight per class (two for a single-column binary problem); an example's class is its label, else the argmax of its yTrue row. */
  classWeight?: NumericArray | Tensor;
}

export interface SmoothingOptions extends KerasOptions {
  /** In [0, 1]: binary y(1 - s) + s/2, categorical y(1 - s) + s/C. */
  labelSmoothing?: number;
}

export interface SparseOptions extends KerasOptions {
  /** Rows with this label count 0 and leave the mean's denominator. */
  ignoreClass?: number | null;
}

export interface BinaryFocalOptions extends SmoothingOptions {
  /** Weight of class 1 when applyClassBalancing, in [0, 1] (default 0.25). */
  alpha?: number;
  /** Focusing parameter, >= 0 (default 2). */
  gamma?: number;
  applyClassBalancing?: boolean;
}

export interface CategoricalFocalOptions extends SmoothingOptions {
  /** In [0, 1] (default 0.25), or one such number per class. */
  alpha?: number | NumericArray;
  /** >= 0 (default 2). */
  gamma?: number;
}

export interface KerasResult {
  /** The reduced loss; undefined with reduction 'none'. */
  loss: number | undefined;
  /** Per-example losses, already weighted (Keras with reduction 'none'). */
  losses: Float32Array | Tensor;
  /** The shape of `losses` (e.g. [batch, time]; [] for a 1-D prediction, one example). */
  lossesShape: readonly number[];
  /** d loss / d yPred (the logits when fromLogits), when asked for. */
  grad: Float32Array | Tensor | undefined;
}

export interface NnResult {
  losses: Float32Array | Tensor;
  /** The shape of `losses`. */
  lossesShape: readonly number[];
  /** Gradient of the sum of `losses` with respect to the logits, when asked for. */
  grad: Float32Array | Tensor | undefined;
}

/** Keras binary_crossentropy: elementwise, then the mean over the last axis. */
export declare function binaryCrossentropy(yTrue: Input, yPred: Input, options?: SmoothingOptions): KerasResult;
/** Keras categorical_crossentropy: one-hot or soft labels. */
export declare function categoricalCrossentropy(yTrue: Input, yPred: Input, options?: SmoothingOptions): KerasResult;
/** Keras sparse_categorical_crossentropy: integer labels, one per row. */
export declare function sparseCategoricalCrossentropy(yTrue: Input | number, yPred: Input, options?: SparseOptions): KerasResult;
/** Keras binary_focal_crossentropy. */
export declare function binaryFocalCrossentropy(yTrue: Input, yPred: Input, options?: BinaryFocalOptions): KerasResult;
/** Keras categorical_focal_crossentropy. */
export declare function categoricalFocalCrossentropy(yTrue: Input, yPred: Input, options?: CategoricalFocalOptions): KerasResult;

/** The Keras options shared by the losses below (no fromLogits or labelSmoothing unless named). */
export interface WeightOptions extends CommonOptions {
  reduction?: Reduction;
  sampleWeight?: number | NumericArray | NestedArray | Tensor;
  classWeight?: NumericArray | Tensor;
  mask?: ArrayLike<boolean | number> | NestedArray;
}
/** Keras kl_divergence: sum y' log(y' / p'), both clipped to [1e-7, 1]. */
export declare function klDivergence(yTrue: Input, yPred: Input, options?: WeightOptions): KerasResult;
/** Keras LogitsDistillation: T^2 KL(softmax(teacher / T) || softmax(student / T)); grad w.r.t. the student logits. */
export declare function logitsDistillation(teacherLogits: Input, studentLogits: Input, options?: WeightOptions & { temperature?: number }): KerasResult;
/** Keras categorical_generalized_cross_entropy: integer labels, (1 - p^q) / q, q in (0, 1] (default 0.5). */
export declare function categoricalGeneralizedCrossentropy(yTrue: Input | number, yPred: Input, options?: WeightOptions & { q?: number; fromLogits?: boolean }): KerasResult;
/** Optax poly_loss_cross_entropy (poly-1) from logits: CE + epsilon sum y (1 - p), epsilon default 2. */
export declare function polyLossCrossentropy(yTrue: Input, logits: Input, options?: WeightOptions & { epsilon?: number }): KerasResult;

/** tf.nn.sigmoid_cross_entropy_with_logits: elementwise losses. */
export declare function sigmoidCrossEntropyWithLogits(labels: Input, logits: Input, options?: CommonOptions): NnResult;
/** tf.nn.weighted_cross_entropy_with_logits: elementwise; posWeight finite. */
/** posWeight: one number, or one per class (broadcast along the last axis). */
export declare function weightedCrossEntropyWithLogits(labels: Input, logits: Input, posWeight: number | NumericArray, options?: CommonOptions): NnResult;
/** tf.nn.softmax_cross_entropy_with_logits: one loss per row, soft labels. */
export declare function softmaxCrossEntropyWithLogits(labels: Input, logits: Input, options?: CommonOptions): NnResult;
/** tf.nn.sparse_softmax_cross_entropy_with_logits: one loss per row, integer labels. */
export declare function sparseSoftmaxCrossEntropyWithLogits(labels: Input | number, logits: Input, options?: CommonOptions): NnResult;

/** What labels and predictions look like (one pass of the C core), classified. */
export interface Inspection {
  labels: 'integer' | 'binary01' | 'onehot' | 'multihot' | 'soft' | 'unknown';
  output: 'logits' | 'sigmoid' | 'softmax' | 'unknown';
  labelRange: [number, number];
  predRange: [number, number];
  rowsBreakingLabelPattern: number;
  rowsBreakingOutputPattern: number;
  softRowsSumTo1: boolean;
  labelOutOfRange: boolean;
  rows: number;
  labelCols: number;
  classes: number;
  labelNonfinite: number;
  predNonfinite: number;
  notes: string[];
  [key: string]: unknown;
}

/** Reads the data (labels [batch] or [batch, classes]; predictions [batch, classes]); needs init(). */
export declare function inspect(yTrue: Input, yPred: Input, options?: { shape?: readonly number[] }): Inspection;

export type Problem = 'binary' | 'multiclass' | 'multilabel';
export type LabelEncoding = 'binary01' | 'integer' | 'onehot' | 'soft' | 'multihot';
export type OutputKind = 'logits' | 'sigmoid' | 'softmax';
export type Framework = 'keras' | 'tfnn' | 'tfjs' | 'pytorch';

export interface Situation {
  problem?: Problem;
  labels?: LabelEncoding;
  output?: OutputKind;
  fromLogits?: boolean;
  framework?: Framework;
  currentLoss?: string;
  outputUnits?: number;
  numClasses?: number;
  labelRange?: [number, number];
  imbalanced?: boolean;
  noisyLabels?: boolean;
  /** The targets are a teacher model's soft outputs (knowledge distillation). */
  distillation?: boolean;
  hugeVocabulary?: boolean;
  paddingLabel?: number;
  denseTargets?: boolean;
  /** Data to inspect instead of (or to check) the declared encodings; needs init().
   *  Alone ({ yTrue, yPred }) it stands in for problem, labels and output. Flat
   *  arrays of the same length are read as one prediction per example, [n, 1]. */
  yTrue?: Input;
  yPred?: Input;
  shape?: readonly number[];
  /** What xent.inspect() returned for the data, given instead of yTrue/yPred:
   *  the recommender checks the declared fields against it and fills the
   *  undeclared ones from it. */
  inspection?: Inspection;
}

/** 'correct' (no error, no warning, nothing to change), 'works' (after the
 *  change named), 'mismatch' (a warning: trains, but not as intended),
 *  'invalid' (an error). Decided from the warnings alone. */
export type Verdict = 'correct' | 'works' | 'mismatch' | 'invalid';

export interface Warning {
  id: string;
  severity: string;
  message: string;
}

export interface Recommendation {
  /** `fit` and `note`: class weights for model.fit, when the situation is imbalanced. */
  keras: { className: string; args: Record<string, unknown>; code: string; fit?: string; note?: string };
  tfnn: { code: string; note?: string };
  tfjs: { code: string; note?: string };
  pytorch: { code: string; note?: string };
  xent: { fn: string; options: Record<string, unknown>; note?: string };
  verdict: Verdict;
  /** The verdict as a phrase ("is correct", "works, after one change: ..."). */
  verdictText: string;
  /** What to change (a sentence), or null. */
  change: string | null;
  /** How the recommender read situation.currentLoss, when one was given. */
  currentLoss?: { text: string; recognised: boolean; kind: string };
  activation: string;
  explanation: string;
  alternatives: unknown[];
  warnings: Warning[];
  [key: string]: unknown;
}

/** Which loss to use, with code for four frameworks and every mistake named. Works before init() unless given data. */
export declare function recommend(situation: Situation): Recommendation;

/** The recommender's decision table: every problem x labels x output combination. */
export declare const DECISION_TABLE: readonly Record<string, unknown>[];

// ---- Huge vocabularies: candidate sampling and sampled losses (docs/semantics.md 3.5) ----
// Declarations for js/sampled.js, kept in this one block.

export interface LogUniformCandidateSamplerOptions {
  /** [batch, numTrue] true class ids in [0, rangeMax). */
  trueClasses: Input;
  /** Default: the last dimension of nested trueClasses, else 1. */
  numTrue?: number;
  numSampled: number;
  /** Default true: redraw until numSampled distinct classes (numSampled <= rangeMax). */
  unique?: boolean;
  rangeMax: number;
  /** An integer in [0, 2^53 - 1] for xent's SplitMix64 stream; omitted: a fresh random seed. */
  seed?: number;
}

export interface SampledValues {
  sampledCandidates: Int32Array;
  trueExpectedCount: Float32Array;
  sampledExpectedCount: Float32Array;
}

/** tf.random.log_uniform_candidate_sampler with xent's own seeded generator. */
export declare function logUniformCandidateSampler(options: LogUniformCandidateSamplerOptions): SampledValues;

export interface SampledLossOptions {
  /** [numClasses, dim]; pass an xent tensor to avoid copying a large table. */
  weights: Input;
  /** [numClasses] */
  biases: Input;
  /** [batch, numTrue] (or [batch] when numTrue is 1) class ids. */
  labels: Input;
  /** [batch, dim] */
  inputs: Input;
  numSampled: number;
  numClasses: number;
  numTrue?: number;
  /** Default: true for sampledSoftmaxLoss, false for nceLoss. */
  removeAccidentalHits?: boolean;
  seed?: number;
  /** Candidates from elsewhere, as the sampler returns them (object or [candidates, true counts, sampled counts]). */
  sampledValues?: SampledValues | [Input, Input, Input] | { sampledCandidates: Input; trueExpectedCount: Input; sampledExpectedCount: Input };
  /** Default true (TensorFlow always subtracts log Q). */
  subtractLogQ?: boolean;
  gradient?: boolean;
}

export interface SampledLossResult {
  /** [batch] per-example losses. */
  losses: Float32Array;
  /** [numSampled] the candidates used. */
  sampled: Int32Array;
  /** With gradient: true, gradients of the sum of losses: dense for inputs, sparse for the classes. */
  grad: { inputs: Float32Array; classIds: Int32Array; weights: Float32Array; biases: Float32Array } | undefined;
}

/** tf.nn.sampled_softmax_loss (training only; evaluate with the full softmax). */
export declare function sampledSoftmaxLoss(options: SampledLossOptions): SampledLossResult;
/** tf.nn.nce_loss (training only). */
export declare function nceLoss(options: SampledLossOptions): SampledLossResult;
