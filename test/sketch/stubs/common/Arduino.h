// API-shape stub (see ../README.md): the Arduino core functions the sketch uses.
#pragma once
#include <stddef.h>
#include <stdint.h>
#define HIGH 0x1
#define LOW 0x0
#define OUTPUT 0x1
#define LED_BUILTIN 13
void pinMode(int pin, int mode);
void digitalWrite(int pin, int value);
void delay(unsigned long ms);
unsigned long micros(void);
class SerialStub {
 public:
  void begin(unsigned long baud);
  size_t print(const char *s);
  size_t print(char c);
  size_t print(int n, int base = 10);
  size_t print(unsigned int n, int base = 10);
  size_t print(long n, int base = 10);
  size_t print(unsigned long n, int base = 10);
  size_t print(double n, int digits = 2);
  size_t println(const char *s);
  size_t println(unsigned long n, int base = 10);
  size_t println(void);
};
extern SerialStub Serial;
