//===- ActOps.cpp - Operations of the act dialect ------------------------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Dialect/Act/IR/ActOps.h"

#include "gelu/Numerics/ExpansionCatalog.h"

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

LogicalResult GeluOp::verify() {
  if (failed(verifyExpansion(*this, getExpansion(),
                             gelu::geluReferenceFunction(getApproximate()))))
    return failure();
  std::optional<uint32_t> degree = getDegree();
  if (!degree)
    return success();
  if (!getExpansion() || gelu::degreesOf(*getExpansion()).empty())
    return emitOpError("degree needs an expansion that has degrees "
                       "('rational' or 'rational_fast')");
  if (!llvm::is_contained(gelu::degreesOf(*getExpansion()), *degree))
    return emitOpError("expansion '")
           << stringifyExpansion(*getExpansion()) << "' has no degree "
           << *degree << "; expected " << gelu::listDegrees(*getExpansion());
  return success();
}

LogicalResult SiluOp::verify() {
  return verifyExpansion(*this, getExpansion(), gelu::ReferenceFunction::Silu);
}

LogicalResult ReluOp::verify() {
  return verifyExpansion(*this, getExpansion(), gelu::ReferenceFunction::Relu);
}
