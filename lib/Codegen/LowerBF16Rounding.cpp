//===- LowerBF16Rounding.cpp - f32 to bf16 with each target's instructions ===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// arith.truncf from f32 to bf16 rounds to nearest even and keeps subnormal
// results. x86's vcvtneps2bf16 (AVX512-BF16), which LLVM selects for it,
// flushes them to zero; on x86 without it LLVM calls __truncsfbf2 for each
// lane. So the rounding is lowered here, for the target: the instruction
// where there is one (and integer arithmetic for the rare vectors with a
// subnormal lane), integer arithmetic elsewhere. Both give the same bits.
//
//===----------------------------------------------------------------------===//

#include "gelu/Codegen/BF16Rounding.h"

#include "gelu/Codegen/Passes.h"
#include "gelu/Conversion/Expansions/ElementwiseBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;

namespace gelu {

#define GEN_PASS_DEF_LOWERBF16ROUNDING
#include "gelu/Codegen/Passes.h.inc"

bool hasNativeBF16Rounding(const TargetInfo &target) {
  return llvm::StringRef(target.triple).starts_with("x86_64") &&
         targetHasFeature(target, "avx512bf16") &&
         targetHasFeature(target, "avx512vl") &&
         targetHasFeature(target, "avx512dq");
}

namespace {

/// llvm.is.fpclass's test for a subnormal of either sign.
constexpr uint32_t kSubnormalClasses = 0x10 | 0x80;

/// f32 `value` rounded to bf16 (`type`) to nearest even in integer
/// arithmetic.
Value emitIntegerRounding(OpBuilder &b, Location loc, Value value, Type type) {
  Type i32Type = withElementType(type, b.getI32Type());
  Type i16Type = withElementType(type, b.getI16Type());
  auto intConstant = [&](int32_t v) {
    return emitSplatConstant(b, loc, i32Type, b.getI32IntegerAttr(v));
  };
  Value bits = arith::BitcastOp::create(b, loc, i32Type, value);
  Value sixteen = intConstant(16);
  Value lowestKept = arith::AndIOp::create(
      b, loc, arith::ShRUIOp::create(b, loc, bits, sixteen), intConstant(1));
  Value rounded = arith::AddIOp::create(
      b, loc, bits,
      arith::AddIOp::create(b, loc, intConstant(0x7fff), lowestKept));
  // NaN stays a (quiet) NaN: rounding could carry its payload into inf.
  Value isNaN =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, value, value);
  Value quietNaN = arith::OrIOp::create(b, loc, bits, intConstant(0x400000));
  Value chosen = arith::SelectOp::create(b, loc, isNaN, quietNaN, rounded);
  Value high = arith::TruncIOp::create(
      b, loc, i16Type, arith::ShRUIOp::create(b, loc, chosen, sixteen));
  return arith::BitcastOp::create(b, loc, type, high);
}

/// Whether each lane of f32 `value` is subnormal: one vfpclassps (AVX-512
/// DQ) on 4, 8 or 16 lanes; llvm.is.fpclass for other shapes. LLVM lowers
/// llvm.is.fpclass to three integer operations, and with them the test
/// cost a bf16 kernel more than the rounding it guards (docs/bench.md).
Value emitIsSubnormal(OpBuilder &b, Location loc, Value value) {
  Type maskType = withElementType(value.getType(), b.getI1Type());
  auto vector = dyn_cast<VectorType>(value.getType());
  int64_t lanes = vector ? vector.getNumElements() : 0;
  if (lanes != 4 && lanes != 8 && lanes != 16)
    return LLVM::IsFPClass::create(b, loc, maskType, value,
                                   b.getI32IntegerAttr(kSubnormalClasses));
  // vfpclassps's immediate: bit 5 tests for a denormal of either sign.
  Value denormal = arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(0x20));
  std::string intrinsic =
      "llvm.x86.avx512.fpclass.ps." + std::to_string(lanes * 32);
  return LLVM::CallIntrinsicOp::create(b, loc, maskType,
                                       b.getStringAttr(intrinsic),
                                       ValueRange{value, denormal})
      .getResult(0);
}

struct LowerBF16Truncation : OpRewritePattern<arith::TruncFOp> {
  LowerBF16Truncation(MLIRContext *ctx, bool native)
      : OpRewritePattern(ctx), native(native) {}

  LogicalResult matchAndRewrite(arith::TruncFOp op,
                                PatternRewriter &rewriter) const override {
    Value in = op.getIn();
    Type type = op.getType();
    if (!getElementTypeOrSelf(in.getType()).isF32() ||
        !getElementTypeOrSelf(type).isBF16())
      return rewriter.notifyMatchFailure(op, "not f32 to bf16");
    if (op.getRoundingmodeAttr() &&
        op.getRoundingmode() != arith::RoundingMode::to_nearest_even)
      return rewriter.notifyMatchFailure(op, "not to nearest even");
    Location loc = op.getLoc();
    if (!native) {
      rewriter.replaceOp(op, emitIntegerRounding(rewriter, loc, in, type));
      return success();
    }
    // The instruction (as LLVM's fptrunc, which the pattern does not match
    // again), and for a vector with a subnormal lane the integer rounding,
    // in a branch that only such vectors take.
    Value rounded = LLVM::FPTruncOp::create(rewriter, loc, type, in);
    Value subnormal = emitIsSubnormal(rewriter, loc, in);
    Value any = subnormal;
    if (isa<VectorType>(type))
      any = vector::ReductionOp::create(rewriter, loc,
                                        vector::CombiningKind::OR, subnormal);
    auto branch = scf::IfOp::create(rewriter, loc, TypeRange{type}, any,
                                    /*withElseRegion=*/true);
    {
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPointToStart(branch.thenBlock());
      Value exact = emitIntegerRounding(rewriter, loc, in, type);
      scf::YieldOp::create(
          rewriter, loc,
          ValueRange{
              arith::SelectOp::create(rewriter, loc, subnormal, exact, rounded)
                  .getResult()});
      rewriter.setInsertionPointToStart(branch.elseBlock());
      scf::YieldOp::create(rewriter, loc, rounded);
    }
    rewriter.replaceOp(op, branch.getResult(0));
    return success();
  }

  bool native;
};

struct LowerBF16RoundingPass
    : impl::LowerBF16RoundingBase<LowerBF16RoundingPass> {
  using Base::Base;
  explicit LowerBF16RoundingPass(const TargetInfo &target) : given(target) {}

  void runOnOperation() override {
    auto resolved = loweringTarget(given, target);
    if (!resolved) {
      getOperation()->emitError("act-lower-bf16-rounding: ")
          << llvm::toString(resolved.takeError());
      return signalPassFailure();
    }
    bool native = *resolved && hasNativeBF16Rounding(**resolved);
    RewritePatternSet patterns(&getContext());
    populateLowerBF16RoundingPatterns(patterns, native);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }

  std::optional<TargetInfo> given;
};

} // namespace

void populateLowerBF16RoundingPatterns(RewritePatternSet &patterns,
                                       bool native) {
  patterns.add<LowerBF16Truncation>(patterns.getContext(), native);
}

std::unique_ptr<Pass> createLowerBF16RoundingPass(const TargetInfo &target) {
  return std::make_unique<LowerBF16RoundingPass>(target);
}

} // namespace gelu
