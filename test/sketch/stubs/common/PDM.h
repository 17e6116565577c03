// API-shape stub (see ../README.md): the PDM library of the mbed core.
#pragma once
class PDMClass {
 public:
  int begin(int channels, int sampleRate);
  void end();
  int available();
  int read(void *buffer, size_t size);
  void onReceive(void (*function)(void));
  void setGain(int gain);
  void setBufferSize(int bufferSize);
};
extern PDMClass PDM;
