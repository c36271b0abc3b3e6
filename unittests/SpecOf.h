//===- SpecOf.h - A parsed spec for tests -----------------------*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_UNITTESTS_SPECOF_H
#define GELU_UNITTESTS_SPECOF_H

#include "gelu/Spec/Spec.h"

#include "gtest/gtest.h"

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

} // namespace gelu

#endif // GELU_UNITTESTS_SPECOF_H
