// tfjs.d.ts: types of `xent/tfjs` (js/tfjs.js), xent's losses on TensorFlow.js
// tensors, differentiable with respect to the predictions. Hand-written; the
// option names and meanings are the main API's (docs/semantics.md sections 2-4).

import type * as tfc from '@tensorflow/tfjs-core';

type Tensor = tfc.Tensor;

/** Keras' reductions; 'none' returns one loss per example (the batch shape). */
export type Reduction = 'sum_over_batch_size' | 'sum' | 'none' | 'mean_with_sample_weight' | 'mean' | null;

/** A weight per example or per class: a tensor, an array or a typed array (constants, not differentiated). */
export type Weights = Tensor | ArrayLike<number>;

export interface KerasOptions {
  /** The predictions are logits (default false: probabilities). */
  fromLogits?: boolean;
  /** Keras label smoothing in [0, 1] (dense labels only). */
  labelSmoothing?: number;
  reduction?: Reduction;
  /** One weight per example, or one number for all. */
  sampleWeight?: Weights | number;
  /** One weight per class (two for a single-column binary problem). */
  classWeight?: Weights;
}
export interface SparseOptions extends Omit<KerasOptions, 'labelSmoothing'> {
  /** Rows whose label is this class contribute nothing. */
  ignoreClass?: number | null;
}
export interface BinaryFocalOptions extends KerasOptions {
  alpha?: number;
  gamma?: number;
  applyClassBalancing?: boolean;
}
export interface CategoricalFocalOptions extends KerasOptions {
  alpha?: number;
  gamma?: number;
}

/**
 * Keras losses. `yPred` is a float32 tensor whose last axis holds the classes;
 * `yTrue` has its shape (dense) or one class index per row, shape
 * `yPred.shape.slice(0, -1)` or that with a trailing 1 (sparse; int32, or
 * float32 holding integers). Returns a scalar, or with `reduction: 'none'` a
 * tensor of the batch shape.
 */
export function binaryCrossentropy(yTrue: Tensor, yPred: Tensor, options?: KerasOptions): Tensor;
export function categoricalCrossentropy(yTrue: Tensor, yPred: Tensor, options?: KerasOptions): Tensor;
export function sparseCategoricalCrossentropy(yTrue: Tensor, yPred: Tensor, options?: SparseOptions): Tensor;
export function binaryFocalCrossentropy(yTrue: Tensor, yPred: Tensor, options?: BinaryFocalOptions): Tensor;
export function categoricalFocalCrossentropy(yTrue: Tensor, yPred: Tensor, options?: CategoricalFocalOptions): Tensor;
/** Keras kl_divergence (both inputs clipped to [1e-7, 1]). */
export function klDivergence(yTrue: Tensor, yPred: Tensor, options?: Omit<KerasOptions, 'fromLogits' | 'labelSmoothing'>): Tensor;
/** Keras LogitsDistillation: T^2 KL of the temperature softmaxes; differentiable in the student logits. */
export function logitsDistillation(teacherLogits: Tensor, studentLogits: Tensor, options?: Omit<KerasOptions, 'fromLogits' | 'labelSmoothing'> & { temperature?: number }): Tensor;
/** Keras categorical_generalized_cross_entropy: class indices, (1 - p^q) / q. */
export function categoricalGeneralizedCrossentropy(yTrue: Tensor, yPred: Tensor, options?: Omit<KerasOptions, 'labelSmoothing'> & { q?: number }): Tensor;
/** Optax poly_loss_cross_entropy (poly-1) from logits. */
export function polyLossCrossentropy(yTrue: Tensor, logits: Tensor, options?: Omit<KerasOptions, 'fromLogits' | 'labelSmoothing'> & { epsilon?: number }): Tensor;

/** tf.nn ops: one loss per element (the logits' shape). */
export function sigmoidCrossEntropyWithLogits(labels: Tensor, logits: Tensor, options?: Record<string, never>): Tensor;
export function weightedCrossEntropyWithLogits(labels: Tensor, logits: Tensor, posWeight: number | ArrayLike<number>, options?: Record<string, never>): Tensor;
/** tf.nn ops: one loss per row (the batch shape). */
export function softmaxCrossEntropyWithLogits(labels: Tensor, logits: Tensor, options?: Record<string, never>): Tensor;
export function sparseSoftmaxCrossEntropyWithLogits(labels: Tensor, logits: Tensor, options?: Record<string, never>): Tensor;

/** How each loss is adapted: label kind, output kind, positional arguments before the options. */
export declare const LOSSES: Readonly<Record<string, {
  labels: 'dense' | 'sparse';
  out: 'reduced' | 'rows' | 'elements';
  extra: number;
  trueName: string;
  predName: string;
}>>;

/** The TF.js namespace the losses use: the '@tensorflow/tfjs-core' your code imports (or the page's global `tf`). */
export declare const tf: typeof tfc;

/**
 * After `model.compile({ loss })` with a sparse xent loss: lets `model.fit`
 * and `model.evaluate` take targets of one class index per row ([batch, 1]) for
 * the given outputs (names or indices; all by default). Returns the model.
 */
export function acceptSparseLabels<M>(model: M, outputs?: string | number | Array<string | number>): M;
