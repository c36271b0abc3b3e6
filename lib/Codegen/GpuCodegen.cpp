//===- GpuCodegen.cpp - GPU kernels: MLIR, NVVM and PTX -----------------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Codegen/GpuCodegen.h"

#include "gelu/Codegen/KernelBuilder.h"
#include "gelu/Codegen/LLVMEmission.h"
#include "gelu/Codegen/Passes.h"
#include "gelu/Codegen/Pipelines.h"
#include "gelu/Conversion/Passes.h"

#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/GPUToNVVM/GPUToNVVMPass.h"
#include "mlir/Conversion/LLVMCommon/ConversionTarget.h"
#include "mlir/Conversion/LLVMCommon/TypeConverter.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Conversion/VectorToLLVM/ConvertVectorToLLVM.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/DialectConversion.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"

using namespace mlir;

namespace gelu {

llvm::Expected<OwningOpRef<ModuleOp>>
buildGpuKernelModule(MLIRContext &context, const KernelSpec &spec) {
  if (spec.dtype == DType::F64)
    return llvm::make_error<SpecFieldError>(
        "/dtype", "dtype 'f64' has CPU kernels only: GPU targets take f32, "
                  "f16 and bf16");
  if (kernelAbiOf(spec.op) != KernelAbi::Unary)
    return llvm::createStringError(
        "op '" + act::stringifyOpKind(spec.op) +
        "' has no GPU kernel yet: GPU targets take gelu, silu and relu");
  OpBuilder b(&context);
  Location loc = b.getUnknownLoc();
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  (*module)->setAttr(gpu::GPUDialect::getContainerModuleAttrName(),
                     b.getUnitAttr());
  b.setInsertionPointToEnd(module->getBody());
  auto gpuModule = gpu::GPUModuleOp::create(b, loc, kGpuModuleName);
  b.setInsertionPointToStart(gpuModule.getBody());

  Type element = elementTypeOf(&context, spec.dtype);
  const int64_t lanes = 16 / dtypeSize(spec.dtype);
  auto vectorType = VectorType::get({lanes}, element);
  auto ptrType = LLVM::LLVMPointerType::get(&context, /*addressSpace=*/1);
  Type i64 = b.getI64Type();
  auto kernel = gpu::GPUFuncOp::create(
      b, loc, spec.name, b.getFunctionType({ptrType, ptrType, i64}, {}));
  kernel->setAttr(gpu::GPUDialect::getKernelFuncAttrName(), b.getUnitAttr());
  Block &entry = kernel.getBody().front();
  b.setInsertionPointToStart(&entry);
  Value in = entry.getArgument(0), out = entry.getArgument(1),
        n = entry.getArgument(2);
  auto constant = [&](int64_t v) {
    return arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(v));
  };
  auto toI64 = [&](Value index) {
    return arith::IndexCastOp::create(b, loc, i64, index);
  };
  // first = blockIdx·blockDim + threadIdx, stride = gridDim·blockDim.
  Value thread = toI64(gpu::ThreadIdOp::create(b, loc, gpu::Dimension::x));
  Value block = toI64(gpu::BlockIdOp::create(b, loc, gpu::Dimension::x));
  Value blockDim = toI64(gpu::BlockDimOp::create(b, loc, gpu::Dimension::x));
  Value gridDim = toI64(gpu::GridDimOp::create(b, loc, gpu::Dimension::x));
  Value first = arith::AddIOp::create(
      b, loc, arith::MulIOp::create(b, loc, block, blockDim), thread);
  Value stride = arith::MulIOp::create(b, loc, gridDim, blockDim);

  // Whole vectors only when both buffers are 16-byte aligned.
  Value addresses =
      arith::OrIOp::create(b, loc, LLVM::PtrToIntOp::create(b, loc, i64, in),
                           LLVM::PtrToIntOp::create(b, loc, i64, out));
  Value aligned = arith::CmpIOp::create(
      b, loc, arith::CmpIPredicate::eq,
      arith::AndIOp::create(b, loc, addresses, constant(15)), constant(0));
  Value vectors = arith::SelectOp::create(
      b, loc, aligned, arith::DivUIOp::create(b, loc, n, constant(lanes)),
      constant(0));

  auto step = [&](OpBuilder &nb, Location l, Value index, Type type,
                  int64_t alignment) {
    Value from = LLVM::GEPOp::create(nb, l, ptrType, type, in, index);
    Value x = LLVM::LoadOp::create(nb, l, type, from, alignment);
    Value y = buildActivation(nb, l, spec, x);
    Value to = LLVM::GEPOp::create(nb, l, ptrType, type, out, index);
    LLVM::StoreOp::create(nb, l, y, to, alignment);
  };
  scf::ForOp::create(b, loc, first, vectors, stride, ValueRange{},
                     [&](OpBuilder &nb, Location l, Value v, ValueRange) {
                       step(nb, l, v, vectorType, 16);
                       scf::YieldOp::create(nb, l);
                     });
  Value rest = arith::MulIOp::create(b, loc, vectors, constant(lanes));
  scf::ForOp::create(b, loc, arith::AddIOp::create(b, loc, rest, first), n,
                     stride, ValueRange{},
                     [&](OpBuilder &nb, Location l, Value i, ValueRange) {
                       step(nb, l, i, element, dtypeSize(spec.dtype));
                       scf::YieldOp::create(nb, l);
                     });
  gpu::ReturnOp::create(b, loc);
  return module;
}

/// Collects the diagnostics of `context` into a string while alive.
namespace {
class DiagnosticCollector {
public:
  explicit DiagnosticCollector(MLIRContext *context)
      : handler(context, [this](Diagnostic &diag) {
          if (!messages.empty())
            messages += "\n";
          llvm::raw_string_ostream os(messages);
          os << diag;
          return success();
        }) {}
  llvm::Error fail(const llvm::Twine &what) const {
    return llvm::createStringError(
        (what + (messages.empty() ? "" : ": " + messages)).str());
  }

private:
  std::string messages;
  ScopedDiagnosticHandler handler;
};
} // namespace

llvm::Error lowerGpuKernelToNVVM(ModuleOp module) {
  MLIRContext *context = module.getContext();
  DiagnosticCollector diagnostics(context);
  // The act ops become arith and math as on the CPU.
  PassManager pm(context);
  // Every op of a kernel expanded in place, for the vectoriser.
  pm.addPass(createConvertActToArith({/*outlineMinUses=*/0}));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  // Scalar lookups (one lane a thread): loads from constant arrays.
  pm.addPass(createLowerLookups());
  // bf16 results rounded in integer arithmetic (no target: every GPU).
  pm.addPass(createLowerBF16Rounding());
  pm.addPass(createSCFToControlFlowPass());
  if (failed(pm.run(module)))
    return diagnostics.fail("lowering the GPU kernel's act ops failed");

  // Then arith, math, vector and cf to LLVM first, and only then the gpu
  // ops to NVVM: converted together (as convert-gpu-to-nvvm does), math
  // ops become calls into libdevice (__nv_fmaf, ...), which PTX cannot
  // resolve without linking it; as LLVM intrinsics (llvm.fma, ...), NVPTX
  // selects single instructions.
  for (auto gpuModule :
       llvm::make_early_inc_range(module.getOps<gpu::GPUModuleOp>())) {
    LowerToLLVMOptions options(context);
    LLVMTypeConverter converter(context, options);
    configureGpuToNVVMTypeConverter(converter);
    RewritePatternSet arithmetic(context);
    arith::populateArithToLLVMConversionPatterns(converter, arithmetic);
    populateMathToLLVMConversionPatterns(converter, arithmetic);
    cf::populateControlFlowToLLVMConversionPatterns(converter, arithmetic);
    populateVectorToLLVMConversionPatterns(converter, arithmetic);
    LLVMConversionTarget arithmeticTarget(*context);
    arithmeticTarget.addLegalDialect<gpu::GPUDialect>();
    if (failed(applyPartialConversion(gpuModule, arithmeticTarget,
                                      std::move(arithmetic))))
      return diagnostics.fail("lowering the GPU kernel to LLVM failed");
    RewritePatternSet gpuOps(context);
    populateGpuToNVVMConversionPatterns(converter, gpuOps);
    LLVMConversionTarget gpuTarget(*context);
    gpuTarget.addLegalDialect<NVVM::NVVMDialect>();
    gpuTarget.addIllegalDialect<gpu::GPUDialect>();
    gpuTarget.addLegalOp<gpu::GPUModuleOp>();
    if (failed(applyPartialConversion(gpuModule, gpuTarget, std::move(gpuOps))))
      return diagnostics.fail("lowering the GPU kernel to NVVM failed");
    // The functions move to the top level, for translation to LLVM IR.
    for (Operation &op :
         llvm::make_early_inc_range(gpuModule.getBody()->getOperations()))
      op.moveBefore(gpuModule);
    gpuModule->erase();
  }
  module->removeAttr(gpu::GPUDialect::getContainerModuleAttrName());
  PassManager cleanup(context);
  cleanup.addPass(createReconcileUnrealizedCastsPass());
  if (failed(cleanup.run(module)))
    return diagnostics.fail("lowering the GPU kernel to NVVM failed");
  return llvm::Error::success();
}

llvm::Expected<std::string> compileToPtx(const KernelSpec &spec,
                                         const TargetInfo &target) {
  std::unique_ptr<MLIRContext> context = createKernelContext();
  auto module = buildGpuKernelModule(*context, spec);
  if (!module)
    return module.takeError();
  if (llvm::Error err = lowerGpuKernelToNVVM(**module))
    return err;
  auto machine = createTargetMachine(target);
  if (!machine)
    return machine.takeError();
  llvm::LLVMContext llvmContext;
  auto llvmModule =
      translateAndOptimize(**module, llvmContext, target, **machine);
  if (!llvmModule)
    return llvmModule.takeError();
  llvm::SmallString<0> ptx;
  llvm::raw_svector_ostream os(ptx);
  if (llvm::Error err = emitMachineCode(
          **llvmModule, **machine, llvm::CodeGenFileType::AssemblyFile, os))
    return err;
  return std::string(ptx);
}

GpuLaunchShape gpuLaunchShape(const KernelSpec &spec, int64_t n,
                              unsigned maxBlocks) {
  GpuLaunchShape shape;
  int64_t lanes = 16 / dtypeSize(spec.dtype);
  int64_t threads = std::max<int64_t>(1, (n + lanes - 1) / lanes);
  int64_t blocks = (threads + shape.blockThreads - 1) / shape.blockThreads;
  shape.gridBlocks =
      static_cast<unsigned>(std::clamp<int64_t>(blocks, 1, maxBlocks));
  return shape;
}

} // namespace gelu
