//===- Pipelines.cpp - From act ops to the LLVM dialect ------------------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Codegen/Pipelines.h"

#include "gelu/Codegen/BF16Rounding.h"
#include "gelu/Codegen/Lookups.h"
#include "gelu/Codegen/Passes.h"
#include "gelu/Codegen/Target.h"
#include "gelu/Conversion/Passes.h"
#include "gelu/Dialect/Act/IR/ActDialect.h"
#include "gelu/Spec/Spec.h"

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

#define GEN_PASS_DEF_CHECKLLVMDIALECT
#define GEN_PASS_DEF_LLVMTARGETATTRIBUTES
#include "gelu/Codegen/Passes.h.inc"

void setLLVMTargetAttributes(ModuleOp module, const TargetInfo &target,
                             unsigned vectorBits) {
  MLIRContext *context = module.getContext();
  Builder b(context);
  module->setAttr(LLVM::LLVMDialect::getTargetTripleAttrName(),
                  b.getStringAttr(target.triple));
  std::string width =
      std::to_string(vectorBits ? vectorBits : target.vectorBits);
  // Divisions marked arcp (the fast expansions' reciprocals) may use the
  // hardware estimate plus Newton steps; exact divisions are untouched.
  std::string steps = std::to_string(target.reciprocalSteps);
  module.walk([&](LLVM::LLVMFuncOp function) {
    if (function.isExternal())
      return;
    function.setTargetCpuAttr(b.getStringAttr(target.cpu));
    function.setTargetFeaturesAttr(
        LLVM::TargetFeaturesAttr::get(context, target.features));
    function.setPreferVectorWidthAttr(b.getStringAttr(width));
    function.setReciprocalEstimatesAttr(
        b.getStringAttr("vec-divf:" + steps + ",divf:" + steps));
    function.setNoUnwind(true);
    // No attribute of its own in the LLVM dialect: passed through (once,
    // however often this runs).
    llvm::SmallVector<Attribute> passthrough;
    if (ArrayAttr existing = function.getPassthroughAttr())
      for (Attribute a : existing) {
        auto pair = dyn_cast<ArrayAttr>(a);
        if (!pair || pair.size() != 2 ||
            pair[0] != b.getStringAttr("min-legal-vector-width"))
          passthrough.push_back(a);
      }
    passthrough.push_back(b.getArrayAttr(
        {b.getStringAttr("min-legal-vector-width"), b.getStringAttr(width)}));
    function.setPassthroughAttr(b.getArrayAttr(passthrough));
  });
}

namespace {
struct LLVMTargetAttributes
    : impl::LLVMTargetAttributesBase<LLVMTargetAttributes> {
  using Base::Base;
  void runOnOperation() override {
    if (target.empty()) {
      getOperation()->emitError(
          "act-llvm-target needs a target: target=host, x86-64-v3, haswell, "
          "aarch64, ...");
      return signalPassFailure();
    }
    auto resolved = resolvePassTarget(target);
    if (!resolved) {
      getOperation()->emitError("act-llvm-target: ")
          << llvm::toString(resolved.takeError());
      return signalPassFailure();
    }
    if (resolved->isGpu()) {
      getOperation()->emitError("act-llvm-target: target '")
          << target
          << "' is a GPU: its kernels are built as PTX (gelu-opt --spec ... "
             "--emit=ptx)";
      return signalPassFailure();
    }
    if (llvm::Error err = checkVectorBits(vectorBits, *resolved, target)) {
      getOperation()->emitError("act-llvm-target: ")
          << llvm::toString(withoutSpecField(std::move(err)));
      return signalPassFailure();
    }
    setLLVMTargetAttributes(getOperation(), *resolved, vectorBits);
  }
};

struct CheckLLVMDialect : impl::CheckLLVMDialectBase<CheckLLVMDialect> {
  void runOnOperation() override {
    bool left = false;
    getOperation()->walk([&](Operation *op) {
      if (op == getOperation() || op->getName().getDialectNamespace() ==
                                      LLVM::LLVMDialect::getDialectNamespace())
        return;
      if (isa<ModuleOp>(op))
        op->emitOpError("is nested: the translation to LLVM IR reads the "
                        "top-level module alone and would drop its "
                        "functions");
      else
        op->emitOpError("is left after the conversions to the LLVM dialect: "
                        "act-lower-to-llvm converts kernels made of act, func, "
                        "scf, cf, vector, arith and math ops");
      left = true;
    });
    if (left)
      signalPassFailure();
  }
};
} // namespace

/// The conversions of act-lower-to-llvm, with the table lookups and the
/// bf16 rounding lowered for `target` (portably where null).
static void addConversions(OpPassManager &pm, const TargetInfo *target) {
  // Kernels expand every op in place, for the vectoriser; tensors would
  // need bufferizing, which this pipeline does not do: an error.
  pm.addPass(createConvertActToArith({/*outlineMinUses=*/0,
                                      /*tensors=*/false}));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(target ? createLowerLookupsPass(*target) : createLowerLookups());
  pm.addPass(target ? createLowerBF16RoundingPass(*target)
                    : createLowerBF16Rounding());
  // A CPU has none of the GPU's approximations: an error for each.
  pm.addPass(createLowerHardwareApproximations());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createConvertToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createCheckLLVMDialect());
}

void buildActToLLVMPipeline(OpPassManager &pm,
                            const ActToLLVMPipelineOptions &options) {
  // A target that does not resolve (or a GPU) gets the portable lookups
  // and rounding here: act-llvm-target, last, says what is wrong with it.
  std::optional<TargetInfo> target;
  if (!options.target.empty()) {
    auto resolved = resolveTarget(options.target);
    if (resolved && !resolved->isGpu())
      target = std::move(*resolved);
    else
      llvm::consumeError(resolved.takeError());
  }
  addConversions(pm, target ? &*target : nullptr);
  if (!options.target.empty())
    pm.addPass(createLLVMTargetAttributes(
        {options.target, options.vectorBits.getValue()}));
  else if (options.vectorBits)
    pm.addPass(createLLVMTargetAttributes({"", options.vectorBits}));
}

void registerActPipelines() {
  registerCodegenPasses();
  PassPipelineRegistration<ActToLLVMPipelineOptions>(
      "act-lower-to-llvm",
      "Lower act kernels (act, func, scf, vector, arith, math) to the LLVM "
      "dialect: convert-act-to-arith, act-lower-lookups, "
      "act-lower-bf16-rounding, then the upstream "
      "conversions; with target=..., act-llvm-target last",
      buildActToLLVMPipeline);
}

llvm::Error lowerActToLLVM(ModuleOp module, const TargetInfo *target) {
  std::string messages;
  ScopedDiagnosticHandler capture(module.getContext(), [&](Diagnostic &diag) {
    if (!messages.empty())
      messages += "\n";
    llvm::raw_string_ostream os(messages);
    os << diag.getLocation() << ": " << diag;
    return success();
  });
  PassManager pm(module.getContext());
  addConversions(pm, target);
  if (failed(pm.run(module)))
    return llvm::createStringError("lowering to the LLVM dialect failed" +
                                   (messages.empty() ? "" : ": " + messages));
  if (target)
    setLLVMTargetAttributes(module, *target, 0);
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
