/* Host build of the detector harness: detector_host_main <input>. */
#include "detector_harness.h"

#include <stdio.h>

int main(int argc, char **argv) {
  if (argc != 2) {
    printf("usage: detector_host_main <input>\n");
    return 2;
  }
  return tp_detector_harness_run(argv[1], NULL);
}
