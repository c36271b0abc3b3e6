/*===- check_sixteen_bit.c - 16-bit kernels from plain C, linked by cc ----===*
 *
 * Part of gelu-jit. Linked (by plain cc, no compiler-rt) with the eight
 * kernels of one 16-bit dtype (BF16: 1 bf16, 0 f16), named k_<op>:
 *   k_gelu, k_silu, k_relu          void (const T *x, T *y, int64_t n)
 *   k_gelu_backward, k_geglu,
 *   k_swiglu                        void (const T *a, const T *b, T *y,
 *                                         int64_t n)
 *   k_bias_gelu                     void (const T *x, const T *bias, T *y,
 *                                         int64_t rows, int64_t cols)
 *   k_bias_gelu_backward            void (const T *x, const T *bias,
 *                                         const T *dy, T *dx, float *dbias,
 *                                         int64_t rows, int64_t cols)
 * with T the 16-bit pattern (uint16_t). Every kernel runs on n = 37 (full
 * vectors and a masked tail) of values in [-9, 9]; each result is checked
 * against a double reference rounded to T (within one unit of the last
 * place), NaN gives NaN, and nothing is written past the outputs. Exits
 * non-zero on any failure.
 *
 *===----------------------------------------------------------------------===*/

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef uint16_t half_t;
void k_gelu(const half_t *x, half_t *y, int64_t n);
void k_silu(const half_t *x, half_t *y, int64_t n);
void k_relu(const half_t *x, half_t *y, int64_t n);
void k_gelu_backward(const half_t *x, const half_t *dy, half_t *dx,
                     int64_t n);
void k_geglu(const half_t *a, const half_t *b, half_t *y, int64_t n);
void k_swiglu(const half_t *a, const half_t *b, half_t *y, int64_t n);
void k_bias_gelu(const half_t *x, const half_t *bias, half_t *y,
                 int64_t rows, int64_t cols);
void k_bias_gelu_backward(const half_t *x, const half_t *bias,
                          const half_t *dy, half_t *dx, float *dbias,
                          int64_t rows, int64_t cols);

static int failures;

/* 16-bit <-> double, written out so that no compiler support is needed. */
static double toDouble(half_t h) {
  if (BF16) {
    uint32_t bits = (uint32_t)h << 16;
    float f;
    memcpy(&f, &bits, 4);
    return f;
  }
  int exponent = (h >> 10) & 31, mantissa = h & 1023;
  double sign = (h & 0x8000) ? -1 : 1;
  if (exponent == 31)
    return mantissa ? NAN : sign * INFINITY;
  if (exponent == 0)
    return sign * ldexp(mantissa, -24);
  return sign * ldexp(1024 + mantissa, exponent - 25);
}

/* The nearest 16-bit value (ties to even), by search: slow and simple. */
static half_t fromDouble(double v) {
  half_t best = 0;
  double bestError = INFINITY;
  for (uint32_t h = 0; h < 0x10000; ++h) {
    double d = toDouble((half_t)h);
    if (isnan(d))
      continue;
    double e = fabs(d - v);
    if (e < bestError || (e == bestError && !(h & 1))) {
      bestError = e;
      best = (half_t)h;
    }
  }
  return best;
}

/* Units in the last place between two 16-bit values of one sign. */
static int ulpsApart(half_t a, half_t b) {
  if ((a & 0x7fff) == 0 && (b & 0x7fff) == 0)
    return 0;
  if ((a ^ b) & 0x8000)
    return 1 << 16;
  return a > b ? a - b : b - a;
}

static double phi(double x) { return 0.5 * erfc(-x / sqrt(2.0)); }
static double gelu(double x) { return x * phi(x); }
static double geluPrime(double x) {
  return phi(x) + x * exp(-0.5 * x * x) / sqrt(2 * M_PI);
}
static double silu(double x) { return x / (1 + exp(-x)); }

#define N 37
#define GUARD 0x5A5A

static void check(const char *what, const half_t *got, const double *want,
                  int n) {
  for (int i = 0; i < n; ++i) {
    half_t expected = fromDouble(want[i]);
    if (ulpsApart(got[i], expected) > 1 && failures++ < 10)
      printf("FAIL: %s[%d] = %#06x (%g), want %#06x (%.9g)\n", what, i,
             got[i], toDouble(got[i]), expected, want[i]);
  }
  for (int i = n; i < n + 8; ++i)
    if (got[i] != GUARD && failures++ < 10)
      printf("FAIL: %s wrote past its output at %d\n", what, i);
}

int main(void) {
  half_t x[N], b[N], y[N + 8];
  double dx[N], db[N], want[N];
  for (int i = 0; i < N; ++i) {
    x[i] = fromDouble(-9 + 18.0 * i / (N - 1));
    b[i] = fromDouble(0.5 + 0.03 * i);
    dx[i] = toDouble(x[i]);
    db[i] = toDouble(b[i]);
  }
#define RUN(call, expr)                                                        \
  do {                                                                         \
    for (int i = 0; i < N + 8; ++i)                                            \
      y[i] = GUARD;                                                            \
    call;                                                                      \
    for (int i = 0; i < N; ++i)                                                \
      want[i] = (expr);                                                        \
    check(#call, y, want, N);                                                  \
  } while (0)
  RUN(k_gelu(x, y, N), gelu(dx[i]));
  RUN(k_silu(x, y, N), silu(dx[i]));
  RUN(k_relu(x, y, N), dx[i] > 0 ? dx[i] : 0);
  RUN(k_gelu_backward(x, b, y, N), geluPrime(dx[i]) * db[i]);
  RUN(k_geglu(x, b, y, N), gelu(dx[i]) * db[i]);
  RUN(k_swiglu(x, b, y, N), silu(dx[i]) * db[i]);
  /* One row of N columns: the bias sum is rounded to T first. */
  RUN(k_bias_gelu(x, b, y, 1, N), gelu(toDouble(fromDouble(dx[i] + db[i]))));
  float dbias[N];
  RUN(k_bias_gelu_backward(x, b, b, y, dbias, 1, N),
      geluPrime(toDouble(fromDouble(dx[i] + db[i]))) * db[i]);
  for (int i = 0; i < N; ++i)
    if (dbias[i] != (float)toDouble(y[i]) && failures++ < 10)
      printf("FAIL: dbias[%d] = %g, want dx = %g\n", i, dbias[i],
             toDouble(y[i]));
  /* NaN in, NaN out. */
  half_t nan = BF16 ? 0x7fc0 : 0x7e00, out[1];
  k_gelu(&nan, out, 1);
  if (!isnan(toDouble(out[0])) && failures++ < 10)
    printf("FAIL: gelu(NaN) = %#06x\n", out[0]);
  if (failures)
    return 1;
  printf("all 16-bit kernels PASSED\n");
  return 0;
}
