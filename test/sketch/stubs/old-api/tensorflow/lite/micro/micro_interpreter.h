// API-shape stub (see ../../../../README.md): the older constructor takes an ErrorReporter.
#pragma once
#include <stddef.h>
#include "tensorflow/lite/c_api_stub.h"
#include "tensorflow/lite/micro/micro_error_reporter.h"
#include "tensorflow/lite/micro/micro_mutable_op_resolver.h"
#include "tensorflow/lite/schema/schema_generated.h"
namespace tflite {
class MicroInterpreter {
 public:
  MicroInterpreter(const Model *model, const MicroOpResolver &op_resolver, uint8_t *tensor_arena, size_t tensor_arena_size,
                   ErrorReporter *error_reporter);
  TfLiteStatus AllocateTensors();
  TfLiteStatus Invoke();
  TfLiteTensor *input(size_t index);
  TfLiteTensor *output(size_t index);
  size_t arena_used_bytes() const;
};
}  // namespace tflite
