//===- ActDialect.h - The act dialect ---------------------------*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_DIALECT_ACT_IR_ACTDIALECT_H
#define GELU_DIALECT_ACT_IR_ACTDIALECT_H

#include "mlir/IR/Dialect.h"

#include "gelu/Dialect/Act/IR/ActDialect.h.inc"

#endif // GELU_DIALECT_ACT_IR_ACTDIALECT_H
