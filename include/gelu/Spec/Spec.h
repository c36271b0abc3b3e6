//===- Spec.h - The JSON kernel spec ----------------------------*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// A spec says what kernel the user needs. It is parsed and validated here,
// with messages that name the JSON path, the bad value and what is allowed.
// This header works with text; SpecJson.h gives a spec as a JSON value.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_SPEC_SPEC_H
#define GELU_SPEC_SPEC_H

#include "gelu/Dialect/Act/IR/ActEnums.h"
#include "gelu/Dialect/Act/IR/OpFacts.h"
#include "gelu/Numerics/Reference.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gelu {

/// What a kernel computes: the act op of that kind (OpFacts.h has what each
/// computes; the spec's "op" is the op's mnemonic).
using KernelOp = act::OpKind;

/// The C ABI of a kernel (KernelBuilder.h has the details):
enum class KernelAbi {
  /// void NAME(const T *in, T *out, int64_t n): gelu, silu, relu.
  Unary,
  /// void NAME(const T *x, const T *y, T *out, int64_t n): gelu_backward
  /// (x, dy → dx), geglu and swiglu (a, b → out).
  Binary,
  /// void NAME(const T *x, const T *bias, T *y, int64_t rows,
  /// int64_t cols): bias_gelu.
  Bias,
  /// void NAME(const T *x, const T *bias, const T *dy, T *dx, float *dbias,
  /// int64_t rows, int64_t cols): bias_gelu_backward.
  BiasBackward,
};
/// The ABI follows from the op's operand roles (act::OpFacts).
KernelAbi kernelAbiOf(KernelOp op);

/// The element type of a kernel's buffers.
enum class DType { F16, BF16, F32, F64 };

llvm::StringRef stringifyDType(DType dtype);

/// Size in bytes of one element.
unsigned dtypeSize(DType dtype);
/// The float format of `dtype`'s values, in which ULPs are counted.
FloatFormat floatFormatOf(DType dtype);

/// How close to the reference a kernel must be. Every bound that is set must
/// hold over the domain; ULPs count in the output format.
struct ErrorBudget {
  std::optional<double> maxUlp;
  std::optional<double> maxAbs;
  std::optional<double> maxRel;
  /// Inputs the bounds apply to (default: every finite value).
  double domainLo = -HUGE_VAL;
  double domainHi = HUGE_VAL;
};

/// A validated spec. Defaults give the accurate exact-GELU f32 host kernel.
/// When a kernel writes with non-temporal (streaming) stores, which bypass
/// the caches: worth it only for outputs far larger than the caches.
enum class StreamingStores {
  /// When the output is at least kStreamingThresholdBytes and does not
  /// overlap the input (decided per call).
  Auto,
  Always,
  Never
};

/// Auto's threshold: above every L2 and most per-core LLC shares, so that
/// the output would be evicted before it is read again anyway.
constexpr uint64_t kStreamingThresholdBytes = uint64_t(16) << 20;
/// How far ahead of its loads a kernel with streaming stores prefetches
/// its inputs (measured on an AMD Zen 5: docs/bench.md).
constexpr uint64_t kStreamingPrefetchBytes = 4096;

llvm::StringRef stringifyStreamingStores(StreamingStores mode);

/// What the tuner optimises.
enum class Objective {
  /// The fastest kernel whose measured error fits the budget.
  Fastest,
  /// The most accurate kernel (by the budget's first bound, else max ULP)
  /// that runs within `maxNsPerElement` (and fits the budget, if any).
  MostAccurate
};

/// How the tuner ranks the candidates' speed.
enum class Ranking {
  /// Timed on this CPU where the target runs here, else the cost model.
  Measured,
  /// The cost model only (operations per vector): reproducible decisions,
  /// independent of machine load.
  CostModel
};

llvm::StringRef stringifyObjective(Objective objective);
llvm::StringRef stringifyRanking(Ranking ranking);

/// The values the tuner times its candidates on (JIT/Measurement.h,
/// timeKernels): what the kernel's inputs look like. A kernel with a
/// per-vector branch (piecewise_tail) is as fast as the share of vectors
/// that take it, and a lower degree's table ends sooner (docs/bench.md):
/// which candidate is fastest can depend on the data.
struct TimingInputs {
  enum class Distribution { Normal, Uniform };
  Distribution distribution = Distribution::Normal;
  /// Normal: the standard deviation (mean 0).
  double sigma = kDefaultSigma;
  /// Uniform: the range [lo, hi).
  double lo = 0, hi = 0;
  /// Without `timing_inputs`: what an activation sees, and bench/'s
  /// targets' distribution.
  static constexpr double kDefaultSigma = 2;
};
llvm::StringRef stringifyDistribution(TimingInputs::Distribution d);

struct KernelSpec {
  /// The symbol of the kernel: a C identifier.
  std::string name = "gelu_f32";
  KernelOp op = KernelOp::Gelu;
  act::Approximate approximate = act::Approximate::none;
  /// How to compute it; absent: chosen by `budget`, or the op's accurate
  /// default when there is no budget.
  std::optional<act::Expansion> expansion;
  /// The fit's degree, for expansions that have several (degreesOf);
  /// absent: the tuner's choice with a budget, else the expansion's default.
  std::optional<unsigned> degree;
  /// The error the kernel may have; absent: the accurate default.
  std::optional<ErrorBudget> budget;
  DType dtype = DType::F32;
  std::string target = "host";
  Objective objective = Objective::Fastest;
  /// With Objective::MostAccurate: the time each element may take, in
  /// nanoseconds on one thread of this CPU.
  std::optional<double> maxNsPerElement;
  Ranking ranking = Ranking::Measured;
  /// What the tuner times on; absent: TimingInputs{} (normal, σ = 2).
  std::optional<TimingInputs> timingInputs;
  /// Full vectors per main-loop iteration; 0: the tuner's choice with a
  /// budget, else 1.
  unsigned unroll = 0;
  /// Vector register width in bits (128, 256 or 512, at most the target's);
  /// 0: the target's widest.
  unsigned vectorBits = 0;
  /// Threads of a checked run (Kernel::run) whose RunOptions name none;
  /// 0: one per hardware thread.
  unsigned threads = 1;
  StreamingStores streamingStores = StreamingStores::Auto;

  /// The function the kernel computes.
  ReferenceFunction referenceFunction() const;
  /// The expansions this kernel's op accepts at its dtype, the accurate
  /// default first (on f64, the one f64 form).
  llvm::ArrayRef<act::Expansion> acceptedExpansions() const;
  /// The named expansion, else the accurate default.
  act::Expansion effectiveExpansion() const;
  /// What the tuner times the candidates on: `timingInputs`, else
  /// TimingInputs{} (normal, σ = 2).
  TimingInputs effectiveTimingInputs() const {
    return timingInputs.value_or(TimingInputs{});
  }
  /// The spec as canonical JSON (every field, fixed order).
  std::string toJson() const;
  /// A compact string equal for two specs exactly when toJson() is: the
  /// kernel cache's key, built without formatting numbers (~50 ns).
  std::string cacheKey() const;
};

/// Whether `spec` leaves a choice to the tuner (a budget, or the objective
/// "most_accurate").
bool needsTuning(const KernelSpec &spec);

/// Parses and validates `text`. `sourceName` prefixes every message
/// (a file name, or "<spec>").
llvm::Expected<KernelSpec> parseSpec(llvm::StringRef text,
                                     llvm::StringRef sourceName = "<spec>");

/// Reads `path` ("-" for stdin) and parses it.
llvm::Expected<KernelSpec> readSpecFile(llvm::StringRef path);

/// A spec file that holds one spec object or a JSON list of them (the
/// kernels of one library, gelu-opt --emit=obj|shared|header): each parsed
/// as parseSpec does, its messages naming `sourceName[i]`; an empty list
/// and two kernels of one name are errors.
llvm::Expected<std::vector<KernelSpec>>
parseSpecList(llvm::StringRef text, llvm::StringRef sourceName = "spec");
llvm::Expected<std::vector<KernelSpec>> readSpecListFile(llvm::StringRef path);

/// An error a valid spec's field causes when the kernel is built (a target
/// the kernels cannot use, vector_bits wider than its vectors, an f64
/// dtype, a budget no expansion meets): the field's JSON path ("/target";
/// empty for the spec as a whole) and what is wrong. Shown as "at /target:
/// …"; gelu-opt puts the spec file before it, as parse errors have it.
class SpecFieldError : public llvm::ErrorInfo<SpecFieldError> {
public:
  static char ID;
  SpecFieldError(std::string path, std::string message)
      : fieldPath(std::move(path)), whatIsWrong(std::move(message)) {}
  const std::string &path() const { return fieldPath; }
  const std::string &what() const { return whatIsWrong; }
  void log(llvm::raw_ostream &os) const override;
  std::error_code convertToErrorCode() const override {
    return llvm::inconvertibleErrorCode();
  }

private:
  std::string fieldPath, whatIsWrong;
};

/// `error` with each SpecFieldError in it placed in `source` (a spec file,
/// "k.json" or "k.json[2]" for a kernel of a list): "k.json: at /target:
/// …", as parse errors name theirs. Other errors, and every error when
/// `source` is empty (a spec built in), pass unchanged.
llvm::Error inSpecSource(llvm::Error error, llvm::StringRef source);

/// `error` with each SpecFieldError's path dropped: for callers whose spec
/// is not JSON the user wrote (pass options), where "at /target" would
/// name nothing.
llvm::Error withoutSpecField(llvm::Error error);

} // namespace gelu

#endif // GELU_SPEC_SPEC_H
