//===- ActEnums.cpp - Enums of the act dialect ---------------------------===//
//
// Part of gelu-jit. A library of its own, so that the spec parser and the
// numerics can name approximations and expansions without the dialect.
//
//===----------------------------------------------------------------------===//

#include "gelu/Dialect/Act/IR/ActEnums.h"

#include "llvm/ADT/StringSwitch.h"

#include "gelu/Dialect/Act/IR/ActEnums.cpp.inc"
