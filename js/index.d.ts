// index.d.ts: hand-written declarations of the xent JS API (js/index.js).
// What each function computes: docs/semantics.md (Keras 3 on TensorFlow, and
// tf.nn). Result types follow the options: `loss` is a number unless
// `reduction: 'none'`, `grad` is a Float32Array when `gradient: true` (or the
// caller's buffer when `out.grad` is given) and undefined otherwise.
// tests/js/types.test.js compiles the README's examples against this file with
// `tsc --strict` and checks that it declares exactly what index.js exports.

/** The loaded module: the f32x4 SIMD build or the scalar build. */
export type Backend = 'wasm-simd' | 'wasm';

/** What `init({ wasm })` accepts as the module. */
export type WasmSource = ArrayBuffer | ArrayBufferView | Response | URL | string | WebAssembly.Module;

export interface InitOptions {
  /** Force a build: 'wasm' loads the scalar module even where SIMD works. */
  backend?: Backend;
  /**
   * The module itself, for setups that ship the .wasm file: its bytes, a
   * fetch Response, an absolute URL (file: URLs work in Node), a compiled
   * WebAssembly.Module, or a promise of one of these. Bytes that are not wasm
   * (for example an HTML page served in its place) give a TypeError that says
   * how to fix it.
   */
  wasm?: WasmSource | PromiseLike<WasmSource>;
}

/**
 * Loads the wasm module: the SIMD build where the engine validates WebAssembly
 * SIMD, else the scalar build. Idempotent: later calls without options return
 * the same promise. Asking for another module replaces the loaded one (tensors
 * of the old one become unusable). Resolves to the backend name.
 */
export declare function init(options?: InitOptions | null): Promise<Backend>;

/** The loaded backend; undefined until init() resolves. */
export declare let backend: Backend | undefined;

/** True when this engine runs the WebAssembly SIMD instructions the SIMD build uses. */
export declare function simdSupported(): boolean;

// ---- Inputs -------------------------------------------------------------------

/** Typed arrays accepted as input (values are converted to float32, or to int32 for sparse labels). */
export type TypedNumberArray =
  | Float32Array | Float64Array | Int32Array | Uint32Array | Int16Array | Uint16Array
  | Int8Array | Uint8Array | Uint8ClampedArray;
/** A typed array or a plain array of numbers. */
export type NumericArray = TypedNumberArray | readonly number[];
/** A plain array of numbers, or nested arrays of them (rectangular; the shape is inferred). */
export type NestedArray = readonly number[] | readonly NestedArray[];
/** Any accepted array argument. */
export type Input = TypedNumberArray | NestedArray | Tensor;

export type TensorDtype = 'float32' | 'int32';
/** The typed array a tensor's `data` is: Float32Array for 'float32', Int32Array for 'int32'. */
export type TensorData<D extends TensorDtype> = D extends 'int32' ? Int32Array : Float32Array;

/** An array in wasm memory, accepted by every function without a copy. */
export interface Tensor<D extends TensorDtype = TensorDtype> {
  readonly shape: readonly number[];
  readonly dtype: D;
  readonly size: number;
  /** A view of the tensor's memory, re-created when the wasm memory grows: read it again rather than keeping it across calls that allocate. */
  readonly data: TensorData<D>;
  readonly freed: boolean;
  /** Returns the memory. Using the tensor afterwards throws; freeing twice does nothing. */
  free(): void;
}

/**
 * Allocates a zeroed tensor in wasm memory (needs init()); dtype 'float32' by
 * default. At most 536 870 896 values (the module's memory is 2 GiB); more is a
 * RangeError naming shape.
 */
export declare function tensor<D extends TensorDtype = 'float32'>(shape: number | readonly number[], dtype?: D): Tensor<D>;

/** Wasm memory in use: its size, the scratch arena's high-water mark, the live tensors. */
export declare function memoryStats(): MemoryStats;

export interface MemoryStats {
  memoryBytes: number;
  arenaBytes: number;
  liveTensors: number;
}

// ---- Options --------------------------------------------------------------------

/** docs/semantics.md 2.8: 'mean' is 'sum_over_batch_size' and null is 'none', as in Keras 3. */
export type Reduction = 'sum_over_batch_size' | 'sum' | 'none' | 'mean_with_sample_weight' | 'mean' | null;

/** A caller buffer for an output: a Float32Array (anywhere) or a float32 tensor. */
export type OutBuffer = Float32Array | Tensor<'float32'>;

export interface Out {
  /** Receives the per-example losses (length batch; batch * classes for the sigmoid tf.nn ops). Returned as `losses`. */
  losses?: OutBuffer | null;
  /** Receives the gradient (shaped like the prediction); implies gradient: true. Returned as `grad`. */
  grad?: OutBuffer | null;
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
  out?: Out | null;
}

export interface KerasOptions extends CommonOptions {
  /** yPred holds logits (true) or probabilities (false, the default). */
  fromLogits?: boolean;
  /** Default 'sum_over_batch_size'. With 'none', `loss` is undefined and `grad` is the gradient of the sum of `losses`. */
  reduction?: Reduction;
  /** One weight per example, one number for all, or (nested) any shape Keras broadcasts against the losses ([batch, 1] per sequence). */
  sampleWeight?: number | Input;
  /** Keras mask: one boolean per example (0 or false: loss 0, left out of the mean). */
  mask?: ArrayLike<boolean | number> | NestedArray | null;
  /** One weight per class (two for a single-column binary problem); an example's class is its label, else the argmax of its yTrue row. */
  classWeight?: Input;
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
  /** Focusing parameter, finite and >= 0 (default 2). */
  gamma?: number;
  /** Multiply by alpha for positives and 1 - alpha for negatives (default false). */
  applyClassBalancing?: boolean;
}

export interface CategoricalFocalOptions extends SmoothingOptions {
  /** In [0, 1] (default 0.25), or one such number per class. */
  alpha?: number | NumericArray;
  /** Finite and >= 0 (default 2). */
  gamma?: number;
}

// ---- Results: their types follow the options ---------------------------------------

/** T[K] when T has the key K, else undefined; distributes over unions (and undefined). */
type Field<T, K extends PropertyKey> = T extends unknown ? (K extends keyof T ? T[K] : undefined) : never;
/** true when a value of T can be absent (undefined or null). */
type MayLack<T> = undefined extends T ? true : null extends T ? true : false;

type OutField<O, K extends 'losses' | 'grad'> = Field<Field<O, 'out'>, K>;

/** `loss` for options O: undefined with reduction 'none' (or null), else a number. */
export type LossOf<O> = [Field<O, 'reduction'>] extends [undefined]
  ? number
  : [Exclude<Field<O, 'reduction'>, undefined>] extends ['none' | null]
    ? (undefined extends Field<O, 'reduction'> ? number | undefined : undefined)
    : 'none' extends Field<O, 'reduction'> ? number | undefined
    : null extends Field<O, 'reduction'> ? number | undefined : number;

/** `losses` for options O: the caller's out.losses when given, else a new Float32Array. */
export type LossesOf<O> =
  | Exclude<OutField<O, 'losses'>, undefined | null>
  | (MayLack<OutField<O, 'losses'>> extends true ? Float32Array : never);

/**
 * `grad` for options O: the caller's out.grad when given, else a new
 * Float32Array with gradient: true, else undefined.
 */
export type GradOf<O> =
  | Exclude<OutField<O, 'grad'>, undefined | null>
  | (MayLack<OutField<O, 'grad'>> extends true
      ? (true extends Field<O, 'gradient'> ? Float32Array : never)
        | ([Exclude<Field<O, 'gradient'>, true>] extends [never] ? never : undefined)
      : never);

/** What a Keras loss returns for options O (docs/semantics.md 2.8 and 4). */
export interface KerasResult<O = KerasOptions> {
  /** The reduced loss; undefined with reduction 'none'. */
  loss: LossOf<O>;
  /** Per-example losses, already weighted (Keras with reduction 'none'). */
  losses: LossesOf<O>;
  /** The shape of `losses` (e.g. [batch, time]; [] for a 1-D prediction, one example). */
  lossesShape: readonly number[];
  /** d loss / d yPred (the logits when fromLogits), when asked for. */
  grad: GradOf<O>;
}

/** What a tf.nn op returns for options O. */
export interface NnResult<O = CommonOptions> {
  /** One loss per row (softmax ops) or per element (sigmoid ops). */
  losses: LossesOf<O>;
  /** The shape of `losses`. */
  lossesShape: readonly number[];
  /** Gradient of the sum of `losses` with respect to the logits, when asked for. */
  grad: GradOf<O>;
}

// ---- Keras losses (docs/semantics.md 2.3-2.6) ----------------------------------------

/** Keras binary_crossentropy: elementwise, then the mean over the last axis. */
export declare function binaryCrossentropy<O extends SmoothingOptions = {}>(yTrue: Input, yPred: Input, options?: O | null): KerasResult<O>;
/** Keras categorical_crossentropy: one-hot or soft labels. */
export declare function categoricalCrossentropy<O extends SmoothingOptions = {}>(yTrue: Input, yPred: Input, options?: O | null): KerasResult<O>;
/** Keras sparse_categorical_crossentropy: integer labels, one per row (a single number is one label). */
export declare function sparseCategoricalCrossentropy<O extends SparseOptions = {}>(yTrue: Input | number, yPred: Input, options?: O | null): KerasResult<O>;
/** Keras binary_focal_crossentropy. */
export declare function binaryFocalCrossentropy<O extends BinaryFocalOptions = {}>(yTrue: Input, yPred: Input, options?: O | null): KerasResult<O>;
/** Keras categorical_focal_crossentropy. */
export declare function categoricalFocalCrossentropy<O extends CategoricalFocalOptions = {}>(yTrue: Input, yPred: Input, options?: O | null): KerasResult<O>;

// ---- tf.nn ops (docs/semantics.md 3.1-3.4) --------------------------------------------

/** The Keras options shared by the losses below (no fromLogits or labelSmoothing unless named). */
export interface WeightOptions extends CommonOptions {
  reduction?: Reduction;
  sampleWeight?: number | Input;
  classWeight?: Input;
  mask?: ArrayLike<boolean | number> | NestedArray | null;
}
export interface DistillationOptions extends WeightOptions {
  /** The softmax temperature T > 0 (default 3). */
  temperature?: number;
}
export interface GeneralizedOptions extends WeightOptions {
  /** In (0, 1] (default 0.5). */
  q?: number;
  fromLogits?: boolean;
}
export interface PolyOptions extends WeightOptions {
  /** The poly-1 coefficient, finite (default 2). */
  epsilon?: number;
}
/** Keras kl_divergence: sum y' log(y' / p'), both clipped to [1e-7, 1]. */
export declare function klDivergence<O extends WeightOptions = {}>(yTrue: Input, yPred: Input, options?: O | null): KerasResult<O>;
/** Keras LogitsDistillation: T^2 KL(softmax(teacher / T) || softmax(student / T)); grad w.r.t. the student logits. */
export declare function logitsDistillation<O extends DistillationOptions = {}>(teacherLogits: Input, studentLogits: Input, options?: O | null): KerasResult<O>;
/** Keras categorical_generalized_cross_entropy: integer labels, (1 - p^q) / q, q in (0, 1] (default 0.5). */
export declare function categoricalGeneralizedCrossentropy<O extends GeneralizedOptions = {}>(yTrue: Input | number, yPred: Input, options?: O | null): KerasResult<O>;
/** Optax poly_loss_cross_entropy (poly-1) from logits: CE + epsilon sum y (1 - p), epsilon default 2. */
export declare function polyLossCrossentropy<O extends PolyOptions = {}>(yTrue: Input, logits: Input, options?: O | null): KerasResult<O>;

/** tf.nn.sigmoid_cross_entropy_with_logits: elementwise losses. */
export declare function sigmoidCrossEntropyWithLogits<O extends CommonOptions = {}>(labels: Input, logits: Input, options?: O | null): NnResult<O>;
/** tf.nn.weighted_cross_entropy_with_logits: elementwise; posWeight finite. */
/** posWeight: one number, or one per class (broadcast along the last axis). */
export declare function weightedCrossEntropyWithLogits<O extends CommonOptions = {}>(labels: Input, logits: Input, posWeight: number | NumericArray, options?: O | null): NnResult<O>;
/** tf.nn.softmax_cross_entropy_with_logits: one loss per row, soft labels. */
export declare function softmaxCrossEntropyWithLogits<O extends CommonOptions = {}>(labels: Input, logits: Input, options?: O | null): NnResult<O>;
/** tf.nn.sparse_softmax_cross_entropy_with_logits: one loss per row, integer labels. */
export declare function sparseSoftmaxCrossEntropyWithLogits<O extends CommonOptions = {}>(labels: Input | number, logits: Input, options?: O | null): NnResult<O>;

// ---- Inspecting data and recommending a loss (docs/semantics.md 7) -----------------------

export type Problem = 'binary' | 'multiclass' | 'multilabel';
export type LabelEncoding = 'binary01' | 'integer' | 'onehot' | 'soft' | 'multihot';
export type OutputKind = 'logits' | 'sigmoid' | 'softmax';
export type Framework = 'keras' | 'tfnn' | 'tfjs' | 'pytorch';
/** The JS API's loss functions, by name. */
export type LossFunctionName =
  | 'binaryCrossentropy' | 'categoricalCrossentropy' | 'sparseCategoricalCrossentropy'
  | 'binaryFocalCrossentropy' | 'categoricalFocalCrossentropy'
  | 'sigmoidCrossEntropyWithLogits' | 'weightedCrossEntropyWithLogits'
  | 'softmaxCrossEntropyWithLogits' | 'sparseSoftmaxCrossEntropyWithLogits';

/** What labels and predictions look like (one pass of the C core), classified. */
export interface Inspection {
  /** The most specific encoding most rows follow; 'unknown' when fewer than half follow any. */
  labels: LabelEncoding | 'unknown';
  /** Rows summing to 1 look softmax-like, rows in [0, 1] sigmoid-like, others are logits; 'unknown' for an empty batch. */
  output: OutputKind | 'unknown';
  /** [min, max] over the finite label values. */
  labelRange: [number, number];
  /** [min, max] over the finite predictions. */
  predRange: [number, number];
  rowsBreakingLabelPattern: number;
  rowsBreakingOutputPattern: number;
  /** For soft labels: whether the rows are distributions (sum to 1). */
  softRowsSumTo1: boolean;
  /** Integer labels outside [0, classes). */
  labelOutOfRange: boolean;
  rows: number;
  labelCols: number;
  classes: number;
  labelNonfinite: number;
  predNonfinite: number;
  /** Plain sentences about what was seen. */
  notes: string[];
}

/** Reads the data (labels [batch] or [batch, classes]; predictions [batch, classes]); needs init(). */
export declare function inspect(yTrue: Input, yPred: Input, options?: { shape?: readonly number[] } | null): Inspection;

export interface Situation {
  problem?: Problem;
  labels?: LabelEncoding;
  output?: OutputKind;
  fromLogits?: boolean;
  framework?: Framework;
  /** The loss in use, as code (e.g. "keras.losses.CategoricalCrossentropy()"), to check it. */
  currentLoss?: string;
  outputUnits?: number;
  numClasses?: number;
  labelRange?: readonly [number, number];
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

export type Severity = 'error' | 'warning' | 'info';

/** 'correct' (no error, no warning, nothing to change), 'works' (after the
 *  change named), 'mismatch' (a warning: trains, but not as intended),
 *  'invalid' (an error). Decided from the warnings alone. */
export type Verdict = 'correct' | 'works' | 'mismatch' | 'invalid';

export interface Warning {
  /** A stable identifier, e.g. 'double-activation'. */
  id: string;
  severity: Severity;
  message: string;
}

export interface KerasCode {
  className: string;
  args: Record<string, unknown>;
  /** Python code constructing the loss. */
  code: string;
  /** The model.fit line with class weights, when the situation is imbalanced. */
  fit?: string;
  note?: string;
}

export interface Code {
  code: string;
  note?: string;
}

export interface XentCall {
  fn: LossFunctionName;
  options: Record<string, unknown>;
  note?: string;
}

export interface LabelTransform {
  id: string;
  text: string;
}

export interface Alternative {
  summary: string;
  keras: KerasCode;
  xent: XentCall;
  activation: string;
  labelTransform: LabelTransform | null;
}

export interface Recommendation {
  keras: KerasCode;
  tfnn: Code;
  tfjs: Code;
  pytorch: Code;
  xent: XentCall;
  verdict: Verdict;
  /** The verdict as a phrase ("is correct", "works, after one change: ..."). */
  verdictText: string;
  /** What to change (a sentence), or null. */
  change: string | null;
  /** How the recommender read situation.currentLoss, when one was given. */
  currentLoss?: { text: string; recognised: boolean; kind: string };
  /** The model's last layer, in words. */
  activation: string;
  /** Output units: '1', '2' or 'C'. */
  units: string;
  explanation: string;
  alternatives: Alternative[];
  warnings: Warning[];
  /** The framework shown first (situation.framework, else 'keras') and the order of all four. */
  lead: Framework;
  order: Framework[];
  labelTransform: LabelTransform | null;
  /** The decision table row's key, 'problem/labels/output'. */
  row: string;
  situation: { problem: Problem; labels: LabelEncoding; output: OutputKind };
}

/** Which loss to use, with code for four frameworks and every mistake named. Works before init() unless given data. */
export declare function recommend(situation: Situation): Recommendation;

/** One row of the decision table: a problem x labels x output combination. */
export interface DecisionRow {
  key: string;
  problem: Problem;
  labels: LabelEncoding;
  output: OutputKind;
  verdict: Verdict;
  /** The loss recipe's id, e.g. 'scce-logits'. */
  loss: string;
  labelTransform: string | null;
  activation: string;
  units: string;
  change: string | null;
  warnings: readonly { id: string; severity: Severity }[];
  alternatives: readonly { loss: string; summary: string; labelTransform: string | null; activation: string }[];
  /** Overrides for a given number of output units. */
  byUnits: Readonly<Record<string, {
    loss: string;
    labelTransform: string | null;
    activation: string;
    units: string;
    why: string;
    verdict?: Verdict;
    change?: string;
    warnings?: readonly { id: string; severity: Severity }[];
  }>>;
  why: string;
}

/** The recommender's decision table: every problem x labels x output combination. */
export declare const DECISION_TABLE: readonly DecisionRow[];

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

/** Gradients of the sum of the losses: dense for inputs, sparse (rows classIds) for the class table. */
export interface SampledGrad {
  inputs: Float32Array;
  classIds: Int32Array;
  weights: Float32Array;
  biases: Float32Array;
}

/** `grad` for options O: present with gradient: true, else undefined. */
export type SampledGradOf<O> =
  | (true extends Field<O, 'gradient'> ? SampledGrad : never)
  | ([Exclude<Field<O, 'gradient'>, true>] extends [never] ? never : undefined);

export interface SampledLossResult<O = SampledLossOptions> {
  /** [batch] per-example losses. */
  losses: Float32Array;
  /** [numSampled] the candidates used. */
  sampled: Int32Array;
  /** With gradient: true, gradients of the sum of losses. */
  grad: SampledGradOf<O>;
}

/** tf.nn.sampled_softmax_loss (training only; evaluate with the full softmax). */
export declare function sampledSoftmaxLoss<O extends SampledLossOptions>(options: O): SampledLossResult<O>;
/** tf.nn.nce_loss (training only). */
export declare function nceLoss<O extends SampledLossOptions>(options: O): SampledLossResult<O>;
