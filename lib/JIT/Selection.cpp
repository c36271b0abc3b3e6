//===- Selection.cpp - Choose an expansion that meets a budget -----------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/JIT/Selection.h"

#include "gelu/Codegen/Pipelines.h"
#include "gelu/Conversion/ActToArith/ActToArith.h"
#include "gelu/Numerics/ExpansionCatalog.h"
#include "gelu/Numerics/HalfFloat.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <map>
#include <mutex>

namespace gelu {

/// Issue slots of one operation, in units of an FMA. A divide is a few
/// micro-ops (vdivps zmm: 3 on Intel's server cores, 1 on Zen 4/5) whose
/// latency the other vectors in flight hide: measured with bench/ on
/// AVX-512, the rational form with its divide runs at 0.30 ns/element and
/// with a reciprocal estimate (rcp14 and a Newton step: 3) at 0.37.
static unsigned operationCost(mlir::Operation *op) {
  auto div = mlir::dyn_cast<mlir::arith::DivFOp>(op);
  if (!div)
    return 1;
  return mlir::arith::bitEnumContainsAll(div.getFastmath(),
                                         mlir::arith::FastMathFlags::arcp)
             ? 3
             : 4;
}

unsigned expansionCost(ReferenceFunction function, act::Expansion expansion) {
  static std::mutex mutex;
  static std::map<std::pair<int, int>, unsigned> cache;
  std::lock_guard<std::mutex> lock(mutex);
  auto key =
      std::make_pair(static_cast<int>(function), static_cast<int>(expansion));
  if (auto it = cache.find(key); it != cache.end())
    return it->second;

  std::unique_ptr<mlir::MLIRContext> context = createKernelContext();
  mlir::OpBuilder b(context.get());
  mlir::Location loc = b.getUnknownLoc();
  auto module = mlir::ModuleOp::create(loc);
  b.setInsertionPointToEnd(module.getBody());
  auto type = mlir::VectorType::get({16}, b.getF32Type());
  auto fn = mlir::func::FuncOp::create(b, loc, "cost",
                                       b.getFunctionType({type}, {type}));
  mlir::Block *entry = fn.addEntryBlock();
  b.setInsertionPointToStart(entry);
  mlir::Value y =
      emitActivation(b, loc, function, expansion, entry->getArgument(0));
  mlir::func::ReturnOp::create(b, loc, y);
  mlir::PassManager pm(context.get());
  pm.addPass(mlir::createCanonicalizerPass());
  pm.addPass(mlir::createCSEPass());
  (void)pm.run(module);

  unsigned cost = 0;
  fn.walk([&](mlir::Operation *op) {
    if (mlir::isa<mlir::arith::ConstantOp, mlir::func::ReturnOp,
                  mlir::func::FuncOp>(op))
      return;
    cost += operationCost(op);
  });
  module->erase();
  cache[key] = cost;
  return cost;
}

namespace {
/// A monotone map of floats to unsigned integers (−inf ... +inf).
uint32_t orderedKey(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, sizeof bits);
  return (bits & 0x80000000u) ? ~bits : bits | 0x80000000u;
}
float fromOrderedKey(uint32_t key) {
  uint32_t bits = (key & 0x80000000u) ? key & 0x7fffffffu : ~key;
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}

} // namespace

BudgetSample sampleBudget(ReferenceFunction meaning, DType dtype,
                          const ErrorBudget &budget) {
  BudgetSample sample;
  sample.dtype = dtype;
  float lo = static_cast<float>(std::max(budget.domainLo, -double(FLT_MAX)));
  float hi = static_cast<float>(std::min(budget.domainHi, double(FLT_MAX)));
  if (dtype != DType::F32) {
    bool isBF16 = dtype == DType::BF16;
    for (uint32_t i = 0; i < (1u << 16); ++i) {
      auto bits = static_cast<uint16_t>(i);
      float x = halfToFloat(bits, isBF16);
      if (std::isfinite(x) && x >= lo && x <= hi) {
        sample.encoded.push_back(bits);
        sample.inputs.push_back(x);
      }
    }
  } else {
    const uint32_t keyLo = orderedKey(lo), keyHi = orderedKey(hi);
    const uint32_t spread = 1u << 18;
    for (uint32_t i = 0; i <= spread; ++i)
      sample.inputs.push_back(fromOrderedKey(
          keyLo + static_cast<uint32_t>(uint64_t(keyHi - keyLo) * i / spread)));
    // Where GELU's values are large and its forms switch, a fine grid: an
    // absolute budget is decided by 1-ULP differences at x ≈ 5 (the
    // rational form measures 8.7e-7 here on 2^16 points and 1.02e-6 on all
    // inputs).
    float gridLo = std::max(lo, -20.0f), gridHi = std::min(hi, 20.0f);
    const uint32_t gridPoints = 1u << 20;
    if (gridLo < gridHi)
      for (uint32_t i = 0; i <= gridPoints; ++i)
        sample.inputs.push_back(gridLo + (gridHi - gridLo) *
                                             static_cast<float>(i) /
                                             static_cast<float>(gridPoints));
  }
  sample.references.reserve(sample.inputs.size());
  for (float x : sample.inputs)
    sample.references.push_back(evaluateReference(meaning, x));
  return sample;
}

ErrorMaxima measureKernel(const Kernel &kernel, const BudgetSample &sample) {
  ErrorMaxima m;
  const size_t n = sample.inputs.size();
  FloatFormat format = floatFormatOf(sample.dtype);
  if (sample.dtype != DType::F32) {
    bool isBF16 = sample.dtype == DType::BF16;
    std::vector<uint16_t> out(n);
    kernel.u16()(sample.encoded.data(), out.data(), static_cast<int64_t>(n));
    for (size_t i = 0; i < n; ++i)
      m.add(sample.inputs[i], halfToFloat(out[i], isBF16), sample.references[i],
            format);
    return m;
  }
  std::vector<float> out(n);
  kernel.f32()(sample.inputs.data(), out.data(), static_cast<int64_t>(n));
  for (size_t i = 0; i < n; ++i)
    m.add(sample.inputs[i], out[i], sample.references[i], format);
  return m;
}

bool fitsBudget(const ErrorMaxima &error, const ErrorBudget &budget) {
  auto within = [](std::optional<double> bound, double measured) {
    return !bound || measured <= *bound * kSampledBudgetMargin;
  };
  return within(budget.maxUlp, error.maxUlp) &&
         within(budget.maxAbs, error.maxAbs) &&
         within(budget.maxRel, error.maxRel);
}

static std::string describe(const ErrorMaxima &e) {
  return llvm::formatv("{0:F2} ULP, {1:E2} abs, {2:E2} rel", e.maxUlp, e.maxAbs,
                       e.maxRel)
      .str();
}

static std::string describe(const ErrorBudget &b) {
  std::string out;
  auto add = [&](const char *name, std::optional<double> v) {
    if (!v)
      return;
    out += (out.empty() ? "" : ", ") + std::string(name) + " " +
           llvm::formatv("{0}", *v).str();
  };
  add("max_ulp", b.maxUlp);
  add("max_abs", b.maxAbs);
  add("max_rel", b.maxRel);
  if (std::isfinite(b.domainLo) || std::isfinite(b.domainHi))
    out += llvm::formatv(" on [{0}, {1}]", b.domainLo, b.domainHi).str();
  return out;
}

llvm::Expected<std::unique_ptr<Kernel>>
compileWithinBudget(const KernelSpec &spec,
                    std::vector<CandidateReport> *report) {
  assert(spec.budget && "compileWithinBudget needs a budget");
  ReferenceFunction meaning = spec.referenceFunction();
  std::vector<act::Expansion> candidates;
  if (spec.expansion)
    candidates.push_back(*spec.expansion);
  else
    llvm::append_range(candidates, expansionsFor(meaning));
  std::stable_sort(candidates.begin(), candidates.end(),
                   [&](act::Expansion a, act::Expansion b) {
                     return expansionCost(meaning, a) <
                            expansionCost(meaning, b);
                   });

  const BudgetSample sample = sampleBudget(meaning, spec.dtype, *spec.budget);
  std::vector<CandidateReport> tried;
  for (act::Expansion expansion : candidates) {
    KernelSpec candidate = spec;
    candidate.expansion = expansion;
    candidate.budget.reset();
    auto kernel = compileKernel(candidate);
    if (!kernel)
      return kernel.takeError();
    ErrorMaxima error = measureKernel(**kernel, sample);
    bool fits = fitsBudget(error, *spec.budget);
    tried.push_back(
        {expansion, expansionCost(meaning, expansion), error, fits});
    if (fits) {
      if (report)
        *report = tried;
      return kernel;
    }
  }
  if (report)
    *report = tried;
  // The most accurate candidate by the budget's first bound.
  auto score = [&](const CandidateReport &c) {
    const ErrorBudget &b = *spec.budget;
    if (b.maxUlp)
      return c.error.maxUlp / *b.maxUlp;
    if (b.maxAbs)
      return c.error.maxAbs / *b.maxAbs;
    return c.error.maxRel / *b.maxRel;
  };
  const CandidateReport &best = *std::min_element(
      tried.begin(), tried.end(),
      [&](const auto &a, const auto &b) { return score(a) < score(b); });
  return llvm::createStringError(
      "no expansion of " + stringifyReferenceFunction(meaning).str() +
      " meets the budget (" + describe(*spec.budget) +
      ", with sampled errors held to " +
      llvm::formatv("{0}", kSampledBudgetMargin).str() +
      " of each bound); the best is '" +
      act::stringifyExpansion(best.expansion).str() + "' with " +
      describe(best.error));
}

} // namespace gelu
