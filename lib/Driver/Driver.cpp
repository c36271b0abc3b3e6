//===- Driver.cpp - Compile a spec to a file -----------------------------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Driver/Driver.h"

#include "gelu/Codegen/GpuKernel.h"
#include "gelu/Codegen/KernelBuilder.h"
#include "gelu/Codegen/LLVMEmission.h"
#include "gelu/Codegen/Pipelines.h"
#include "gelu/JIT/Tuner.h"

#include "mlir/IR/Builders.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;

namespace gelu {

/// `requested` with its choices made: tuned (on this CPU, or with the cost
/// model for a target it cannot run), or as given. `report`, if not null,
/// receives the tuner's report (or, for a spec without choices, its
/// measured error and speed where the target runs here).
static llvm::Expected<KernelSpec> resolveChoices(const KernelSpec &requested,
                                                 TuningReport *report) {
  if (needsTuning(requested)) {
    auto tuned = tuneSpec(requested);
    if (!tuned)
      return tuned.takeError();
    if (report)
      *report = tuned->report;
    return tuned->report.chosen;
  }
  if (report) {
    // Measured on the kernel itself where this CPU can run it.
    std::unique_ptr<Kernel> kernel;
    auto target = resolveTarget(requested.target);
    if (target && target->missingHostFeature.empty()) {
      auto compiled = compileKernel(requested);
      if (!compiled)
        return compiled.takeError();
      kernel = std::move(*compiled);
    }
    if (!target)
      llvm::consumeError(target.takeError());
    *report = describeUntuned(requested, kernel.get());
  }
  return requested;
}

llvm::Error compileSpec(const KernelSpec &requested, EmitKind kind,
                        llvm::raw_pwrite_stream &os, TuningReport *report) {
  auto resolved = resolveChoices(requested, report);
  if (!resolved)
    return resolved.takeError();
  const KernelSpec &spec = *resolved;
  auto target = resolveTarget(spec.target);
  if (!target)
    return target.takeError();
  bool gpu = target->isGpu();
  if (gpu && kind == EmitKind::Object)
    return llvm::createStringError(
        "target '" + spec.target +
        "' is a GPU: emit its PTX (--emit=ptx), which the CUDA driver loads "
        "(gelu::GpuKernel)");
  if (!gpu && kind == EmitKind::Ptx)
    return llvm::createStringError("--emit=ptx needs an NVIDIA GPU target "
                                   "(nvptx-sm_80, ...), not '" +
                                   spec.target + "'");
  if (gpu && (kind == EmitKind::Ptx || kind == EmitKind::Assembly)) {
    auto ptx = compileToPtx(spec, *target);
    if (!ptx)
      return ptx.takeError();
    os << *ptx;
    return llvm::Error::success();
  }
  std::unique_ptr<MLIRContext> context = createKernelContext();
  auto module = gpu ? buildGpuKernelModule(*context, spec)
                    : buildKernelModule(*context, spec, *target);
  if (!module)
    return module.takeError();
  if (kind == EmitKind::Mlir) {
    (*module)->print(os);
    return llvm::Error::success();
  }
  if (llvm::Error err =
          gpu ? lowerGpuKernelToNVVM(**module) : lowerActToLLVM(**module))
    return err;
  if (kind == EmitKind::LlvmDialect) {
    (*module)->print(os);
    return llvm::Error::success();
  }

  auto machine = createTargetMachine(*target);
  if (!machine)
    return machine.takeError();
  llvm::LLVMContext llvmContext;
  auto llvmModule =
      translateAndOptimize(**module, llvmContext, *target, **machine);
  if (!llvmModule)
    return llvmModule.takeError();
  if (kind == EmitKind::LlvmIR) {
    (*llvmModule)->print(os, nullptr);
    return llvm::Error::success();
  }
  return emitMachineCode(**llvmModule, **machine,
                         kind == EmitKind::Object
                             ? llvm::CodeGenFileType::ObjectFile
                             : llvm::CodeGenFileType::AssemblyFile,
                         os);
}

/// Writes `bytes` to `path` ("-": stdout), or nothing on failure.
static llvm::Error writeFile(llvm::StringRef path, llvm::StringRef bytes,
                             bool binary) {
  std::error_code ec;
  llvm::ToolOutputFile output(
      path, ec, binary ? llvm::sys::fs::OF_None : llvm::sys::fs::OF_Text);
  if (ec)
    return llvm::createStringError(ec, "cannot open '" + path +
                                           "': " + ec.message());
  output.os() << bytes;
  output.os().flush();
  if (output.os().has_error())
    return llvm::createStringError("cannot write '" + path + "'");
  output.keep();
  return llvm::Error::success();
}

llvm::Error compileSpecFileTo(llvm::StringRef specPath, EmitKind kind,
                              llvm::StringRef outputPath,
                              llvm::StringRef reportPath) {
  auto spec = readSpecFile(specPath);
  if (!spec)
    return spec.takeError();
  // Compile into memory first, so a failure leaves no partial file.
  llvm::SmallString<0> bytes;
  llvm::raw_svector_ostream buffer(bytes);
  TuningReport report;
  if (llvm::Error err = compileSpec(*spec, kind, buffer,
                                    reportPath.empty() ? nullptr : &report))
    return err;
  if (!reportPath.empty())
    if (llvm::Error err =
            writeFile(reportPath, report.toJson() + "\n", /*binary=*/false))
      return err;
  return writeFile(outputPath, bytes, kind == EmitKind::Object);
}

} // namespace gelu
