//===- ActOps.cpp - Operations of the act dialect ------------------------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Dialect/Act/IR/ActOps.h"

#include "gelu/Dialect/Act/IR/ExpansionCatalog.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace gelu::act;

#define GET_OP_CLASSES
#include "gelu/Dialect/Act/IR/ActOps.cpp.inc"

/// Checks that `op`'s expansion, if any, computes `function`.
static LogicalResult verifyExpansion(Operation *op,
                                     std::optional<Expansion> expansion,
                                     gelu::ReferenceFunction function) {
  if (!expansion ||
      llvm::is_contained(gelu::expansionsFor(function), *expansion))
    return success();
  return op->emitOpError("expansion '")
         << stringifyExpansion(*expansion) << "' does not compute "
         << gelu::stringifyReferenceFunction(function) << "; expected "
         << gelu::listExpansions(function);
}

/// Checks the expansion and degree of an op that computes `function` (a
/// GELU or its derivative).
static LogicalResult verifyGeluAttributes(Operation *op,
                                          gelu::ReferenceFunction function,
                                          std::optional<Expansion> expansion,
                                          std::optional<uint32_t> degree) {
  if (failed(verifyExpansion(op, expansion, function)))
    return failure();
  if (!degree)
    return success();
  if (!expansion || gelu::degreesOf(*expansion).empty())
    return op->emitOpError("degree needs an expansion that has degrees "
                           "('rational' or 'rational_fast')");
  if (!llvm::is_contained(gelu::degreesOf(*expansion), *degree))
    return op->emitOpError("expansion '")
           << stringifyExpansion(*expansion) << "' has no degree " << *degree
           << "; expected " << gelu::listDegrees(*expansion);
  return success();
}

LogicalResult GeluOp::verify() {
  return verifyGeluAttributes(*this,
                              gelu::geluReferenceFunction(getApproximate()),
                              getExpansion(), getDegree());
}

LogicalResult BiasGeluOp::verify() {
  return verifyGeluAttributes(*this,
                              gelu::geluReferenceFunction(getApproximate()),
                              getExpansion(), getDegree());
}

LogicalResult GegluOp::verify() {
  return verifyGeluAttributes(*this,
                              gelu::geluReferenceFunction(getApproximate()),
                              getExpansion(), getDegree());
}

LogicalResult GeluBackwardOp::verify() {
  return verifyGeluAttributes(
      *this, gelu::derivativeOf(gelu::geluReferenceFunction(getApproximate())),
      getExpansion(), getDegree());
}

LogicalResult BiasGeluBackwardOp::verify() {
  return verifyGeluAttributes(
      *this, gelu::derivativeOf(gelu::geluReferenceFunction(getApproximate())),
      getExpansion(), getDegree());
}

LogicalResult SwigluOp::verify() {
  return verifyExpansion(*this, getExpansion(), gelu::ReferenceFunction::Silu);
}

LogicalResult SiluOp::verify() {
  return verifyExpansion(*this, getExpansion(), gelu::ReferenceFunction::Silu);
}

LogicalResult ReluOp::verify() {
  return verifyExpansion(*this, getExpansion(), gelu::ReferenceFunction::Relu);
}
