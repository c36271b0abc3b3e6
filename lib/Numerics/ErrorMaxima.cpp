//===- ErrorMaxima.cpp - Accumulate a kernel's error ---------------------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Numerics/ErrorMaxima.h"

#include <algorithm>
#include <cmath>

namespace gelu {

void ErrorMaxima::add(float x, double y, long double ref, FloatFormat format) {
  double ulps = ulpError(y, ref, format);
  long double diff = fabsl(static_cast<long double>(y) - ref);
  // One side NaN (or a wrong infinity) is as far off as it gets.
  double abs = std::isnan(diff) ? HUGE_VAL : static_cast<double>(diff);
  ++count;
  if (ulps <= 0.5)
    ++correctlyRounded;
  if (ulps > maxUlp) {
    maxUlp = ulps;
    ulpAt = x;
  }
  maxAbs = std::max(maxAbs, abs);
  if (fabsl(ref) >= ldexpl(1.0L, format.minExponent))
    maxRel = std::max(maxRel, static_cast<double>(diff / fabsl(ref)));
}

void ErrorMaxima::merge(const ErrorMaxima &other) {
  if (other.maxUlp > maxUlp) {
    maxUlp = other.maxUlp;
    ulpAt = other.ulpAt;
  }
  maxAbs = std::max(maxAbs, other.maxAbs);
  maxRel = std::max(maxRel, other.maxRel);
  count += other.count;
  correctlyRounded += other.correctlyRounded;
}

int regionOf(float x) { return x >= 0 ? 0 : (x >= -3 ? 1 : 2); }

void addToRegions(ErrorMaxima *regions, float x, double y, long double ref,
                  FloatFormat format) {
  regions[regionOf(x)].add(x, y, ref, format);
  regions[kOverallRegion].add(x, y, ref, format);
}

} // namespace gelu
