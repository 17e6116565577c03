/* Host build of the model harness: model files are read from the working directory. */
#include "model_harness.h"
#include "model_entries.h"

int main(void) { return tp_model_harness_run(tp_model_entries, TP_MODEL_ENTRY_COUNT, 0); }
