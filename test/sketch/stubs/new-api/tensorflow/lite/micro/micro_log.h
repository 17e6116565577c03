// API-shape stub (see ../../../../README.md): present only in the newer library.
#pragma once
void MicroPrintf(const char *format, ...);
