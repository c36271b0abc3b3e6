//===- ActToArith.cpp - Expand act ops into arith/math -------------------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// Rewrites act ops into the arithmetic of their expansions (Numerics/). The
// patterns here only dispatch: the formulas live in Expansions.cpp.
//
//===----------------------------------------------------------------------===//

#include "gelu/Conversion/ActToArith/ActToArith.h"

#include "gelu/Conversion/Passes.h"
#include "gelu/Dialect/Act/IR/ActOps.h"
#include "gelu/Numerics/ElementwiseBuilder.h"
#include "gelu/Numerics/ExpansionCatalog.h"
#include "gelu/Numerics/Expansions.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

namespace gelu {
#define GEN_PASS_DEF_CONVERTACTTOARITH
#include "gelu/Conversion/Passes.h.inc"
} // namespace gelu

using namespace mlir;
using namespace gelu;

//===----------------------------------------------------------------------===//
// Dispatch
//===----------------------------------------------------------------------===//

static ReferenceFunction referenceOf(act::GeluOp op) {
  return geluReferenceFunction(op.getApproximate());
}
static ReferenceFunction referenceOf(act::SiluOp) {
  return ReferenceFunction::Silu;
}
static ReferenceFunction referenceOf(act::ReluOp) {
  return ReferenceFunction::Relu;
}

/// Rounds f32 `value` to bf16 (`type`) to nearest even in integer
/// arithmetic. arith.truncf would do on paper, but x86's vcvtneps2bf16, which
/// LLVM selects for it on AVX512-BF16 CPUs, flushes subnormal results to
/// zero; GELU(x) for tiny x is such a result.
static Value emitRoundToBF16(OpBuilder &b, Location loc, Value value,
                             Type type) {
  Type i32Type = b.getI32Type(), i16Type = b.getI16Type();
  if (auto shaped = dyn_cast<ShapedType>(type)) {
    i32Type = shaped.clone(i32Type);
    i16Type = shaped.clone(i16Type);
  }
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

Value gelu::emitActivation(OpBuilder &builder, Location loc,
                           ReferenceFunction function, act::Expansion expansion,
                           Value input, unsigned degree) {
  Type type = input.getType();
  Type element = getElementTypeOrSelf(type);
  if (!element.isF16() && !element.isBF16() && !element.isF32())
    return nullptr;
  Type f32Type = type;
  Value x = input;
  if (!element.isF32()) {
    // 16-bit I/O, f32 compute: every 16-bit input is exact in f32 and the
    // f32 result rounds once more to the 16-bit format.
    f32Type = builder.getF32Type();
    if (auto shaped = dyn_cast<ShapedType>(type))
      f32Type = shaped.clone(f32Type);
    x = arith::ExtFOp::create(builder, loc, f32Type, input);
  }
  ElementwiseBuilder eb(builder, loc, f32Type);
  Value result = emitExpansion(eb, function, expansion, x, degree);
  if (element.isBF16())
    return emitRoundToBF16(builder, loc, result, type);
  if (element.isF16())
    return arith::TruncFOp::create(builder, loc, type, result);
  return result;
}

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

namespace {
/// Expands an act op on a scalar or vector. Tensor ops are left to the
/// elementwise-to-linalg pattern, which rewrites them into scalar act ops.
template <typename ActOp> struct ExpandActOp : public OpRewritePattern<ActOp> {
  using OpRewritePattern<ActOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(ActOp op,
                                PatternRewriter &rewriter) const override {
    if (isa<TensorType>(op.getType()))
      return rewriter.notifyMatchFailure(op, "tensors go through linalg");
    // No expansion named: the op's accurate default.
    ReferenceFunction function = referenceOf(op);
    act::Expansion expansion =
        op.getExpansion().value_or(expansionsFor(function).front());
    unsigned degree = 0;
    if constexpr (std::is_same_v<ActOp, act::GeluOp>)
      degree = op.getDegree().value_or(0);
    Value result = emitActivation(rewriter, op.getLoc(), function, expansion,
                                  op.getInput(), degree);
    if (!result)
      return rewriter.notifyMatchFailure(op, "no expansion for this type");
    rewriter.replaceOp(op, result);
    return success();
  }
};
} // namespace

void gelu::populateActToArithConversionPatterns(RewritePatternSet &patterns) {
  patterns.add<ExpandActOp<act::GeluOp>, ExpandActOp<act::SiluOp>,
               ExpandActOp<act::ReluOp>>(patterns.getContext());
  linalg::populateElementwiseToLinalgConversionPatterns(patterns);
}

//===----------------------------------------------------------------------===//
// Pass
//===----------------------------------------------------------------------===//

namespace {
struct ConvertActToArithPass
    : public gelu::impl::ConvertActToArithBase<ConvertActToArithPass> {
  void runOnOperation() override {
    // Say why an op cannot be expanded, rather than a bare "failed to
    // legalize".
    WalkResult unsupported = getOperation()->walk([](Operation *op) {
      if (!isa<act::ActDialect>(op->getDialect()))
        return WalkResult::advance();
      if (getElementTypeOrSelf(op->getResult(0).getType()).isF64()) {
        op->emitOpError("on f64 is not supported by convert-act-to-arith "
                        "yet: expansions exist for f16, bf16 and f32");
        return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
    if (unsupported.wasInterrupted())
      return signalPassFailure();

    ConversionTarget target(getContext());
    target.addIllegalDialect<act::ActDialect>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    RewritePatternSet patterns(&getContext());
    populateActToArithConversionPatterns(patterns);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
