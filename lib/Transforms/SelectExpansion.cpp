//===- SelectExpansion.cpp - Choose act ops' expansions by measuring -----===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// The pass is a thin shell over a decider (the JIT's tuner, set by whoever
// links it): it turns its options (or a spec file) into a KernelSpec,
// validated by the spec parser itself so that the messages and rules are
// the driver's, completes it per op (op, approximate, element type), and
// records the decider's choice on the op.
//
//===----------------------------------------------------------------------===//

#include "gelu/Transforms/Passes.h"

#include "gelu/Dialect/Act/IR/ActOps.h"
#include "gelu/Dialect/Act/IR/ExpansionCatalog.h"
#include "gelu/Spec/SpecJson.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/TypeUtilities.h"

#include <map>
#include <mutex>

namespace gelu {
#define GEN_PASS_DEF_ACTSELECTEXPANSION
#include "gelu/Transforms/Passes.h.inc"
} // namespace gelu

using namespace mlir;
using namespace gelu;

namespace {

/// The element type of an act op as a spec dtype (the op's type
/// constraint admits these four).
DType dtypeOf(Operation *op) {
  Type element = getElementTypeOrSelf(op->getResult(0).getType());
  if (element.isF16())
    return DType::F16;
  if (element.isBF16())
    return DType::BF16;
  if (element.isF64())
    return DType::F64;
  assert(element.isF32() && "act ops take f16, bf16, f32 or f64");
  return DType::F32;
}

static std::mutex &deciderMutex() {
  static std::mutex mutex;
  return mutex;
}
static ExpansionDecider &currentDecider() {
  static ExpansionDecider decider;
  return decider;
}

/// A decision, or why there is none.
struct Decision {
  act::Expansion expansion = act::Expansion::erfc;
  unsigned degree = 0;
  std::string error;
};

struct ActSelectExpansionPass
    : public gelu::impl::ActSelectExpansionBase<ActSelectExpansionPass> {
  using ActSelectExpansionBase::ActSelectExpansionBase;

  /// The spec the options describe, as JSON for the spec parser.
  Json optionsAsJson() {
    Json spec = {{"objective", objective.getValue()},
                 {"ranking", ranking.getValue()},
                 {"target", target.getValue()}};
    Json budget = Json::object();
    if (maxUlp != 0)
      budget["max_ulp"] = maxUlp.getValue();
    if (maxAbs != 0)
      budget["max_abs"] = maxAbs.getValue();
    if (maxRel != 0)
      budget["max_rel"] = maxRel.getValue();
    if (!domain.empty())
      budget["domain"] = std::vector<double>(domain.begin(), domain.end());
    if (!budget.empty())
      spec["budget"] = std::move(budget);
    if (maxNsPerElement != 0)
      spec["max_ns_per_element"] = maxNsPerElement.getValue();
    if (timingSigma != 0)
      spec["timing_inputs"] = {{"distribution", "normal"},
                               {"sigma", timingSigma.getValue()}};
    else if (!timingRange.empty())
      spec["timing_inputs"] = {
          {"distribution", "uniform"},
          {"range",
           std::vector<double>(timingRange.begin(), timingRange.end())}};
    return spec;
  }

  llvm::Expected<KernelSpec> baseSpec() {
    const bool timingOptions = timingSigma != 0 || !timingRange.empty();
    if (timingSigma != 0 && !timingRange.empty())
      return llvm::createStringError(
          "act-select-expansion: give timing-sigma (normal inputs) or "
          "timing-range (uniform inputs), not both");
    if (specFile.empty())
      return specFromJsonValue(optionsAsJson(), "act-select-expansion options");
    bool optionsToo = maxUlp != 0 || maxAbs != 0 || maxRel != 0 ||
                      !domain.empty() || maxNsPerElement != 0 ||
                      objective != "fastest" || ranking != "measured" ||
                      target != "host" || timingOptions;
    if (optionsToo)
      return llvm::createStringError(
          "act-select-expansion: give either 'spec' or the budget options, "
          "not both");
    return readSpecFile(specFile);
  }

  Decision decide(const KernelSpec &spec) {
    Decision decision;
    if (!needsTuning(spec)) {
      decision.expansion = spec.acceptedExpansions().front();
      decision.degree =
          defaultDegreeOf(spec.referenceFunction(), decision.expansion,
                          spec.dtype == DType::F64);
      return decision;
    }
    ExpansionDecider decider;
    {
      std::lock_guard<std::mutex> lock(deciderMutex());
      decider = currentDecider();
    }
    if (!decider) {
      decision.error = "the spec leaves a choice (a budget or "
                       "\"most_accurate\"), and no decider is set: link "
                       "gelu-jit's tuner (gelu::setExpansionDecider("
                       "gelu::tunerExpansionDecider()))";
      return decision;
    }
    auto choice = decider(spec);
    if (!choice) {
      // The spec is this pass's options: a spec field's JSON path would
      // name nothing the user wrote.
      decision.error = llvm::toString(withoutSpecField(choice.takeError()));
      return decision;
    }
    decision.expansion = choice->expansion;
    decision.degree = choice->degree;
    return decision;
  }

  void runOnOperation() override {
    auto base = baseSpec();
    if (!base) {
      getOperation()->emitError(llvm::toString(base.takeError()));
      return signalPassFailure();
    }
    // One tuning per distinct spec in the module.
    std::map<std::string, Decision> decisions;
    bool failed = false;
    getOperation()->walk([&](Operation *op) {
      auto activation = dyn_cast<act::ActivationOpInterface>(op);
      if (!activation || activation.getExpansion())
        return;
      KernelSpec spec = *base;
      spec.dtype = dtypeOf(op);
      spec.op = activation.getFacts().kind;
      spec.approximate = activation.getApproximate();
      spec.expansion.reset();
      spec.degree.reset();
      auto [it, inserted] = decisions.try_emplace(spec.cacheKey());
      if (inserted)
        it->second = decide(spec);
      const Decision &decision = it->second;
      if (!decision.error.empty()) {
        op->emitOpError("act-select-expansion: ") << decision.error;
        failed = true;
        return;
      }
      OpBuilder b(op);
      op->setAttr("expansion", act::ExpansionAttr::get(op->getContext(),
                                                       decision.expansion));
      // (Only the ops with a degree attribute have expansions with degrees.)
      if (decision.degree)
        op->setAttr("degree", b.getI32IntegerAttr(decision.degree));
    });
    if (failed)
      signalPassFailure();
  }
};

} // namespace

void gelu::setExpansionDecider(ExpansionDecider decider) {
  std::lock_guard<std::mutex> lock(deciderMutex());
  currentDecider() = std::move(decider);
}
