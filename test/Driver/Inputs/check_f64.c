/*===- check_f64.c - The f64 activation kernels from plain C --------------===*
 *
 * Part of gelu-jit. Linked with five gelu-opt objects of dtype f64, each
 * void NAME(const double *in, double *out, int64_t n): k_exact, k_tanh,
 * k_sigmoid (the GELU forms), k_silu and k_relu. Checks each against a
 * long-double reference, in ULPs of double, on a grid of [-45, 45] and on
 * tiny inputs; GELU's sign (x < 0 gives a result <= -0, -0 gives -0); and
 * that nothing is written outside out[0..n) for every n in [0, 40] at four
 * misalignments. Prints the largest error of each; exits non-zero on a
 * failure.
 *
 *===----------------------------------------------------------------------===*/

#define _GNU_SOURCE
#include <math.h>
#include <stdint.h>
#include <stdio.h>

typedef void kernel_fn(const double *, double *, int64_t);
kernel_fn k_exact, k_tanh, k_sigmoid, k_silu, k_relu;

static int failures;

static long double sigmoid(long double y) {
  if (y >= 0)
    return 1.0L / (1.0L + expl(-y));
  long double e = expl(y);
  return e / (1.0L + e);
}

static long double reference(int which, long double x) {
  switch (which) {
  case 0:
    return 0.5L * x * erfcl(-x / sqrtl(2.0L));
  case 1:
    return x * sigmoid(2.0L * sqrtl(2.0L / M_PIl) * (x + 0.044715L * x * x * x));
  case 2:
    return x * sigmoid(1.702L * x);
  case 3:
    return x * sigmoid(x);
  default:
    return x > 0 ? x : 0.0L;
  }
}

/* |got - want| in ULPs of double at want (2^-1074 below the normal range). */
static double ulps(double got, long double want) {
  long double magnitude = fabsl(want);
  int e = magnitude >= 0x1p-1022L ? ilogbl(magnitude) : -1022;
  return (double)(fabsl((long double)got - want) / ldexpl(1.0L, e - 52));
}

int main(void) {
  static const char *names[] = {"exact", "tanh", "sigmoid", "silu", "relu"};
  kernel_fn *kernels[] = {k_exact, k_tanh, k_sigmoid, k_silu, k_relu};
  enum { N = 90001 + 64 };
  static double in[N], out[N];
  int n = 0;
  for (int i = 0; i <= 90000; ++i)
    in[n++] = -45.0 + i * 1e-3;
  for (int i = 0; i < 32; ++i) {
    in[n++] = ldexp(1.0, -1074 + 33 * i);
    in[n++] = -ldexp(1.0, -1074 + 33 * i);
  }
  for (int k = 0; k < 5; ++k) {
    kernels[k](in, out, n);
    double worst = 0, at = 0;
    for (int i = 0; i < n; ++i) {
      double error = ulps(out[i], reference(k, in[i]));
      if (!(error <= worst)) {
        worst = error;
        at = in[i];
      }
      if (k < 4 && in[i] < 0 && !(out[i] < 0 || (out[i] == 0 && signbit(out[i]))))
        if (failures++ < 10)
          printf("FAIL: %s(%.17g) = %.17g has the wrong sign\n", names[k],
                 in[i], out[i]);
    }
    printf("%s: max %.2f ULP at x = %.17g\n", names[k], worst, at);
    if (!(worst <= 4.0) && failures++ < 10)
      printf("FAIL: %s is %.2f ULP from the reference\n", names[k], worst);
    double zero = -0.0, result = 1.0;
    kernels[k](&zero, &result, 1);
    if (k < 4 && !(result == 0 && signbit(result)) && failures++ < 10)
      printf("FAIL: %s(-0) = %g\n", names[k], result);
    /* No write outside out[0..n). */
    static double buffer[64];
    for (int shift = 0; shift < 4; ++shift)
      for (int count = 0; count <= 40; ++count) {
        for (int i = 0; i < 64; ++i)
          buffer[i] = 1234.5;
        kernels[k](in + 45000, buffer + 8 + shift, count);
        for (int i = 0; i < 64; ++i) {
          int inside = i >= 8 + shift && i < 8 + shift + count;
          if (!inside && buffer[i] != 1234.5 && failures++ < 10)
            printf("FAIL: %s wrote outside out[0..%d) at %d\n", names[k],
                   count, i);
        }
      }
  }
  if (failures) {
    printf("%d failures\n", failures);
    return 1;
  }
  printf("all f64 kernels PASSED\n");
  return 0;
}
