//===- ErrorMaxima.cpp - Accumulate a kernel's error ---------------------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Numerics/ErrorMaxima.h"

#include <algorithm>
#include <cmath>

namespace gelu {

template <typename Real>
static PointError pointErrorOf(double y, Real ref, FloatFormat format,
                               Real scale) {
  PointError e;
  e.ulps = ulpError(y, ref, format, scale);
  Real diff = std::fabs(static_cast<Real>(y) - ref);
  // One side NaN (or a wrong infinity) is as far off as it gets.
  e.abs = std::isnan(diff) ? HUGE_VAL : static_cast<double>(diff);
  e.absBeyondRounding = std::max(0.0, e.abs - roundingError(ref, format));
  double magnitude = static_cast<double>(std::max(std::fabs(ref), scale));
  bool normal = magnitude >= format.minNormal();
  e.rel = normal ? e.abs / magnitude : -1;
  e.relBeyondRounding = normal ? e.absBeyondRounding / magnitude : -1;
  return e;
}

PointError pointError(double y, long double ref, FloatFormat format,
                      long double scale) {
  return pointErrorOf(y, ref, format, scale);
}

PointError pointError(double y, double ref, FloatFormat format, double scale) {
  return pointErrorOf(y, ref, format, scale);
}

void ErrorMaxima::add(double x, const PointError &e) {
  ++count;
  if (e.ulps <= 0.5)
    ++correctlyRounded;
  if (e.ulps > maxUlp) {
    maxUlp = e.ulps;
    ulpAt = x;
  }
  maxAbs = std::max(maxAbs, e.abs);
  maxRel = std::max(maxRel, e.rel);
  maxAbsBeyondRounding = std::max(maxAbsBeyondRounding, e.absBeyondRounding);
  maxRelBeyondRounding = std::max(maxRelBeyondRounding, e.relBeyondRounding);
}

void ErrorMaxima::merge(const ErrorMaxima &other) {
  if (other.maxUlp > maxUlp) {
    maxUlp = other.maxUlp;
    ulpAt = other.ulpAt;
  }
  maxAbs = std::max(maxAbs, other.maxAbs);
  maxRel = std::max(maxRel, other.maxRel);
  maxAbsBeyondRounding =
      std::max(maxAbsBeyondRounding, other.maxAbsBeyondRounding);
  maxRelBeyondRounding =
      std::max(maxRelBeyondRounding, other.maxRelBeyondRounding);
  count += other.count;
  correctlyRounded += other.correctlyRounded;
}

std::string regionNameList(const char *separator, int count) {
  std::string list;
  for (int r = 0; r < count; ++r)
    list += (r ? separator : "") + std::string(kRegionNames[r]);
  return list;
}

int regionOf(double x) { return x >= 0 ? 0 : (x >= -3 ? 1 : 2); }

template <typename Real>
static void addToRegionsOf(ErrorMaxima *regions, double x, double y, Real ref,
                           FloatFormat format, Real scale) {
  PointError e = pointError(y, ref, format, scale);
  regions[regionOf(x)].add(x, e);
  regions[kOverallRegion].add(x, e);
}

void addToRegions(ErrorMaxima *regions, double x, double y, long double ref,
                  FloatFormat format, long double scale) {
  addToRegionsOf(regions, x, y, ref, format, scale);
}

void addToRegions(ErrorMaxima *regions, double x, double y, double ref,
                  FloatFormat format, double scale) {
  addToRegionsOf(regions, x, y, ref, format, scale);
}

} // namespace gelu
