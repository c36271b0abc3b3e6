//===- LLVMEmission.cpp - From the LLVM dialect to machine code ----------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Codegen/LLVMEmission.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Verifier.h"

namespace gelu {

void applyTargetAttributes(llvm::Module &module, const TargetInfo &target) {
  std::string width = std::to_string(target.vectorBits);
  for (llvm::Function &function : module) {
    if (function.isDeclaration())
      continue;
    function.addFnAttr("target-cpu", target.cpu);
    function.addFnAttr("target-features", target.features);
    function.addFnAttr("prefer-vector-width", width);
    function.addFnAttr("min-legal-vector-width", width);
    // Divisions marked arcp (the fast expansions' reciprocals) may use the
    // hardware estimate plus one Newton step; exact divisions are untouched.
    function.addFnAttr("reciprocal-estimates", "vec-divf:1,divf:1");
    function.addFnAttr(llvm::Attribute::NoUnwind);
  }
}

llvm::Error optimizeModule(llvm::Module &module, llvm::TargetMachine &machine) {
  auto transformer = mlir::makeOptimizingTransformer(
      /*optLevel=*/3, /*sizeLevel=*/0, &machine);
  return transformer(&module);
}

llvm::Expected<std::unique_ptr<llvm::Module>>
translateAndOptimize(mlir::ModuleOp module, llvm::LLVMContext &context,
                     const TargetInfo &target, llvm::TargetMachine &machine) {
  std::unique_ptr<llvm::Module> llvmModule =
      mlir::translateModuleToLLVMIR(module, context);
  if (!llvmModule)
    return llvm::createStringError("cannot translate the kernel to LLVM IR");
  llvmModule->setTargetTriple(machine.getTargetTriple());
  llvmModule->setDataLayout(machine.createDataLayout());
  applyTargetAttributes(*llvmModule, target);
  if (llvm::verifyModule(*llvmModule, &llvm::errs()))
    return llvm::createStringError("the kernel's LLVM IR does not verify");
  if (llvm::Error err = optimizeModule(*llvmModule, machine))
    return err;
  return llvmModule;
}

llvm::Error emitMachineCode(llvm::Module &module, llvm::TargetMachine &machine,
                            llvm::CodeGenFileType fileType,
                            llvm::raw_pwrite_stream &os) {
  llvm::legacy::PassManager passes;
  if (machine.addPassesToEmitFile(passes, os, nullptr, fileType))
    return llvm::createStringError("the target cannot emit this kind of file");
  passes.run(module);
  return llvm::Error::success();
}

} // namespace gelu
