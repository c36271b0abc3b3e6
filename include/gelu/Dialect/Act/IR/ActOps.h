//===- ActOps.h - Operations and attributes of act -------------*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_DIALECT_ACT_IR_ACTOPS_H
#define GELU_DIALECT_ACT_IR_ACTOPS_H

#include "gelu/Dialect/Act/IR/ActDialect.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/VectorInterfaces.h"

#include "gelu/Dialect/Act/IR/ActEnums.h"
#include "gelu/Dialect/Act/IR/ExpansionCatalog.h"
#include "gelu/Dialect/Act/IR/OpFacts.h"

namespace gelu::act {
class ActivationOpInterface;
/// The one verifier of act ops: the expansion computes the op's function
/// and the degree is one that expansion has.
mlir::LogicalResult verifyActivationOp(ActivationOpInterface op);
} // namespace gelu::act

#include "gelu/Dialect/Act/IR/ActInterfaces.h.inc"

#define GET_ATTRDEF_CLASSES
#include "gelu/Dialect/Act/IR/ActAttrs.h.inc"

#define GET_OP_CLASSES
#include "gelu/Dialect/Act/IR/ActOps.h.inc"

#endif // GELU_DIALECT_ACT_IR_ACTOPS_H
