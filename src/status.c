/* status.c: the status strings of the XENT_STATUS_LIST in xent.h, and the
 * build facts the bindings read. */
#include "xent_internal.h"

const char *xent_status_string(xent_status status) {
  switch (status) {
#define XENT_CASE_(name, text) \
  case name:                   \
    return text;
    XENT_STATUS_LIST(XENT_CASE_)
#undef XENT_CASE_
    default:
      return "unknown xent_status";
  }
}

int xent_simd(void) { return XENT_HAVE_SIMD128; }
size_t xent_options_size(void) { return sizeof(xent_options); }
size_t xent_error_size(void) { return sizeof(xent_error); }

#if defined(__wasm32__)
/* The JS API writes xent_options and reads xent_error at these offsets. */
_Static_assert(offsetof(xent_options, label_smoothing) == 4, "layout");
_Static_assert(offsetof(xent_options, reduction) == 8, "layout");
_Static_assert(offsetof(xent_options, has_ignore_class) == 12, "layout");
_Static_assert(offsetof(xent_options, ignore_class) == 16, "layout");
_Static_assert(offsetof(xent_options, alpha) == 20, "layout");
_Static_assert(offsetof(xent_options, gamma) == 24, "layout");
_Static_assert(offsetof(xent_options, apply_class_balancing) == 28, "layout");
_Static_assert(offsetof(xent_options, sample_weight) == 32, "layout");
_Static_assert(offsetof(xent_options, class_weight) == 36, "layout");
_Static_assert(offsetof(xent_options, mask) == 40, "layout");
_Static_assert(offsetof(xent_options, alpha_per_class) == 44, "layout");
_Static_assert(offsetof(xent_options, sample_weight_repeat) == 48, "layout");
_Static_assert(offsetof(xent_options, q) == 52, "layout");
_Static_assert(offsetof(xent_options, epsilon) == 56, "layout");
_Static_assert(offsetof(xent_options, temperature) == 60, "layout");
_Static_assert(sizeof(xent_options) == 64, "layout");
_Static_assert(offsetof(xent_error, index) == 4, "layout");
_Static_assert(offsetof(xent_error, value) == 8, "layout");
_Static_assert(sizeof(xent_error) == 16, "layout");
/* js/sampled.js writes xent_sampled_args and reads xent_sampled_grad. */
_Static_assert(offsetof(xent_sampled_args, sampled_expected_count) == 24, "layout");
_Static_assert(offsetof(xent_sampled_args, batch) == 28, "layout");
_Static_assert(offsetof(xent_sampled_args, num_sampled) == 44, "layout");
_Static_assert(offsetof(xent_sampled_args, remove_accidental_hits) == 48, "layout");
_Static_assert(sizeof(xent_sampled_args) == 56, "layout");
_Static_assert(offsetof(xent_sampled_grad, num_ids) == 16, "layout");
_Static_assert(sizeof(xent_sampled_grad) == 20, "layout");
#endif
