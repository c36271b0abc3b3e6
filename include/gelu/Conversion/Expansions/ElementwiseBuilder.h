//===- ElementwiseBuilder.h - Emit elementwise float arithmetic -*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// A thin helper that emits arith/math operations on one float-like type
// (a scalar, a vector or a static tensor of f32 or f64) so that the expansions
// in Numerics read like the formulas they implement. Every operation is
// elementwise; nothing here calls libm.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_CONVERSION_EXPANSIONS_ELEMENTWISEBUILDER_H
#define GELU_CONVERSION_EXPANSIONS_ELEMENTWISEBUILDER_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/Location.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"

namespace gelu {

/// The type with the same shape as `type` (a scalar, vector or tensor) and
/// element `element`.
mlir::Type withElementType(mlir::Type type, mlir::Type element);

/// A constant of `type` (a scalar, or a shaped type splatted) holding the
/// scalar `value`.
mlir::Value emitSplatConstant(mlir::OpBuilder &b, mlir::Location loc,
                              mlir::Type type, mlir::TypedAttr value);

class ElementwiseBuilder {
public:
  /// `floatType` is f32 or f64, or a vector/static tensor of them; every
  /// value built here has that type, or its i1 or same-width integer (i32,
  /// i64) counterpart.
  ElementwiseBuilder(mlir::OpBuilder &builder, mlir::Location loc,
                     mlir::Type floatType);

  /// The float type every value is built in.
  mlir::Type floatType() const { return fType; }
  /// A builder at the same place for the same shape of `element` (f32 or
  /// f64).
  ElementwiseBuilder withElement(mlir::Type element) const;
  /// Whether that type's element is f64.
  bool isDouble() const;

  /// A splat constant of the float type (rounded to f32 for f32).
  mlir::Value constant(double value);
  /// A splat constant of the integer counterpart type.
  mlir::Value intConstant(int64_t value);
  /// `a`, of another float type of the same shape, extended or rounded
  /// (to nearest even) to this builder's.
  mlir::Value convertFrom(mlir::Value a);

  mlir::Value add(mlir::Value a, mlir::Value b);
  mlir::Value sub(mlir::Value a, mlir::Value b);
  mlir::Value mul(mlir::Value a, mlir::Value b);
  mlir::Value div(mlir::Value a, mlir::Value b);
  mlir::Value neg(mlir::Value a);
  /// 1/a, allowed to be computed by a reciprocal estimate and a Newton step
  /// (fastmath arcp and ninf; the kernel's "reciprocal-estimates" attribute
  /// asks the backend for it): ~1 ULP instead of 0.5, and far cheaper than a
  /// divide. `a` must be finite and non-zero.
  mlir::Value reciprocalEstimate(mlir::Value a);
  /// a·b + c with a single rounding.
  mlir::Value fma(mlir::Value a, mlir::Value b, mlir::Value c);
  /// An NVIDIA GPU's approximations of tanh(a), 2^a and 1/a (f32:
  /// `act.hw_tanh`, `act.hw_exp2`, `act.hw_rcp`, which NVPTX targets alone
  /// lower; errors in Numerics/HardwareApproximations.h).
  mlir::Value hardwareTanh(mlir::Value a);
  mlir::Value hardwareExp2(mlir::Value a);
  mlir::Value hardwareReciprocal(mlir::Value a);
  mlir::Value abs(mlir::Value a);
  /// |magnitude| with the sign bit of `sign` (math.copysign: bit
  /// operations, NaN kept).
  mlir::Value copySign(mlir::Value magnitude, mlir::Value sign);
  mlir::Value roundEven(mlir::Value a);
  mlir::Value floor(mlir::Value a);

  /// Ordered comparisons: false when either side is NaN.
  mlir::Value lessThan(mlir::Value a, mlir::Value b);
  mlir::Value lessEqual(mlir::Value a, mlir::Value b);
  /// Unordered not-equal: true when either side is NaN.
  mlir::Value notEqual(mlir::Value a, mlir::Value b);
  /// Lane-wise AND of two conditions.
  mlir::Value andI(mlir::Value a, mlir::Value b);
  /// Lane-wise NOT of a condition.
  mlir::Value notI(mlir::Value a);
  mlir::Value select(mlir::Value cond, mlir::Value ifTrue, mlir::Value ifFalse);
  /// max(a, bound) that keeps NaN: a compare and a select, never maxnum.
  mlir::Value clampBelow(mlir::Value a, double bound);
  /// min(a, bound) that keeps NaN.
  mlir::Value clampAbove(mlir::Value a, double bound);

  /// Horner evaluation of c[0]·x^(n-1) + ... + c[n-1] with FMAs.
  mlir::Value horner(mlir::Value x, llvm::ArrayRef<double> highToLow);
  /// The same for coefficients lowest degree first (the fitted tables'
  /// order): c[0] + c[1]·x + ... + c[n-1]·x^(n-1).
  mlir::Value hornerLowFirst(mlir::Value x, llvm::ArrayRef<double> lowToHigh);

  // Integer helpers for exponent manipulation.
  mlir::Value floatToInt(mlir::Value a);
  mlir::Value addInt(mlir::Value a, mlir::Value b);
  mlir::Value subInt(mlir::Value a, mlir::Value b);
  mlir::Value shiftLeft(mlir::Value a, int32_t bits);
  mlir::Value shiftRightArith(mlir::Value a, int32_t bits);
  mlir::Value bitcastToFloat(mlir::Value a);
  mlir::Value bitcastToInt(mlir::Value a);
  mlir::Value andInt(mlir::Value a, mlir::Value b);
  mlir::Value orInt(mlir::Value a, mlir::Value b);
  /// Integer comparisons, lane-wise.
  mlir::Value equalInt(mlir::Value a, mlir::Value b);
  mlir::Value lessEqualUnsigned(mlir::Value a, mlir::Value b);

  /// Each lane's entry of `table` at `index` (the integer counterpart type:
  /// i32 for f32, i64 for f64; an f32 builder's entries must be f32
  /// values), the index taken modulo the table's size, a power of two up to
  /// 64: an `act.lookup`, which `act-lower-lookups` lowers for the target.
  mlir::Value lookup(llvm::ArrayRef<double> table, mlir::Value index);

  /// `select(mask, slow, fast)`, where `slow` is built, and run, only when
  /// some lane of `mask` is true: a branch a vector (`scf.if` on the OR of
  /// the lanes) for vectors and scalars. For tensors, which have no such
  /// branch before they are bufferized, both are computed.
  mlir::Value
  selectWhereAny(mlir::Value mask,
                 llvm::function_ref<mlir::Value(ElementwiseBuilder &)> slow,
                 mlir::Value fast);

  /// `slow` on every lane where some lane of `mask` is true, else `fast`:
  /// a branch a vector with one form built on each side, for two forms
  /// that give the same result wherever `fast` applies (correctly rounded
  /// ones), so that a lane's result does not depend on its neighbours. For
  /// tensors, `select(mask, slow, fast)`.
  mlir::Value
  eitherWhereAny(mlir::Value mask,
                 llvm::function_ref<mlir::Value(ElementwiseBuilder &)> slow,
                 llvm::function_ref<mlir::Value(ElementwiseBuilder &)> fast);

private:
  mlir::OpBuilder &b;
  mlir::Location loc;
  mlir::Type fType;
  mlir::Type iType;
};

} // namespace gelu

#endif // GELU_CONVERSION_EXPANSIONS_ELEMENTWISEBUILDER_H
