/*===- use_library.c - A program built against a gelu-opt header ---------===*
 *
 * Part of gelu-jit. Compiled as C and as C++ against the header gelu-opt
 * --header writes for Inputs/kernels.json, linked with the shared library
 * (or object) of the same spec file, and run: each kernel's values against
 * erfc (the third, a max_abs 1e-4 budget, within 1e-4).
 *
 *===----------------------------------------------------------------------===*/

#include "kernels.h"

#include <math.h>
#include <stdio.h>

static double gelu(double x) { return 0.5 * x * erfc(-x / sqrt(2.0)); }
static double geluPrime(double x) {
  return 0.5 * erfc(-x / sqrt(2.0)) + x * exp(-0.5 * x * x) / sqrt(2 * M_PI);
}

int main(void) {
  enum { N = 21 };
  float x[N], dy[N], bias[N], y[N];
  int failures = 0;
  for (int i = 0; i < N; ++i) {
    x[i] = (float)(-8 + 0.8 * i);
    dy[i] = (float)(1 + 0.1 * i);
    bias[i] = (float)(0.05 * i);
  }
  lib_gelu(x, y, N);
  for (int i = 0; i < N; ++i)
    if (fabs(y[i] - gelu(x[i])) > 1e-6 * (1 + fabs(gelu(x[i]))) &&
        failures++ < 5)
      printf("FAIL: lib_gelu(%g) = %g\n", x[i], y[i]);
  lib_gelu_backward(x, dy, y, N);
  for (int i = 0; i < N; ++i)
    if (fabs(y[i] - geluPrime(x[i]) * dy[i]) > 1e-6 * (1 + fabs(y[i])) &&
        failures++ < 5)
      printf("FAIL: lib_gelu_backward(%g) = %g\n", x[i], y[i]);
  lib_bias_gelu(x, bias, y, 1, N);
  for (int i = 0; i < N; ++i)
    if (fabs(y[i] - gelu((double)(x[i] + bias[i]))) > 1e-4 && failures++ < 5)
      printf("FAIL: lib_bias_gelu(%g + %g) = %g\n", x[i], bias[i], y[i]);
  if (failures)
    return 1;
  printf("library of %s: 3 kernels PASSED\n", GELU_KERNELS_GELU_JIT_VERSION);
  return 0;
}
