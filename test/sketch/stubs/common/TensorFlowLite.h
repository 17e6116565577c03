// API-shape stub (see ../README.md): the Arduino_TensorFlowLite umbrella header.
#pragma once
