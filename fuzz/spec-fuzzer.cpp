//===- spec-fuzzer.cpp - libFuzzer target: the spec parser ---------------===//
//
// Part of gelu-jit.
//
// Any bytes go to parseSpec. A spec it accepts must round-trip: its
// canonical JSON parses to the same spec (same JSON, same cache key). A
// rejected one must come with a message naming the source. The same bytes
// go to the tuning report's reader (the tuning cache's entries), which must
// accept or refuse them without crashing.
//
//===----------------------------------------------------------------------===//

#include "gelu/JIT/Tuner.h"
#include "gelu/Spec/Spec.h"

#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);
  // The list form (a library's kernels) takes the same bytes: an error or
  // as many specs as the list has elements, never a crash.
  auto list = gelu::parseSpecList(text, "fuzz.json");
  if (!list)
    llvm::consumeError(list.takeError());
  else if (list->empty())
    std::abort();
  auto spec = gelu::parseSpec(text, "fuzz.json");
  if (!spec) {
    std::string message = llvm::toString(spec.takeError());
    if (message.rfind("fuzz.json", 0) != 0) {
      std::fprintf(stderr, "a message without its source: %s\n",
                   message.c_str());
      std::abort();
    }
  } else {
    std::string json = spec->toJson();
    auto again = gelu::parseSpec(json, "canonical");
    if (!again) {
      std::fprintf(stderr, "canonical JSON refused: %s\n%s\n", json.c_str(),
                   llvm::toString(again.takeError()).c_str());
      std::abort();
    }
    if (again->toJson() != json || again->cacheKey() != spec->cacheKey()) {
      std::fprintf(stderr, "the spec changed on a round trip: %s\n",
                   json.c_str());
      std::abort();
    }
  }
  auto report = gelu::TuningReport::fromJson(text);
  if (!report)
    llvm::consumeError(report.takeError());
  else
    (void)report->toJson();
  return 0;
}
