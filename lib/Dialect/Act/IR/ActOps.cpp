//===- ActOps.cpp - Operations of the act dialect ------------------------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Dialect/Act/IR/ActOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace gelu::act;

#define GET_OP_CLASSES
#include "gelu/Dialect/Act/IR/ActOps.cpp.inc"
