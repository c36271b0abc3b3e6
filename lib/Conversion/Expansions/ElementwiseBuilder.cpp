//===- ElementwiseBuilder.cpp - Emit elementwise float arithmetic --------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Conversion/Expansions/ElementwiseBuilder.h"

#include "gelu/Dialect/Act/IR/ActOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/TypeUtilities.h"

#include "llvm/ADT/STLExtras.h"

using namespace mlir;

namespace gelu {

Type withElementType(Type type, Type element) {
  if (auto shaped = dyn_cast<ShapedType>(type))
    return shaped.clone(element);
  return element;
}

ElementwiseBuilder::ElementwiseBuilder(OpBuilder &builder, Location loc,
                                       Type floatType)
    : b(builder), loc(loc), fType(floatType),
      iType(withElementType(
          floatType, builder.getIntegerType(
                         getElementTypeOrSelf(floatType).isF64() ? 64 : 32))) {
  assert((getElementTypeOrSelf(floatType).isF32() ||
          getElementTypeOrSelf(floatType).isF64()) &&
         "ElementwiseBuilder computes in f32 or f64");
}

ElementwiseBuilder ElementwiseBuilder::withElement(Type element) const {
  return ElementwiseBuilder(b, loc, withElementType(fType, element));
}

bool ElementwiseBuilder::isDouble() const {
  return getElementTypeOrSelf(fType).isF64();
}

Value emitSplatConstant(OpBuilder &b, Location loc, Type type,
                        TypedAttr scalar) {
  if (auto shaped = dyn_cast<ShapedType>(type))
    return arith::ConstantOp::create(b, loc,
                                     SplatElementsAttr::get(shaped, scalar));
  return arith::ConstantOp::create(b, loc, scalar);
}

Value ElementwiseBuilder::constant(double value) {
  if (isDouble())
    return emitSplatConstant(b, loc, fType, b.getF64FloatAttr(value));
  return emitSplatConstant(b, loc, fType,
                           b.getF32FloatAttr(static_cast<float>(value)));
}

Value ElementwiseBuilder::intConstant(int64_t value) {
  if (isDouble())
    return emitSplatConstant(b, loc, iType, b.getI64IntegerAttr(value));
  assert(value == static_cast<int32_t>(value) && "an i32 constant");
  return emitSplatConstant(b, loc, iType,
                           b.getI32IntegerAttr(static_cast<int32_t>(value)));
}

Value ElementwiseBuilder::add(Value a, Value c) {
  return arith::AddFOp::create(b, loc, a, c);
}
Value ElementwiseBuilder::sub(Value a, Value c) {
  return arith::SubFOp::create(b, loc, a, c);
}
Value ElementwiseBuilder::mul(Value a, Value c) {
  return arith::MulFOp::create(b, loc, a, c);
}
Value ElementwiseBuilder::div(Value a, Value c) {
  return arith::DivFOp::create(b, loc, a, c);
}
Value ElementwiseBuilder::reciprocalEstimate(Value a) {
  // LLVM replaces a divide by an estimate only with arcp and ninf; callers
  // pass finite, non-zero operands, so ninf holds.
  return arith::DivFOp::create(b, loc, constant(1.0), a,
                               arith::FastMathFlags::arcp |
                                   arith::FastMathFlags::ninf);
}
Value ElementwiseBuilder::neg(Value a) {
  return arith::NegFOp::create(b, loc, a);
}
Value ElementwiseBuilder::fma(Value a, Value x, Value c) {
  return math::FmaOp::create(b, loc, a, x, c);
}
Value ElementwiseBuilder::abs(Value a) {
  return math::AbsFOp::create(b, loc, a);
}
Value ElementwiseBuilder::hardwareTanh(Value a) {
  return act::HwTanhOp::create(b, loc, a);
}
Value ElementwiseBuilder::hardwareExp2(Value a) {
  return act::HwExp2Op::create(b, loc, a);
}
Value ElementwiseBuilder::hardwareReciprocal(Value a) {
  return act::HwRcpOp::create(b, loc, a);
}
Value ElementwiseBuilder::copySign(Value magnitude, Value sign) {
  return math::CopySignOp::create(b, loc, magnitude, sign);
}
Value ElementwiseBuilder::roundEven(Value a) {
  return math::RoundEvenOp::create(b, loc, a);
}
Value ElementwiseBuilder::floor(Value a) {
  return math::FloorOp::create(b, loc, a);
}

Value ElementwiseBuilder::lessThan(Value a, Value c) {
  return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, a, c);
}
Value ElementwiseBuilder::lessEqual(Value a, Value c) {
  return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLE, a, c);
}
Value ElementwiseBuilder::notEqual(Value a, Value c) {
  return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, a, c);
}
Value ElementwiseBuilder::andI(Value a, Value c) {
  return arith::AndIOp::create(b, loc, a, c);
}
Value ElementwiseBuilder::notI(Value a) {
  Value allTrue = emitSplatConstant(b, loc, a.getType(),
                                    b.getIntegerAttr(b.getI1Type(), 1));
  return arith::XOrIOp::create(b, loc, a, allTrue);
}
Value ElementwiseBuilder::select(Value cond, Value ifTrue, Value ifFalse) {
  return arith::SelectOp::create(b, loc, cond, ifTrue, ifFalse);
}

Value ElementwiseBuilder::clampBelow(Value a, double bound) {
  Value c = constant(bound);
  return select(lessThan(a, c), c, a);
}

Value ElementwiseBuilder::clampAbove(Value a, double bound) {
  Value c = constant(bound);
  return select(lessThan(c, a), c, a);
}

Value ElementwiseBuilder::horner(Value x, ArrayRef<double> highToLow) {
  assert(!highToLow.empty() && "a polynomial needs a coefficient");
  Value acc = constant(highToLow.front());
  for (double c : highToLow.drop_front())
    acc = fma(acc, x, constant(c));
  return acc;
}

Value ElementwiseBuilder::hornerLowFirst(Value x, ArrayRef<double> lowToHigh) {
  assert(!lowToHigh.empty() && "a polynomial needs a coefficient");
  Value acc = constant(lowToHigh.back());
  for (double c : llvm::reverse(lowToHigh.drop_back()))
    acc = fma(acc, x, constant(c));
  return acc;
}

Value ElementwiseBuilder::floatToInt(Value a) {
  return arith::FPToSIOp::create(b, loc, iType, a);
}
Value ElementwiseBuilder::addInt(Value a, Value c) {
  return arith::AddIOp::create(b, loc, a, c);
}
Value ElementwiseBuilder::subInt(Value a, Value c) {
  return arith::SubIOp::create(b, loc, a, c);
}
Value ElementwiseBuilder::shiftLeft(Value a, int32_t bits) {
  return arith::ShLIOp::create(b, loc, a, intConstant(bits));
}
Value ElementwiseBuilder::shiftRightArith(Value a, int32_t bits) {
  return arith::ShRSIOp::create(b, loc, a, intConstant(bits));
}
Value ElementwiseBuilder::bitcastToFloat(Value a) {
  return arith::BitcastOp::create(b, loc, fType, a);
}

Value ElementwiseBuilder::bitcastToInt(Value a) {
  return arith::BitcastOp::create(b, loc, iType, a);
}

Value ElementwiseBuilder::andInt(Value a, Value c) {
  return arith::AndIOp::create(b, loc, a, c);
}

Value ElementwiseBuilder::orInt(Value a, Value c) {
  return arith::OrIOp::create(b, loc, a, c);
}

Value ElementwiseBuilder::equalInt(Value a, Value c) {
  return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, a, c);
}

Value ElementwiseBuilder::lessEqualUnsigned(Value a, Value c) {
  return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ule, a, c);
}

Value ElementwiseBuilder::convertFrom(Value a) {
  unsigned from = getElementTypeOrSelf(a.getType()).getIntOrFloatBitWidth();
  unsigned to = getElementTypeOrSelf(fType).getIntOrFloatBitWidth();
  if (from == to)
    return a;
  if (from < to)
    return arith::ExtFOp::create(b, loc, fType, a);
  return arith::TruncFOp::create(b, loc, fType, a);
}

Value ElementwiseBuilder::lookup(ArrayRef<double> table, Value index) {
  return act::LookupOp::create(b, loc, fType, index,
                               b.getDenseF64ArrayAttr(table));
}

/// A branch on whether some lane of `mask` is true, yielding `type`, the
/// builder left where it was.
static scf::IfOp branchOnAnyLane(OpBuilder &b, Location loc, Value mask,
                                 Type type) {
  Value any = mask;
  if (isa<VectorType>(mask.getType()))
    any = vector::ReductionOp::create(b, loc, vector::CombiningKind::OR, mask);
  return scf::IfOp::create(b, loc, TypeRange{type}, any,
                           /*withElseRegion=*/true);
}

Value ElementwiseBuilder::selectWhereAny(
    Value mask, function_ref<Value(ElementwiseBuilder &)> slow, Value fast) {
  if (isa<TensorType>(fType))
    return select(mask, slow(*this), fast);
  scf::IfOp branch = branchOnAnyLane(b, loc, mask, fType);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(branch.thenBlock());
  Value slowValue = slow(*this);
  Value merged = select(mask, slowValue, fast);
  scf::YieldOp::create(b, loc, merged);
  b.setInsertionPointToStart(branch.elseBlock());
  scf::YieldOp::create(b, loc, fast);
  return branch.getResult(0);
}

Value ElementwiseBuilder::eitherWhereAny(
    Value mask, function_ref<Value(ElementwiseBuilder &)> slow,
    function_ref<Value(ElementwiseBuilder &)> fast) {
  if (isa<TensorType>(fType))
    return select(mask, slow(*this), fast(*this));
  scf::IfOp branch = branchOnAnyLane(b, loc, mask, fType);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(branch.thenBlock());
  scf::YieldOp::create(b, loc, slow(*this));
  b.setInsertionPointToStart(branch.elseBlock());
  scf::YieldOp::create(b, loc, fast(*this));
  return branch.getResult(0);
}

} // namespace gelu
