// API-shape stub (see ../../../../README.md): the newer constructor, no ErrorReporter.
#pragma once
#include <stddef.h>
#include "tensorflow/lite/c_api_stub.h"
#include "tensorflow/lite/micro/micro_mutable_op_resolver.h"
#include "tensorflow/lite/schema/schema_generated.h"
namespace tflite {
class MicroResourceVariables;
class MicroProfilerInterface;
class MicroInterpreter {
 public:
  MicroInterpreter(const Model *model, const MicroOpResolver &op_resolver, uint8_t *tensor_arena, size_t tensor_arena_size,
                   MicroResourceVariables *resource_variables = nullptr, MicroProfilerInterface *profiler = nullptr);
  TfLiteStatus AllocateTensors();
  TfLiteStatus Invoke();
  TfLiteTensor *input(size_t index);
  TfLiteTensor *output(size_t index);
  size_t arena_used_bytes() const;
};
}  // namespace tflite
