/*===- gelu-c/gelu.h - The C API of gelu-jit ----------------------*- C -*-===*\
|*                                                                            *|
|* Part of gelu-jit.                                                          *|
|*                                                                            *|
|*===----------------------------------------------------------------------===*|
|*                                                                            *|
|* Compile a kernel from a JSON spec (docs/spec.md), ask what it is, run it   *|
|* checked, or take its raw entry. Plain C: opaque handles, enums, pointers   *|
|* and integers, no C++ types; what any language's FFI binds to (the Python   *|
|* package gelu_jit does, through ctypes). In libgelu-jit.so.                 *|
|*                                                                            *|
|* Errors: a function that can fail returns a gelu_error (NULL: success), or  *|
|* a NULL handle and the error through its last argument. An error is owned   *|
|* by the library until gelu_error_destroy; its message names the place       *|
|* (a spec field, an argument) and the reason. No function aborts on bad      *|
|* input: NULL handles and pointers are errors too.                           *|
|*                                                                            *|
|*   gelu_error *error = NULL;                                                *|
|*   gelu_kernel *k = gelu_compile("{\"op\": \"gelu\"}", &error);             *|
|*   if (!k) { fprintf(stderr, "%s\n", gelu_error_message(error));            *|
|*             gelu_error_destroy(error); return 1; }                         *|
|*   error = gelu_kernel_run(k, GELU_ELEMENT_F32, in, out, n,                 *|
|*                           GELU_THREADS_FROM_SPEC);                         *|
|*   ...                                                                      *|
|*   gelu_kernel_destroy(k);                                                  *|
|*                                                                            *|
|* Handles may be used from any number of threads at once; a kernel handle    *|
|* must outlive the calls that use it and its raw entry.                      *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef GELU_C_GELU_H
#define GELU_C_GELU_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The version of this API: raised when a declaration here changes. */
#define GELU_C_API_VERSION 1

/* A compiled kernel. */
typedef struct gelu_kernel gelu_kernel;
/* What went wrong, owned by the library. */
typedef struct gelu_error gelu_error;

/* How a kernel is called (the argument list of its raw entry). */
typedef enum gelu_abi {
  GELU_ABI_INVALID = -1,
  /* void (const T *in, T *out, int64_t n): gelu, silu, relu. */
  GELU_ABI_UNARY = 0,
  /* void (const T *x, const T *y, T *out, int64_t n): gelu_backward
     (x, dy -> dx), geglu and swiglu (a, b -> out). */
  GELU_ABI_BINARY = 1,
  /* void (const T *x, const T *bias, T *y, int64_t rows, int64_t cols):
     bias_gelu. */
  GELU_ABI_BIAS = 2,
  /* void (const T *x, const T *bias, const T *dy, T *dx, S *dbias,
     int64_t rows, int64_t cols): bias_gelu_backward (S is double for f64
     kernels, float for the others). */
  GELU_ABI_BIAS_BACKWARD = 3
} gelu_abi;

/* The element type of a kernel (its spec's dtype) or of the buffers of a
   call. U16: the raw 16-bit encodings, accepted by f16 and bf16 kernels. */
typedef enum gelu_element {
  GELU_ELEMENT_INVALID = -1,
  GELU_ELEMENT_F32 = 0,
  GELU_ELEMENT_F16 = 1,
  GELU_ELEMENT_BF16 = 2,
  GELU_ELEMENT_U16 = 3,
  GELU_ELEMENT_F64 = 4
} gelu_element;

/* `threads` of a run: the spec's "threads" field. */
#define GELU_THREADS_FROM_SPEC (-1)
/* `threads` of a run: one per hardware thread. */
#define GELU_THREADS_ALL 0

/* The library's version ("0.1.0") and GELU_C_API_VERSION as built. */
const char *gelu_version(void);
int gelu_c_api_version(void);

/* The message of `error` (valid until it is destroyed); "" for NULL. */
const char *gelu_error_message(const gelu_error *error);
/* Frees `error`; NULL is allowed. */
void gelu_error_destroy(gelu_error *error);

/* Compiles the JSON spec `spec_json` (NUL-terminated UTF-8) for this
   process's CPU; a spec with a budget is tuned first. Returns NULL on
   failure and, if `error` is not NULL, stores the error there (else it is
   dropped). */
gelu_kernel *gelu_compile(const char *spec_json, gelu_error **error);
/* The same through the process-wide kernel cache (shared with the C++
   API's gelu::KernelCache::global()): a spec compiled before in this
   process is not compiled again. The handle keeps its kernel alive. */
gelu_kernel *gelu_compile_cached(const char *spec_json, gelu_error **error);
/* Frees the handle (the kernel too, unless the cache or another handle
   holds it); NULL is allowed. */
void gelu_kernel_destroy(gelu_kernel *kernel);

/* What the kernel is. For a NULL kernel: NULL, GELU_ABI_INVALID,
   GELU_ELEMENT_INVALID, 0, NULL. Strings live as long as the handle. */
const char *gelu_kernel_op(const gelu_kernel *kernel); /* "gelu", "silu", ... */
gelu_abi gelu_kernel_abi(const gelu_kernel *kernel);
gelu_element gelu_kernel_dtype(const gelu_kernel *kernel);
/* The spec's "threads" (what GELU_THREADS_FROM_SPEC means). */
unsigned gelu_kernel_threads(const gelu_kernel *kernel);
/* The spec compiled, as canonical JSON (docs/spec.md): for a tuned spec
   with the tuner's choice (expansion, degree, code shape) fixed and no
   budget. */
const char *gelu_kernel_spec_json(const gelu_kernel *kernel);
/* The tuning report as JSON (docs/tuning.md, "Reading a report"); for a
   spec that was not tuned it is made on the first call, by measuring the
   kernel (~0.1 s). */
const char *gelu_kernel_report_json(const gelu_kernel *kernel);
/* Seconds the compile took (tuning included). */
double gelu_kernel_compile_seconds(const gelu_kernel *kernel);
/* The raw entry, of the type gelu_kernel_abi says, on elements of
   gelu_kernel_dtype: no checks, one thread. */
void *gelu_kernel_entry(const gelu_kernel *kernel);

/* Checked runs: an error, with nothing written, when the kernel or a
   pointer is NULL, a pointer is misaligned for the element type, n, rows
   or cols is below 1, `element` does not match the kernel's dtype, the
   kernel has another ABI, buffers overlap other than an output being
   exactly an input, or `threads` is below GELU_THREADS_FROM_SPEC.
   `threads` > 1 splits the work (GELU_THREADS_FROM_SPEC: the spec's;
   GELU_THREADS_ALL: one per hardware thread). */
gelu_error *gelu_kernel_run(const gelu_kernel *kernel, gelu_element element,
                            const void *in, void *out, int64_t n, int threads);
gelu_error *gelu_kernel_run_binary(const gelu_kernel *kernel,
                                   gelu_element element, const void *x,
                                   const void *y, void *out, int64_t n,
                                   int threads);
gelu_error *gelu_kernel_run_bias(const gelu_kernel *kernel,
                                 gelu_element element, const void *x,
                                 const void *bias, void *y, int64_t rows,
                                 int64_t cols, int threads);
/* dbias (`cols` floats; doubles for an f64 kernel) is overwritten with the
   column sums of dx. */
gelu_error *gelu_kernel_run_bias_backward(const gelu_kernel *kernel,
                                          gelu_element element, const void *x,
                                          const void *bias, const void *dy,
                                          void *dx, void *dbias, int64_t rows,
                                          int64_t cols, int threads);

#ifdef __cplusplus
}
#endif

#endif /* GELU_C_GELU_H */
