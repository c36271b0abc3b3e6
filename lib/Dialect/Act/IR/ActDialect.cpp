//===- ActDialect.cpp - The act dialect ----------------------------------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Dialect/Act/IR/ActDialect.h"
#include "gelu/Dialect/Act/IR/ActOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace gelu::act;

#include "gelu/Dialect/Act/IR/ActDialect.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "gelu/Dialect/Act/IR/ActAttrs.cpp.inc"

void ActDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "gelu/Dialect/Act/IR/ActAttrs.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "gelu/Dialect/Act/IR/ActOps.cpp.inc"
      >();
}
