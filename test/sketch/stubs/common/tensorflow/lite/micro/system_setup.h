// API-shape stub (see ../../../../README.md).
#pragma once
namespace tflite {
void InitializeTarget();
}
