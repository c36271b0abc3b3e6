//===- Jit.cpp - Compile a spec into a callable kernel -------------------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/JIT/Jit.h"

#include "ContiguousMemoryMapper.h"

#include "gelu/JIT/ThreadPool.h"
#include "gelu/JIT/Tuner.h"

#include "gelu/Codegen/KernelBuilder.h"
#include "gelu/Codegen/LLVMEmission.h"
#include "gelu/Codegen/Pipelines.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <thread>

namespace gelu {

struct Kernel::Impl {
  KernelSpec spec;
  /// Where the engine puts the kernel's code and data; declared first so
  /// that it outlives the engine.
  std::unique_ptr<ContiguousMemoryMapper> memory;
  std::unique_ptr<mlir::ExecutionEngine> engine;
  void *entry = nullptr;
  double compileSeconds = 0;
  /// The tuner's report, or one made on the first report() call.
  std::unique_ptr<TuningReport> report;
  std::once_flag reportOnce;
};

/// Set by an atexit handler once the process is exiting.
static std::atomic<bool> processExiting{false};

/// Registers the handler that sets `processExiting`. It is registered when
/// the first kernel is compiled, after any static that holds kernels and
/// before the statics LLVM creates while compiling, so it runs (exit runs
/// handlers in reverse) after those LLVM statics are gone and before such a
/// holder is destroyed.
static void watchForProcessExit() {
  static std::once_flag once;
  std::call_once(once, [] { std::atexit([] { processExiting = true; }); });
}

/// The MLIR context this thread compiles in, made on its first compile and
/// kept while the thread lives: making one and loading its dialects is
/// ~1.4 ms of a ~20 ms compile. One per thread, so compiles on different
/// threads share nothing; a kernel's module is erased after its compile.
static mlir::MLIRContext &threadKernelContext() {
  thread_local std::unique_ptr<mlir::MLIRContext> context =
      createKernelContext();
  return *context;
}

Kernel::Kernel(std::unique_ptr<Impl> impl) : impl(std::move(impl)) {}

Kernel::~Kernel() {
  // The engine's destructor runs the JIT's deinitializers, which ORC
  // compiles on first use: during exit that would run LLVM's code generator
  // on destroyed statics. The process is ending, so leave the engine be.
  if (processExiting)
    (void)impl->engine.release();
}

const KernelSpec &Kernel::spec() const { return impl->spec; }
double Kernel::compileSeconds() const { return impl->compileSeconds; }

const TuningReport &Kernel::report() const {
  std::call_once(impl->reportOnce, [this] {
    if (!impl->report)
      impl->report =
          std::make_unique<TuningReport>(describeUntuned(impl->spec, this));
  });
  return *impl->report;
}

Kernel::Entry<float> Kernel::f32() const {
  if (impl->spec.dtype != DType::F32)
    return nullptr;
  return reinterpret_cast<Entry<float>>(impl->entry);
}

Kernel::Entry<uint16_t> Kernel::u16() const {
  if (dtypeSize(impl->spec.dtype) != 2)
    return nullptr;
  return reinterpret_cast<Entry<uint16_t>>(impl->entry);
}

Kernel::Entry<Half> Kernel::f16() const {
  if (impl->spec.dtype != DType::F16)
    return nullptr;
  return reinterpret_cast<Entry<Half>>(impl->entry);
}

Kernel::Entry<BFloat16> Kernel::bf16() const {
  if (impl->spec.dtype != DType::BF16)
    return nullptr;
  return reinterpret_cast<Entry<BFloat16>>(impl->entry);
}

/// `callType` names the element type of the call: "f32", "f16", "bf16", or
/// "u16" (either 16-bit format).
llvm::Error Kernel::check(const void *in, const void *out, int64_t n,
                          unsigned elementBytes, const char *callType) const {
  const KernelSpec &spec = impl->spec;
  auto fail = [&](const llvm::Twine &why) {
    return llvm::createStringError("kernel '" + spec.name + "': " + why);
  };
  llvm::StringRef dtype = stringifyDType(spec.dtype);
  bool matches = llvm::StringRef(callType) == "u16" ? dtypeSize(spec.dtype) == 2
                                                    : dtype == callType;
  if (!matches)
    return fail("its elements are " + dtype + ", not " + callType + " (" +
                llvm::Twine(elementBytes) + "-byte) values");
  if (!in || !out)
    return fail(llvm::Twine(!in ? "in" : "out") + " is a null pointer");
  if (n < 1)
    return fail("n must be at least 1, got " + llvm::Twine(n));
  if (static_cast<uint64_t>(n) > UINT64_MAX / 2 / elementBytes)
    return fail("n = " + llvm::Twine(n) + " is larger than any buffer");
  auto inAddress = reinterpret_cast<uintptr_t>(in);
  auto outAddress = reinterpret_cast<uintptr_t>(out);
  if (inAddress % elementBytes || outAddress % elementBytes)
    return fail(llvm::Twine(inAddress % elementBytes ? "in" : "out") +
                " is not aligned to its " + llvm::Twine(elementBytes) +
                "-byte elements");
  uint64_t bytes = static_cast<uint64_t>(n) * elementBytes;
  if (inAddress != outAddress && inAddress < outAddress + bytes &&
      outAddress < inAddress + bytes)
    return fail("in and out overlap without being the same buffer "
                "(in place needs in == out)");
  return llvm::Error::success();
}

void Kernel::runChunks(const void *in, void *out, int64_t n,
                       unsigned elementBytes, RunOptions options) const {
  using RawEntry = void (*)(const void *, void *, int64_t);
  auto entry = reinterpret_cast<RawEntry>(impl->entry);
  // The pool is started by the first call that can use it, not before.
  int64_t hardware = std::max(1u, std::thread::hardware_concurrency());
  unsigned requested = options.threads.value_or(impl->spec.threads);
  int64_t threads = requested ? requested : hardware;
  threads = std::max<int64_t>(
      1, std::min({threads, hardware, n / kMinElementsPerThread}));
  if (threads == 1) {
    entry(in, out, n);
    return;
  }
  ThreadPool &pool = ThreadPool::global();
  // Chunks of whole 64-byte lines, so that no two threads write one line.
  int64_t line = 64 / elementBytes;
  int64_t chunk = ((n + threads - 1) / threads + line - 1) / line * line;
  pool.parallelFor(static_cast<unsigned>(threads), [&](unsigned i) {
    int64_t begin = static_cast<int64_t>(i) * chunk;
    int64_t count = std::min(chunk, n - begin);
    if (count > 0)
      entry(static_cast<const char *>(in) + begin * elementBytes,
            static_cast<char *>(out) + begin * elementBytes, count);
  });
}

llvm::Error Kernel::runChecked(const void *in, void *out, int64_t n,
                               unsigned elementBytes, const char *callType,
                               RunOptions options) const {
  if (llvm::Error err = check(in, out, n, elementBytes, callType))
    return err;
  runChunks(in, out, n, elementBytes, options);
  return llvm::Error::success();
}

llvm::Error Kernel::run(const float *in, float *out, int64_t n,
                        RunOptions options) const {
  return runChecked(in, out, n, sizeof(float), "f32", options);
}
llvm::Error Kernel::run(const Half *in, Half *out, int64_t n,
                        RunOptions options) const {
  return runChecked(in, out, n, sizeof(Half), "f16", options);
}
llvm::Error Kernel::run(const BFloat16 *in, BFloat16 *out, int64_t n,
                        RunOptions options) const {
  return runChecked(in, out, n, sizeof(BFloat16), "bf16", options);
}
llvm::Error Kernel::run(const uint16_t *in, uint16_t *out, int64_t n,
                        RunOptions options) const {
  return runChecked(in, out, n, sizeof(uint16_t), "u16", options);
}

/// The target of `spec`, if this CPU can run its code.
static llvm::Expected<TargetInfo> runnableTarget(const KernelSpec &spec) {
  auto target = resolveTarget(spec.target);
  if (!target)
    return target.takeError();
  if (!target->missingHostFeature.empty())
    return llvm::createStringError(
        "target '" + spec.target + "' needs " + target->missingHostFeature +
        ", which this CPU lacks: its code can be emitted (gelu-opt --spec "
        "... --emit=obj) but not run here");
  return target;
}

llvm::Expected<std::unique_ptr<Kernel>>
Kernel::compileFixed(const KernelSpec &spec) {
  auto start = std::chrono::steady_clock::now();
  watchForProcessExit();
  auto target = runnableTarget(spec);
  if (!target)
    return target.takeError();
  auto module = buildKernelModule(threadKernelContext(), spec, *target);
  if (!module)
    return module.takeError();
  if (llvm::Error err = lowerActToLLVM(**module))
    return err;

  auto machine = createTargetMachine(*target);
  if (!machine)
    return machine.takeError();
  llvm::TargetMachine *tm = machine->get();
  auto transformer = [&](llvm::Module *llvmModule) {
    applyTargetAttributes(*llvmModule, *target);
    return optimizeModule(*llvmModule, *tm);
  };
  auto memory = std::make_unique<ContiguousMemoryMapper>();
  mlir::ExecutionEngineOptions options;
  options.sectionMemoryMapper = memory.get();
  options.transformer = transformer;
  options.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
  options.enableGDBNotificationListener = false;
  options.enablePerfNotificationListener = false;
  auto engine =
      mlir::ExecutionEngine::create(**module, options, std::move(*machine));
  if (!engine)
    return engine.takeError();
  auto entry = (*engine)->lookup(spec.name);
  if (!entry)
    return entry.takeError();
  auto impl = std::make_unique<Kernel::Impl>();
  impl->spec = spec;
  impl->memory = std::move(memory);
  impl->engine = std::move(*engine);
  impl->entry = *entry;
  impl->compileSeconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  return std::unique_ptr<Kernel>(new Kernel(std::move(impl)));
}

llvm::Expected<std::unique_ptr<Kernel>> compileKernel(const KernelSpec &spec) {
  if (!needsTuning(spec))
    return Kernel::compileFixed(spec);
  // Refused before tuning, not after.
  if (auto target = runnableTarget(spec); !target)
    return target.takeError();
  auto start = std::chrono::steady_clock::now();
  auto tuned = tuneSpec(spec);
  if (!tuned)
    return tuned.takeError();
  std::unique_ptr<Kernel> kernel = std::move(tuned->kernel);
  if (!kernel) {
    // A cache hit: compile the decision.
    auto compiled = Kernel::compileFixed(tuned->report.chosen);
    if (!compiled)
      return compiled.takeError();
    kernel = std::move(*compiled);
  }
  kernel->impl->spec = tuned->report.chosen;
  kernel->impl->report =
      std::make_unique<TuningReport>(std::move(tuned->report));
  kernel->impl->compileSeconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  return kernel;
}

llvm::Expected<std::unique_ptr<Kernel>>
compileKernelFromJson(llvm::StringRef json) {
  auto spec = parseSpec(json);
  if (!spec)
    return spec.takeError();
  return compileKernel(*spec);
}

} // namespace gelu
