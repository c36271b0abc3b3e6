//===- Jit.cpp - Compile a spec into a callable kernel -------------------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/JIT/Jit.h"

#include "CompileResources.h"
#include "ContiguousMemoryMapper.h"
#include "KernelImpl.h"

#include "gelu/JIT/Tuner.h"

#include "gelu/Codegen/KernelBuilder.h"
#include "gelu/Codegen/LLVMEmission.h"
#include "gelu/Codegen/Pipelines.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <mutex>

namespace gelu {

llvm::Error kernelError(const KernelSpec &spec, const llvm::Twine &why) {
  return llvm::createStringError("kernel '" + spec.name + "': " + why);
}

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

Kernel::Kernel(std::unique_ptr<Impl> impl) : impl(std::move(impl)) {
  ++liveKernels;
}

Kernel::~Kernel() {
  --liveKernels;
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

/// The target of `spec`, if this CPU can run its code.
static llvm::Expected<TargetInfo> runnableTarget(const KernelSpec &spec) {
  auto target = resolveTarget(spec.target);
  if (!target)
    return target.takeError();
  if (!target->missingHostFeature.empty())
    return llvm::make_error<SpecFieldError>(
        "/target",
        "target '" + spec.target + "' needs " + target->missingHostFeature +
            ", which this CPU lacks: its code can be emitted (gelu-opt "
            "--spec ... " +
            (target->isGpu() ? "--emit=ptx; gelu-gpu-check measures it on a GPU"
                             : "--emit=obj") +
            ") but not run here");
  return target;
}

llvm::Expected<std::unique_ptr<Kernel>>
Kernel::compileFixed(const KernelSpec &spec) {
  auto start = std::chrono::steady_clock::now();
  watchForProcessExit();
  auto target = runnableTarget(spec);
  if (!target)
    return target.takeError();
  CompileInFlight inFlight;
  if (llvm::Error err = checkCompileResources())
    return kernelError(spec, llvm::toString(std::move(err)));
  auto memory = std::make_unique<ContiguousMemoryMapper>();
  if (std::error_code ec = memory->reserve())
    return kernelError(spec, resourceShortage("no address space for the "
                                              "kernel's code (" +
                                              ec.message() + ")"));
  auto module = buildKernelModule(threadKernelContext(), spec, *target);
  if (!module)
    return module.takeError();
  if (llvm::Error err = lowerActToLLVM(**module, &*target))
    return err;

  auto machine = createTargetMachine(*target);
  if (!machine)
    return machine.takeError();
  llvm::TargetMachine *tm = machine->get();
  auto transformer = [&](llvm::Module *llvmModule) {
    return optimizeModule(*llvmModule, *tm);
  };
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
compileFixedKernel(const KernelSpec &spec) {
  if (needsTuning(spec))
    return kernelError(spec, "its spec leaves a choice (a budget or "
                             "\"most_accurate\"): compileKernel tunes it "
                             "first");
  return Kernel::compileFixed(spec);
}

llvm::Expected<std::unique_ptr<Kernel>>
compileKernelFromJson(llvm::StringRef json) {
  auto spec = parseSpec(json);
  if (!spec)
    return spec.takeError();
  return compileKernel(*spec);
}

} // namespace gelu
