//===- Passes.h - Conversion passes of gelu-jit -----------------*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_CONVERSION_PASSES_H
#define GELU_CONVERSION_PASSES_H

#include "gelu/Conversion/ActToArith/ActToArith.h"

#include "mlir/Pass/Pass.h"

namespace gelu {

#define GEN_PASS_DECL
#include "gelu/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "gelu/Conversion/Passes.h.inc"

} // namespace gelu

#endif // GELU_CONVERSION_PASSES_H
