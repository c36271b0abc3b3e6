//===- CAPI.cpp - The C API over the C++ JIT API --------------------------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// Each C handle holds a shared kernel (the kernel cache may hold it too)
// and the strings it hands out; each C call checks its handles and
// arguments, then calls the C++ API, whose checked runs do the rest.
//
//===----------------------------------------------------------------------===//

#include "gelu-c/gelu.h"

#include "gelu/JIT/Jit.h"
#include "gelu/JIT/KernelCache.h"
#include "gelu/JIT/TuningReport.h"
#include "gelu/Version.h"

#include <memory>
#include <mutex>
#include <string>

struct gelu_error {
  std::string message;
};

struct gelu_kernel {
  std::shared_ptr<const gelu::Kernel> kernel;
  std::string op, specJson;
  /// Made on the first request (measuring an untuned kernel takes ~0.1 s).
  mutable std::once_flag reportOnce;
  mutable std::string reportJson;
};

namespace {

gelu_error *makeError(std::string message) {
  return new gelu_error{std::move(message)};
}

gelu_error *makeError(llvm::Error error) {
  return makeError(llvm::toString(std::move(error)));
}

/// Stores `error` in *out (if the caller asked for it) and returns null.
gelu_kernel *failCompile(gelu_error **out, gelu_error *error) {
  if (out)
    *out = error;
  else
    delete error;
  return nullptr;
}

gelu_kernel *wrap(std::shared_ptr<const gelu::Kernel> kernel) {
  auto *handle = new gelu_kernel;
  handle->op = gelu::act::stringifyOpKind(kernel->spec().op).str();
  handle->specJson = kernel->spec().toJson();
  handle->kernel = std::move(kernel);
  return handle;
}

/// Compiles through `get`, which returns a shared kernel or an error.
template <typename Get>
gelu_kernel *compileWith(const char *specJson, gelu_error **error, Get get) {
  if (error)
    *error = nullptr;
  if (!specJson)
    return failCompile(error, makeError("gelu_compile: the spec is NULL"));
  auto kernel = get(llvm::StringRef(specJson));
  if (!kernel)
    return failCompile(error, makeError(kernel.takeError()));
  return wrap(std::move(*kernel));
}

/// The run options of `threads`, or an error naming `function`.
llvm::Expected<gelu::RunOptions> runOptions(const char *function, int threads) {
  gelu::RunOptions options;
  if (threads < GELU_THREADS_FROM_SPEC)
    return llvm::createStringError(
        std::string(function) + ": threads is " + std::to_string(threads) +
        "; it must be GELU_THREADS_FROM_SPEC (-1), GELU_THREADS_ALL (0) or "
        "a count of threads");
  if (threads != GELU_THREADS_FROM_SPEC)
    options.threads = static_cast<unsigned>(threads);
  return options;
}

/// Calls `run` with the buffers' element type as a C++ type: float, Half,
/// BFloat16 or uint16_t. The kernel's own checks refuse a type that is not
/// its dtype's.
template <typename Run>
gelu_error *dispatch(const char *function, const gelu_kernel *kernel,
                     gelu_element element, int threads, Run run) {
  if (!kernel)
    return makeError(std::string(function) + ": the kernel is NULL");
  auto options = runOptions(function, threads);
  if (!options)
    return makeError(options.takeError());
  const gelu::Kernel &k = *kernel->kernel;
  llvm::Error result = llvm::Error::success();
  switch (element) {
  case GELU_ELEMENT_F32:
    result = run(k, static_cast<float *>(nullptr), *options);
    break;
  case GELU_ELEMENT_F16:
    result = run(k, static_cast<gelu::Half *>(nullptr), *options);
    break;
  case GELU_ELEMENT_BF16:
    result = run(k, static_cast<gelu::BFloat16 *>(nullptr), *options);
    break;
  case GELU_ELEMENT_U16:
    result = run(k, static_cast<uint16_t *>(nullptr), *options);
    break;
  case GELU_ELEMENT_F64:
    result = run(k, static_cast<double *>(nullptr), *options);
    break;
  default:
    return makeError(std::string(function) + ": element " +
                     std::to_string(static_cast<int>(element)) +
                     " is not a gelu_element (F32, F64, F16, BF16 or U16)");
  }
  if (result)
    return makeError(std::move(result));
  return nullptr;
}

} // namespace

extern "C" {

const char *gelu_version(void) { return GELU_JIT_VERSION; }

int gelu_c_api_version(void) { return GELU_C_API_VERSION; }

const char *gelu_error_message(const gelu_error *error) {
  return error ? error->message.c_str() : "";
}

void gelu_error_destroy(gelu_error *error) { delete error; }

gelu_kernel *gelu_compile(const char *specJson, gelu_error **error) {
  return compileWith(specJson, error, [](llvm::StringRef json) {
    return llvm::Expected<std::shared_ptr<const gelu::Kernel>>(
        gelu::compileKernelFromJson(json));
  });
}

gelu_kernel *gelu_compile_cached(const char *specJson, gelu_error **error) {
  return compileWith(specJson, error, [](llvm::StringRef json) {
    return gelu::KernelCache::global().get(json);
  });
}

void gelu_kernel_destroy(gelu_kernel *kernel) { delete kernel; }

const char *gelu_kernel_op(const gelu_kernel *kernel) {
  return kernel ? kernel->op.c_str() : nullptr;
}

gelu_abi gelu_kernel_abi(const gelu_kernel *kernel) {
  if (!kernel)
    return GELU_ABI_INVALID;
  switch (gelu::kernelAbiOf(kernel->kernel->spec().op)) {
  case gelu::KernelAbi::Unary:
    return GELU_ABI_UNARY;
  case gelu::KernelAbi::Binary:
    return GELU_ABI_BINARY;
  case gelu::KernelAbi::Bias:
    return GELU_ABI_BIAS;
  case gelu::KernelAbi::BiasBackward:
    return GELU_ABI_BIAS_BACKWARD;
  }
  return GELU_ABI_INVALID;
}

gelu_element gelu_kernel_dtype(const gelu_kernel *kernel) {
  if (!kernel)
    return GELU_ELEMENT_INVALID;
  switch (kernel->kernel->spec().dtype) {
  case gelu::DType::F32:
    return GELU_ELEMENT_F32;
  case gelu::DType::F16:
    return GELU_ELEMENT_F16;
  case gelu::DType::BF16:
    return GELU_ELEMENT_BF16;
  case gelu::DType::F64:
    return GELU_ELEMENT_F64;
  }
  return GELU_ELEMENT_INVALID;
}

unsigned gelu_kernel_threads(const gelu_kernel *kernel) {
  return kernel ? kernel->kernel->spec().threads : 0;
}

const char *gelu_kernel_spec_json(const gelu_kernel *kernel) {
  return kernel ? kernel->specJson.c_str() : nullptr;
}

const char *gelu_kernel_report_json(const gelu_kernel *kernel) {
  if (!kernel)
    return nullptr;
  std::call_once(kernel->reportOnce, [&] {
    kernel->reportJson = kernel->kernel->report().toJson();
  });
  return kernel->reportJson.c_str();
}

double gelu_kernel_compile_seconds(const gelu_kernel *kernel) {
  return kernel ? kernel->kernel->compileSeconds() : 0;
}

void *gelu_kernel_entry(const gelu_kernel *kernel) {
  return kernel ? kernel->kernel->address() : nullptr;
}

gelu_error *gelu_kernel_run(const gelu_kernel *kernel, gelu_element element,
                            const void *in, void *out, int64_t n, int threads) {
  return dispatch(
      "gelu_kernel_run", kernel, element, threads,
      [&](const gelu::Kernel &k, auto *type, gelu::RunOptions options) {
        using T = std::remove_pointer_t<decltype(type)>;
        return k.run(static_cast<const T *>(in), static_cast<T *>(out), n,
                     options);
      });
}

gelu_error *gelu_kernel_run_binary(const gelu_kernel *kernel,
                                   gelu_element element, const void *x,
                                   const void *y, void *out, int64_t n,
                                   int threads) {
  return dispatch(
      "gelu_kernel_run_binary", kernel, element, threads,
      [&](const gelu::Kernel &k, auto *type, gelu::RunOptions options) {
        using T = std::remove_pointer_t<decltype(type)>;
        return k.runBinary<T>(static_cast<const T *>(x),
                              static_cast<const T *>(y), static_cast<T *>(out),
                              n, options);
      });
}

gelu_error *gelu_kernel_run_bias(const gelu_kernel *kernel,
                                 gelu_element element, const void *x,
                                 const void *bias, void *y, int64_t rows,
                                 int64_t cols, int threads) {
  return dispatch(
      "gelu_kernel_run_bias", kernel, element, threads,
      [&](const gelu::Kernel &k, auto *type, gelu::RunOptions options) {
        using T = std::remove_pointer_t<decltype(type)>;
        return k.runBias<T>(static_cast<const T *>(x),
                            static_cast<const T *>(bias), static_cast<T *>(y),
                            rows, cols, options);
      });
}

gelu_error *gelu_kernel_run_bias_backward(const gelu_kernel *kernel,
                                          gelu_element element, const void *x,
                                          const void *bias, const void *dy,
                                          void *dx, void *dbias, int64_t rows,
                                          int64_t cols, int threads) {
  return dispatch(
      "gelu_kernel_run_bias_backward", kernel, element, threads,
      [&](const gelu::Kernel &k, auto *type, gelu::RunOptions options) {
        using T = std::remove_pointer_t<decltype(type)>;
        return k.runBiasBackward<T>(
            static_cast<const T *>(x), static_cast<const T *>(bias),
            static_cast<const T *>(dy), static_cast<T *>(dx),
            static_cast<gelu::BiasGradient<T> *>(dbias), rows, cols, options);
      });
}

} // extern "C"
