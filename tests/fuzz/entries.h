/* entries.h: the public entry points of src/xent.h that the libFuzzer targets
 * call, one line each, X(kind, function). The kind names the signature (the
 * harness in fuzz_xent.c decodes and checks each kind). CMakeLists.txt reads
 * these lines and makes one target fuzz_<function> per line; to fuzz a new
 * entry point, add its line (and, for a new signature, a kind in
 * fuzz_xent.c or fuzz_sampled.c). Covers every loss, inspection and sampling
 * entry point of src/xent.h (the workspace-size functions are checked by
 * fuzz_sampled.c, the build facts by fuzz_xent.c). */
#ifndef XENT_FUZZ_ENTRIES_H
#define XENT_FUZZ_ENTRIES_H

/* The kinds. SAMPLER and SAMPLED are fuzzed by fuzz_sampled.c (CMakeLists.txt
 * picks the source by kind), every other kind by fuzz_xent.c. */
enum { DENSE, SPARSE, NN_ELEMENTS, NN_WEIGHTED, NN_WEIGHTED_PER_CLASS, NN_ROWS, NN_SPARSE, INSPECT,
       SAMPLER, SAMPLED };

/* clang-format off */
#define XENT_FUZZ_ENTRIES(X) \
  X(DENSE, xent_binary_crossentropy) \
  X(DENSE, xent_categorical_crossentropy) \
  X(SPARSE, xent_sparse_categorical_crossentropy) \
  X(DENSE, xent_binary_focal_crossentropy) \
  X(DENSE, xent_categorical_focal_crossentropy) \
  X(DENSE, xent_kl_divergence) \
  X(DENSE, xent_logits_distillation) \
  X(SPARSE, xent_categorical_generalized_cross_entropy) \
  X(DENSE, xent_poly_loss_cross_entropy) \
  X(NN_ELEMENTS, xent_sigmoid_cross_entropy_with_logits) \
  X(NN_WEIGHTED, xent_weighted_cross_entropy_with_logits) \
  X(NN_WEIGHTED_PER_CLASS, xent_weighted_cross_entropy_with_logits_per_class) \
  X(NN_ROWS, xent_softmax_cross_entropy_with_logits) \
  X(NN_SPARSE, xent_sparse_softmax_cross_entropy_with_logits) \
  X(INSPECT, xent_inspect) \
  X(SAMPLER, xent_log_uniform_candidate_sampler) \
  X(SAMPLED, xent_sampled_softmax_loss) \
  X(SAMPLED, xent_nce_loss)
/* clang-format on */

#endif /* XENT_FUZZ_ENTRIES_H */
