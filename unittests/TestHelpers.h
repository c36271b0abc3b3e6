//===- TestHelpers.h - Small helpers shared by the unit tests ---*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_UNITTESTS_TESTHELPERS_H
#define GELU_UNITTESTS_TESTHELPERS_H

#include "gelu/Numerics/Reference.h"
#include "gelu/Spec/Spec.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace gelu {

/// `json` parsed; a test failure (and the default spec) if it does not
/// parse.
inline KernelSpec specOf(const std::string &json) {
  auto spec = parseSpec(json);
  EXPECT_TRUE(static_cast<bool>(spec)) << json;
  if (!spec) {
    llvm::consumeError(spec.takeError());
    return {};
  }
  return *spec;
}

/// The largest |out[i] − GELU(in[i])| against the long-double reference of
/// exact GELU.
inline double maxAbsErrorFromExactGelu(const std::vector<float> &in,
                                       const std::vector<float> &out) {
  double worst = 0;
  for (size_t i = 0; i < in.size(); ++i)
    worst = std::max(
        worst,
        static_cast<double>(fabsl(
            out[i] - evaluateReference(ReferenceFunction::GeluExact, in[i]))));
  return worst;
}

} // namespace gelu

#endif // GELU_UNITTESTS_TESTHELPERS_H
