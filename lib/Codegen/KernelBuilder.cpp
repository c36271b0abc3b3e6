//===- KernelBuilder.cpp - Wrap an act op into a buffer kernel -----------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Codegen/KernelBuilder.h"

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

Value buildActivation(OpBuilder &b, Location loc, const KernelSpec &spec,
                      Value x) {
  MLIRContext *ctx = b.getContext();
  act::ExpansionAttr expansion =
      spec.expansion ? act::ExpansionAttr::get(ctx, *spec.expansion)
                     : act::ExpansionAttr();
  switch (spec.op) {
  case KernelOp::Gelu:
    return act::GeluOp::create(
        b, loc, x, act::ApproximateAttr::get(ctx, spec.approximate), expansion,
        spec.degree ? b.getI32IntegerAttr(*spec.degree) : IntegerAttr());
  case KernelOp::Silu:
    return act::SiluOp::create(b, loc, x, expansion);
  case KernelOp::Relu:
    return act::ReluOp::create(b, loc, x, expansion);
  }
  llvm_unreachable("unknown op");
}

namespace {
/// Emits the vector steps of the kernel: loads, the act op, stores.
struct VectorStep {
  const KernelSpec &spec;
  Value in, out;
  VectorType vectorType;
  unsigned elementBytes;

  /// One vector at element `offset`: masked when `mask` is set (lanes past
  /// the count read as zero and are never stored); a streaming store needs
  /// `out + offset` aligned to the vector.
  void emit(OpBuilder &b, Location loc, Value offset, Value mask,
            bool streaming = false) const {
    auto ptrType = LLVM::LLVMPointerType::get(b.getContext());
    Type element = vectorType.getElementType();
    auto address = [&](Value base) {
      return LLVM::GEPOp::create(b, loc, ptrType, element, base,
                                 ValueRange{offset},
                                 LLVM::GEPNoWrapFlags::inbounds);
    };
    Value src = address(in), dst = address(out);
    Value x;
    if (mask) {
      Value zeros = arith::ConstantOp::create(
          b, loc, DenseElementsAttr::get(vectorType, b.getZeroAttr(element)));
      x = LLVM::MaskedLoadOp::create(b, loc, vectorType, src, mask, zeros,
                                     b.getI32IntegerAttr(elementBytes),
                                     /*nontemporal=*/nullptr);
    } else {
      x = LLVM::LoadOp::create(b, loc, vectorType, src, elementBytes);
    }
    Value y = buildActivation(b, loc, spec, x);
    if (mask) {
      LLVM::MaskedStoreOp::create(b, loc, y, dst, mask,
                                  b.getI32IntegerAttr(elementBytes));
    } else if (streaming) {
      LLVM::StoreOp::create(b, loc, y, dst,
                            vectorType.getNumElements() * elementBytes,
                            /*isVolatile=*/false, /*isNonTemporal=*/true);
    } else {
      LLVM::StoreOp::create(b, loc, y, dst, elementBytes);
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
} // namespace

/// Vectors per main-loop iteration when the spec leaves it open. Measured
/// on AVX-512 at 4K floats (one thread): unrolling by 2 or 4 gains nothing
/// for the cheap forms (rational_fast 0.40 ns/element either way) and costs
/// the accurate one 5-20% (1.30 → 1.44 ns: its ~40 live constants and
/// temporaries spill); the out-of-order core already overlaps iterations.
static constexpr unsigned kDefaultUnroll = 1;

llvm::Error checkKernelDType(DType dtype) {
  if (dtype == DType::F64)
    return llvm::createStringError(
        "dtype 'f64' is not supported yet: kernels exist for f32, f16 and "
        "bf16");
  return llvm::Error::success();
}

llvm::Expected<func::FuncOp> buildElementwiseKernel(ModuleOp module,
                                                    const KernelSpec &spec,
                                                    unsigned lanes, bool x86) {
  if (llvm::Error err = checkKernelDType(spec.dtype))
    return std::move(err);
  for (const std::string &symbol : {spec.name, spec.name + "_partial"})
    if (module.lookupSymbol(symbol))
      return llvm::createStringError("the module already defines '" + symbol +
                                     "'");
  MLIRContext *ctx = module.getContext();
  Location loc = NameLoc::get(StringAttr::get(ctx, spec.name));
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());

  auto ptrType = LLVM::LLVMPointerType::get(ctx);
  Type i64 = b.getI64Type();
  auto function = func::FuncOp::create(
      b, loc, spec.name, b.getFunctionType({ptrType, ptrType, i64}, {}));
  // `in` may equal `out` (in place), so neither is noalias.
  function.setArgAttr(0, LLVM::LLVMDialect::getReadonlyAttrName(),
                      b.getUnitAttr());
  function.setArgAttr(0, LLVM::LLVMDialect::getNoCaptureAttrName(),
                      b.getUnitAttr());
  function.setArgAttr(1, LLVM::LLVMDialect::getNoCaptureAttrName(),
                      b.getUnitAttr());
  Block *entry = function.addEntryBlock();
  b.setInsertionPointToStart(entry);

  unsigned elementBytes = dtypeSize(spec.dtype);
  VectorType vectorType =
      VectorType::get({lanes}, elementTypeOf(ctx, spec.dtype));
  Value in = entry->getArgument(0), out = entry->getArgument(1);
  VectorStep step{spec, in, out, vectorType, elementBytes};

  // The masked step is a function of its own, called for the streaming
  // head and for the tails: one copy of the activation instead of three
  // halves the compile time. It runs at most twice a call, so the call
  // costs nothing measurable; noinline keeps LLVM from copying it back.
  auto partial = [&] {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointAfter(function);
    Type types[] = {ptrType, ptrType, i64, i64};
    auto helper = func::FuncOp::create(b, loc, spec.name + "_partial",
                                       b.getFunctionType(types, {}));
    helper.setPrivate();
    helper->setAttr("llvm.linkage",
                    LLVM::LinkageAttr::get(ctx, LLVM::Linkage::Internal));
    helper->setAttr("passthrough",
                    b.getArrayAttr({b.getStringAttr("noinline")}));
    Block *body = helper.addEntryBlock();
    b.setInsertionPointToStart(body);
    VectorStep masked{spec, body->getArgument(0), body->getArgument(1),
                      vectorType, elementBytes};
    masked.emitPartial(b, loc, body->getArgument(2), body->getArgument(3));
    func::ReturnOp::create(b, loc);
    return helper;
  }();
  auto emitPartial = [&](OpBuilder &pb, Location l, Value offset, Value count) {
    func::CallOp::create(pb, l, partial, ValueRange{in, out, offset, count});
  };
  unsigned unroll = spec.unroll ? spec.unroll : kDefaultUnroll;
  auto constant = [&](int64_t v) { return VectorStep::constant(b, loc, v); };

  Value zero = constant(0);
  Value n = arith::MaxSIOp::create(b, loc, entry->getArgument(2), zero);

  // The cached path: full vectors, then one masked vector for the rest.
  auto emitCached = [&](OpBuilder &nb, Location l) {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(nb.getInsertionBlock(), nb.getInsertionPoint());
    Value full = arith::SubIOp::create(
        b, l, n, arith::RemUIOp::create(b, l, n, constant(lanes)));
    step.emitLoops(b, l, zero, full, unroll, /*streaming=*/false);
    emitPartial(b, l, full, arith::SubIOp::create(b, l, n, full));
  };
  if (spec.streamingStores == StreamingStores::Never) {
    emitCached(b, loc);
    func::ReturnOp::create(b, loc);
    return function;
  }

  // The streaming path: a masked head up to the first vector-aligned
  // output element, aligned non-temporal stores, a masked tail, and a full
  // fence (streaming stores are weakly ordered; the caller may hand `out`
  // to another thread as soon as the kernel returns).
  Value inAddress = LLVM::PtrToIntOp::create(b, loc, i64, in);
  Value outAddress = LLVM::PtrToIntOp::create(b, loc, i64, out);
  Value vectorBytes = constant(lanes * elementBytes);
  Value bytes = arith::MulIOp::create(b, loc, n, constant(elementBytes));
  Value elementAligned = arith::CmpIOp::create(
      b, loc, arith::CmpIPredicate::eq,
      arith::RemUIOp::create(b, loc, outAddress, constant(elementBytes)), zero);
  Value useStreaming = elementAligned;
  if (spec.streamingStores == StreamingStores::Auto) {
    // Large, and not in place: an in-place caller reads `out` again soon.
    auto ule = [&](Value a, Value c) {
      return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ule, a, c);
    };
    Value large =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::uge, bytes,
                              constant(kStreamingThresholdBytes));
    Value disjoint = arith::OrIOp::create(
        b, loc,
        ule(arith::AddIOp::create(b, loc, inAddress, bytes), outAddress),
        ule(arith::AddIOp::create(b, loc, outAddress, bytes), inAddress));
    useStreaming = arith::AndIOp::create(
        b, loc, useStreaming, arith::AndIOp::create(b, loc, large, disjoint));
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

llvm::Expected<OwningOpRef<ModuleOp>>
buildKernelModule(MLIRContext &context, const KernelSpec &spec,
                  const TargetInfo &target) {
  if (target.isGpu())
    return llvm::createStringError(
        "target '" + spec.target +
        "' is a GPU: its kernel is built by buildGpuKernelModule");
  if (spec.vectorBits > target.vectorBits)
    return llvm::createStringError(
        "vector_bits " + llvm::Twine(spec.vectorBits) +
        " is wider than target '" + spec.target + "''s " +
        llvm::Twine(target.vectorBits) + "-bit vectors");
  unsigned bits = spec.vectorBits ? spec.vectorBits : target.vectorBits;
  OwningOpRef<ModuleOp> module = ModuleOp::create(UnknownLoc::get(&context));
  auto kernel =
      buildElementwiseKernel(*module, spec, bits / (8 * dtypeSize(spec.dtype)),
                             llvm::Triple(target.triple).isX86());
  if (!kernel)
    return kernel.takeError();
  return module;
}

} // namespace gelu
