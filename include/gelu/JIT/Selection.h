//===- Selection.h - Choose an expansion that meets a budget ----*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// A spec with an error budget names what must hold, not how to compute it.
// The compiler orders the expansions of the op by a cost it computes (the
// operations each one emits), JIT-compiles them cheapest first, measures
// each against the long-double reference on the budget's domain, and keeps
// the first whose measured error fits.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_JIT_SELECTION_H
#define GELU_JIT_SELECTION_H

#include "gelu/JIT/Jit.h"
#include "gelu/Numerics/ErrorMaxima.h"

#include <vector>

namespace gelu {

/// One candidate of a selection.
struct CandidateReport {
  act::Expansion expansion;
  unsigned cost;
  ErrorMaxima error;
  bool fits;
};

/// A sample cannot see every input, so a candidate fits only when each
/// sampled maximum is within this fraction of its bound. (Sampled maxima
/// run up to ~15 % below exhaustive ones: 3.15 against 3.67 ULP for the
/// default exact GELU.)
constexpr double kSampledBudgetMargin = 0.8;

/// The operations `expansion` emits for a 16-lane f32 vector after
/// canonicalization and CSE, constants excluded, a divide counting 4 and a
/// reciprocal estimate 3.
unsigned expansionCost(ReferenceFunction function, act::Expansion expansion);

/// The inputs a budget is checked on, with their reference values: for
/// f32, 2^18 inputs spread evenly over the domain's float encodings (every
/// magnitude) plus 2^20 evenly spaced in its part of [−20, 20]; for 16-bit
/// types, every input in the domain. Built once per selection: the
/// reference values are most of a measurement's cost.
struct BudgetSample {
  DType dtype = DType::F32;
  std::vector<float> inputs;     ///< the values (all dtypes)
  std::vector<uint16_t> encoded; ///< their 16-bit encodings (f16, bf16)
  std::vector<long double> references;
};
BudgetSample sampleBudget(ReferenceFunction meaning, DType dtype,
                          const ErrorBudget &budget);

/// Runs `kernel` (of the sample's dtype) on `sample` and measures it.
ErrorMaxima measureKernel(const Kernel &kernel, const BudgetSample &sample);

/// Whether `error` fits `budget` (with kSampledBudgetMargin).
bool fitsBudget(const ErrorMaxima &error, const ErrorBudget &budget);

/// Compiles the cheapest expansion of `spec`'s op whose measured error fits
/// `*spec.budget` (only the named one, if `spec.expansion` is set). The
/// kernel's spec() names the expansion chosen. `report`, if given, receives
/// every candidate tried. Fails, naming the best candidate and its error,
/// when none fits.
llvm::Expected<std::unique_ptr<Kernel>>
compileWithinBudget(const KernelSpec &spec,
                    std::vector<CandidateReport> *report = nullptr);

} // namespace gelu

#endif // GELU_JIT_SELECTION_H
