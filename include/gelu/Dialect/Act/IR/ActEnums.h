//===- ActEnums.h - Enums of the act dialect --------------------*- C++ -*-===//
//
// Part of gelu-jit. Usable without the rest of the dialect (the spec parser
// names approximations through it).
//
//===----------------------------------------------------------------------===//

#ifndef GELU_DIALECT_ACT_IR_ACTENUMS_H
#define GELU_DIALECT_ACT_IR_ACTENUMS_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/LogicalResult.h"
#include "llvm/Support/raw_ostream.h"
#include <cstdint>
#include <optional>

#include "gelu/Dialect/Act/IR/ActEnums.h.inc"

#endif // GELU_DIALECT_ACT_IR_ACTENUMS_H
