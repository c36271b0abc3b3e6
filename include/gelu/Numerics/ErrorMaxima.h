//===- ErrorMaxima.h - Accumulate a kernel's error --------------*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_NUMERICS_ERRORMAXIMA_H
#define GELU_NUMERICS_ERRORMAXIMA_H

#include "gelu/Numerics/Reference.h"

#include <cstdint>
#include <string>

namespace gelu {

/// The largest errors of a kernel's results over a set of inputs.
struct ErrorMaxima {
  double maxUlp = 0; ///< in the output format
  double ulpAt = 0;  ///< an input where maxUlp occurs
  double maxAbs = 0;
  /// Relative error, only where the reference is a normal number of the
  /// format: subnormal results count in ULPs alone.
  double maxRel = 0;
  /// The error beyond the output format's own rounding (PointError): what
  /// a 16-bit kernel's budget bounds.
  double maxAbsBeyondRounding = 0;
  double maxRelBeyondRounding = 0;
  uint64_t count = 0;
  uint64_t correctlyRounded = 0; ///< results within half an ULP

  /// Adds the error (pointError) of the result of input `x`.
  void add(double x, const struct PointError &error);
  void merge(const ErrorMaxima &other);
};

/// The error of one result.
struct PointError {
  double ulps;
  double abs;
  /// Relative error; negative where the reference is not a normal number
  /// of the format (ErrorMaxima::maxRel).
  double rel;
  /// abs less the error of the correctly rounded result, |RN(ref) − ref|
  /// (roundingError): what the kernel adds to the format's own rounding,
  /// 0 for a correctly rounded result.
  double absBeyondRounding;
  /// absBeyondRounding relative to the reference; negative where rel is.
  double relBeyondRounding;
};
/// `scale` (errorScale): ULP and relative errors count against
/// max(|ref|, scale).
PointError pointError(double y, long double ref, FloatFormat format,
                      long double scale = 0);
/// Against a reference rounded to double: faster (see ulpError).
PointError pointError(double y, double ref, FloatFormat format,
                      double scale = 0);

/// Accuracy reports split the inputs into x ≥ 0, [−3, 0) and x < −3
/// (where erf-based GELUs cancel, and the tail), then all of them.
constexpr int kReportRegions = 4;
constexpr int kOverallRegion = 3;

/// The regions' names, for people (tables, messages).
inline constexpr const char *kRegionNames[kReportRegions] = {
    "x ≥ 0", "[−3, 0)", "x < −3", "overall"};
/// The first `count` region names joined by `separator`: "x ≥ 0 · [−3, 0)".
std::string regionNameList(const char *separator, int count = kReportRegions);
/// The regions' keys in JSON (tuning reports, bench results).
inline constexpr const char *kRegionKeys[kReportRegions] = {
    "x_nonnegative", "x_in_minus3_0", "x_below_minus3", "overall"};

/// The region (0, 1 or 2) of a finite input.
int regionOf(double x);

/// Adds a result to its region's maxima and to the overall ones
/// (`regions` has kReportRegions entries).
void addToRegions(ErrorMaxima *regions, double x, double y, long double ref,
                  FloatFormat format, long double scale = 0);
void addToRegions(ErrorMaxima *regions, double x, double y, double ref,
                  FloatFormat format, double scale = 0);

} // namespace gelu

#endif // GELU_NUMERICS_ERRORMAXIMA_H
