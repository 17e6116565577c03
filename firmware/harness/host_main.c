/* Host build of the harness: host_main <input> <columns-out> <windows-out>.
 * harness_configs.h (written by the test helper) provides the config list. */
#include "harness.h"
#include "harness_configs.h"

static uint64_t no_clock(void) { return 0; }

int main(int argc, char **argv) {
  if (argc != 4) {
    printf("usage: host_main <input> <columns-out> <windows-out>\n");
    return 2;
  }
  return tp_harness_run(tp_harness_configs, TP_HARNESS_CONFIG_COUNT, &tp_harness_storage, argv[1], argv[2], argv[3],
                        no_clock);
}
