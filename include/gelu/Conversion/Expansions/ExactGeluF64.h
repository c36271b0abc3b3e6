//===- ExactGeluF64.h - Exact GELU and its derivative in f64 ----*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// The f64 expansions of exact GELU and GELU'. The `erfc` ones come
// from Φ(−u) = G·h, G = exp(−u²/2) with u² as an exact pair (its rounding
// would be a relative error u²·2^-53 of G, 800 ULPs at u = 38), and
// h = t·Q(t), t = 1/(1 + u/2), Q the four-piece degree-16 fit "phi_f64"
// (DoubleFits.h, made in MPFR): relative accuracy down to the last
// subnormal, x < −38.6, with G's power-of-two scales applied last so that a
// subnormal result is rounded once.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_CONVERSION_EXPANSIONS_EXACTGELUF64_H
#define GELU_CONVERSION_EXPANSIONS_EXACTGELUF64_H

#include "gelu/Conversion/Expansions/ElementwiseBuilder.h"

#include "llvm/ADT/StringRef.h"

namespace gelu {

/// x·Φ(x) of f64 `x` (`eb` an f64 builder): x·(1 − Φ(−x)) for x > 0, with
/// −0 for −0 and every x < 0 that underflows, x for x > 40, NaN for NaN.
mlir::Value emitGeluExactF64(ElementwiseBuilder &eb, mlir::Value x);

/// x·g(x) from the f64 table of g(−u) named `fitName` (DoubleFits.h: 16
/// pieces of 3/8 in the distance to the piece's right end, through
/// emitGeluFromPhiTable): right for |x| < kPhiF64TableLimit only (NaN
/// kept); the f64 piecewise_tail's part for the vectors within its table.
mlir::Value emitGatedFromF64Table(ElementwiseBuilder &eb, mlir::Value x,
                                  llvm::StringRef fitName);

/// Whether f64 `x` is beyond the f64 tables: |x| ≥ kPhiF64TableLimit (±inf
/// included, NaN not).
mlir::Value emitBeyondF64Table(ElementwiseBuilder &eb, mlir::Value x);

/// Exact GELU beyond its f64 table (right for every x, meant for
/// |x| ≥ kPhiF64TableLimit): emitGeluExactF64's assembly with h(u) =
/// Φ(−u)·exp(u²/2) from the fit "phi_f64_tail_table" (no divide).
mlir::Value emitGeluExactF64Tail(ElementwiseBuilder &eb, mlir::Value x);

/// base − u·Φ(−u) rounded once, base x for x ≥ 0 and −0 below (x·Φ(x),
/// ±0 kept), u = |x|, Φ(−u) from a double fit of 16 pieces (scale 1, the
/// polynomial in u − offset) at piece `k` (the integer lanes of an f64
/// builder, taken modulo 16), its coefficients looked up per lane.
mlir::Value emitGeluFromPhiTable(ElementwiseBuilder &eb, mlir::Value x,
                                 mlir::Value u, mlir::Value k,
                                 llvm::StringRef fitName);

/// Φ(x) + x·φ(x) of f64 `x`: G·(h + x/√(2π)) for x ≤ 0, 1 + G·(x/√(2π) − h)
/// above (1 − Φ never formed), 1 above x = 40 and 0 below −40.
mlir::Value emitGeluExactDerivativeF64(ElementwiseBuilder &eb, mlir::Value x);

} // namespace gelu

#endif // GELU_CONVERSION_EXPANSIONS_EXACTGELUF64_H
