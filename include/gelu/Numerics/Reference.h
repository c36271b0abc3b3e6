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

#include "llvm/ADT/StringRef.h"

#include <cmath>
#include <cstdint>
#include <cstring>

namespace gelu {

/// The constants of GELU's two approximate forms, each named once. They are
/// decimals, kept as integer ratios so that every precision (float, double,
/// long double, MPFR) rounds the same decimal itself.
/// The tanh form: u = √(2/π)·(x + c·x³), c = 44715 / 10^6.
inline constexpr int kTanhFormCubicMillionths = 44715;
/// The sigmoid form: x·σ(s·x), s = 1702 / 10^3.
inline constexpr int kSigmoidFormScaleThousandths = 1702;

/// c of the tanh form, 0.044715, rounded to T.
template <typename T> constexpr T tanhFormCubic() {
  return T(kTanhFormCubicMillionths) / T(1000000);
}
/// s of the sigmoid form, 1.702, rounded to T.
template <typename T> constexpr T sigmoidFormScale() {
  return T(kSigmoidFormScaleThousandths) / T(1000);
}

/// 2√(2/π), the tanh form's 2u = x·(c₁ + c₁·c·x²) with c₁ this slope.
inline double tanhFormSlope() { return 2.0 * std::sqrt(2.0 / M_PI); }

/// Below these x, the x·σ(y) functions have underflowed to −0 in f32: the
/// expansions clamp x there, which keeps every power finite and −inf from
/// meeting a zero factor.
constexpr double kTanhFormTail = -12.0;    // 2u(−12) ≈ −142.
constexpr double kSigmoidFormTail = -66.0; // s·66 ≈ 112 (s = 1.702).
constexpr double kSiluTail = -110.0;       // 110·e^−110 < 2^−150.

/// The functions an elementwise kernel can compute.
enum class ReferenceFunction {
  GeluExact,   ///< x·Φ(x)
  GeluTanh,    ///< 0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³)))
  GeluSigmoid, ///< x·σ(1.702x)
  Silu,        ///< x·σ(x)
  Relu,        ///< max(x, 0)
  /// The derivatives the backward kernels multiply the incoming gradient
  /// by. Each is gate(x) + x·gate'(x) for GELU = x·gate(x), and vanishes
  /// near x ≈ −0.75 where the two terms cancel (errorScale).
  GeluExactDerivative,   ///< Φ(x) + x·φ(x)
  GeluTanhDerivative,    ///< s + x·s·(1 − s)·2u'(x), s = σ(2u)
  GeluSigmoidDerivative, ///< s + 1.702·x·s·(1 − s), s = σ(1.702x)
};

llvm::StringRef stringifyReferenceFunction(ReferenceFunction f);

/// The derivative of a GELU (`f` one of the three GELU forms).
ReferenceFunction derivativeOf(ReferenceFunction f);
/// Whether `f` is one of the derivatives.
bool isDerivative(ReferenceFunction f);

/// f(x) in long double (64-bit significand).
long double evaluateReference(ReferenceFunction f, long double x);

/// The magnitude below which an error of f(x) is not counted relative to
/// |f(x)|: for a derivative, its gate term (Φ(x), or σ of the form), which
/// cancels against x·gate'(x) at the derivative's zero (x ≈ −0.75). There a
/// relative or ULP error is meaningless (the result's every bit is
/// cancellation); errors are counted relative to max(|f(x)|, scale), which
/// is |f(x)| itself wherever the derivative is larger than its gate term
/// (x ≥ 0, and x ≤ −1.2 for exact GELU: all of the negative tail). 0 for
/// every other function.
long double errorScale(ReferenceFunction f, long double x);

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
/// +inf. With `scale` (errorScale), the ULP is taken at max(|ref|, scale).
double ulpError(double y, long double ref, FloatFormat format,
                long double scale = 0);
/// The same against a reference rounded to double (2^−29 f32 ULP off at
/// most), in SSE arithmetic: ~5× faster than the long double one, for
/// measurements over millions of inputs.
double ulpError(double y, double ref, FloatFormat format, double scale = 0);

/// |RN(ref) − ref|: the error of ref correctly rounded to the format (to
/// nearest; its largest finite value is not checked: no function here
/// exceeds |x|). 0 for NaN and infinities.
double roundingError(long double ref, FloatFormat format);
double roundingError(double ref, FloatFormat format);

} // namespace gelu

#endif // GELU_NUMERICS_REFERENCE_H
