//===- Expansions.h - How each activation is computed -----------*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// Each function emits one expansion of one reference function on f32 values
// of the builder's type. They are branch-free, vectorisable, call no libm,
// and handle NaN, ±inf, ±0, subnormals and huge |x| (every power is taken of
// a clamped x).
//
//===----------------------------------------------------------------------===//

#ifndef GELU_CONVERSION_EXPANSIONS_EXPANSIONS_H
#define GELU_CONVERSION_EXPANSIONS_EXPANSIONS_H

#include "gelu/Conversion/Expansions/ElementwiseBuilder.h"
#include "gelu/Dialect/Act/IR/ActEnums.h"
#include "gelu/Numerics/Reference.h"

namespace gelu {

/// Exact GELU, x·Φ(x), in the tail-accurate erfc form:
/// x < 0: 0.5·x·erfc(|x|/√2); x ≥ 0: x·(1 − 0.5·erfc(x/√2)); and near 0
/// (|x| ≤ 1/√2) 0.5·x·(1 + erf(x/√2)). The Gaussian factor exp(−x²/2)
/// takes x² as an exact two-product, so the result keeps its relative
/// accuracy down to underflow (x ≈ −14.4).
mlir::Value emitGeluErfcForm(ElementwiseBuilder &eb, mlir::Value x);

/// The tanh-form GELU, 0.5·x·(1 + tanh(u)) with u = √(2/π)(x + 0.044715x³),
/// computed as x·σ(2u) with 2u in double-float: no 1+tanh cancellation.
mlir::Value emitGeluTanhAsSigmoid(ElementwiseBuilder &eb, mlir::Value x);

/// The sigmoid-form GELU, x·σ(1.702x), with 1.702x in double-float.
mlir::Value emitGeluSigmoidForm(ElementwiseBuilder &eb, mlir::Value x);

/// SiLU, x·σ(x).
mlir::Value emitSilu(ElementwiseBuilder &eb, mlir::Value x);

/// ReLU, max(x, 0): NaN stays NaN, −0 gives +0.
mlir::Value emitRelu(ElementwiseBuilder &eb, mlir::Value x);

/// Exact GELU as emitGeluErfcForm without its refinements (erfc_fast): a
/// degree-7 fit, a reciprocal estimate, no residual or two-sum corrections.
mlir::Value emitGeluErfcFast(ElementwiseBuilder &eb, mlir::Value x);

/// Exact GELU as the direct rational form x·(1/2 + x·P(x²)/Q(x²)) on
/// |x| ≤ 5.5 (rational; degrees `degree`/`degree` − 1, a divide), −0 below
/// −5.5 and x above. At degree 6, accurate to a few ULP for x ≥ 0 and to
/// ~1e-6 absolute below 0; each degree less costs two FMAs fewer.
mlir::Value emitGeluRationalForm(ElementwiseBuilder &eb, mlir::Value x,
                                 unsigned degree);

/// The same with a reciprocal estimate and a Newton step for the divide
/// (rational_fast): about one ULP less accurate, and on x86 several times
/// cheaper than vdivps.
mlir::Value emitGeluRationalFast(ElementwiseBuilder &eb, mlir::Value x,
                                 unsigned degree);

/// Exact GELU in the erf form 0.5·x·(1 + erf(x/√2)) with erf a rational fit
/// on |z| ≤ 4 (erf).
mlir::Value emitGeluErfForm(ElementwiseBuilder &eb, mlir::Value x);

/// x·σ(y) forms (tanh GELU, sigmoid GELU, SiLU) in plain f32 with a
/// reciprocal estimate (sigmoid_fast).
mlir::Value emitSigmoidFast(ElementwiseBuilder &eb, ReferenceFunction function,
                            mlir::Value x);

/// The tanh GELU in PyTorch's spelling 0.5·x·(1 + tanh u) (tanh).
mlir::Value emitGeluTanhSpelling(ElementwiseBuilder &eb, mlir::Value x);

/// Emits `expansion` of an op meaning `function` (the pair must be one that
/// expansionsFor(function) lists) at `degree` (one of degreesOf(expansion);
/// 0: its default).
mlir::Value emitExpansion(ElementwiseBuilder &eb, ReferenceFunction function,
                          act::Expansion expansion, mlir::Value x,
                          unsigned degree = 0);

} // namespace gelu

#endif // GELU_CONVERSION_EXPANSIONS_EXPANSIONS_H
