//===- KernelBuilder.cpp - Wrap an act op into a buffer kernel -----------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Codegen/KernelBuilder.h"

#include "gelu/Conversion/ActToArith/ActToArith.h"
#include "gelu/Dialect/Act/IR/ActOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Builders.h"
#include "llvm/TargetParser/Triple.h"

using namespace mlir;

namespace gelu {

Type elementTypeOf(MLIRContext *ctx, DType dtype) {
  switch (dtype) {
  case DType::F16:
    return Float16Type::get(ctx);
  case DType::BF16:
    return BFloat16Type::get(ctx);
  case DType::F32:
    return Float32Type::get(ctx);
  case DType::F64:
    return Float64Type::get(ctx);
  }
  llvm_unreachable("unknown dtype");
}

Type computeTypeOf(MLIRContext *ctx, DType dtype) {
  return dtype == DType::F64 ? Type(Float64Type::get(ctx))
                             : Type(Float32Type::get(ctx));
}

Value buildActivation(OpBuilder &b, Location loc, const KernelSpec &spec,
                      ValueRange inputs) {
  MLIRContext *ctx = b.getContext();
  const act::OpFacts &facts = act::opFacts(spec.op);
  assert(inputs.size() == facts.numOperands() && "one input per operand");
  OperationState state(loc, (act::ActDialect::getDialectNamespace() + "." +
                             act::stringifyOpKind(spec.op))
                                .str());
  state.addOperands(inputs);
  state.addTypes(inputs.front().getType());
  if (spec.expansion)
    state.addAttribute("expansion",
                       act::ExpansionAttr::get(ctx, *spec.expansion));
  if (spec.degree)
    state.addAttribute("degree", b.getI32IntegerAttr(*spec.degree));
  if (facts.appliesGelu())
    state.addAttribute("approximate",
                       act::ApproximateAttr::get(ctx, spec.approximate));
  return b.create(state)->getResult(0);
}

namespace {
/// Emits the vector steps of a kernel: loads, the act op, stores (and the
/// bias gradient's accumulation).
struct VectorStep {
  const KernelSpec &spec;
  /// The input pointers, all indexed by the same element offset.
  SmallVector<Value, 3> ins;
  Value out;
  /// A buffer (of computeTypeOf) to which each result is added (the
  /// bias gradient), or null.
  Value accumulate;
  VectorType vectorType;
  unsigned elementBytes;

  /// One vector at element `offset`: masked when `mask` is set (lanes past
  /// the count read as zero and are never stored); a streaming store needs
  /// `out + offset` aligned to the vector.
  void emit(OpBuilder &b, Location loc, Value offset, Value mask,
            bool streaming = false) const {
    auto ptrType = LLVM::LLVMPointerType::get(b.getContext());
    auto address = [&](Value base, Type element) {
      return LLVM::GEPOp::create(b, loc, ptrType, element, base,
                                 ValueRange{offset},
                                 LLVM::GEPNoWrapFlags::inbounds);
    };
    // 16-bit floats travel to and from memory as i16 vectors: on a CPU
    // without native bf16 (x86 below AVX512-BF16, plain NEON) LLVM splits a
    // masked load or store of bfloat lanes into scalars and converts each
    // through f32 with a call to __truncsfbf2, which a plain cc link lacks.
    auto memoryType = [&](VectorType type) {
      Type element = type.getElementType();
      if (element.isF32() || element.isF64())
        return type;
      return VectorType::get(type.getShape(),
                             b.getIntegerType(element.getIntOrFloatBitWidth()));
    };
    auto load = [&](Value base, VectorType type, unsigned alignment) -> Value {
      VectorType raw = memoryType(type);
      Value src = address(base, raw.getElementType());
      Value value;
      if (!mask) {
        value = LLVM::LoadOp::create(b, loc, raw, src, alignment);
      } else {
        Value zeros = arith::ConstantOp::create(
            b, loc,
            DenseElementsAttr::get(raw, b.getZeroAttr(raw.getElementType())));
        value = LLVM::MaskedLoadOp::create(b, loc, raw, src, mask, zeros,
                                           b.getI32IntegerAttr(alignment),
                                           /*nontemporal=*/nullptr);
      }
      return raw == type ? value
                         : arith::BitcastOp::create(b, loc, type, value);
    };
    auto store = [&](Value value, Value base, unsigned alignment,
                     bool nontemporal = false) {
      auto type = cast<VectorType>(value.getType());
      VectorType raw = memoryType(type);
      if (raw != type)
        value = arith::BitcastOp::create(b, loc, raw, value);
      Value dst = address(base, raw.getElementType());
      if (mask)
        LLVM::MaskedStoreOp::create(b, loc, value, dst, mask,
                                    b.getI32IntegerAttr(alignment));
      else
        LLVM::StoreOp::create(b, loc, value, dst, alignment,
                              /*isVolatile=*/false, nontemporal);
    };
    if (streaming && !mask)
      // Large inputs read once: each kStreamingPrefetchBytes ahead of its
      // load, as a non-temporal prefetch (which never faults, past the end
      // too). Without it the arithmetic and the misses took turns:
      // docs/bench.md.
      for (Value in : ins) {
        Value ahead = arith::AddIOp::create(
            b, loc, offset,
            constant(b, loc, kStreamingPrefetchBytes / elementBytes));
        Value at = LLVM::GEPOp::create(
            b, loc, ptrType, b.getIntegerType(8 * elementBytes), in, ahead);
        LLVM::Prefetch::create(b, loc, at, /*rw=*/0, /*hint=*/0,
                               /*cache=*/1);
      }
    SmallVector<Value, 3> loaded;
    for (Value in : ins)
      loaded.push_back(load(in, vectorType, elementBytes));
    Value y = buildActivation(b, loc, spec, loaded);
    if (streaming && !mask)
      store(y, out, vectorType.getNumElements() * elementBytes,
            /*nontemporal=*/true);
    else
      store(y, out, elementBytes);
    if (accumulate) {
      // The sum of the values written, in f32 (f64 for f64 kernels).
      Type element = vectorType.getElementType();
      Type sumElement = computeTypeOf(b.getContext(), spec.dtype);
      auto sumVector = VectorType::get(vectorType.getShape(), sumElement);
      Value wide = element == sumElement ? y : emitExtendToF32(b, loc, y);
      unsigned sumBytes = sumElement.getIntOrFloatBitWidth() / 8;
      Value sum = arith::AddFOp::create(
          b, loc, load(accumulate, sumVector, sumBytes), wide);
      store(sum, accumulate, sumBytes);
    }
  }

  /// A masked step over elements [offset, offset + count), count < lanes.
  void emitPartial(OpBuilder &b, Location loc, Value offset,
                   Value count) const {
    Value hasAny = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt,
                                         count, constant(b, loc, 0));
    scf::IfOp::create(b, loc, hasAny, [&](OpBuilder &nb, Location l) {
      // mask = [0, 1, ..., W − 1] < count, lane by lane: what
      // vector.create_mask means, written so that no vector-dialect
      // lowering is needed.
      // (count < W, so 32-bit lanes hold it.)
      int64_t width = vectorType.getNumElements();
      auto indexType = VectorType::get({width}, nb.getI32Type());
      SmallVector<int32_t> lanes(width);
      for (int64_t i = 0; i < width; ++i)
        lanes[i] = static_cast<int32_t>(i);
      Value laneIndex = arith::ConstantOp::create(
          nb, l, DenseElementsAttr::get(indexType, ArrayRef<int32_t>(lanes)));
      Value count32 = arith::TruncIOp::create(nb, l, nb.getI32Type(), count);
      Value counts = vector::BroadcastOp::create(nb, l, indexType, count32);
      Value mask = arith::CmpIOp::create(nb, l, arith::CmpIPredicate::slt,
                                         laneIndex, counts);
      emit(nb, l, offset, mask);
      scf::YieldOp::create(nb, l);
    });
  }

  /// Full vectors from `begin` up to `end` (a multiple of the width past
  /// `begin`), `unroll` of them per iteration and then one at a time.
  void emitLoops(OpBuilder &b, Location loc, Value begin, Value end,
                 unsigned unroll, bool streaming) const {
    int64_t lanes = vectorType.getNumElements();
    Value length = arith::SubIOp::create(b, loc, end, begin);
    Value block = constant(b, loc, lanes * unroll);
    Value unrolledEnd = arith::SubIOp::create(
        b, loc, end, arith::RemUIOp::create(b, loc, length, block));
    if (unroll > 1)
      scf::ForOp::create(b, loc, begin, unrolledEnd, block, ValueRange{},
                         [&](OpBuilder &nb, Location l, Value i, ValueRange) {
                           for (unsigned k = 0; k < unroll; ++k)
                             emit(nb, l,
                                  k ? arith::AddIOp::create(
                                          nb, l, i, constant(nb, l, k * lanes))
                                    : i,
                                  /*mask=*/nullptr, streaming);
                           scf::YieldOp::create(nb, l);
                         });
    scf::ForOp::create(b, loc, unroll > 1 ? unrolledEnd : begin, end,
                       constant(b, loc, lanes), ValueRange{},
                       [&](OpBuilder &nb, Location l, Value i, ValueRange) {
                         emit(nb, l, i, /*mask=*/nullptr, streaming);
                         scf::YieldOp::create(nb, l);
                       });
  }

  static Value constant(OpBuilder &b, Location loc, int64_t v) {
    return arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(v));
  }
};

/// The shape of an elementwise loop function:
///   void NAME(const T *in0, ..., T *out, [float *accumulate,] int64_t n).
struct LoopShape {
  std::string name;
  unsigned inputs;
  bool accumulate;
  StreamingStores streaming;
  /// Private (a row of a matrix kernel) rather than the exported entry.
  bool internal;
};
} // namespace

/// Vectors per main-loop iteration when the spec leaves it open. Measured
/// on AVX-512 at 4K floats (one thread): unrolling by 2 or 4 gains nothing
/// for the cheap forms (rational_fast 0.40 ns/element either way) and costs
/// the accurate one 5-20% (1.30 → 1.44 ns: its ~40 live constants and
/// temporaries spill); the out-of-order core already overlaps iterations.
static constexpr unsigned kDefaultUnroll = 1;

static void setInternal(func::FuncOp function) {
  MLIRContext *ctx = function.getContext();
  function.setPrivate();
  function->setAttr("llvm.linkage",
                    LLVM::LinkageAttr::get(ctx, LLVM::Linkage::Internal));
}

/// Marks the first `pointers` arguments nocapture and the first `inputs`
/// of them readonly. An input may be the output (in place), so none is
/// noalias.
static void markPointers(func::FuncOp function, unsigned inputs,
                         unsigned pointers) {
  UnitAttr unit = UnitAttr::get(function.getContext());
  for (unsigned i = 0; i < pointers; ++i) {
    if (i < inputs)
      function.setArgAttr(i, LLVM::LLVMDialect::getReadonlyAttrName(), unit);
    function.setArgAttr(i, LLVM::LLVMDialect::getNoCaptureAttrName(), unit);
  }
}

/// Adds the loop function `shape` describes over vectors of `vectorType`
/// (see KernelBuilder.h for what it does with n, alignment and streaming).
static func::FuncOp buildLoopFunction(ModuleOp module, const KernelSpec &spec,
                                      const LoopShape &shape,
                                      VectorType vectorType, bool x86) {
  MLIRContext *ctx = module.getContext();
  Location loc = NameLoc::get(StringAttr::get(ctx, spec.name));
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());

  auto ptrType = LLVM::LLVMPointerType::get(ctx);
  Type i64 = b.getI64Type();
  unsigned pointers = shape.inputs + 1 + (shape.accumulate ? 1 : 0);
  SmallVector<Type> argTypes(pointers, ptrType);
  argTypes.push_back(i64);
  auto function =
      func::FuncOp::create(b, loc, shape.name, b.getFunctionType(argTypes, {}));
  if (shape.internal)
    setInternal(function);
  markPointers(function, shape.inputs, pointers);
  Block *entry = function.addEntryBlock();
  b.setInsertionPointToStart(entry);

  unsigned elementBytes = dtypeSize(spec.dtype);
  int64_t lanes = vectorType.getNumElements();
  auto stepFor = [&](Block *block) {
    VectorStep step{spec, {}, {}, {}, vectorType, elementBytes};
    for (unsigned i = 0; i < shape.inputs; ++i)
      step.ins.push_back(block->getArgument(i));
    step.out = block->getArgument(shape.inputs);
    if (shape.accumulate)
      step.accumulate = block->getArgument(shape.inputs + 1);
    return step;
  };
  VectorStep step = stepFor(entry);
  SmallVector<Value> pointerArgs(entry->getArguments().take_front(pointers));

  // The masked step is a function of its own, called for the streaming
  // head and for the tails: one copy of the activation instead of three
  // halves the compile time. It runs at most twice a call, so the call
  // costs nothing measurable; noinline keeps LLVM from copying it back.
  auto partial = [&] {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointAfter(function);
    SmallVector<Type> types(pointers, ptrType);
    types.append({i64, i64});
    auto helper = func::FuncOp::create(b, loc, shape.name + "_partial",
                                       b.getFunctionType(types, {}));
    setInternal(helper);
    helper->setAttr("passthrough",
                    b.getArrayAttr({b.getStringAttr("noinline")}));
    Block *body = helper.addEntryBlock();
    b.setInsertionPointToStart(body);
    stepFor(body).emitPartial(b, loc, body->getArgument(pointers),
                              body->getArgument(pointers + 1));
    func::ReturnOp::create(b, loc);
    return helper;
  }();
  auto emitPartial = [&](OpBuilder &pb, Location l, Value offset, Value count) {
    SmallVector<Value> operands(pointerArgs);
    operands.append({offset, count});
    func::CallOp::create(pb, l, partial, operands);
  };
  unsigned unroll = spec.unroll ? spec.unroll : kDefaultUnroll;
  auto constant = [&](int64_t v) { return VectorStep::constant(b, loc, v); };

  Value zero = constant(0);
  Value n = arith::MaxSIOp::create(b, loc, entry->getArgument(pointers), zero);

  // The cached path: full vectors, then one masked vector for the rest.
  auto emitCached = [&](OpBuilder &nb, Location l) {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(nb.getInsertionBlock(), nb.getInsertionPoint());
    Value full = arith::SubIOp::create(
        b, l, n, arith::RemUIOp::create(b, l, n, constant(lanes)));
    step.emitLoops(b, l, zero, full, unroll, /*streaming=*/false);
    emitPartial(b, l, full, arith::SubIOp::create(b, l, n, full));
  };
  if (shape.streaming == StreamingStores::Never) {
    emitCached(b, loc);
    func::ReturnOp::create(b, loc);
    return function;
  }

  // The streaming path: a masked head up to the first vector-aligned
  // output element, aligned non-temporal stores, a masked tail, and a full
  // fence (streaming stores are weakly ordered; the caller may hand `out`
  // to another thread as soon as the kernel returns).
  Value outAddress = LLVM::PtrToIntOp::create(b, loc, i64, step.out);
  Value vectorBytes = constant(lanes * elementBytes);
  Value bytes = arith::MulIOp::create(b, loc, n, constant(elementBytes));
  Value elementAligned = arith::CmpIOp::create(
      b, loc, arith::CmpIPredicate::eq,
      arith::RemUIOp::create(b, loc, outAddress, constant(elementBytes)), zero);
  Value useStreaming = elementAligned;
  if (shape.streaming == StreamingStores::Auto) {
    // Large, and not in place: an in-place caller reads `out` again soon.
    auto ule = [&](Value a, Value c) {
      return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ule, a, c);
    };
    Value large =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::uge, bytes,
                              constant(kStreamingThresholdBytes));
    useStreaming = arith::AndIOp::create(b, loc, useStreaming, large);
    for (Value in : step.ins) {
      Value inAddress = LLVM::PtrToIntOp::create(b, loc, i64, in);
      Value disjoint = arith::OrIOp::create(
          b, loc,
          ule(arith::AddIOp::create(b, loc, inAddress, bytes), outAddress),
          ule(arith::AddIOp::create(b, loc, outAddress, bytes), inAddress));
      useStreaming = arith::AndIOp::create(b, loc, useStreaming, disjoint);
    }
  }
  scf::IfOp::create(
      b, loc, useStreaming,
      [&](OpBuilder &nb, Location l) {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPoint(nb.getInsertionBlock(), nb.getInsertionPoint());
        // head = min(n, elements up to the next vector boundary of out).
        Value misalignment =
            arith::RemUIOp::create(b, l, outAddress, vectorBytes);
        Value toBoundary = arith::RemUIOp::create(
            b, l, arith::SubIOp::create(b, l, vectorBytes, misalignment),
            vectorBytes);
        Value head = arith::MinUIOp::create(
            b, l, n,
            arith::DivUIOp::create(b, l, toBoundary, constant(elementBytes)));
        emitPartial(b, l, zero, head);
        Value rest = arith::SubIOp::create(b, l, n, head);
        Value bodyEnd = arith::SubIOp::create(
            b, l, n, arith::RemUIOp::create(b, l, rest, constant(lanes)));
        step.emitLoops(b, l, head, bodyEnd, unroll, /*streaming=*/true);
        emitPartial(b, l, bodyEnd, arith::SubIOp::create(b, l, n, bodyEnd));
        // x86: sfence, which orders write-combining stores (LLVM's seq_cst
        // fence is a locked `or`, documented for ordinary stores only).
        if (x86)
          LLVM::CallIntrinsicOp::create(
              b, l, b.getStringAttr("llvm.x86.sse.sfence"), ValueRange{});
        else
          LLVM::FenceOp::create(b, l, LLVM::AtomicOrdering::seq_cst);
        scf::YieldOp::create(b, l);
      },
      [&](OpBuilder &nb, Location l) {
        emitCached(nb, l);
        scf::YieldOp::create(nb, l);
      });
  func::ReturnOp::create(b, loc);
  return function;
}

/// The exported function of a [rows, cols] kernel: each row through the
/// elementwise function `row` with the bias (the second input) shared, and
/// for the backward the bias gradient zeroed first and accumulated by
/// every row.
static func::FuncOp buildRowsFunction(ModuleOp module, const KernelSpec &spec,
                                      func::FuncOp row, bool backward) {
  MLIRContext *ctx = module.getContext();
  Location loc = NameLoc::get(StringAttr::get(ctx, spec.name));
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  auto ptrType = LLVM::LLVMPointerType::get(ctx);
  Type i64 = b.getI64Type();
  // (x, bias, [dy,] out, [dbias,] rows, cols)
  unsigned inputs = backward ? 3 : 2;
  unsigned pointers = inputs + 1 + (backward ? 1 : 0);
  SmallVector<Type> argTypes(pointers, ptrType);
  argTypes.append({i64, i64});
  auto function =
      func::FuncOp::create(b, loc, spec.name, b.getFunctionType(argTypes, {}));
  markPointers(function, inputs, pointers);
  Block *entry = function.addEntryBlock();
  b.setInsertionPointToStart(entry);
  auto constant = [&](int64_t v) { return VectorStep::constant(b, loc, v); };
  Value zero = constant(0), one = constant(1);
  Value rows =
      arith::MaxSIOp::create(b, loc, entry->getArgument(pointers), zero);
  Value cols =
      arith::MaxSIOp::create(b, loc, entry->getArgument(pointers + 1), zero);
  Type element = elementTypeOf(ctx, spec.dtype);
  if (backward) {
    // dbias = 0, then every row adds its dx.
    Value dbias = entry->getArgument(pointers - 1);
    auto sumType = cast<FloatType>(computeTypeOf(ctx, spec.dtype));
    Value zeroSum =
        arith::ConstantOp::create(b, loc, b.getFloatAttr(sumType, 0));
    unsigned sumBytes = sumType.getWidth() / 8;
    scf::ForOp::create(b, loc, zero, cols, one, ValueRange{},
                       [&](OpBuilder &nb, Location l, Value c, ValueRange) {
                         Value at = LLVM::GEPOp::create(
                             nb, l, ptrType, sumType, dbias, ValueRange{c},
                             LLVM::GEPNoWrapFlags::inbounds);
                         LLVM::StoreOp::create(nb, l, zeroSum, at, sumBytes);
                         scf::YieldOp::create(nb, l);
                       });
  }
  scf::ForOp::create(b, loc, zero, rows, one, ValueRange{},
                     [&](OpBuilder &nb, Location l, Value r, ValueRange) {
                       Value offset = arith::MulIOp::create(nb, l, r, cols);
                       auto rowOf = [&](Value base) -> Value {
                         return LLVM::GEPOp::create(
                             nb, l, ptrType, element, base, ValueRange{offset},
                             LLVM::GEPNoWrapFlags::inbounds);
                       };
                       // x and (backward) dy and the output advance by rows;
                       // bias and dbias do not.
                       SmallVector<Value> operands = {
                           rowOf(entry->getArgument(0)), entry->getArgument(1)};
                       if (backward)
                         operands.push_back(rowOf(entry->getArgument(2)));
                       operands.push_back(rowOf(entry->getArgument(inputs)));
                       if (backward)
                         operands.push_back(entry->getArgument(inputs + 1));
                       operands.push_back(cols);
                       func::CallOp::create(nb, l, row, operands);
                       scf::YieldOp::create(nb, l);
                     });
  func::ReturnOp::create(b, loc);
  return function;
}

llvm::Expected<func::FuncOp> buildElementwiseKernel(ModuleOp module,
                                                    const KernelSpec &spec,
                                                    unsigned lanes, bool x86) {
  KernelAbi abi = kernelAbiOf(spec.op);
  bool rows = abi == KernelAbi::Bias || abi == KernelAbi::BiasBackward;
  std::string loopName = rows ? spec.name + "_row" : spec.name;
  for (const std::string &symbol : {spec.name, loopName, loopName + "_partial"})
    if (module.lookupSymbol(symbol))
      return llvm::createStringError("the module already defines '" + symbol +
                                     "'");
  VectorType vectorType =
      VectorType::get({lanes}, elementTypeOf(module.getContext(), spec.dtype));
  unsigned inputs = abi == KernelAbi::Unary          ? 1
                    : abi == KernelAbi::BiasBackward ? 3
                                                     : 2;
  // Rows are written with cached stores: a row is rarely long enough for
  // streaming to pay, and the next layer reads the output soon.
  LoopShape shape{loopName, inputs, abi == KernelAbi::BiasBackward,
                  rows ? StreamingStores::Never : spec.streamingStores, rows};
  func::FuncOp loop = buildLoopFunction(module, spec, shape, vectorType, x86);
  if (!rows)
    return loop;
  return buildRowsFunction(module, spec, loop, abi == KernelAbi::BiasBackward);
}

llvm::Expected<OwningOpRef<ModuleOp>>
buildKernelModule(MLIRContext &context, const KernelSpec &spec,
                  const TargetInfo &target) {
  if (target.isGpu())
    return llvm::createStringError(
        "target '" + spec.target +
        "' is a GPU: its kernel is built by buildGpuKernelModule");
  if (llvm::Error err = checkVectorBits(spec.vectorBits, target, spec.target))
    return err;
  unsigned bits = spec.vectorBits ? spec.vectorBits : target.vectorBits;
  OwningOpRef<ModuleOp> module = ModuleOp::create(UnknownLoc::get(&context));
  // One register of the computation a step: 16-bit kernels compute in f32,
  // so a step of 512-bit vectors is 16 bf16 lanes (half a register of
  // loads), not 32. The per-vector branches of the tail forms then run for
  // the 16 lanes that need them, not for 32.
  unsigned computeBits =
      computeTypeOf(&context, spec.dtype).getIntOrFloatBitWidth();
  auto kernel = buildElementwiseKernel(*module, spec, bits / computeBits,
                                       llvm::Triple(target.triple).isX86());
  if (!kernel)
    return kernel.takeError();
  return module;
}

} // namespace gelu
