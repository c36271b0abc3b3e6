//===- Reference.h - What each activation means, in long double -*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// Reference functions (the meaning of an op, never how a kernel computes it)
// evaluated in x87 long double, each written so that it does not cancel, and
// the ULP metric used to compare a kernel against them.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_NUMERICS_REFERENCE_H
#define GELU_NUMERICS_REFERENCE_H

#include "gelu/Dialect/Act/IR/ActEnums.h"

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <cstring>

namespace gelu {

/// The functions an elementwise kernel can compute.
enum class ReferenceFunction {
  GeluExact,   ///< x·Φ(x)
  GeluTanh,    ///< 0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³)))
  GeluSigmoid, ///< x·σ(1.702x)
  Silu,        ///< x·σ(x)
  Relu,        ///< max(x, 0)
};

llvm::StringRef stringifyReferenceFunction(ReferenceFunction f);

/// The GELU that `approximate` names.
ReferenceFunction geluReferenceFunction(act::Approximate approximate);

/// f(x) in long double (64-bit significand).
long double evaluateReference(ReferenceFunction f, long double x);

/// A binary floating-point format, for ULPs.
struct FloatFormat {
  int precision;   ///< significand bits, the implicit one included
  int minExponent; ///< exponent of the smallest normal number
  static constexpr FloatFormat f32() { return {24, -126}; }
  static constexpr FloatFormat f16() { return {11, -14}; }
  static constexpr FloatFormat bf16() { return {8, -126}; }
  /// The smallest normal number, 2^minExponent (from its bits: this is
  /// asked for every measured result).
  double minNormal() const {
    uint64_t bits = static_cast<uint64_t>(minExponent + 1023) << 52;
    double value;
    std::memcpy(&value, &bits, sizeof value);
    return value;
  }
};

/// |y − ref| in units of the format's ULP at ref (the subnormal ULP below
/// the normal range). Both NaN gives 0; one NaN, or a wrong infinity, gives
/// +inf.
double ulpError(double y, long double ref, FloatFormat format);
/// The same against a reference rounded to double (2^−29 f32 ULP off at
/// most), in SSE arithmetic: ~5× faster than the long double one, for
/// measurements over millions of inputs.
double ulpError(double y, double ref, FloatFormat format);

} // namespace gelu

#endif // GELU_NUMERICS_REFERENCE_H
