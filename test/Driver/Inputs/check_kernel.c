/*===- check_kernel.c - Run a gelu-opt object from plain C ----------------===*
 *
 * Part of gelu-jit. Linked with an object from `gelu-opt --emit=obj`:
 *   cc -DKERNEL=name -DREFERENCE=GELU_EXACT [-DMAX_ABS=1e-6] check_kernel.c \
 *      kernel.o -lm
 *      [-DMAX_ULP_TAIL=4]
 * Prints sample values (for FileCheck), then checks the kernel against a
 * long-double reference on [-10, 10] (|error| <= MAX_ABS, default 1e-6),
 * in ULPs on the tail [-14.5, -3) (<= MAX_ULP_TAIL, default 4: the accurate
 * forms keep their relative accuracy there; a form that cancels or returns
 * -0 for tiny results is given 2^24, which still fails NaN, a wrong sign or
 * a large wrong value), special values (f(1e-40) to one subnormal ULP), and
 * that no n in [0, 70] at any misalignment writes outside out[0..n). A NaN
 * result fails every bound.
 * Exits non-zero on any failure.
 *
 *===----------------------------------------------------------------------===*/

#define _GNU_SOURCE
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define GELU_EXACT 0
#define GELU_TANH 1
#define GELU_SIGMOID 2
#define SILU 3
#define RELU 4

#ifndef MAX_ABS
#define MAX_ABS 1e-6
#endif
#ifndef MAX_ULP_TAIL
#define MAX_ULP_TAIL 4
#endif

void KERNEL(const float *in, float *out, int64_t n);

static long double times_sigmoid(long double x, long double y) {
  if (y >= 0)
    return x / (1.0L + expl(-y));
  long double e = expl(y);
  return x * e / (1.0L + e);
}

static long double reference(long double x) {
#if REFERENCE == GELU_EXACT
  return 0.5L * x * erfcl(-x / sqrtl(2.0L));
#elif REFERENCE == GELU_TANH
  return times_sigmoid(x, 2.0L * sqrtl(2.0L / M_PIl) *
                              (x + 0.044715L * x * x * x));
#elif REFERENCE == GELU_SIGMOID
  return times_sigmoid(x, 1.702L * x);
#elif REFERENCE == SILU
  return times_sigmoid(x, x);
#else
  return x > 0 ? x : 0.0L;
#endif
}

/* |y - ref| in f32 ULPs of ref (the subnormal ULP below the normal
 * range); +inf for a NaN result. */
static double ulp_error(float y, long double ref) {
  if (isnan(y))
    return INFINITY;
  long double magnitude = fabsl(ref);
  int e = magnitude >= 0x1p-126L ? ilogbl(magnitude) : -126;
  return (double)(fabsl((long double)y - ref) / ldexpl(1.0L, e - 23));
}

/* Keeps the largest error and where it occurs; a NaN error is the
 * largest ("not <=" is true for NaN). */
static void track_worst(double error, float x, double *worst, float *at) {
  if (!(error <= *worst)) {
    *worst = error;
    *at = x;
  }
}

static int failures = 0;
#define EXPECT(cond, ...)                                                      \
  do {                                                                         \
    if (!(cond)) {                                                             \
      printf("FAIL: " __VA_ARGS__);                                            \
      printf("\n");                                                            \
      ++failures;                                                              \
    }                                                                          \
  } while (0)

int main(void) {
  /* Samples, printed for FileCheck. */
  static const float samples[] = {-10, -6, -3, -1, -0.5f, 0.5f, 1, 3};
  enum { NS = sizeof(samples) / sizeof(samples[0]) };
  float values[NS];
  KERNEL(samples, values, NS);
  for (int i = 0; i < NS; ++i)
    printf("f(%g) = %.6g\n", samples[i], values[i]);

  /* Accuracy on [-10, 10]: every 1/1024. */
  enum { N = 20 * 1024 + 1 };
  static float in[N], out[N];
  for (int i = 0; i < N; ++i)
    in[i] = -10.0f + (float)i / 1024.0f;
  KERNEL(in, out, N);
  double worst = 0;
  float worstAt = 0;
  for (int i = 0; i < N; ++i)
    track_worst(fabsl((long double)out[i] - reference(in[i])), in[i], &worst,
                &worstAt);
  printf("max abs error on [-10, 10]: %.3g at %g\n", worst, worstAt);
  EXPECT(worst <= MAX_ABS, "max abs error %.3g > %.3g", worst, MAX_ABS);

  /* The tail in ULPs: [-14.5, -3), every 1/1024 (GELU underflows to -0
   * below -14.4). */
  enum { NT = 23 * 512 };
  static float tailIn[NT], tailOut[NT];
  for (int i = 0; i < NT; ++i)
    tailIn[i] = -14.5f + (float)i / 1024.0f;
  KERNEL(tailIn, tailOut, NT);
  double worstUlp = 0;
  float worstUlpAt = 0;
  for (int i = 0; i < NT; ++i)
    track_worst(ulp_error(tailOut[i], reference(tailIn[i])), tailIn[i],
                &worstUlp, &worstUlpAt);
  printf("max ULP error on [-14.5, -3): %.3g at %g\n", worstUlp, worstUlpAt);
  EXPECT(worstUlp <= MAX_ULP_TAIL,
         "max ULP error on the tail %.3g > %.3g at %g", worstUlp,
         (double)MAX_ULP_TAIL, worstUlpAt);

  /* Special values. */
  float special[] = {NAN, INFINITY, -INFINITY, 0.0f, -0.0f, 1e-40f, -3e38f};
  float got[7];
  KERNEL(special, got, 7);
  EXPECT(isnan(got[0]), "f(NaN) = %g, expected NaN", got[0]);
  EXPECT(got[1] == INFINITY, "f(+inf) = %g, expected +inf", got[1]);
  EXPECT(got[2] == 0.0f, "f(-inf) = %g, expected -0 or 0", got[2]);
  EXPECT(got[3] == 0.0f, "f(0) = %g", got[3]);
  EXPECT(got[4] == 0.0f, "f(-0) = %g", got[4]);
  EXPECT(got[6] == 0.0f, "f(-3e38) = %g, expected -0 or 0", got[6]);
  EXPECT(fabsl((long double)got[5] - reference(1e-40f)) <= 0x1p-149L,
         "f(1e-40) = %g, expected %Lg to one subnormal ULP", got[5],
         reference(1e-40f));
  printf("specials: f(nan)=%g f(inf)=%g f(-inf)=%g f(-0)=%g\n", got[0], got[1],
         got[2], got[4]);

  /* No write outside out[0..n), for every n and misalignment. */
  enum { MAXN = 70, PAD = 32 };
  static float src[MAXN + 2 * PAD], dst[MAXN + 2 * PAD];
  const float canary = 1234.5f;
  for (int n = 0; n <= MAXN; ++n) {
    for (int offset = 0; offset < 16; ++offset) {
      for (int i = 0; i < MAXN + 2 * PAD; ++i) {
        src[i] = (float)(i % 13) * 0.37f - 2.0f;
        dst[i] = canary;
      }
      KERNEL(src + PAD + offset, dst + PAD + offset, n);
      for (int i = 0; i < MAXN + 2 * PAD; ++i) {
        int inside = i >= PAD + offset && i < PAD + offset + n;
        if (!inside)
          EXPECT(dst[i] == canary, "n=%d offset=%d wrote dst[%d]", n, offset,
                 i - PAD - offset);
        else
          EXPECT(dst[i] != canary, "n=%d offset=%d skipped dst[%d]", n, offset,
                 i - PAD - offset);
      }
    }
  }
  printf("%s\n", failures ? "FAILED" : "PASSED");
  return failures != 0;
}
