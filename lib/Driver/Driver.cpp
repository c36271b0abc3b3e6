//===- Driver.cpp - Compile a spec to a file -----------------------------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Driver/Driver.h"

#include "gelu/Codegen/KernelBuilder.h"
#include "gelu/Codegen/LLVMEmission.h"
#include "gelu/Codegen/Pipelines.h"
#include "gelu/JIT/Selection.h"

#include "mlir/IR/Builders.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;

namespace gelu {

/// `spec` with its budget resolved to the expansion that meets it.
static llvm::Expected<KernelSpec> resolveBudget(const KernelSpec &spec) {
  if (!spec.budget)
    return spec;
  auto kernel = compileWithinBudget(spec);
  if (!kernel)
    return kernel.takeError();
  KernelSpec resolved = spec;
  resolved.expansion = (*kernel)->spec().expansion;
  resolved.budget.reset();
  return resolved;
}

llvm::Error compileSpec(const KernelSpec &requested, EmitKind kind,
                        llvm::raw_pwrite_stream &os) {
  auto resolved = resolveBudget(requested);
  if (!resolved)
    return resolved.takeError();
  const KernelSpec &spec = *resolved;
  auto target = resolveTarget(spec.target);
  if (!target)
    return target.takeError();
  std::unique_ptr<MLIRContext> context = createKernelContext();
  auto module = buildKernelModule(*context, spec, *target);
  if (!module)
    return module.takeError();
  if (kind == EmitKind::Mlir) {
    (*module)->print(os);
    return llvm::Error::success();
  }
  if (llvm::Error err = lowerActToLLVM(**module))
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

llvm::Error compileSpecFileTo(llvm::StringRef specPath, EmitKind kind,
                              llvm::StringRef outputPath) {
  auto spec = readSpecFile(specPath);
  if (!spec)
    return spec.takeError();
  // Compile into memory first, so a failure leaves no partial file.
  llvm::SmallString<0> bytes;
  llvm::raw_svector_ostream buffer(bytes);
  if (llvm::Error err = compileSpec(*spec, kind, buffer))
    return err;
  std::error_code ec;
  llvm::ToolOutputFile output(outputPath, ec,
                              kind == EmitKind::Object
                                  ? llvm::sys::fs::OF_None
                                  : llvm::sys::fs::OF_Text);
  if (ec)
    return llvm::createStringError(ec, "cannot open '" + outputPath +
                                           "': " + ec.message());
  output.os() << bytes;
  output.os().flush();
  if (output.os().has_error())
    return llvm::createStringError("cannot write '" + outputPath + "'");
  output.keep();
  return llvm::Error::success();
}

} // namespace gelu
