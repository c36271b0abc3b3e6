//===- RoundingExceptions.cpp - Inputs the f64 evaluation misrounds ------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Numerics/RoundingExceptions.h"

#include <map>
#include <string>
#include <vector>

namespace gelu {

namespace {
struct Entry {
  /// stringifyReferenceFunction's name.
  const char *function;
  RoundingException exception;
};

// An empty entry first keeps the array non-empty while the table is.
const Entry kEntries[] = {
    {"", {0, 0}},
#define GELU_ROUNDING_EXCEPTION(FUNCTION, INPUT, OUTPUT)                       \
  {FUNCTION, {INPUT, OUTPUT}},
#include "RoundingExceptions.inc"
#undef GELU_ROUNDING_EXCEPTION
};
} // namespace

llvm::ArrayRef<RoundingException>
roundingExceptions(ReferenceFunction function) {
  static const auto byFunction = [] {
    std::map<std::string, std::vector<RoundingException>> out;
    for (const Entry &e : llvm::ArrayRef<Entry>(kEntries).drop_front())
      out[e.function].push_back(e.exception);
    return out;
  }();
  auto it = byFunction.find(stringifyReferenceFunction(function).str());
  if (it == byFunction.end())
    return {};
  return it->second;
}

} // namespace gelu
