/* entries.h: the public entry points of src/xent.h that the libFuzzer targets
 * call, one line each, X(kind, function). The kind names the signature (the
 * harness in fuzz_xent.c decodes and checks each kind). CMakeLists.txt reads
 * these lines and makes one target fuzz_<function> per line; to fuzz a new
 * entry point, add its line (and, for a new signature, a kind in
 * fuzz_xent.c). Covers every entry point of the guarantees section of
 * docs/semantics.md. */
#ifndef XENT_FUZZ_ENTRIES_H
#define XENT_FUZZ_ENTRIES_H

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
  X(INSPECT, xent_inspect)
/* clang-format on */

#endif /* XENT_FUZZ_ENTRIES_H */
