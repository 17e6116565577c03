/* Host build of the scoring harness: score_host_main <input>. */
#include "score_harness.h"

#include <stdio.h>

int main(int argc, char **argv) {
  if (argc != 2) {
    printf("usage: score_host_main <input>\n");
    return 2;
  }
  return tp_score_harness_run(argv[1]);
}
