//===- Invariants.cpp - What every kernel keeps, at every budget ---------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Numerics/Invariants.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

namespace gelu {

bool keepsSignAndBound(ReferenceFunction f) {
  switch (f) {
  case ReferenceFunction::GeluExact:
  case ReferenceFunction::GeluTanh:
  case ReferenceFunction::GeluSigmoid:
  case ReferenceFunction::Silu:
    return true;
  case ReferenceFunction::Relu: // max(x, 0): −0 and negatives give +0
  case ReferenceFunction::GeluExactDerivative:
  case ReferenceFunction::GeluTanhDerivative:
  case ReferenceFunction::GeluSigmoidDerivative:
    return false;
  }
  return false;
}

/// Counts one violation, keeping the first input.
static void note(uint64_t &count, double &at, double x) {
  if (count++ == 0)
    at = x;
}

void InvariantViolations::check(double x, double y) {
  if (std::isnan(x)) {
    if (!std::isnan(y))
      note(wrongSpecial, wrongSpecialAt, x);
    return;
  }
  if (std::isinf(x)) {
    bool right = x > 0 ? y == x : (y == 0 && std::signbit(y));
    if (!right)
      note(wrongSpecial, wrongSpecialAt, x);
    return;
  }
  // Same sign bit as x, zeros included (NaN has none to keep).
  if (std::isnan(y) || std::signbit(y) != std::signbit(x))
    note(wrongSign, wrongSignAt, x);
  if (std::fabs(y) > std::fabs(static_cast<double>(x)))
    note(aboveInput, aboveInputAt, x);
}

void InvariantViolations::merge(const InvariantViolations &other) {
  auto take = [](uint64_t &count, double &at, uint64_t otherCount,
                 double otherAt) {
    if (count == 0 && otherCount != 0)
      at = otherAt;
    count += otherCount;
  };
  take(wrongSign, wrongSignAt, other.wrongSign, other.wrongSignAt);
  take(aboveInput, aboveInputAt, other.aboveInput, other.aboveInputAt);
  take(wrongSpecial, wrongSpecialAt, other.wrongSpecial, other.wrongSpecialAt);
}

std::string InvariantViolations::describe() const {
  if (total() == 0)
    return "none";
  std::string out;
  llvm::raw_string_ostream os(out);
  auto item = [&](uint64_t count, double at, const char *what) {
    if (count == 0)
      return;
    os << (out.empty() ? "" : ", ") << count << " " << what << " (first at "
       << llvm::format("%.9g", at) << ")";
  };
  item(wrongSign, wrongSignAt, "of the wrong sign");
  item(aboveInput, aboveInputAt, "larger than |x|");
  item(wrongSpecial, wrongSpecialAt, "wrong for NaN or inf");
  return out;
}

} // namespace gelu
