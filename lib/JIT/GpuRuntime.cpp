//===- GpuRuntime.cpp - Run kernels on an NVIDIA GPU ---------------------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// The CUDA driver API is declared here, the few entry points used, with
// the types and constants of cuda.h that they need: the build does not
// need CUDA, and libcuda.so.1 is opened when a GPU kernel is first asked
// for.
//
//===----------------------------------------------------------------------===//

#include "gelu/JIT/GpuRuntime.h"

#include "BufferChecks.h"

#include "gelu/Codegen/GpuCodegen.h"
#include "gelu/Codegen/Target.h"
#include "gelu/JIT/Tuner.h"

#include "llvm/Support/FormatVariadic.h"

#include <dlfcn.h>

#include <mutex>
#include <optional>

namespace gelu {

namespace {

using CUresult = int;
using CUdevice = int;
using CUdeviceptr = unsigned long long;
using CUcontext = void *;
using CUmodule = void *;
using CUfunction = void *;
using CUstream = void *;
using CUevent = void *;

constexpr CUresult kSuccess = 0;
constexpr int kComputeCapabilityMajor = 75; // CU_DEVICE_ATTRIBUTE_...
constexpr int kComputeCapabilityMinor = 76;
constexpr int kJitErrorLogBuffer = 5; // CU_JIT_ERROR_LOG_BUFFER
constexpr int kJitErrorLogBufferSize = 6;

/// The driver's entry points, loaded once per process.
struct CudaDriver {
  CUresult (*init)(unsigned);
  CUresult (*deviceGetCount)(int *);
  CUresult (*deviceGet)(CUdevice *, int);
  CUresult (*deviceGetAttribute)(int *, int, CUdevice);
  CUresult (*primaryCtxRetain)(CUcontext *, CUdevice);
  CUresult (*ctxSetCurrent)(CUcontext);
  CUresult (*ctxSynchronize)();
  CUresult (*moduleLoadDataEx)(CUmodule *, const void *, unsigned, int *,
                               void **);
  CUresult (*moduleGetFunction)(CUfunction *, CUmodule, const char *);
  CUresult (*moduleUnload)(CUmodule);
  CUresult (*launchKernel)(CUfunction, unsigned, unsigned, unsigned, unsigned,
                           unsigned, unsigned, unsigned, CUstream, void **,
                           void **);
  CUresult (*memAlloc)(CUdeviceptr *, size_t);
  CUresult (*memFree)(CUdeviceptr);
  CUresult (*memcpyHtoD)(CUdeviceptr, const void *, size_t);
  CUresult (*memcpyDtoH)(void *, CUdeviceptr, size_t);
  CUresult (*memcpyDtoD)(CUdeviceptr, CUdeviceptr, size_t);
  CUresult (*eventCreate)(CUevent *, unsigned);
  CUresult (*eventRecord)(CUevent, CUstream);
  CUresult (*eventSynchronize)(CUevent);
  CUresult (*eventElapsedTime)(float *, CUevent, CUevent);
  CUresult (*eventDestroy)(CUevent);
  CUresult (*getErrorString)(CUresult, const char **);

  CUdevice device = 0;
  CUcontext context = nullptr;
  /// Why the driver cannot be used; empty when it can.
  std::string problem;
};

/// "CUDA_ERROR_...: description" for `result`.
std::string describe(const CudaDriver &cuda, CUresult result) {
  const char *text = nullptr;
  if (cuda.getErrorString && cuda.getErrorString(result, &text) == kSuccess &&
      text)
    return llvm::formatv("{0} (CUDA error {1})", text, result).str();
  return llvm::formatv("CUDA error {0}", result).str();
}

CudaDriver &driver() {
  static CudaDriver cuda;
  static std::once_flag once;
  std::call_once(once, [] {
    void *library = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!library) {
      const char *why = dlerror();
      cuda.problem = std::string("cannot load the CUDA driver (") +
                     (why ? why : "libcuda.so.1 not found") +
                     "): this machine has no NVIDIA driver";
      return;
    }
    bool complete = true;
    auto load = [&](auto &entry, const char *name) {
      entry = reinterpret_cast<std::remove_reference_t<decltype(entry)>>(
          dlsym(library, name));
      if (!entry && complete) {
        complete = false;
        cuda.problem = std::string("the CUDA driver lacks ") + name;
      }
    };
    load(cuda.init, "cuInit");
    load(cuda.deviceGetCount, "cuDeviceGetCount");
    load(cuda.deviceGet, "cuDeviceGet");
    load(cuda.deviceGetAttribute, "cuDeviceGetAttribute");
    load(cuda.primaryCtxRetain, "cuDevicePrimaryCtxRetain");
    load(cuda.ctxSetCurrent, "cuCtxSetCurrent");
    load(cuda.ctxSynchronize, "cuCtxSynchronize");
    load(cuda.moduleLoadDataEx, "cuModuleLoadDataEx");
    load(cuda.moduleGetFunction, "cuModuleGetFunction");
    load(cuda.moduleUnload, "cuModuleUnload");
    load(cuda.launchKernel, "cuLaunchKernel");
    load(cuda.memAlloc, "cuMemAlloc_v2");
    load(cuda.memFree, "cuMemFree_v2");
    load(cuda.memcpyHtoD, "cuMemcpyHtoD_v2");
    load(cuda.memcpyDtoH, "cuMemcpyDtoH_v2");
    load(cuda.memcpyDtoD, "cuMemcpyDtoD_v2");
    load(cuda.eventCreate, "cuEventCreate");
    load(cuda.eventRecord, "cuEventRecord");
    load(cuda.eventSynchronize, "cuEventSynchronize");
    load(cuda.eventElapsedTime, "cuEventElapsedTime");
    load(cuda.eventDestroy, "cuEventDestroy_v2");
    load(cuda.getErrorString, "cuGetErrorString");
    if (!complete)
      return;
    if (CUresult r = cuda.init(0); r != kSuccess) {
      cuda.problem = "the CUDA driver does not start: " + describe(cuda, r);
      return;
    }
    int count = 0;
    if (cuda.deviceGetCount(&count) != kSuccess || count == 0) {
      cuda.problem = "the CUDA driver sees no NVIDIA GPU";
      return;
    }
    if (CUresult r = cuda.deviceGet(&cuda.device, 0); r != kSuccess) {
      cuda.problem = "cannot open GPU 0: " + describe(cuda, r);
      return;
    }
    if (CUresult r = cuda.primaryCtxRetain(&cuda.context, cuda.device);
        r != kSuccess)
      cuda.problem = "cannot create a context on GPU 0: " + describe(cuda, r);
  });
  return cuda;
}

/// The driver with its context current on this thread, or why not.
llvm::Expected<CudaDriver &> currentDriver() {
  CudaDriver &cuda = driver();
  if (!cuda.problem.empty())
    return llvm::createStringError(cuda.problem);
  if (CUresult r = cuda.ctxSetCurrent(cuda.context); r != kSuccess)
    return llvm::createStringError("cannot use GPU 0: " + describe(cuda, r));
  return cuda;
}

llvm::Error check(const CudaDriver &cuda, CUresult result,
                  const llvm::Twine &what) {
  if (result == kSuccess)
    return llvm::Error::success();
  return llvm::createStringError(what + ": " + describe(cuda, result));
}

} // namespace

llvm::Error gpuAvailable() {
  auto cuda = currentDriver();
  return cuda ? llvm::Error::success() : cuda.takeError();
}

llvm::Expected<std::string> gpuTargetName() {
  auto cuda = currentDriver();
  if (!cuda)
    return cuda.takeError();
  int major = 0, minor = 0;
  if (llvm::Error err =
          check(*cuda,
                cuda->deviceGetAttribute(&major, kComputeCapabilityMajor,
                                         cuda->device),
                "cannot read the GPU's compute capability"))
    return std::move(err);
  if (llvm::Error err =
          check(*cuda,
                cuda->deviceGetAttribute(&minor, kComputeCapabilityMinor,
                                         cuda->device),
                "cannot read the GPU's compute capability"))
    return std::move(err);
  int capability = major * 10 + minor;
  std::string best;
  for (llvm::StringRef name : nvptxTargetNames()) {
    int sm = 0;
    if (!name.drop_front(std::strlen("nvptx-sm_")).getAsInteger(10, sm) &&
        sm <= capability)
      best = name.str();
  }
  if (best.empty())
    return llvm::createStringError(
        llvm::formatv("GPU 0 (sm_{0}) is older than every nvptx target",
                      capability)
            .str());
  return best;
}

llvm::Expected<std::unique_ptr<GpuBuffer>> GpuBuffer::allocate(uint64_t bytes) {
  auto cuda = currentDriver();
  if (!cuda)
    return cuda.takeError();
  CUdeviceptr device = 0;
  if (llvm::Error err =
          check(*cuda, cuda->memAlloc(&device, bytes),
                "cannot allocate " + llvm::Twine(bytes) + " bytes on the GPU"))
    return std::move(err);
  return std::unique_ptr<GpuBuffer>(new GpuBuffer(device, bytes));
}

GpuBuffer::~GpuBuffer() {
  CudaDriver &cuda = driver();
  if (cuda.problem.empty())
    (void)cuda.memFree(device);
}

llvm::Error GpuBuffer::copyFromHost(const void *host, uint64_t count) {
  auto cuda = currentDriver();
  if (!cuda)
    return cuda.takeError();
  if (count > bytes)
    return llvm::createStringError("copy of " + llvm::Twine(count) +
                                   " bytes into a buffer of " +
                                   llvm::Twine(bytes));
  return check(*cuda, cuda->memcpyHtoD(device, host, count),
               "cannot copy to the GPU");
}

llvm::Error GpuBuffer::copyToHost(void *host, uint64_t count) const {
  auto cuda = currentDriver();
  if (!cuda)
    return cuda.takeError();
  if (count > bytes)
    return llvm::createStringError("copy of " + llvm::Twine(count) +
                                   " bytes out of a buffer of " +
                                   llvm::Twine(bytes));
  return check(*cuda, cuda->memcpyDtoH(host, device, count),
               "cannot copy from the GPU");
}

llvm::Error GpuBuffer::copyFrom(const GpuBuffer &source, uint64_t count) {
  auto cuda = currentDriver();
  if (!cuda)
    return cuda.takeError();
  if (count > bytes || count > source.bytes)
    return llvm::createStringError("device copy larger than its buffers");
  return check(*cuda, cuda->memcpyDtoD(device, source.device, count),
               "cannot copy on the GPU");
}

llvm::Expected<std::unique_ptr<GpuKernel>>
GpuKernel::compile(const KernelSpec &spec) {
  auto target = resolveTarget(spec.target);
  if (!target)
    return target.takeError();
  if (!target->isGpu())
    return llvm::createStringError(
        "a GPU kernel needs an nvptx target (nvptx-sm_80, ...), not '" +
        spec.target + "'");
  // The driver first: without one there is nothing to compile for.
  auto cuda = currentDriver();
  if (!cuda)
    return cuda.takeError();
  // A budget is met as on the CPU: candidates measured on host code of the
  // same expansions, ranked by the cost model (GPU kernels are not timed
  // yet), the decision in the tuning cache.
  KernelSpec chosen = spec;
  std::optional<TuningReport> report;
  if (needsTuning(spec)) {
    auto tuned = tuneSpec(spec);
    if (!tuned)
      return tuned.takeError();
    chosen = tuned->report.chosen;
    report = std::move(tuned->report);
  }
  auto ptx = compileToPtx(chosen, *target);
  if (!ptx)
    return ptx.takeError();
  std::unique_ptr<GpuKernel> kernel(new GpuKernel());
  kernel->kernelSpec = chosen;
  kernel->tuning = std::move(report);
  kernel->ptxText = std::move(*ptx);
  char log[4096] = {0};
  int options[] = {kJitErrorLogBuffer, kJitErrorLogBufferSize};
  void *values[] = {log, reinterpret_cast<void *>(sizeof log)};
  if (CUresult r = cuda->moduleLoadDataEx(
          &kernel->module, kernel->ptxText.c_str(), 2, options, values);
      r != kSuccess)
    return llvm::createStringError("the CUDA driver refuses the PTX of '" +
                                   spec.name + "': " + describe(*cuda, r) +
                                   (log[0] ? std::string(": ") + log : ""));
  if (llvm::Error err =
          check(*cuda,
                cuda->moduleGetFunction(&kernel->function, kernel->module,
                                        spec.name.c_str()),
                "no kernel '" + spec.name + "' in its PTX"))
    return std::move(err);
  if (kernelAbiOf(chosen.op) == KernelAbi::BiasBackward) {
    std::string dbiasName = gpuDbiasKernelName(spec.name);
    if (llvm::Error err =
            check(*cuda,
                  cuda->moduleGetFunction(&kernel->dbiasFunction,
                                          kernel->module, dbiasName.c_str()),
                  "no kernel '" + dbiasName + "' in its PTX"))
      return std::move(err);
  }
  return kernel;
}

GpuKernel::~GpuKernel() {
  CudaDriver &cuda = driver();
  if (module && cuda.problem.empty())
    (void)cuda.moduleUnload(module);
}

llvm::Error GpuKernel::launchAsync(void *kernel, const GpuLaunchShape &shape,
                                   void **parameters) const {
  auto cuda = currentDriver();
  if (!cuda)
    return cuda.takeError();
  return check(*cuda,
               cuda->launchKernel(kernel, shape.gridBlocks, shape.gridBlocksY,
                                  1, shape.blockThreads, shape.blockThreadsY, 1,
                                  0, nullptr, parameters, nullptr),
               "cannot launch '" + kernelSpec.name + "'");
}

/// Waits for the kernels launched, naming `name` if one failed.
static llvm::Error synchronize(const std::string &name) {
  auto cuda = currentDriver();
  if (!cuda)
    return cuda.takeError();
  return check(*cuda, cuda->ctxSynchronize(),
               "'" + name + "' failed on the GPU");
}

llvm::Error GpuKernel::launch(void **parameters, int64_t elements) const {
  if (llvm::Error err = launchAsync(
          function, gpuLaunchShape(kernelSpec, elements), parameters))
    return err;
  return synchronize(kernelSpec.name);
}

/// Fails unless `spec`'s kernel takes `abi`'s arguments, naming the call
/// that it takes.
static llvm::Error checkAbi(const KernelSpec &spec, KernelAbi abi) {
  const KernelAbi own = kernelAbiOf(spec.op);
  if (own == abi)
    return llvm::Error::success();
  const char *call = own == KernelAbi::Binary         ? "runBinary"
                     : own == KernelAbi::Bias         ? "runBias"
                     : own == KernelAbi::BiasBackward ? "runBiasBackward"
                                                      : "run";
  return kernelError(spec, "it is a '" + act::stringifyOpKind(spec.op) +
                               "' kernel: call " + call);
}

/// The checks of an elementwise call: `addresses` are the inputs, then the
/// output, each of n elements.
static llvm::Error checkElementwise(const KernelSpec &spec,
                                    llvm::ArrayRef<const char *> names,
                                    llvm::ArrayRef<uint64_t> addresses,
                                    int64_t n) {
  const unsigned elementBytes = dtypeSize(spec.dtype);
  if (llvm::Error err = checkCount(spec, "n", n, elementBytes))
    return err;
  const uint64_t bytes = static_cast<uint64_t>(n) * elementBytes;
  llvm::SmallVector<BufferArg, 3> buffers;
  for (size_t i = 0; i < addresses.size(); ++i)
    buffers.push_back({names[i], addresses[i], bytes, elementBytes,
                       i + 1 == addresses.size(), true});
  return checkBuffers(spec, buffers, BufferMemory::Device);
}

llvm::Error GpuKernel::run(uint64_t in, uint64_t out, int64_t n) const {
  if (llvm::Error err = checkAbi(kernelSpec, KernelAbi::Unary))
    return err;
  if (llvm::Error err =
          checkElementwise(kernelSpec, {"in", "out"}, {in, out}, n))
    return err;
  CUdeviceptr inAddress = in, outAddress = out;
  int64_t count = n;
  void *parameters[] = {&inAddress, &outAddress, &count};
  return launch(parameters, n);
}

llvm::Error GpuKernel::runBinary(uint64_t x, uint64_t y, uint64_t out,
                                 int64_t n) const {
  if (llvm::Error err = checkAbi(kernelSpec, KernelAbi::Binary))
    return err;
  if (llvm::Error err =
          checkElementwise(kernelSpec, {"x", "y", "out"}, {x, y, out}, n))
    return err;
  CUdeviceptr xAddress = x, yAddress = y, outAddress = out;
  int64_t count = n;
  void *parameters[] = {&xAddress, &yAddress, &outAddress, &count};
  return launch(parameters, n);
}

/// The checks of a call by rows: bias_gelu (x, bias → y) and, with dy
/// and dbias, bias_gelu_backward (x, bias, dy → dx, dbias).
static llvm::Error checkRowsCall(const KernelSpec &spec, KernelAbi abi,
                                 int64_t rows, int64_t cols, uint64_t x,
                                 uint64_t bias, std::optional<uint64_t> dy,
                                 uint64_t out, std::optional<uint64_t> dbias) {
  if (llvm::Error err = checkAbi(spec, abi))
    return err;
  const unsigned elementBytes = dtypeSize(spec.dtype);
  if (llvm::Error err = checkRowsAndCols(spec, rows, cols, elementBytes))
    return err;
  const uint64_t matrix = static_cast<uint64_t>(rows) * cols * elementBytes;
  const uint64_t row = static_cast<uint64_t>(cols) * elementBytes;
  llvm::SmallVector<BufferArg, 5> buffers = {
      {"x", x, matrix, elementBytes, false, true},
      {"bias", bias, row, elementBytes, false, false}};
  if (dy)
    buffers.push_back({"dy", *dy, matrix, elementBytes, false, true});
  buffers.push_back({dy ? "dx" : "y", out, matrix, elementBytes, true, true});
  if (dbias)
    buffers.push_back(
        {"dbias", *dbias, static_cast<uint64_t>(cols) * 4, 4, true, false});
  return checkBuffers(spec, buffers, BufferMemory::Device);
}

llvm::Error GpuKernel::runBias(uint64_t x, uint64_t bias, uint64_t y,
                               int64_t rows, int64_t cols) const {
  if (llvm::Error err = checkRowsCall(kernelSpec, KernelAbi::Bias, rows, cols,
                                      x, bias, std::nullopt, y, std::nullopt))
    return err;
  CUdeviceptr xAddress = x, biasAddress = bias, yAddress = y;
  int64_t rowCount = rows, colCount = cols;
  void *parameters[] = {&xAddress, &biasAddress, &yAddress, &rowCount,
                        &colCount};
  return launch(parameters, rows * cols);
}

llvm::Error GpuKernel::runBiasBackward(uint64_t x, uint64_t bias, uint64_t dy,
                                       uint64_t dx, uint64_t dbias,
                                       int64_t rows, int64_t cols) const {
  if (llvm::Error err = checkRowsCall(kernelSpec, KernelAbi::BiasBackward, rows,
                                      cols, x, bias, dy, dx, dbias))
    return err;
  const unsigned elementBytes = dtypeSize(kernelSpec.dtype);
  // The kernel's own test of its vector path (GpuCodegen.h).
  const bool vectorised =
      ((x | bias | dy | dx) % 16) == 0 && cols % (16 / elementBytes) == 0;
  GpuLaunchShape shape =
      gpuBiasBackwardShape(kernelSpec, rows, cols, vectorised);
  std::lock_guard<std::mutex> lock(partialSumsMutex);
  const uint64_t partialBytes =
      static_cast<uint64_t>(shape.gridBlocksY) * cols * 4;
  if (!partialSums || partialSums->size() < partialBytes) {
    partialSums.reset();
    auto buffer = GpuBuffer::allocate(partialBytes);
    if (!buffer)
      return buffer.takeError();
    partialSums = std::move(*buffer);
  }
  CUdeviceptr xAddress = x, biasAddress = bias, dyAddress = dy, dxAddress = dx,
              partialAddress = partialSums->address(), dbiasAddress = dbias;
  int64_t rowCount = rows, colCount = cols,
          groups = static_cast<int64_t>(shape.gridBlocksY);
  void *first[] = {&xAddress,       &biasAddress, &dyAddress, &dxAddress,
                   &partialAddress, &rowCount,    &colCount};
  if (llvm::Error err = launchAsync(function, shape, first))
    return err;
  void *second[] = {&partialAddress, &dbiasAddress, &groups, &colCount};
  if (llvm::Error err =
          launchAsync(dbiasFunction, gpuLaunchShape(kernelSpec, cols), second))
    return err;
  return synchronize(kernelSpec.name);
}

llvm::Expected<double> timeOnGpu(llvm::function_ref<llvm::Error()> work) {
  auto cuda = currentDriver();
  if (!cuda)
    return cuda.takeError();
  CUevent start = nullptr, stop = nullptr;
  if (llvm::Error err = check(*cuda, cuda->eventCreate(&start, 0),
                              "cannot create a CUDA event"))
    return std::move(err);
  if (llvm::Error err = check(*cuda, cuda->eventCreate(&stop, 0),
                              "cannot create a CUDA event")) {
    cuda->eventDestroy(start);
    return std::move(err);
  }
  llvm::Error err = check(*cuda, cuda->eventRecord(start, nullptr),
                          "cannot record a CUDA event");
  if (!err)
    err = work();
  if (!err)
    err = check(*cuda, cuda->eventRecord(stop, nullptr),
                "cannot record a CUDA event");
  if (!err)
    err = check(*cuda, cuda->eventSynchronize(stop),
                "cannot wait for a CUDA event");
  float ms = 0;
  if (!err)
    err = check(*cuda, cuda->eventElapsedTime(&ms, start, stop),
                "cannot time on the GPU");
  cuda->eventDestroy(start);
  cuda->eventDestroy(stop);
  if (err)
    return std::move(err);
  return static_cast<double>(ms);
}

llvm::Expected<double> GpuKernel::runTimed(uint64_t in, uint64_t out,
                                           int64_t n) const {
  return timeOnGpu([&] { return run(in, out, n); });
}

llvm::Expected<double> timeDeviceCopy(const GpuBuffer &from, GpuBuffer &to,
                                      uint64_t bytes) {
  return timeOnGpu([&] { return to.copyFrom(from, bytes); });
}

} // namespace gelu
