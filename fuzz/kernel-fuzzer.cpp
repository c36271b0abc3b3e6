//===- kernel-fuzzer.cpp - libFuzzer target: random specs, run -----------===//
//
// Part of gelu-jit.
//
// The bytes choose a valid spec (op — the fused and backward ones run as
// their activation, other operands neutral —, approximate, an expansion of
// it and a degree, dtype — f64 with its f64 form or the f32 tables —, unroll,
// vector width, streaming stores), a length n in [0, 300], misalignments of in
// and out, and the input values. The kernel (JIT-compiled once per spec) runs
// between canaries and must
//  - write out[0..n) and nothing else, and leave in alone;
//  - agree bit for bit (any NaN for a NaN) with the plain kernel of the same
//  expansion and
//    vector width (one vector an iteration, no streaming): unrolling and
//    streaming change loops, not arithmetic (the width can: a reciprocal
//    estimate is 14-bit vrcp14 on 512-bit vectors, 12-bit vrcpps on 256);
//  - stay near the reference of what the expansion computes: within 2^-7
//    relatively (bf16 outputs) or absolutely within 0.05 for the forms at
//    degree 2 (the coarsest rational ones: SiLU's and sigmoid GELU's are
//    the farthest off, docs/generated/accuracy-table.md), 1.25 times the
//    fit's own error for `polynomial` (the loose-budget form) and 0.02 for
//    every other form; NaN for NaN, and finite for finite inputs where the
//    reference is.
//
//===----------------------------------------------------------------------===//

#include "gelu/Dialect/Act/IR/ExpansionCatalog.h"
#include "gelu/JIT/Jit.h"
#include "gelu/JIT/Measurement.h"
#include "gelu/Numerics/HalfFloat.h"
#include "gelu/Numerics/Polynomials.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <vector>

using namespace gelu;

namespace {

/// Reads the fuzzer's bytes as choices; zeros once they run out.
class Choices {
public:
  Choices(const uint8_t *data, size_t size) : data(data), size(size) {}
  unsigned pick(unsigned count) {
    return count ? static_cast<unsigned>(byte() % count) : 0;
  }
  uint8_t byte() { return at < size ? data[at++] : 0; }
  uint32_t word() {
    uint32_t w = 0;
    for (int i = 0; i < 4; ++i)
      w = (w << 8) | byte();
    return w;
  }

private:
  const uint8_t *data;
  size_t size;
  size_t at = 0;
};

/// The kernels compiled so far (a JIT compile is ~20 ms; an input ~1 ms).
std::map<std::string, std::unique_ptr<Kernel>> &kernels() {
  static std::map<std::string, std::unique_ptr<Kernel>> compiledSoFar;
  return compiledSoFar;
}

/// Each kernel holds its JIT's memory (a few MiB under ASan): past a few
/// hundred specs, start again rather than run out of memory. Called before
/// an input takes references to kernels.
void limitKernels() {
  constexpr size_t kMaxKernels = 192;
  if (kernels().size() >= kMaxKernels)
    kernels().clear();
}

const Kernel &compiled(const std::string &json) {
  auto &slot = kernels()[json];
  if (!slot) {
    auto kernel = compileKernelFromJson(json);
    if (!kernel) {
      std::fprintf(stderr, "a valid spec failed to compile: %s\n%s\n",
                   json.c_str(), llvm::toString(kernel.takeError()).c_str());
      std::abort();
    }
    slot = std::move(*kernel);
  }
  return *slot;
}

[[noreturn]] void fail(const std::string &spec, const char *what, double x,
                       double got, double want) {
  std::fprintf(stderr, "%s: %s at x = %.17g: got %.17g, want %.17g\n",
               spec.c_str(), what, x, got, want);
  std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // Kernels are kept (up to a limit) across inputs.
  limitKernels();
  Choices choose(data, size);
  static const char *const ops[] = {
      "gelu",  "gelu",          "gelu",      "silu",
      "relu",  "gelu_backward", "bias_gelu", "bias_gelu_backward",
      "geglu", "swiglu"};
  static const char *const approximations[] = {"none", "tanh", "sigmoid"};
  static const char *const dtypes[] = {"f32", "f16", "bf16", "f64"};
  static const char *const streaming[] = {"auto", "always", "never"};
  static const char *const rowStreaming[] = {"auto", "never"};
  std::string op = ops[choose.pick(std::size(ops))];
  KernelOp kernelOp = cantFail(parseSpec("{\"op\": \"" + op + "\"}")).op;
  std::string approximate = act::opFacts(kernelOp).appliesGelu()
                                ? approximations[choose.pick(3)]
                                : "none";
  // [rows, cols] kernels write with cached stores only.
  KernelAbi abi = kernelAbiOf(kernelOp);
  bool rows = abi == KernelAbi::Bias || abi == KernelAbi::BiasBackward;
  std::string base = "{\"name\": \"fuzzed\", \"op\": \"" + op +
                     "\", \"approximate\": \"" + approximate + "\"";
  KernelSpec meaning = cantFail(parseSpec(base + "}"));
  ReferenceFunction function = meaning.referenceFunction();
  llvm::ArrayRef<act::Expansion> expansions = cpuExpansionsFor(function);
  act::Expansion expansion = expansions[choose.pick(expansions.size())];
  std::string dtype = roundsF32Only(expansion) ? "f32" : dtypes[choose.pick(4)];
  // f64: its f64 form or the f32 tables.
  if (dtype == "f64" &&
      !llvm::is_contained(f64ExpansionsFor(function), expansion))
    expansion = f64ExpansionsFor(function).front();
  llvm::ArrayRef<unsigned> degrees =
      degreesOf(function, expansion, dtype == "f64");
  unsigned degree = degrees.empty() ? 0 : degrees[choose.pick(degrees.size())];
  std::string arithmetic = base + ", \"expansion\": \"" +
                           act::stringifyExpansion(expansion).str() + "\"";
  if (degree)
    arithmetic += ", \"degree\": " + std::to_string(degree);
  arithmetic += ", \"dtype\": \"" + dtype + "\"";
  // The vector width is part of the arithmetic (a reciprocal estimate can
  // differ between widths); unrolling and streaming stores are not.
  if (choose.pick(2))
    arithmetic += ", \"vector_bits\": 256";
  std::string shaped =
      arithmetic + ", \"unroll\": " + std::to_string(1 + choose.pick(4)) +
      ", \"streaming_stores\": \"" +
      (rows ? rowStreaming[choose.pick(2)] : streaming[choose.pick(3)]) + "\"}";
  std::string plain =
      arithmetic + ", \"unroll\": 1, \"streaming_stores\": \"never\"}";
  const Kernel &kernel = compiled(shaped);
  const Kernel &reference = compiled(plain);

  const bool is32 = dtype == "f32";
  const bool is64 = dtype == "f64";
  const bool isBF16 = dtype == "bf16";
  const size_t bytes = is64 ? 8 : is32 ? 4 : 2;
  const int64_t n = choose.pick(301);
  const size_t inShift = choose.pick(16), outShift = choose.pick(16);
  constexpr size_t kGuard = 64;
  constexpr uint8_t kCanary = 0xA5;
  std::vector<uint8_t> in((n + 2 * kGuard + 16) * bytes, kCanary);
  std::vector<uint8_t> out(in.size(), kCanary), expected(n * bytes + 1);
  uint8_t *inData = in.data() + (kGuard + inShift) * bytes;
  uint8_t *outData = out.data() + (kGuard + outShift) * bytes;
  for (int64_t i = 0; i < n; ++i) {
    uint32_t w = choose.word();
    // Half the values from a grid where the functions bend, half any bits.
    if (is64) {
      double x;
      if (w & 1) {
        x = -40.0 + 80.0 * static_cast<double>(w >> 8) / double(1 << 24);
      } else {
        uint64_t bits = uint64_t(w) << 32 | choose.word();
        std::memcpy(&x, &bits, 8);
      }
      std::memcpy(inData + i * 8, &x, 8);
    } else if (is32) {
      float x;
      if (w & 1)
        x = -16.0f + 32.0f * static_cast<float>(w >> 8) / float(1 << 24);
      else
        std::memcpy(&x, &w, 4);
      std::memcpy(inData + i * 4, &x, 4);
    } else {
      auto h = static_cast<uint16_t>(w >> 16);
      std::memcpy(inData + i * 2, &h, 2);
    }
  }
  static const bool verbose = std::getenv("GELU_FUZZ_VERBOSE") != nullptr;
  if (verbose)
    std::fprintf(stderr, "%s n=%lld in+%zu out+%zu\n", shaped.c_str(),
                 static_cast<long long>(n), inShift, outShift);
  std::vector<uint8_t> inCopy = in;
  // The other operands neutral (ActivationCall): dy = b = 1, bias = −0.
  ActivationCall(kernel, n)(inData, outData, n);
  ActivationCall(reference, n)(inData, expected.data(), n);

  if (in != inCopy)
    fail(shaped, "the input changed", 0, 0, 0);
  for (size_t i = 0; i < out.size(); ++i) {
    bool inside =
        i >= (kGuard + outShift) * bytes && i < (kGuard + outShift + n) * bytes;
    if (!inside && out[i] != kCanary)
      fail(shaped, "a write outside out[0..n)", 0, double(i), 0);
  }
  // Bit for bit, but for NaNs: which NaN an instruction passes on (its
  // sign and payload) depends on operand order, which the scheduler may
  // commute between code shapes; IEEE 754 leaves it open.
  auto decodeAt = [&](const uint8_t *base, int64_t i) -> double {
    if (is64) {
      double v;
      std::memcpy(&v, base + i * 8, 8);
      return v;
    }
    if (is32) {
      float v;
      std::memcpy(&v, base + i * 4, 4);
      return v;
    }
    uint16_t h;
    std::memcpy(&h, base + i * 2, 2);
    return halfToFloat(h, isBF16);
  };
  for (int64_t i = 0; i < n; ++i)
    if (std::memcmp(outData + i * bytes, expected.data() + i * bytes, bytes) !=
        0) {
      double x = decodeAt(inData, i), y = decodeAt(outData, i),
             want = decodeAt(expected.data(), i);
      if (std::isnan(y) && std::isnan(want))
        continue;
      fail(shaped + " vs " + plain + " at element " + std::to_string(i) +
               " of " + std::to_string(n),
           "a code shape changed the result", x, y, want);
    }

  ReferenceFunction computed = computedFunction(function, expansion);
  for (int64_t i = 0; i < n; ++i) {
    double x = decodeAt(inData, i), y = decodeAt(outData, i);
    if (std::isnan(x)) {
      if (!std::isnan(y))
        fail(shaped, "NaN did not stay NaN", x, y, NAN);
      continue;
    }
    long double want = evaluateReference(computed, x);
    const long double largest = is64 ? 1.79e308L : is32 ? 3.4e38L : 6.5e4L;
    if (std::isinf(want) || std::fabs(want) > largest) {
      if (!(std::fabs(y) >= 6.5e4 || std::isinf(y)))
        fail(shaped, "an overflow went missing", x, y, double(want));
      continue;
    }
    long double error = std::fabs(static_cast<long double>(y) - want);
    long double absolute = degree == 2 ? 0.05L : 0.02L;
    // The table-free `polynomial` form is meant for loose budgets: its
    // bound is its fit's error as gelu-fit measured it (SiLU's degree 3
    // errs 5.8e-2), with a quarter more for f32 evaluation.
    if (expansion == act::Expansion::polynomial)
      absolute = std::max<long double>(
          absolute,
          1.25L * clampedPolynomialCoefficients(computed, degree).maxError);
    bool near = error <= absolute || error <= std::fabs(want) * (1.0L / 128);
    if (!near)
      fail(shaped, "far from the reference", x, y, double(want));
  }
  return 0;
}
