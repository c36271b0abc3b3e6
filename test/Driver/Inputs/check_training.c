/*===- check_training.c - The training kernels' C ABIs from plain C -------===*
 *
 * Part of gelu-jit. Linked with five gelu-opt objects of one GELU form
 * (FORM: 0 exact, 1 tanh, 2 sigmoid):
 *   k_backward          void (const float *x, const float *dy, float *dx,
 *                             int64_t n)
 *   k_bias              void (const float *x, const float *bias, float *y,
 *                             int64_t rows, int64_t cols)
 *   k_bias_backward     void (const float *x, const float *bias,
 *                             const float *dy, float *dx, float *dbias,
 *                             int64_t rows, int64_t cols)
 *   k_geglu, k_swiglu   void (const float *a, const float *b, float *y,
 *                             int64_t n)
 * (REAL: float, or double for f64 kernels, whose dbias is double too)
 * and checks each against a long-double reference (relative to
 * max(|ref|, |factor|·gate) for the derivatives, whose zero makes a plain
 * relative error meaningless), the bias gradient against the column sums
 * of dx, and that nothing is written outside the outputs for every n in
 * [0, 70] at 8 misalignments. Exits non-zero on any failure.
 *
 *===----------------------------------------------------------------------===*/

#define _GNU_SOURCE
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#ifndef REAL
#define REAL float
#endif
typedef REAL real;
/* ~8 ULP of the type, relative, and an absolute floor below its normal
 * range. */
#define IS_DOUBLE (sizeof(real) == 8)
#define TOLERANCE (IS_DOUBLE ? 2e-15L : 1e-6L)
#define FLOOR (IS_DOUBLE ? 1e-305L : 1e-37L)

void k_backward(const real *x, const real *dy, real *dx, int64_t n);
void k_bias(const real *x, const real *bias, real *y, int64_t rows,
            int64_t cols);
void k_bias_backward(const real *x, const real *bias, const real *dy,
                     real *dx, real *dbias, int64_t rows, int64_t cols);
void k_geglu(const real *a, const real *b, real *y, int64_t n);
void k_swiglu(const real *a, const real *b, real *y, int64_t n);

static int failures;
#define FAIL(...)                                                              \
  do {                                                                         \
    if (failures++ < 10)                                                       \
      printf("FAIL: " __VA_ARGS__);                                            \
  } while (0)

static long double sigmoid(long double y) {
  if (y >= 0)
    return 1.0L / (1.0L + expl(-y));
  long double e = expl(y);
  return e / (1.0L + e);
}

/* The gate g (GELU = x·g(x)), the argument y of σ and y'. */
static long double gate(long double x) {
#if FORM == 0
  return 0.5L * erfcl(-x / sqrtl(2.0L));
#elif FORM == 1
  return sigmoid(2.0L * sqrtl(2.0L / M_PIl) * (x + 0.044715L * x * x * x));
#else
  return sigmoid(1.702L * x);
#endif
}

static long double gelu(long double x) { return x * gate(x); }

static long double gelu_derivative(long double x) {
#if FORM == 0
  return gate(x) + x * expl(-0.5L * x * x) / sqrtl(2.0L * M_PIl);
#else
#if FORM == 1
  long double y = 2.0L * sqrtl(2.0L / M_PIl) * (x + 0.044715L * x * x * x);
  long double slope = 2.0L * sqrtl(2.0L / M_PIl) * (1 + 3 * 0.044715L * x * x);
#else
  long double y = 1.702L * x, slope = 1.702L;
#endif
  return sigmoid(y) + x * slope * sigmoid(y) * sigmoid(-y);
#endif
}

static void expect_near(const char *what, long double got, long double want,
                        long double scale, long double x) {
  long double magnitude = fabsl(want) > scale ? fabsl(want) : scale;
  /* Written as "not within" so that a NaN result fails (NaN > bound is
   * false). */
  if (!(fabsl(got - want) <= TOLERANCE * magnitude + FLOOR))
    FAIL("%s at x = %.9Lg: got %.9Lg, want %.9Lg\n", what, x, got, want);
}

static real value(int i) { return -9.0f + 18.0f * (real)((i * 37) % 1001) / 1000.0f; }

#define GUARD 16
#define CANARY 1234.5f

static void check_elementwise(void) {
  /* Accuracy over [-9, 9] with varied second operands. */
  enum { N = 1001 };
  static real x[N], b[N], y[N];
  for (int i = 0; i < N; ++i) {
    x[i] = value(i);
    b[i] = 0.25f + (real)(i % 7);
  }
  k_backward(x, b, y, N);
  for (int i = 0; i < N; ++i)
    expect_near("backward", y[i], b[i] * gelu_derivative(x[i]),
                fabsl(b[i]) * gate(x[i]), x[i]);
  k_geglu(x, b, y, N);
  for (int i = 0; i < N; ++i)
    expect_near("geglu", y[i], gelu(x[i]) * b[i], 0, x[i]);
  k_swiglu(x, b, y, N);
  for (int i = 0; i < N; ++i)
    expect_near("swiglu", y[i], x[i] * sigmoid(x[i]) * b[i], 0, x[i]);

  /* No write outside out[0..n), at every n and misalignment. */
  static real in[128], in2[128], out[128 + 2 * GUARD];
  for (int i = 0; i < 128; ++i) {
    in[i] = value(i);
    in2[i] = 1.0f;
  }
  void (*kernels[])(const real *, const real *, real *, int64_t) = {
      k_backward, k_geglu, k_swiglu};
  for (int k = 0; k < 3; ++k)
    for (int shift = 0; shift < 8; ++shift)
      for (int n = 0; n <= 70; ++n) {
        for (int i = 0; i < 128 + 2 * GUARD; ++i)
          out[i] = CANARY;
        kernels[k](in + shift, in2 + shift, out + GUARD + shift, n);
        for (int i = 0; i < 128 + 2 * GUARD; ++i) {
          int inside = i >= GUARD + shift && i < GUARD + shift + n;
          if (!inside && out[i] != CANARY)
            FAIL("kernel %d wrote outside out[0..%d) at %d\n", k, n, i);
        }
      }
}

static void check_rows(int rows, int cols) {
  static real x[64 * 64], bias[64 + GUARD], dy[64 * 64],
      out[64 * 64 + GUARD], dbias[64 + GUARD];
  for (int i = 0; i < rows * cols; ++i) {
    x[i] = value(i);
    dy[i] = 0.5f + (real)(i % 5) * 0.25f;
  }
  for (int c = 0; c < cols; ++c)
    bias[c] = -1.0f + 0.0625f * (real)c;
  for (int i = 0; i < rows * cols + GUARD; ++i)
    out[i] = CANARY;
  k_bias(x, bias, out, rows, cols);
  for (int i = 0; i < rows * cols; ++i) {
    real z = x[i] + bias[i % cols];
    expect_near("bias_gelu", out[i], gelu(z), 0, z);
  }
  for (int i = rows * cols; i < rows * cols + GUARD; ++i)
    if (out[i] != CANARY)
      FAIL("bias_gelu wrote past y[rows·cols] at %d\n", i);

  for (int c = 0; c < cols + GUARD; ++c)
    dbias[c] = CANARY;
  k_bias_backward(x, bias, dy, out, dbias, rows, cols);
  for (int c = 0; c < cols; ++c) {
    double sum = 0, magnitude = 0;
    for (int r = 0; r < rows; ++r) {
      int i = r * cols + c;
      real z = x[i] + bias[c];
      expect_near("bias_gelu_backward", out[i], dy[i] * gelu_derivative(z),
                  dy[i] * gate(z), z);
      sum += out[i];
      magnitude += fabs(out[i]);
    }
    if (!(fabs(dbias[c] - sum) <= (double)TOLERANCE * magnitude + 1e-30))
      FAIL("dbias[%d] = %.9g, the column sum is %.9g\n", c, dbias[c], sum);
  }
  for (int c = cols; c < cols + GUARD; ++c)
    if (dbias[c] != CANARY)
      FAIL("bias_gelu_backward wrote past dbias[cols] at %d\n", c);
}

int main(void) {
  check_elementwise();
  check_rows(1, 1);
  check_rows(3, 17);
  check_rows(7, 64);
  check_rows(64, 5);
  /* rows = 0: nothing but dbias's zeros. */
  real dbias[4] = {1, 2, 3, 4}, none = CANARY;
  k_bias_backward(&none, dbias, &none, &none, dbias, 0, 4);
  if (dbias[0] != 0 || dbias[3] != 0 || none != CANARY)
    FAIL("rows = 0 must zero dbias and write nothing else\n");
  printf("backward(-0.75) = %.6f, bias_gelu(1 + 0) = %.6f\n",
         (double)gelu_derivative(-0.75L), (double)gelu(1.0L));
  if (failures) {
    printf("%d failures\n", failures);
    return 1;
  }
  printf("all training kernels PASSED\n");
  return 0;
}
