//===- CostModel.h - Operations an expansion costs --------------*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// The tuner's cost model: how many issue slots an expansion takes, counted
// on the IR it is compiled from. It ranks candidates that cannot be timed
// here, and keeps the tuner from timing those far costlier than the
// cheapest that fits.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_CODEGEN_COSTMODEL_H
#define GELU_CODEGEN_COSTMODEL_H

#include "gelu/Dialect/Act/IR/ActEnums.h"
#include "gelu/Numerics/Reference.h"

namespace gelu {

/// The operations `expansion` emits for a 16-lane f32 vector (with `f64`,
/// an 8-lane f64 vector: a 512-bit register either way) after
/// canonicalization and CSE, constants excluded, a divide counting 4 and a
/// reciprocal estimate 3.
/// `degree` 0 is the expansion's default.
unsigned expansionCost(ReferenceFunction function, act::Expansion expansion,
                       unsigned degree = 0, bool f64 = false);

} // namespace gelu

#endif // GELU_CODEGEN_COSTMODEL_H
