// API-shape stub (see ../../../../README.md): every Add* method tinypdm maps an op kind to.
#pragma once
#include "tensorflow/lite/c_api_stub.h"
namespace tflite {
class MicroOpResolver {};
template <unsigned int tOpCount>
class MicroMutableOpResolver : public MicroOpResolver {
 public:
  TfLiteStatus AddAdd();
  TfLiteStatus AddAveragePool2D();
  TfLiteStatus AddConcatenation();
  TfLiteStatus AddConv2D();
  TfLiteStatus AddDepthwiseConv2D();
  TfLiteStatus AddDequantize();
  TfLiteStatus AddFullyConnected();
  TfLiteStatus AddLeakyRelu();
  TfLiteStatus AddLogistic();
  TfLiteStatus AddMaxPool2D();
  TfLiteStatus AddMean();
  TfLiteStatus AddPad();
  TfLiteStatus AddQuantize();
  TfLiteStatus AddRelu();
  TfLiteStatus AddRelu6();
  TfLiteStatus AddReshape();
  TfLiteStatus AddResizeNearestNeighbor();
  TfLiteStatus AddSoftmax();
  TfLiteStatus AddTransposeConv();
};
}  // namespace tflite
