// API-shape stub (see ../../../../README.md): present only in older copies of the library.
#pragma once
namespace tflite {
class ErrorReporter {};
class MicroErrorReporter : public ErrorReporter {};
}  // namespace tflite
