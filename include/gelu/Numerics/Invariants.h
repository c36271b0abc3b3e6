//===- Invariants.h - What every kernel keeps, at every budget --*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// An error budget buys accuracy, never a wrong sign. For the functions
// f(x) = x·g(x) with a gate g in [0, 1] (the three GELUs and SiLU), every
// kernel, at every expansion and degree, must give:
//   - the sign of x: x < 0 gives a result ≤ −0 (−0 where it underflows),
//     x > 0 a result ≥ +0, and ±0 themselves;
//   - a magnitude at most |x| (GELU(x) ≤ x for x > 0, ≥ x for x < 0);
//   - NaN for NaN, +inf for +inf and −0 for −inf.
// These are checked on every input the accuracy tool and the tests run,
// apart from the error bounds.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_NUMERICS_INVARIANTS_H
#define GELU_NUMERICS_INVARIANTS_H

#include "gelu/Numerics/Reference.h"

#include <cstdint>
#include <string>

namespace gelu {

/// Whether f is x·g(x) with g in [0, 1], so that the invariants apply.
bool keepsSignAndBound(ReferenceFunction f);

/// The invariants a set of results broke, with one input for each.
struct InvariantViolations {
  uint64_t wrongSign = 0; ///< a result of the other sign (or the wrong zero)
  double wrongSignAt = 0;
  uint64_t aboveInput = 0; ///< |f(x)| > |x|
  double aboveInputAt = 0;
  uint64_t wrongSpecial = 0; ///< NaN, +inf or −inf mapped wrongly
  double wrongSpecialAt = 0;

  /// Checks the result `y` of input `x` (f must keep sign and bound).
  void check(double x, double y);
  void merge(const InvariantViolations &other);
  uint64_t total() const { return wrongSign + aboveInput + wrongSpecial; }
  /// "none", or "2 wrong signs (first at -5.42), 1 above |x| (...)".
  std::string describe() const;
};

} // namespace gelu

#endif // GELU_NUMERICS_INVARIANTS_H
