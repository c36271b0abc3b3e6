//===- OpFacts.h - What each act op means -----------------------*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// The facts of an op that its users need without an op at hand (the spec
// parser, the kernel builder, the JIT's checked calls): which function it
// computes and the role of each operand. They are written once, as the
// arguments of the op's ODS class (ActOps.td); opFacts() reads them from the
// generated op classes, and the op interface (ActInterfaces.td) gives them
// for an op in the IR.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_DIALECT_ACT_IR_OPFACTS_H
#define GELU_DIALECT_ACT_IR_OPFACTS_H

#include "gelu/Dialect/Act/IR/ActEnums.h"
#include "gelu/Numerics/Reference.h"

#include "llvm/ADT/ArrayRef.h"

namespace gelu::act {

/// The function family an op applies to its (biased) input.
enum class ActivationFamily {
  Gelu,           ///< the GELU `approximate` names
  GeluDerivative, ///< its derivative
  Silu,
  Relu,
};

/// What an op computes: family(x + bias) · factor, where x is operand 0 and
/// the bias and the factor are the operands at those indices (-1: none).
/// Every operand and the result have one type.
struct OpFacts {
  OpKind kind;
  ActivationFamily family;
  int bias = -1;
  int factor = -1;

  /// Whether the op applies a GELU (or its derivative), so that it takes
  /// `approximate` and `degree`.
  constexpr bool appliesGelu() const {
    return family == ActivationFamily::Gelu ||
           family == ActivationFamily::GeluDerivative;
  }
  constexpr unsigned numOperands() const {
    return 1 + (bias >= 0) + (factor >= 0);
  }
  /// The function applied to x + bias when the op means `approximate`
  /// (which only GELU ops read).
  ReferenceFunction referenceFunction(Approximate approximate) const;
};

/// The facts of the op `kind` names (defined with the ops, in
/// GeluActDialect).
const OpFacts &opFacts(OpKind kind);

/// Every op kind, in enum order.
llvm::ArrayRef<OpKind> allOpKinds();

} // namespace gelu::act

#endif // GELU_DIALECT_ACT_IR_OPFACTS_H
