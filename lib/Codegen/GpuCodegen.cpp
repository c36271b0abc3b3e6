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

namespace {
/// The body of a GPU kernel under construction: its builder, its
/// parameters and the grid-stride loops over its elements.
class GpuKernelBody {
public:
  GpuKernelBody(OpBuilder &b, Location loc, const KernelSpec &spec,
                Block &entry)
      : b(b), loc(loc), spec(spec), entry(entry),
        ptrType(LLVM::LLVMPointerType::get(b.getContext(), 1)),
        element(elementTypeOf(b.getContext(), spec.dtype)),
        lanes(16 / dtypeSize(spec.dtype)),
        vectorType(VectorType::get({lanes}, element)) {
    // first = blockIdx·blockDim + threadIdx, stride = gridDim·blockDim.
    Value thread = toI64(gpu::ThreadIdOp::create(b, loc, gpu::Dimension::x));
    Value block = toI64(gpu::BlockIdOp::create(b, loc, gpu::Dimension::x));
    Value blockDim = toI64(gpu::BlockDimOp::create(b, loc, gpu::Dimension::x));
    Value gridDim = toI64(gpu::GridDimOp::create(b, loc, gpu::Dimension::x));
    first = arith::AddIOp::create(
        b, loc, arith::MulIOp::create(b, loc, block, blockDim), thread);
    stride = arith::MulIOp::create(b, loc, gridDim, blockDim);
  }

  Value argument(unsigned i) { return entry.getArgument(i); }
  Value constant(int64_t v) {
    return arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(v));
  }
  Value toI64(Value index) {
    return arith::IndexCastOp::create(b, loc, b.getI64Type(), index);
  }
  Value mul(Value x, Value y) { return arith::MulIOp::create(b, loc, x, y); }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }

  /// Whether every pointer of `pointers` is 16-byte aligned.
  Value aligned(ValueRange pointers) {
    Value any = constant(0);
    for (Value p : pointers)
      any = arith::OrIOp::create(
          b, loc, any, LLVM::PtrToIntOp::create(b, loc, b.getI64Type(), p));
    return arith::CmpIOp::create(
        b, loc, arith::CmpIPredicate::eq,
        arith::AndIOp::create(b, loc, any, constant(15)), constant(0));
  }

  /// Loads `type` (the element or the 16-byte vector) at `index` units of
  /// it from `base`.
  Value load(OpBuilder &nb, Location l, Value base, Value index, Type type) {
    Value from = LLVM::GEPOp::create(nb, l, ptrType, type, base, index);
    return LLVM::LoadOp::create(nb, l, type, from, alignmentOf(type));
  }
  /// Loads `type` from `base` + `index` elements.
  Value loadAtElement(OpBuilder &nb, Location l, Value base, Value index,
                      Type type) {
    Value from = LLVM::GEPOp::create(nb, l, ptrType, element, base, index);
    return LLVM::LoadOp::create(nb, l, type, from, alignmentOf(type));
  }
  void store(OpBuilder &nb, Location l, Value value, Value base, Value index) {
    Type type = value.getType();
    Value to = LLVM::GEPOp::create(nb, l, ptrType, type, base, index);
    LLVM::StoreOp::create(nb, l, value, to, alignmentOf(type));
  }

  /// for (i = begin; i < end; i += stride) body(i), over whole vectors
  /// (`vectors` of them) and then the elements from vectors·lanes to
  /// `count` one a thread.
  template <typename Body> void forEach(Value vectors, Value count, Body body) {
    loop(first, vectors, [&](OpBuilder &nb, Location l, Value v) {
      body(nb, l, v, vectorType);
    });
    Value rest = mul(vectors, constant(lanes));
    loop(add(rest, first), count,
         [&](OpBuilder &nb, Location l, Value i) { body(nb, l, i, element); });
  }

  /// The same with each step's column c = (i·width) mod cols carried along
  /// (width: lanes for vectors, 1 for elements), advanced by a conditional
  /// subtraction instead of a 64-bit remainder a step. cols ≥ 1.
  template <typename Body>
  void forEachWithColumn(Value vectors, Value count, Value cols, Body body) {
    auto columnLoop = [&](Value begin, Value end, int64_t width, Type type) {
      Value w = constant(width);
      Value start = arith::RemUIOp::create(b, loc, mul(begin, w), cols);
      Value advance = arith::RemUIOp::create(b, loc, mul(stride, w), cols);
      scf::ForOp::create(
          b, loc, begin, end, stride, ValueRange{start},
          [&](OpBuilder &nb, Location l, Value i, ValueRange carried) {
            Value c = carried.front();
            body(nb, l, i, c, type);
            Value next = arith::AddIOp::create(nb, l, c, advance);
            Value wraps = arith::CmpIOp::create(
                nb, l, arith::CmpIPredicate::uge, next, cols);
            next = arith::SelectOp::create(
                nb, l, wraps, arith::SubIOp::create(nb, l, next, cols), next);
            scf::YieldOp::create(nb, l, next);
          });
    };
    columnLoop(first, vectors, lanes, vectorType);
    columnLoop(add(mul(vectors, constant(lanes)), first), count, 1, element);
  }

  OpBuilder &b;
  Location loc;
  const KernelSpec &spec;
  Block &entry;
  LLVM::LLVMPointerType ptrType;
  Type element;
  int64_t lanes;
  VectorType vectorType;
  Value first, stride;

private:
  int64_t alignmentOf(Type type) {
    return isa<VectorType>(type) ? 16 : dtypeSize(spec.dtype);
  }
  template <typename Body> void loop(Value begin, Value end, Body body) {
    scf::ForOp::create(b, loc, begin, end, stride, ValueRange{},
                       [&](OpBuilder &nb, Location l, Value i, ValueRange) {
                         body(nb, l, i);
                         scf::YieldOp::create(nb, l);
                       });
  }
};
} // namespace

/// The kernel's parameters: its buffers (device pointers), then n, or
/// rows and cols.
static SmallVector<Type> gpuKernelParameters(OpBuilder &b, KernelAbi abi) {
  Type ptr = LLVM::LLVMPointerType::get(b.getContext(), 1);
  Type i64 = b.getI64Type();
  switch (abi) {
  case KernelAbi::Unary:
    return {ptr, ptr, i64};
  case KernelAbi::Binary:
    return {ptr, ptr, ptr, i64};
  case KernelAbi::Bias:
    return {ptr, ptr, ptr, i64, i64};
  case KernelAbi::BiasBackward:
    break;
  }
  llvm_unreachable("no GPU kernel for this ABI");
}

/// in/x (and y or bias) to out: elementwise (Unary, Binary) or by rows
/// (Bias), whole 16-byte vectors where every buffer is 16-byte aligned
/// (and, by rows, where a row is whole vectors), the other elements one a
/// thread.
static void buildGpuKernelBody(GpuKernelBody &k, KernelAbi abi) {
  auto apply = [&](OpBuilder &nb, Location l, ValueRange operands) {
    return buildActivation(nb, l, k.spec, operands);
  };
  if (abi == KernelAbi::Bias) {
    Value x = k.argument(0), bias = k.argument(1), out = k.argument(2);
    // rows·cols elements; cols taken as at least 1 for the remainders (a
    // launch with no element runs no step).
    Value rows = k.argument(3), cols = k.argument(4);
    Value count = k.mul(rows, cols);
    Value safeCols = arith::MaxSIOp::create(k.b, k.loc, cols, k.constant(1));
    Value wholeRows = arith::CmpIOp::create(
        k.b, k.loc, arith::CmpIPredicate::eq,
        arith::RemUIOp::create(k.b, k.loc, safeCols, k.constant(k.lanes)),
        k.constant(0));
    Value vectorised =
        arith::AndIOp::create(k.b, k.loc, k.aligned({x, bias, out}), wholeRows);
    Value vectors = arith::SelectOp::create(
        k.b, k.loc, vectorised,
        arith::DivUIOp::create(k.b, k.loc, count, k.constant(k.lanes)),
        k.constant(0));
    k.forEachWithColumn(
        vectors, count, safeCols,
        [&](OpBuilder &nb, Location l, Value i, Value c, Type type) {
          Value xs = k.load(nb, l, x, i, type);
          // The biases of columns c on (for a vector, c is a multiple of
          // its lanes: an aligned load).
          Value biases = k.loadAtElement(nb, l, bias, c, type);
          k.store(nb, l, apply(nb, l, {xs, biases}), out, i);
        });
    return;
  }
  const unsigned inputs = abi == KernelAbi::Unary ? 1 : 2;
  SmallVector<Value, 3> pointers;
  for (unsigned i = 0; i <= inputs; ++i)
    pointers.push_back(k.argument(i));
  Value n = k.argument(inputs + 1);
  Value vectors = arith::SelectOp::create(
      k.b, k.loc, k.aligned(pointers),
      arith::DivUIOp::create(k.b, k.loc, n, k.constant(k.lanes)),
      k.constant(0));
  k.forEach(vectors, n, [&](OpBuilder &nb, Location l, Value i, Type type) {
    SmallVector<Value, 2> operands;
    for (unsigned j = 0; j < inputs; ++j)
      operands.push_back(k.load(nb, l, pointers[j], i, type));
    k.store(nb, l, apply(nb, l, operands), pointers[inputs], i);
  });
}

llvm::Expected<OwningOpRef<ModuleOp>>
buildGpuKernelModule(MLIRContext &context, const KernelSpec &spec) {
  if (spec.dtype == DType::F64)
    return llvm::make_error<SpecFieldError>(
        "/dtype", "dtype 'f64' has CPU kernels only: GPU targets take f32, "
                  "f16 and bf16");
  const KernelAbi abi = kernelAbiOf(spec.op);
  if (abi == KernelAbi::BiasBackward)
    return llvm::createStringError(
        "op '" + act::stringifyOpKind(spec.op) +
        "' has no GPU kernel yet: GPU targets take every op but "
        "bias_gelu_backward");
  OpBuilder b(&context);
  Location loc = b.getUnknownLoc();
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  (*module)->setAttr(gpu::GPUDialect::getContainerModuleAttrName(),
                     b.getUnitAttr());
  b.setInsertionPointToEnd(module->getBody());
  auto gpuModule = gpu::GPUModuleOp::create(b, loc, kGpuModuleName);
  b.setInsertionPointToStart(gpuModule.getBody());
  auto kernel = gpu::GPUFuncOp::create(
      b, loc, spec.name, b.getFunctionType(gpuKernelParameters(b, abi), {}));
  kernel->setAttr(gpu::GPUDialect::getKernelFuncAttrName(), b.getUnitAttr());
  Block &entry = kernel.getBody().front();
  b.setInsertionPointToStart(&entry);
  GpuKernelBody body(b, loc, spec, entry);
  buildGpuKernelBody(body, abi);
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
