//===- main.cpp - JIT-compile and run a kernel from an installed gelu-jit -===//
//
// Part of gelu-jit's examples: built against the installed package (CMake
// or pkg-config), it compiles exact GELU for this CPU, runs it on a few
// values through the checked call and compares them with std::erfc. Exits
// non-zero if anything fails.
//
//===----------------------------------------------------------------------===//

#include "gelu/JIT/Jit.h"
#include "gelu/Version.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <vector>

int main() {
  std::printf("gelu-jit headers %s, library %s\n", GELU_JIT_VERSION,
              gelu::libraryVersion());
  if (std::strcmp(GELU_JIT_VERSION, gelu::libraryVersion()) != 0) {
    std::fprintf(stderr, "headers and library differ\n");
    return 1;
  }
  auto kernel = gelu::compileKernelFromJson(R"({"op": "gelu"})");
  if (!kernel) {
    std::fprintf(stderr, "compile: %s\n",
                 llvm::toString(kernel.takeError()).c_str());
    return 1;
  }
  std::vector<float> x = {-12.0f, -6.0f, -3.0f, -1.0f, -0.0f,
                          0.5f,   1.0f,  3.0f,  8.0f};
  std::vector<float> y(x.size());
  if (llvm::Error err =
          (*kernel)->run(x.data(), y.data(), static_cast<int64_t>(x.size()))) {
    std::fprintf(stderr, "run: %s\n", llvm::toString(std::move(err)).c_str());
    return 1;
  }
  int failures = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    double want = 0.5 * x[i] * std::erfc(-x[i] / std::sqrt(2.0));
    double relative = want == 0 ? std::fabs(y[i]) : std::fabs(y[i] / want - 1);
    bool ok = relative < 1e-6 && std::signbit(y[i]) == std::signbit(want);
    failures += !ok;
    std::printf("  gelu(%g) = %.9g (erfc: %.9g)%s\n", x[i], y[i], want,
                ok ? "" : "  FAIL");
  }
  if (failures)
    return 1;
  std::printf("downstream: %zu values correct\n", x.size());
  return 0;
}
