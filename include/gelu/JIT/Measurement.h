//===- Measurement.h - Measure candidate kernels ----------------*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// What the tuner knows of a candidate, it measures here: its error against
// the long-double reference on a budget's sample of inputs, by region, and
// its time per element on this CPU. The cost model (operations a vector)
// stands in for time where the kernel cannot run here.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_JIT_MEASUREMENT_H
#define GELU_JIT_MEASUREMENT_H

#include "gelu/JIT/Jit.h"
#include "gelu/Numerics/ErrorMaxima.h"

#include <array>
#include <vector>

namespace gelu {

/// A kernel's largest errors by report region (x ≥ 0, [−3, 0), x < −3,
/// overall: ErrorMaxima.h).
using RegionErrors = std::array<ErrorMaxima, kReportRegions>;

/// A sample cannot see every input, so a candidate fits only when each
/// sampled maximum is within this fraction of its bound. (Sampled maxima
/// run up to ~15 % below exhaustive ones: 3.15 against 3.67 ULP for the
/// default exact GELU.)
constexpr double kSampledBudgetMargin = 0.8;

/// The fraction of each bound a measured error is held to: for f32, whose
/// sample is a sample, kSampledBudgetMargin; for the 16-bit types, whose
/// sample is every input of the domain, the bound itself.
double budgetMargin(DType dtype);

/// Whether `budget` asks a `dtype` kernel for correctly rounded results:
/// an f32 max_ulp that, held to kSampledBudgetMargin of itself, only a
/// correctly rounded kernel can meet (under 0.5/0.8 = 0.625 ULP; below 0.5
/// no kernel can). Such a budget is met by an expansion that promises
/// correct rounding (promisesCorrectRounding, proved on all 2^32 inputs) whose
/// every sampled result is correctly rounded.
bool needsCorrectRounding(const ErrorBudget &budget, DType dtype);

/// The errors a budget bounds. For f32, the errors themselves. For f16
/// and bf16, whose own rounding (up to 2^−11 and 2^−8 of the value)
/// exceeds most bounds: max_ulp counts ULPs of the type, its rounding
/// included (0.5 is correctly rounded), while max_abs and max_rel count
/// what the kernel adds to that rounding (maxAbsBeyondRounding: 0 for a
/// correctly rounded result).
struct BudgetedError {
  double ulp, abs, rel;
};
BudgetedError budgetedError(const ErrorMaxima &error, DType dtype);

/// Calls a kernel of any op as the function it is measured by
/// (KernelSpec::referenceFunction): f(x) for each x of `in`, the other
/// operands neutral — dy = b = 1 (dx = GELU'(x), GELU(a)·1), bias = −0
/// (x + −0 = x for every x, −0 included) in a single row — so that a
/// budget means the same for a fused kernel as for its activation, and the
/// time is that of the kernel's own loop. Buffers for up to `maxElements`
/// are made once.
class ActivationCall {
public:
  ActivationCall(const Kernel &kernel, int64_t maxElements);
  /// in and out hold n ≤ maxElements values of the kernel's dtype.
  void operator()(const void *in, void *out, int64_t n) const;

private:
  const Kernel &kernel;
  KernelAbi abi;
  std::vector<uint8_t> neutral;      ///< 1s (binary, dy) or −0s (bias)
  std::vector<uint8_t> ones;         ///< dy of the bias backward
  mutable std::vector<double> dbias; ///< room for f32 or f64 sums
};

/// The inputs a budget is checked on, with their reference values: for
/// f32, 2^18 inputs spread evenly over the domain's float encodings (every
/// magnitude) plus 2^20 evenly spaced in its part of [−20, 20]; for f64 the
/// same over double encodings and [−40, 40]; for 16-bit types, every input
/// in the domain. Built once per selection: the reference values are most
/// of a measurement's cost.
struct BudgetSample {
  DType dtype = DType::F32;
  std::vector<float> inputs;     ///< the values (f32, f16, bf16)
  std::vector<uint16_t> encoded; ///< their 16-bit encodings (f16, bf16)
  /// The reference values, rounded to double: 2^−29 ULP of f32 at most,
  /// and compared in fast SSE arithmetic.
  std::vector<double> references;
  /// f64's inputs and their long double reference values (2^-11 ULP).
  std::vector<double> wideInputs;
  std::vector<long double> wideReferences;
  /// errorScale of each input (derivatives only; empty otherwise).
  std::vector<double> scales;
};
BudgetSample sampleBudget(ReferenceFunction meaning, DType dtype,
                          const ErrorBudget &budget);

/// Runs `kernel` (of the sample's dtype) on `sample` and measures it.
RegionErrors measureKernel(const Kernel &kernel, const BudgetSample &sample);

/// The bound of a hardware form's error (`hw_tanh`, `hw_sigmoid`: their
/// bits are a GPU's) on `sample`, by region: for each input, the worse of
/// the least and the greatest result that NVIDIA's documented maximum
/// errors allow (hardwareFormRange). Not a measurement: an estimate that
/// holds for every device that keeps those maxima.
RegionErrors boundHardwareForm(ReferenceFunction function,
                               act::Expansion expansion,
                               const BudgetSample &sample);

/// Whether the budgeted errors of `error` (of a `dtype` kernel) are within
/// `margin` (budgetMargin) of each of `budget`'s bounds.
bool fitsBudget(const ErrorMaxima &error, const ErrorBudget &budget,
                DType dtype, double margin);
/// How far `error` is from `budget`: the largest ratio of a budgeted error
/// to its bound (lower is more accurate).
double budgetRatio(const ErrorMaxima &error, const ErrorBudget &budget,
                   DType dtype);

/// "max_ulp 4, max_abs 1e-06 on [0, 100]".
std::string describeBudget(const ErrorBudget &budget);
/// The bounds a measured error of `dtype` is held to: "0.8 × the bounds:
/// max_abs 8e-07 (of 1e-06)" for f32, "the bounds: max_abs 0.0001 (beyond
/// bf16 rounding)" for the 16-bit types.
std::string describeHeldBudget(const ErrorBudget &budget, DType dtype);
/// "1.30 ULP, 2.38E-07 abs, 1.10E-07 rel"; for the 16-bit types also what
/// the budget bounds, and how many results are not correctly rounded (so
/// that "0.50 ULP" over max_ulp 0.5 does not read as a contradiction):
/// "0.50 ULP, 7.81E-03 abs, 3.91E-03 rel (beyond bf16 rounding: 0.00E+00
/// abs, 0.00E+00 rel; 0 of 65280 results not correctly rounded)".
std::string describeError(const ErrorMaxima &error, DType dtype);

/// The time per element, in nanoseconds, of each of `kernels` on an
/// L1-resident buffer of timingValues(`inputs`, 4096) (an f64 kernel's
/// widened, a 16-bit kernel's the f32 values' bytes), one thread: `rounds`
/// rounds, each timing every kernel once in turn for about `roundSeconds`, and
/// each kernel's fastest round kept (other load on the machine only ever adds
/// time, so the minimum is the least disturbed estimate; interleaving spreads
/// slow phases over all candidates).
std::vector<double> timeKernels(llvm::ArrayRef<const Kernel *> kernels,
                                const TimingInputs &inputs = {},
                                unsigned rounds = 9,
                                double roundSeconds = 2e-4);

/// `n` values drawn from `inputs`' distribution in a fixed order (one seed:
/// every candidate and every run sees the same values), in random order,
/// not sorted: a kernel with a per-vector branch is timed as often taking
/// it as it would be on such data, not as on a ramp, where whole vectors
/// of the far tail take it together.
std::vector<float> timingValues(const TimingInputs &inputs, size_t n);

} // namespace gelu

#endif // GELU_JIT_MEASUREMENT_H
