//===- Pipelines.cpp - From act ops to the LLVM dialect ------------------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Codegen/Pipelines.h"

#include "gelu/Conversion/Passes.h"
#include "gelu/Dialect/Act/IR/ActDialect.h"

#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/ConvertToLLVM/ToLLVMPass.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVMPass.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Conversion/VectorToLLVM/ConvertVectorToLLVM.h"
#include "mlir/Conversion/VectorToLLVM/ConvertVectorToLLVMPass.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/NVVM/NVVMToLLVMIRTranslation.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

namespace gelu {

void buildActToLLVMPipeline(OpPassManager &pm) {
  // Kernels expand every op in place, for the vectoriser; tensors would
  // need bufferizing, which this pipeline does not do: an error.
  pm.addPass(createConvertActToArith({/*outlineMinUses=*/0,
                                      /*tensors=*/false}));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createConvertToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

void registerActPipelines() {
  PassPipelineRegistration<>(
      "act-lower-to-llvm",
      "Lower act kernels (act, func, scf, vector, arith, math) to the LLVM "
      "dialect: convert-act-to-arith, then the upstream conversions",
      buildActToLLVMPipeline);
}

llvm::Error lowerActToLLVM(ModuleOp module) {
  std::string messages;
  ScopedDiagnosticHandler capture(module.getContext(), [&](Diagnostic &diag) {
    if (!messages.empty())
      messages += "\n";
    llvm::raw_string_ostream os(messages);
    os << diag.getLocation() << ": " << diag;
    return success();
  });
  PassManager pm(module.getContext());
  buildActToLLVMPipeline(pm);
  if (failed(pm.run(module)))
    return llvm::createStringError("lowering to the LLVM dialect failed" +
                                   (messages.empty() ? "" : ": " + messages));
  return llvm::Error::success();
}

std::unique_ptr<MLIRContext> createKernelContext() {
  DialectRegistry registry;
  registry
      .insert<act::ActDialect, arith::ArithDialect, cf::ControlFlowDialect,
              func::FuncDialect, gpu::GPUDialect, linalg::LinalgDialect,
              LLVM::LLVMDialect, math::MathDialect, NVVM::NVVMDialect,
              scf::SCFDialect, tensor::TensorDialect, vector::VectorDialect>();
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  registerNVVMDialectTranslation(registry);
  arith::registerConvertArithToLLVMInterface(registry);
  registerConvertMathToLLVMInterface(registry);
  registerConvertFuncToLLVMInterface(registry);
  cf::registerConvertControlFlowToLLVMInterface(registry);
  vector::registerConvertVectorToLLVMInterface(registry);
  auto context =
      std::make_unique<MLIRContext>(registry, MLIRContext::Threading::DISABLED);
  context->loadAllAvailableDialects();
  return context;
}

} // namespace gelu
