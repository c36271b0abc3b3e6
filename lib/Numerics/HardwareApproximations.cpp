//===- HardwareApproximations.cpp - GPU forms on NVIDIA's approximations --===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// Built with -ffp-contract=off (CMakeLists.txt): each f32 operation here is
// one rounding, as each `.rn` operation of the PTX is.
//
//===----------------------------------------------------------------------===//

#include "gelu/Numerics/HardwareApproximations.h"

#include "llvm/Support/ErrorHandling.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>

namespace gelu {

bool hasHardwareForms(ReferenceFunction f) {
  return f == ReferenceFunction::GeluTanh ||
         f == ReferenceFunction::GeluSigmoid || f == ReferenceFunction::Silu;
}

double hardwareTanhCutoff(ReferenceFunction f) {
  // σ(−y(c)) = 2^-12, y(c) = ln(2^12 − 1) = 8.3175: 2u(3.42), 1.702·4.89.
  switch (f) {
  case ReferenceFunction::GeluTanh:
    return 3.42;
  case ReferenceFunction::GeluSigmoid:
    return 4.89;
  case ReferenceFunction::Silu:
    return 8.32;
  default:
    llvm_unreachable("no hardware form");
  }
}

SigmoidArgument sigmoidArgument(ReferenceFunction f, float scale) {
  switch (f) {
  case ReferenceFunction::GeluTanh: {
    const double slope = tanhFormSlope();
    return {static_cast<float>(slope) * scale,
            static_cast<float>(tanhFormCubic<double>() * slope) * scale};
  }
  case ReferenceFunction::GeluSigmoid:
    return {static_cast<float>(sigmoidFormScale<double>()) * scale, 0.0f};
  case ReferenceFunction::Silu:
    return {scale, 0.0f};
  default:
    llvm_unreachable("no hardware form");
  }
}

float negativeLog2E() { return static_cast<float>(-M_LOG2E); }

namespace {
/// The x·σ(y) function's f32 tail (Reference.h).
float sigmoidFormTail(ReferenceFunction f) {
  switch (f) {
  case ReferenceFunction::GeluTanh:
    return static_cast<float>(kTanhFormTail);
  case ReferenceFunction::GeluSigmoid:
    return static_cast<float>(kSigmoidFormTail);
  case ReferenceFunction::Silu:
    return static_cast<float>(kSiluTail);
  default:
    llvm_unreachable("no hardware form");
  }
}

/// y (scaled) from x, as the expansion emits it.
float argumentOf(ReferenceFunction f, const SigmoidArgument &arg, float x) {
  if (f == ReferenceFunction::GeluTanh)
    return x * std::fma(arg.cubic, x * x, arg.linear);
  return arg.linear == 1.0f ? x : arg.linear * x;
}

float roundedUp(long double v) {
  auto f = static_cast<float>(v);
  if (static_cast<long double>(f) < v)
    f = std::nextafter(f, std::numeric_limits<float>::infinity());
  return f;
}

float roundedDown(long double v) {
  auto f = static_cast<float>(v);
  if (static_cast<long double>(f) > v)
    f = std::nextafter(f, -std::numeric_limits<float>::infinity());
  return f;
}

/// The distance from |f| to the next float up: an ULP of f, the larger one
/// where f is a power of two.
long double ulpAbove(float f) {
  f = std::fabs(f);
  return static_cast<long double>(
             std::nextafter(f, std::numeric_limits<float>::infinity())) -
         f;
}

/// The floats within `radius` of v.
ResultRange within(long double v, long double radius) {
  return {roundedUp(v - radius), roundedDown(v + radius)};
}

ResultRange exactly(float v) { return {v, v}; }

/// A flush-to-zero instruction's result: subnormal ones are +0 here (the
/// results these forms flush are positive).
float flushed(float v) { return v < FLT_MIN ? 0.0f : v; }

} // namespace

/// tanh.approx.f32: ±0, ±inf and NaN as documented, else within 2^-11 of
/// tanh, relative.
ResultRange tanhApproxRange(float a) {
  if (std::isnan(a) || a == 0.0f)
    return exactly(a);
  if (std::isinf(a))
    return exactly(std::copysign(1.0f, a));
  long double t = std::tanh(static_cast<long double>(a));
  return within(t, std::fabs(t) * kTanhApproxMaxRelError);
}

/// ex2.approx.ftz.f32 of w ≤ 0 (or NaN): within 2 ULPs of the correctly
/// rounded 2^w, so within 2.5 of 2^w; subnormal inputs and results flushed.
ResultRange ex2ApproxRange(float w) {
  if (std::isnan(w))
    return exactly(w);
  if (std::fabs(w) < FLT_MIN) // ±0, or flushed to it: 2^0 = 1 (documented)
    return exactly(1.0f);
  if (std::isinf(w))
    return exactly(w < 0 ? 0.0f : w);
  long double v = std::exp2(static_cast<long double>(w));
  ResultRange r =
      within(v, (kEx2ApproxMaxUlps + 0.5L) * ulpAbove(static_cast<float>(v)));
  return {flushed(r.lo), flushed(r.hi)};
}

/// rcp.approx.ftz.f32 of d ≥ 1 (or NaN): within one ULP of 1/d.
ResultRange rcpApproxRange(float d) {
  if (std::isnan(d))
    return exactly(d);
  if (std::isinf(d))
    return exactly(0.0f);
  long double v = 1.0L / d;
  ResultRange r =
      within(v, kRcpApproxMaxUlps * ulpAbove(static_cast<float>(v)));
  return {flushed(r.lo), flushed(r.hi)};
}

namespace {
ResultRange ordered(float a, float b) {
  return a <= b ? ResultRange{a, b} : ResultRange{b, a};
}

/// hw_tanh: past ±cutoff x or −0; within, x·clamp(½ + ½·tanh(y/2), 0, 1).
ResultRange tanhFormRange(ReferenceFunction f, float x) {
  const auto cutoff = static_cast<float>(hardwareTanhCutoff(f));
  if (cutoff < x)
    return exactly(x);
  if (x < -cutoff)
    return exactly(-0.0f);
  if (std::isnan(x))
    return exactly(x);
  ResultRange t = tanhApproxRange(argumentOf(f, sigmoidArgument(f, 0.5f), x));
  auto finish = [&](float tanh) {
    float s = std::fma(0.5f, tanh, 0.5f);
    s = s < 0.0f ? 0.0f : s;
    s = 1.0f < s ? 1.0f : s;
    return x * s;
  };
  // Monotone in tanh: its two ends bound the result.
  return ordered(finish(t.lo), finish(t.hi));
}

/// hw_sigmoid: e = 2^(−|y|·log₂ e), q = e·(1/(1 + e)) = σ(−|y|), σ = q for
/// y ≤ 0 and 1 − q otherwise; the result x·σ with x clamped below at the
/// tail.
ResultRange sigmoidFormRange(ReferenceFunction f, float x) {
  if (std::isnan(x))
    return exactly(x);
  const float tail = sigmoidFormTail(f);
  const float xTail = x < tail ? tail : x;
  const float y = argumentOf(f, sigmoidArgument(f, 1.0f), x);
  ResultRange e = ex2ApproxRange(std::fabs(y) * negativeLog2E());
  // 1 + e and the reciprocal's ends are monotone in e; q takes e's low end
  // with the reciprocal's low end at e's high end, and the reverse: a bound
  // whichever e the device gave.
  ResultRange rAtLow = rcpApproxRange(1.0f + e.lo);
  ResultRange rAtHigh = rcpApproxRange(1.0f + e.hi);
  const float qLo = e.lo * rAtHigh.lo, qHi = e.hi * rAtLow.hi;
  const float sigmaLo = y <= 0.0f ? qLo : 1.0f - qHi;
  const float sigmaHi = y <= 0.0f ? qHi : 1.0f - qLo;
  return ordered(xTail * sigmaLo, xTail * sigmaHi);
}
} // namespace

ResultRange hardwareFormRange(ReferenceFunction f, HardwareForm form, float x) {
  return form == HardwareForm::Tanh ? tanhFormRange(f, x)
                                    : sigmoidFormRange(f, x);
}

} // namespace gelu
