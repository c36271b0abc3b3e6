/*===- gelu_c.c - The C API: a kernel from a spec, run checked --*- C -*-===*\
|*                                                                            *|
|* Part of gelu-jit.                                                          *|
|*                                                                            *|
|*===----------------------------------------------------------------------===*|
|*                                                                            *|
|* Usage: gelu_c ['{"op": "gelu", ...}']                                      *|
|* Compiles the spec (default: exact GELU), prints what was compiled and a    *|
|* few values, and shows a refused call. Built against an installed          *|
|* gelu-jit:  cc gelu_c.c -I$P/include -L$P/lib -lgelu-jit -Wl,-rpath,$P/lib  *|
|* (ctest: downstream-c).                                                     *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#include "gelu-c/gelu.h"

#include <stdio.h>

int main(int argc, char **argv) {
  const char *spec = argc > 1 ? argv[1] : "{\"op\": \"gelu\"}";
  gelu_error *error = NULL;
  gelu_kernel *kernel = gelu_compile(spec, &error);
  if (!kernel) {
    fprintf(stderr, "gelu_c: %s\n", gelu_error_message(error));
    gelu_error_destroy(error);
    return 1;
  }
  printf("gelu-jit %s compiled %s in %.1f ms\n", gelu_version(),
         gelu_kernel_spec_json(kernel),
         1e3 * gelu_kernel_compile_seconds(kernel));
  if (gelu_kernel_abi(kernel) != GELU_ABI_UNARY ||
      gelu_kernel_dtype(kernel) != GELU_ELEMENT_F32) {
    fprintf(stderr, "gelu_c: this example runs f32 gelu, silu or relu\n");
    gelu_kernel_destroy(kernel);
    return 1;
  }
  float x[7] = {-6, -3, -1, 0, 1, 3, 6}, y[7];
  error = gelu_kernel_run(kernel, GELU_ELEMENT_F32, x, y, 7,
                          GELU_THREADS_FROM_SPEC);
  if (error) {
    fprintf(stderr, "gelu_c: %s\n", gelu_error_message(error));
    gelu_error_destroy(error);
    gelu_kernel_destroy(kernel);
    return 1;
  }
  for (int i = 0; i < 7; ++i)
    printf("%s(%g) = %.9g\n", gelu_kernel_op(kernel), x[i], y[i]);
  /* A call the library refuses: out overlaps in without being it. */
  error = gelu_kernel_run(kernel, GELU_ELEMENT_F32, x, x + 1, 6,
                          GELU_THREADS_FROM_SPEC);
  printf("refused: %s\n", gelu_error_message(error));
  gelu_error_destroy(error);
  gelu_kernel_destroy(kernel);
  return 0;
}
