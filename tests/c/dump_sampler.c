/* dump_sampler.c: prints what xent_log_uniform_candidate_sampler (src/sampler.c)
 * draws for the arguments on the command line, one line of JSON, so that
 * tests/js/sampler.test.js can compare the native build with the two wasm
 * modules. Usage: dump_sampler range_max num_sampled unique seed_lo seed_hi
 * [true classes...] */
#include <stdio.h>
#include <stdlib.h>

#include "xent.h"

int main(int argc, char **argv) {
  if (argc < 6) {
    fprintf(stderr, "usage: dump_sampler range_max num_sampled unique seed_lo seed_hi [true classes...]\n");
    return 2;
  }
  size_t range = strtoul(argv[1], NULL, 10), n = strtoul(argv[2], NULL, 10);
  int unique = atoi(argv[3]);
  uint32_t lo = (uint32_t)strtoul(argv[4], NULL, 10), hi = (uint32_t)strtoul(argv[5], NULL, 10);
  size_t nt = (size_t)(argc - 6);
  int32_t *labels = malloc((nt + 1) * sizeof *labels), *out = malloc((n + 1) * sizeof *out);
  float *tc = malloc((nt + 1) * sizeof *tc), *sc = malloc((n + 1) * sizeof *sc);
  for (size_t i = 0; i < nt; i++) labels[i] = atoi(argv[6 + i]);
  size_t wb = xent_log_uniform_candidate_sampler_workspace_size(n);
  void *work = malloc(wb);
  xent_error err = {0};
  xent_status st = xent_log_uniform_candidate_sampler(labels, nt ? 1 : 0, nt ? nt : 1, n, unique, range, lo, hi,
                                                      out, tc, sc, NULL, work, wb, &err);
  if (st) {
    fprintf(stderr, "dump_sampler: %s (%s)\n", xent_status_string(st), err.arg ? err.arg : "");
    return 1;
  }
  printf("{\"sampledCandidates\":[");
  for (size_t i = 0; i < n; i++) printf("%s%d", i ? "," : "", out[i]);
  printf("],\"sampledExpectedCount\":[");
  for (size_t i = 0; i < n; i++) printf("%s%.9g", i ? "," : "", sc[i]);
  printf("],\"trueExpectedCount\":[");
  for (size_t i = 0; i < nt; i++) printf("%s%.9g", i ? "," : "", tc[i]);
  printf("]}\n");
  free(labels), free(out), free(tc), free(sc), free(work);
  return 0;
}
