/*===- capi_test.c - The C API, from C ------------------------------------===*\
|*                                                                            *|
|* Part of gelu-jit.                                                          *|
|*                                                                            *|
|*===----------------------------------------------------------------------===*|
|*                                                                            *|
|* Compiled as C11 and linked to libgelu-jit.so alone, as a C user would:     *|
|* every function of gelu-c/gelu.h, its results against libm's erfc, and     *|
|* each refusal (with nothing written). Prints "N passed, M failed".          *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#include "gelu-c/gelu.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int passed, failed;

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (cond) {                                                                \
      ++passed;                                                                \
    } else {                                                                   \
      ++failed;                                                                \
      fprintf(stderr, "%s:%d: FAILED: %s\n", __FILE__, __LINE__, #cond);       \
    }                                                                          \
  } while (0)

/* Whether `error` is an error whose message contains `part`; destroys it. */
static int failsWith(gelu_error *error, const char *part) {
  int ok = error != NULL && strstr(gelu_error_message(error), part) != NULL;
  if (!ok)
    fprintf(stderr, "  expected an error containing '%s', got %s'%s'\n", part,
            error ? "" : "none ", gelu_error_message(error));
  gelu_error_destroy(error);
  return ok;
}

static double geluReference(double x) { return 0.5 * x * erfc(-x / sqrt(2.0)); }

static double geluDerivativeReference(double x) {
  return 0.5 * erfc(-x / sqrt(2.0)) +
         x * exp(-0.5 * x * x) / sqrt(2.0 * 3.14159265358979323846);
}

/* |got - want| within `ulps` units of float's precision at |want| (and
   4e-45 absolute, for results that are subnormal). */
static int within(float got, double want, double ulps) {
  double unit = fabs(want) * ldexp(1.0, -23);
  return fabs((double)got - want) <= ulps * unit + 4e-45;
}

static gelu_kernel *compileOrReport(const char *spec) {
  gelu_error *error = NULL;
  gelu_kernel *kernel = gelu_compile(spec, &error);
  if (!kernel)
    fprintf(stderr, "compile of %s failed: %s\n", spec,
            gelu_error_message(error));
  gelu_error_destroy(error);
  return kernel;
}

static void testVersionAndErrors(void) {
  CHECK(gelu_c_api_version() == GELU_C_API_VERSION);
  CHECK(strlen(gelu_version()) > 0);
  CHECK(strcmp(gelu_error_message(NULL), "") == 0);
  gelu_error_destroy(NULL);
  gelu_kernel_destroy(NULL);
}

static void testCompileErrors(void) {
  gelu_error *error = (gelu_error *)1;
  CHECK(gelu_compile(NULL, &error) == NULL && failsWith(error, "NULL"));
  error = NULL;
  CHECK(gelu_compile("{\"op\": ", &error) == NULL);
  CHECK(failsWith(error, "malformed JSON"));
  error = NULL;
  CHECK(gelu_compile("{\"op\": \"gelu\", \"colour\": 1}", &error) == NULL);
  CHECK(failsWith(error, "unknown field 'colour'"));
  error = NULL;
  CHECK(gelu_compile("{\"op\": \"gelu\", \"budget\": {\"max_abs\": 1e-30}}",
                     &error) == NULL);
  CHECK(failsWith(error, "meets the budget"));
  /* Without a place for the error it is dropped, not leaked or crashed. */
  CHECK(gelu_compile("[", NULL) == NULL);
}

static void testNullKernel(void) {
  float in[4] = {0}, out[4] = {0};
  CHECK(gelu_kernel_op(NULL) == NULL);
  CHECK(gelu_kernel_abi(NULL) == GELU_ABI_INVALID);
  CHECK(gelu_kernel_dtype(NULL) == GELU_ELEMENT_INVALID);
  CHECK(gelu_kernel_spec_json(NULL) == NULL);
  CHECK(gelu_kernel_report_json(NULL) == NULL);
  CHECK(gelu_kernel_entry(NULL) == NULL);
  CHECK(failsWith(gelu_kernel_run(NULL, GELU_ELEMENT_F32, in, out, 4, -1),
                  "kernel is NULL"));
}

static void testUnary(void) {
  gelu_kernel *kernel = compileOrReport("{\"op\": \"gelu\"}");
  CHECK(kernel != NULL);
  if (!kernel)
    return;
  CHECK(strcmp(gelu_kernel_op(kernel), "gelu") == 0);
  CHECK(gelu_kernel_abi(kernel) == GELU_ABI_UNARY);
  CHECK(gelu_kernel_dtype(kernel) == GELU_ELEMENT_F32);
  CHECK(gelu_kernel_threads(kernel) == 1);
  CHECK(strstr(gelu_kernel_spec_json(kernel), "\"op\":\"gelu\"") != NULL);
  CHECK(gelu_kernel_compile_seconds(kernel) > 0);

  enum { n = 1000 };
  static float in[n + 1], out[n + 1];
  for (int i = 0; i < n; ++i)
    in[i] = -12.0f + 24.0f * (float)i / n;
  CHECK(gelu_kernel_run(kernel, GELU_ELEMENT_F32, in, out, n,
                        GELU_THREADS_FROM_SPEC) == NULL);
  int right = 1;
  for (int i = 0; i < n; ++i)
    if (!within(out[i], geluReference(in[i]), 4)) {
      fprintf(stderr, "  gelu(%.9g) = %.9g, want %.9g\n", in[i], out[i],
              geluReference(in[i]));
      right = 0;
    }
  CHECK(right);

  /* The raw entry computes the same. */
  typedef void (*Unary)(const float *, float *, int64_t);
  static float raw[n];
  Unary entry = (Unary)gelu_kernel_entry(kernel);
  CHECK(entry != NULL);
  if (entry) {
    entry(in, raw, n);
    CHECK(memcmp(raw, out, sizeof raw) == 0);
  }

  /* In place is allowed. */
  static float again[n];
  memcpy(again, in, sizeof again);
  CHECK(gelu_kernel_run(kernel, GELU_ELEMENT_F32, again, again, n, 2) == NULL);
  CHECK(memcmp(again, out, sizeof again) == 0);

  /* Refusals leave `out` as it was. */
  float guard[8];
  for (int i = 0; i < 8; ++i)
    guard[i] = 42.0f;
  CHECK(failsWith(gelu_kernel_run(kernel, GELU_ELEMENT_F32, in, guard, 0, -1),
                  "n must be at least 1"));
  CHECK(failsWith(gelu_kernel_run(kernel, GELU_ELEMENT_F32, NULL, guard, 8, -1),
                  "in is a null pointer"));
  CHECK(failsWith(gelu_kernel_run(kernel, GELU_ELEMENT_BF16, in, guard, 8, -1),
                  "bf16"));
  CHECK(failsWith(gelu_kernel_run(kernel, (gelu_element)7, in, guard, 8, -1),
                  "not a gelu_element"));
  CHECK(failsWith(gelu_kernel_run(kernel, GELU_ELEMENT_F32, in, guard, 8, -2),
                  "threads"));
  CHECK(failsWith(gelu_kernel_run(kernel, GELU_ELEMENT_F32,
                                  (const char *)in + 1, guard, 4, -1),
                  "not aligned"));
  CHECK(failsWith(gelu_kernel_run(kernel, GELU_ELEMENT_F32, in, in + 1, 8, -1),
                  "overlap"));
  CHECK(failsWith(
      gelu_kernel_run_binary(kernel, GELU_ELEMENT_F32, in, in, guard, 8, -1),
      "it is a 'gelu' kernel"));
  int untouched = 1;
  for (int i = 0; i < 8; ++i)
    untouched &= guard[i] == 42.0f;
  CHECK(untouched);

  const char *report = gelu_kernel_report_json(kernel);
  CHECK(report != NULL && strstr(report, "\"chosen\"") != NULL);
  CHECK(gelu_kernel_report_json(kernel) == report);
  gelu_kernel_destroy(kernel);
}

static void testCache(void) {
  gelu_error *error = NULL;
  const char *spec = "{\"op\": \"silu\"}";
  gelu_kernel *a = gelu_compile_cached(spec, &error);
  gelu_kernel *b = gelu_compile_cached(spec, &error);
  CHECK(a && b && error == NULL);
  if (a && b)
    CHECK(gelu_kernel_entry(a) == gelu_kernel_entry(b));
  /* The kernel outlives one of its handles. */
  gelu_kernel_destroy(a);
  float in[4] = {-1, 0, 1, 2}, out[4];
  CHECK(gelu_kernel_run(b, GELU_ELEMENT_F32, in, out, 4, -1) == NULL);
  CHECK(within(out[2], 1.0 / (1.0 + exp(-1.0)), 4));
  gelu_kernel_destroy(b);
  CHECK(gelu_compile_cached("{\"op\": \"silu\", \"x\": 1}", &error) == NULL);
  CHECK(failsWith(error, "x"));
}

static void testBinaryAndBias(void) {
  gelu_kernel *backward = compileOrReport("{\"op\": \"gelu_backward\"}");
  gelu_kernel *bias = compileOrReport("{\"op\": \"bias_gelu\"}");
  gelu_kernel *biasBackward =
      compileOrReport("{\"op\": \"bias_gelu_backward\"}");
  CHECK(backward && bias && biasBackward);
  if (!backward || !bias || !biasBackward)
    return;
  CHECK(gelu_kernel_abi(backward) == GELU_ABI_BINARY);
  CHECK(gelu_kernel_abi(bias) == GELU_ABI_BIAS);
  CHECK(gelu_kernel_abi(biasBackward) == GELU_ABI_BIAS_BACKWARD);

  enum { rows = 3, cols = 5 };
  float x[rows * cols], dy[rows * cols], dx[rows * cols], y[rows * cols];
  float b[cols], dbias[cols];
  for (int i = 0; i < rows * cols; ++i) {
    x[i] = -3.0f + 0.4f * (float)i;
    dy[i] = 1.0f - 0.1f * (float)i;
  }
  for (int c = 0; c < cols; ++c)
    b[c] = 0.25f * (float)c;

  CHECK(gelu_kernel_run_binary(backward, GELU_ELEMENT_F32, x, dy, dx,
                               rows * cols, -1) == NULL);
  int right = 1;
  for (int i = 0; i < rows * cols; ++i)
    right &= within(dx[i], dy[i] * geluDerivativeReference(x[i]), 16);
  CHECK(right);

  CHECK(gelu_kernel_run_bias(bias, GELU_ELEMENT_F32, x, b, y, rows, cols, -1) ==
        NULL);
  right = 1;
  for (int i = 0; i < rows * cols; ++i)
    right &= within(y[i], geluReference((double)(x[i] + b[i % cols])), 4);
  CHECK(right);
  CHECK(failsWith(
      gelu_kernel_run_bias(bias, GELU_ELEMENT_F32, x, b, y, rows, 0, -1),
      "cols must be at least 1"));

  CHECK(gelu_kernel_run_bias_backward(biasBackward, GELU_ELEMENT_F32, x, b, dy,
                                      dx, dbias, rows, cols, -1) == NULL);
  right = 1;
  for (int c = 0; c < cols; ++c) {
    double sum = 0;
    for (int r = 0; r < rows; ++r) {
      int i = r * cols + c;
      double want = dy[i] * geluDerivativeReference((double)(x[i] + b[c]));
      right &= within(dx[i], want, 16);
      sum += dx[i];
    }
    right &= fabs(dbias[c] - sum) <= 1e-6 * (1 + fabs(sum));
  }
  CHECK(right);
  CHECK(
      failsWith(gelu_kernel_run_bias_backward(biasBackward, GELU_ELEMENT_F32, x,
                                              b, dy, dx, NULL, rows, cols, -1),
                "null pointer"));
  gelu_kernel_destroy(backward);
  gelu_kernel_destroy(bias);
  gelu_kernel_destroy(biasBackward);
}

/* bf16 through raw encodings: every one of the 65536 inputs. */
static void testBf16(void) {
  gelu_kernel *kernel =
      compileOrReport("{\"op\": \"gelu\", \"dtype\": \"bf16\"}");
  CHECK(kernel != NULL);
  if (!kernel)
    return;
  CHECK(gelu_kernel_dtype(kernel) == GELU_ELEMENT_BF16);
  static uint16_t in[65536], out[65536];
  for (int i = 0; i < 65536; ++i)
    in[i] = (uint16_t)i;
  CHECK(gelu_kernel_run(kernel, GELU_ELEMENT_U16, in, out, 65536, -1) == NULL);
  CHECK(gelu_kernel_run(kernel, GELU_ELEMENT_BF16, in, out, 65536, -1) == NULL);
  int right = 1;
  for (int i = 0; i < 65536; ++i) {
    uint32_t xb = (uint32_t)in[i] << 16, yb = (uint32_t)out[i] << 16;
    float x, y;
    memcpy(&x, &xb, 4);
    memcpy(&y, &yb, 4);
    if (isnan(x)) {
      right &= isnan(y);
      continue;
    }
    double want = isinf(x) ? (x > 0 ? x : -0.0) : geluReference(x);
    /* Within one bf16 unit (2^-7 relative) of the truth, sign kept. */
    int ok =
        (isinf(want) ? y == want
                     : fabs(y - want) <= fabs(want) * ldexp(1.0, -7) + 1e-38) &&
        (!(x < 0) || signbit(y));
    if (!ok && right)
      fprintf(stderr, "  bf16 gelu(%.9g) = %.9g, want %.9g\n", x, y, want);
    right &= ok;
  }
  CHECK(right);
  CHECK(failsWith(gelu_kernel_run(kernel, GELU_ELEMENT_F32, in, out, 2, -1),
                  "f32"));
  gelu_kernel_destroy(kernel);
}

/* f64: double buffers, and a double bias gradient. (libm's erfc in
   double is itself about an ULP off, so this checks the f64 path end to
   end; F64KernelsTest measures its accuracy.) */
static void testF64(void) {
  gelu_kernel *kernel =
      compileOrReport("{\"op\": \"gelu\", \"dtype\": \"f64\"}");
  CHECK(kernel != NULL);
  if (!kernel)
    return;
  CHECK(gelu_kernel_dtype(kernel) == GELU_ELEMENT_F64);
  enum { N = 801 };
  double in[N], out[N];
  for (int i = 0; i < N; ++i)
    in[i] = -8.0 + 0.02 * i;
  CHECK(gelu_kernel_run(kernel, GELU_ELEMENT_F64, in, out, N, -1) == NULL);
  int right = 1;
  for (int i = 0; i < N; ++i) {
    double want = geluReference(in[i]);
    right &= fabs(out[i] - want) <= fabs(want) * ldexp(1.0, -46) + 1e-300;
  }
  CHECK(right);
  CHECK(failsWith(gelu_kernel_run(kernel, GELU_ELEMENT_F32, in, out, 2, -1),
                  "f64"));
  gelu_kernel_destroy(kernel);

  gelu_kernel *backward =
      compileOrReport("{\"op\": \"bias_gelu_backward\", \"dtype\": \"f64\"}");
  CHECK(backward != NULL);
  if (!backward)
    return;
  double x[2 * 3] = {-2, -1, 0, 1, 2, 3}, bias[3] = {0.5, 0, -0.5};
  double dy[2 * 3] = {1, 1, 1, 1, 1, 1}, dx[2 * 3], dbias[3];
  CHECK(gelu_kernel_run_bias_backward(backward, GELU_ELEMENT_F64, x, bias, dy,
                                      dx, dbias, 2, 3, -1) == NULL);
  for (int c = 0; c < 3; ++c) {
    double want = geluDerivativeReference(x[c] + bias[c]) +
                  geluDerivativeReference(x[3 + c] + bias[c]);
    CHECK(fabs(dbias[c] - (dx[c] + dx[3 + c])) <= 1e-15 * fabs(want));
    CHECK(fabs(dbias[c] - want) <= 1e-13 * fabs(want) + 1e-300);
  }
  gelu_kernel_destroy(backward);
}

int main(void) {
  testVersionAndErrors();
  testCompileErrors();
  testNullKernel();
  testUnary();
  testCache();
  testBinaryAndBias();
  testBf16();
  testF64();
  printf("%d passed, %d failed\n", passed, failed);
  return failed != 0;
}
