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
/// i64 arithmetic, thread indices and alignment tests for the kernels'
/// bodies, at one builder's insertion point.
struct I64Builder {
  OpBuilder &b;
  Location loc;
  Value constant(int64_t v) {
    return arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(v));
  }
  Value index(Value v) {
    return arith::IndexCastOp::create(b, loc, b.getI64Type(), v);
  }
  Value thread(gpu::Dimension d) {
    return index(gpu::ThreadIdOp::create(b, loc, d));
  }
  Value block(gpu::Dimension d) {
    return index(gpu::BlockIdOp::create(b, loc, d));
  }
  Value grid(gpu::Dimension d) {
    return index(gpu::GridDimOp::create(b, loc, d));
  }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulIOp::create(b, loc, x, y); }
  /// ⌈x / y⌉ for y ≥ 1 and x far from 2^64 (arith.ceildivui has no
  /// direct lowering to LLVM).
  Value ceilDiv(Value x, Value y) {
    return arith::DivUIOp::create(
        b, loc, add(x, arith::SubIOp::create(b, loc, y, constant(1))), y);
  }
  Value less(Value x, Value y) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, x, y);
  }
  Value equal(Value x, Value y) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, x, y);
  }
  /// Whether every pointer of `pointers` is 16-byte aligned.
  Value aligned(ValueRange pointers) {
    Value any = constant(0);
    for (Value p : pointers)
      any = arith::OrIOp::create(
          b, loc, any, LLVM::PtrToIntOp::create(b, loc, b.getI64Type(), p));
    return equal(arith::AndIOp::create(b, loc, any, constant(15)), constant(0));
  }
  /// A one-dimensional grid-stride loop's first index (blockIdx·blockDim +
  /// threadIdx) and stride (gridDim·blockDim).
  std::pair<Value, Value> gridStride() {
    Value blockDim = index(gpu::BlockDimOp::create(b, loc, gpu::Dimension::x));
    return {
        add(mul(block(gpu::Dimension::x), blockDim), thread(gpu::Dimension::x)),
        mul(grid(gpu::Dimension::x), blockDim)};
  }
};
} // namespace

namespace {
/// The body of a GPU kernel under construction: its builder, its
/// parameters and the grid-stride loops over its elements.
class GpuKernelBody {
public:
  GpuKernelBody(OpBuilder &b, Location loc, const KernelSpec &spec,
                Block &entry)
      : b(b), loc(loc), i{b, loc}, spec(spec), entry(entry),
        ptrType(LLVM::LLVMPointerType::get(b.getContext(), 1)),
        element(elementTypeOf(b.getContext(), spec.dtype)),
        lanes(16 / dtypeSize(spec.dtype)),
        vectorType(VectorType::get({lanes}, element)) {
    std::tie(first, stride) = i.gridStride();
  }

  Value argument(unsigned index) { return entry.getArgument(index); }

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
    Value rest = i.mul(vectors, i.constant(lanes));
    loop(i.add(rest, first), count,
         [&](OpBuilder &nb, Location l, Value i) { body(nb, l, i, element); });
  }

  /// The same with each step's column c = (i·width) mod cols carried along
  /// (width: lanes for vectors, 1 for elements), advanced by a conditional
  /// subtraction instead of a 64-bit remainder a step. cols ≥ 1.
  template <typename Body>
  void forEachWithColumn(Value vectors, Value count, Value cols, Body body) {
    auto columnLoop = [&](Value begin, Value end, int64_t width, Type type) {
      Value w = i.constant(width);
      Value start = arith::RemUIOp::create(b, loc, i.mul(begin, w), cols);
      Value advance = arith::RemUIOp::create(b, loc, i.mul(stride, w), cols);
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
    columnLoop(i.add(i.mul(vectors, i.constant(lanes)), first), count, 1,
               element);
  }

  OpBuilder &b;
  Location loc;
  /// i64 arithmetic at the entry's insertion point.
  I64Builder i;
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

/// The pass over the rows of bias_gelu_backward for columns `width` at a
/// time (a 16-byte vector, or 1): each block takes tiles of
/// kGpuReduceColumns column units (a grid-stride loop over tiles: every
/// thread of a block runs the same steps, so the barriers are uniform) and
/// the rows of its group (blockIdx.y of gridDim.y groups of
/// ceil(rows / gridDim.y) rows); its threads along y take every
/// kGpuReduceRows-th row of the group, write dx and sum the dx written in
/// f32; the kGpuReduceRows sums of a column are added in shared memory in
/// order of threadIdx.y and written to partial[blockIdx.y·cols + c]. Every
/// order is fixed by the launch shape: the sums do not depend on
/// scheduling.
static void buildBiasBackwardRows(OpBuilder &b, Location loc,
                                  const KernelSpec &spec, Block &entry,
                                  Value shared, int64_t width) {
  I64Builder i{b, loc};
  MLIRContext *context = b.getContext();
  auto global = LLVM::LLVMPointerType::get(context, 1);
  Type element = elementTypeOf(context, spec.dtype);
  Type f32 = b.getF32Type();
  Type valueType = width == 1 ? element : VectorType::get({width}, element);
  Type sumType = width == 1 ? f32 : VectorType::get({width}, f32);
  const int64_t valueAlignment = width == 1 ? dtypeSize(spec.dtype) : 16;
  const int64_t sumAlignment = 4 * width;
  Value x = entry.getArgument(0), bias = entry.getArgument(1),
        dy = entry.getArgument(2), dx = entry.getArgument(3),
        partial = entry.getArgument(4), rows = entry.getArgument(5),
        cols = entry.getArgument(6);
  auto at = [&](OpBuilder &nb, Value base, Type type, Value index) {
    return LLVM::GEPOp::create(nb, loc, global, type, base, index);
  };
  auto sharedAt = [&](OpBuilder &nb, Value slot) {
    I64Builder n{nb, loc};
    return LLVM::GEPOp::create(nb, loc, shared.getType(), f32, shared,
                               n.mul(slot, n.constant(width)));
  };
  Value tx = i.thread(gpu::Dimension::x), ty = i.thread(gpu::Dimension::y);
  Value group = i.block(gpu::Dimension::y);
  Value units = arith::DivUIOp::create(b, loc, cols, i.constant(width));
  Value tiles = i.ceilDiv(units, i.constant(kGpuReduceColumns));
  Value groupRows = i.ceilDiv(rows, i.grid(gpu::Dimension::y));
  Value rowBegin = i.mul(group, groupRows);
  Value rowEnd =
      arith::MinUIOp::create(b, loc, i.add(rowBegin, groupRows), rows);
  Value zero =
      arith::ConstantOp::create(b, loc, sumType, b.getZeroAttr(sumType));
  Value tileStride = i.grid(gpu::Dimension::x);
  scf::ForOp::create(
      b, loc, i.block(gpu::Dimension::x), tiles, tileStride, ValueRange{},
      [&](OpBuilder &nb, Location l, Value tile, ValueRange) {
        I64Builder n{nb, l};
        Value unit = n.add(n.mul(tile, n.constant(kGpuReduceColumns)), tx);
        Value valid = n.less(unit, units);
        Value column = n.mul(unit, n.constant(width));
        auto sums = scf::IfOp::create(
            nb, l, valid,
            [&](OpBuilder &tb, Location tl) {
              Value biases = LLVM::LoadOp::create(tb, tl, valueType,
                                                  at(tb, bias, element, column),
                                                  valueAlignment);
              I64Builder t{tb, tl};
              auto loop = scf::ForOp::create(
                  tb, tl, t.add(rowBegin, ty), rowEnd,
                  t.constant(kGpuReduceRows), ValueRange{zero},
                  [&](OpBuilder &rb, Location rl, Value row,
                      ValueRange carried) {
                    I64Builder r{rb, rl};
                    Value offset = r.add(r.mul(row, cols), column);
                    Value xs = LLVM::LoadOp::create(rb, rl, valueType,
                                                    at(rb, x, element, offset),
                                                    valueAlignment);
                    Value grads = LLVM::LoadOp::create(
                        rb, rl, valueType, at(rb, dy, element, offset),
                        valueAlignment);
                    Value result =
                        buildActivation(rb, rl, spec, {xs, biases, grads});
                    LLVM::StoreOp::create(rb, rl, result,
                                          at(rb, dx, element, offset),
                                          valueAlignment);
                    // The dx written, summed in f32.
                    Value wide =
                        element == f32
                            ? result
                            : arith::ExtFOp::create(rb, rl, sumType, result)
                                  .getResult();
                    scf::YieldOp::create(rb, rl,
                                         ValueRange{arith::AddFOp::create(
                                             rb, rl, carried.front(), wide)});
                  });
              scf::YieldOp::create(tb, tl, loop.getResults());
            },
            [&](OpBuilder &eb, Location el) {
              scf::YieldOp::create(eb, el, ValueRange{zero});
            });
        // This thread's sum into shared memory, then, in the first row of
        // threads, the column's sums in order of threadIdx.y.
        Value slot = n.add(n.mul(ty, n.constant(kGpuReduceColumns)), tx);
        LLVM::StoreOp::create(nb, l, sums.getResult(0), sharedAt(nb, slot),
                              sumAlignment);
        gpu::BarrierOp::create(nb, l);
        Value first = n.equal(ty, n.constant(0));
        scf::IfOp::create(
            nb, l, arith::AndIOp::create(nb, l, first, valid),
            [&](OpBuilder &sb, Location sl) {
              I64Builder s{sb, sl};
              Value total = zero;
              for (int64_t y = 0; y < kGpuReduceRows; ++y) {
                Value other = s.add(s.constant(y * kGpuReduceColumns), tx);
                Value value = LLVM::LoadOp::create(
                    sb, sl, sumType, sharedAt(sb, other), sumAlignment);
                total = arith::AddFOp::create(sb, sl, total, value);
              }
              Value to = LLVM::GEPOp::create(sb, sl, global, f32, partial,
                                             s.add(s.mul(group, cols), column));
              LLVM::StoreOp::create(sb, sl, total, to, sumAlignment);
              scf::YieldOp::create(sb, sl);
            });
        // The next tile reuses the shared sums.
        gpu::BarrierOp::create(nb, l);
        scf::YieldOp::create(nb, l);
      });
}

/// bias_gelu_backward's first kernel: dx and the partial sums of each
/// group of rows (buildBiasBackwardRows), by 16-byte vectors where x, bias,
/// dy and dx are 16-byte aligned and a row is whole vectors, else a column
/// a thread.
static void buildBiasBackwardBody(OpBuilder &b, Location loc,
                                  const KernelSpec &spec, Block &entry,
                                  Value shared) {
  I64Builder i{b, loc};
  const int64_t lanes = 16 / dtypeSize(spec.dtype);
  Value vectorised = arith::AndIOp::create(
      b, loc, i.aligned(entry.getArguments().take_front(4)),
      i.equal(arith::RemUIOp::create(b, loc, entry.getArgument(6),
                                     i.constant(lanes)),
              i.constant(0)));
  scf::IfOp::create(
      b, loc, vectorised,
      [&](OpBuilder &tb, Location tl) {
        buildBiasBackwardRows(tb, tl, spec, entry, shared, lanes);
        scf::YieldOp::create(tb, tl);
      },
      [&](OpBuilder &eb, Location el) {
        buildBiasBackwardRows(eb, el, spec, entry, shared, 1);
        scf::YieldOp::create(eb, el);
      });
}

/// bias_gelu_backward's second kernel (partial, dbias, groups, cols):
/// dbias[c] = Σ_g partial[g·cols + c], g in order, a column a thread.
static void buildDbiasBody(OpBuilder &b, Location loc, Block &entry) {
  I64Builder i{b, loc};
  auto global = LLVM::LLVMPointerType::get(b.getContext(), 1);
  Type f32 = b.getF32Type();
  Value partial = entry.getArgument(0), dbias = entry.getArgument(1),
        groups = entry.getArgument(2), cols = entry.getArgument(3);
  auto [first, stride] = i.gridStride();
  Value zero = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0));
  scf::ForOp::create(
      b, loc, first, cols, stride, ValueRange{},
      [&](OpBuilder &nb, Location l, Value column, ValueRange) {
        I64Builder n{nb, l};
        auto sum = scf::ForOp::create(
            nb, l, n.constant(0), groups, n.constant(1), ValueRange{zero},
            [&](OpBuilder &gb, Location gl, Value g, ValueRange carried) {
              I64Builder s{gb, gl};
              Value from = LLVM::GEPOp::create(gb, gl, global, f32, partial,
                                               s.add(s.mul(g, cols), column));
              Value value = LLVM::LoadOp::create(gb, gl, f32, from, 4);
              scf::YieldOp::create(gb, gl,
                                   ValueRange{arith::AddFOp::create(
                                       gb, gl, carried.front(), value)});
            });
        Value to = LLVM::GEPOp::create(nb, l, global, f32, dbias, column);
        LLVM::StoreOp::create(nb, l, sum.getResult(0), to, 4);
        scf::YieldOp::create(nb, l);
      });
}

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
    // x, bias, dy, dx, then the partial sums (f32, gridDim.y rows of cols).
    return {ptr, ptr, ptr, ptr, ptr, i64, i64};
  }
  llvm_unreachable("unknown kernel ABI");
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
    Value count = k.i.mul(rows, cols);
    Value safeCols = arith::MaxSIOp::create(k.b, k.loc, cols, k.i.constant(1));
    Value wholeRows = arith::CmpIOp::create(
        k.b, k.loc, arith::CmpIPredicate::eq,
        arith::RemUIOp::create(k.b, k.loc, safeCols, k.i.constant(k.lanes)),
        k.i.constant(0));
    Value vectorised = arith::AndIOp::create(
        k.b, k.loc, k.i.aligned({x, bias, out}), wholeRows);
    Value vectors = arith::SelectOp::create(
        k.b, k.loc, vectorised,
        arith::DivUIOp::create(k.b, k.loc, count, k.i.constant(k.lanes)),
        k.i.constant(0));
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
      k.b, k.loc, k.i.aligned(pointers),
      arith::DivUIOp::create(k.b, k.loc, n, k.i.constant(k.lanes)),
      k.i.constant(0));
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
  if (abi == KernelAbi::BiasBackward) {
    // The shared sums of a block (kGpuReduceRows × kGpuReduceColumns
    // columns units of up to 8 lanes), then the two kernels.
    auto sharedType = LLVM::LLVMArrayType::get(
        b.getF32Type(), kGpuReduceRows * kGpuReduceColumns * 8);
    b.setInsertionPoint(kernel);
    auto sharedSums = LLVM::GlobalOp::create(
        b, loc, sharedType, /*isConstant=*/false, LLVM::Linkage::Internal,
        "gelu_dbias_shared", Attribute(), /*alignment=*/32,
        /*addrSpace=*/3);
    b.setInsertionPointToStart(&entry);
    Value shared = LLVM::AddressOfOp::create(b, loc, sharedSums);
    buildBiasBackwardBody(b, loc, spec, entry, shared);
    gpu::ReturnOp::create(b, loc);
    b.setInsertionPointAfter(kernel);
    Type ptr = LLVM::LLVMPointerType::get(&context, 1);
    auto dbias = gpu::GPUFuncOp::create(
        b, loc, gpuDbiasKernelName(spec.name),
        b.getFunctionType({ptr, ptr, b.getI64Type(), b.getI64Type()}, {}));
    dbias->setAttr(gpu::GPUDialect::getKernelFuncAttrName(), b.getUnitAttr());
    b.setInsertionPointToStart(&dbias.getBody().front());
    buildDbiasBody(b, loc, dbias.getBody().front());
    gpu::ReturnOp::create(b, loc);
    return module;
  }
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
  // The hardware forms' tanh, ex2 and rcp as NVPTX instructions.
  pm.addPass(createLowerHardwareApproximations({/*nvptx=*/true}));
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

std::string gpuDbiasKernelName(llvm::StringRef name) {
  return (name + "_dbias").str();
}

GpuLaunchShape gpuBiasBackwardShape(const KernelSpec &spec, int64_t rows,
                                    int64_t cols, bool vectorised) {
  const int64_t units = vectorised ? cols / (16 / dtypeSize(spec.dtype)) : cols;
  const int64_t tiles =
      std::max<int64_t>(1, (units + kGpuReduceColumns - 1) / kGpuReduceColumns);
  const int64_t maxGroups =
      std::max<int64_t>(1, (rows + kGpuReduceRows - 1) / kGpuReduceRows);
  GpuLaunchShape shape;
  shape.blockThreads = kGpuReduceColumns;
  shape.blockThreadsY = kGpuReduceRows;
  shape.gridBlocks = static_cast<unsigned>(std::min<int64_t>(tiles, 65535));
  shape.gridBlocksY = static_cast<unsigned>(std::clamp<int64_t>(
      (kGpuReduceBlocks + shape.gridBlocks - 1) / shape.gridBlocks, 1,
      std::min<int64_t>(maxGroups, 65535)));
  return shape;
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
