//===- ExpansionCatalog.cpp - Which expansions compute what --------------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Dialect/Act/IR/ExpansionCatalog.h"

#include "gelu/Dialect/Act/IR/OpFacts.h"

#include "gelu/Numerics/DoubleFits.h"
#include "gelu/Numerics/FitCatalog.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/ErrorHandling.h"

#include <initializer_list>
#include <map>
#include <mutex>
#include <vector>

namespace gelu {

using act::Expansion;

ReferenceFunction geluReferenceFunction(act::Approximate approximate) {
  switch (approximate) {
  case act::Approximate::none:
    return ReferenceFunction::GeluExact;
  case act::Approximate::tanh:
    return ReferenceFunction::GeluTanh;
  case act::Approximate::sigmoid:
    return ReferenceFunction::GeluSigmoid;
  }
  llvm_unreachable("unknown approximate");
}

ReferenceFunction
act::OpFacts::referenceFunction(act::Approximate approximate) const {
  switch (family) {
  case act::ActivationFamily::Gelu:
    return geluReferenceFunction(approximate);
  case act::ActivationFamily::GeluDerivative:
    return derivativeOf(geluReferenceFunction(approximate));
  case act::ActivationFamily::Silu:
    return ReferenceFunction::Silu;
  case act::ActivationFamily::Relu:
    return ReferenceFunction::Relu;
  }
  llvm_unreachable("unknown activation family");
}

llvm::ArrayRef<Expansion> expansionsFor(ReferenceFunction function) {
  // The first is the default: piecewise_tail, relative accuracy on every
  // input (the derivatives' from tables fitted through GELU''s zero).
  static constexpr Expansion exact[] = {Expansion::piecewise_tail,
                                        Expansion::erfc,
                                        Expansion::erfc_fast,
                                        Expansion::rational,
                                        Expansion::erf,
                                        Expansion::rational_fast,
                                        Expansion::approx_tanh,
                                        Expansion::approx_sigmoid,
                                        Expansion::piecewise,
                                        Expansion::piecewise_graded,
                                        Expansion::polynomial,
                                        Expansion::correctly_rounded};
  // The x·σ(y) functions end with their NVPTX-only hardware forms.
  static constexpr Expansion tanh[] = {
      Expansion::piecewise_tail, Expansion::sigmoid,
      Expansion::sigmoid_fast,   Expansion::rational,
      Expansion::rational_fast,  Expansion::tanh,
      Expansion::piecewise,      Expansion::piecewise_graded,
      Expansion::polynomial,     Expansion::correctly_rounded,
      Expansion::hw_sigmoid,     Expansion::hw_tanh};
  static constexpr Expansion sigmoid[] = {Expansion::piecewise_tail,
                                          Expansion::sigmoid,
                                          Expansion::sigmoid_fast,
                                          Expansion::rational,
                                          Expansion::rational_fast,
                                          Expansion::piecewise,
                                          Expansion::piecewise_graded,
                                          Expansion::polynomial,
                                          Expansion::correctly_rounded,
                                          Expansion::hw_sigmoid,
                                          Expansion::hw_tanh};
  // The derivatives: their function's expansions but tanh GELU's `tanh`
  // spelling, the tanh and sigmoid forms' correctly rounded one and the
  // hardware forms.
  auto without = [](llvm::ArrayRef<Expansion> list,
                    std::initializer_list<Expansion> dropped) {
    std::vector<Expansion> kept;
    for (Expansion e : list)
      if (!llvm::is_contained(dropped, e))
        kept.push_back(e);
    return kept;
  };
  static const std::vector<Expansion> sigmoidDerivative =
      without(sigmoid, {Expansion::correctly_rounded, Expansion::hw_sigmoid,
                        Expansion::hw_tanh});
  static constexpr Expansion relu[] = {Expansion::select};
  switch (function) {
  case ReferenceFunction::GeluExact:
    return exact;
  case ReferenceFunction::GeluExactDerivative:
    return exact;
  case ReferenceFunction::GeluTanh:
    return tanh;
  case ReferenceFunction::GeluSigmoid:
  case ReferenceFunction::Silu:
    return sigmoid;
  case ReferenceFunction::GeluTanhDerivative:
  case ReferenceFunction::GeluSigmoidDerivative:
    return sigmoidDerivative;
  case ReferenceFunction::Relu:
    return relu;
  }
  llvm_unreachable("unknown reference function");
}

bool usesHardwareApproximations(Expansion expansion) {
  return expansion == Expansion::hw_tanh || expansion == Expansion::hw_sigmoid;
}

llvm::ArrayRef<Expansion> cpuExpansionsFor(ReferenceFunction function) {
  static std::map<ReferenceFunction, std::vector<Expansion>> lists;
  static std::mutex mutex;
  std::lock_guard<std::mutex> lock(mutex);
  auto [it, added] = lists.try_emplace(function);
  if (added)
    for (Expansion e : expansionsFor(function))
      if (!usesHardwareApproximations(e))
        it->second.push_back(e);
  return it->second;
}

llvm::ArrayRef<Expansion> f64ExpansionsFor(ReferenceFunction function) {
  // The f64 evaluations first (the first the default), then the f32
  // tables for absolute budgets (computesInF32OnF64). Exact GELU's default
  // is its f64 table with a second table for the tail past it.
  static constexpr Expansion exact[] = {Expansion::piecewise_tail,
                                        Expansion::erfc, Expansion::piecewise};
  static constexpr Expansion erfc[] = {Expansion::erfc, Expansion::piecewise};
  static constexpr Expansion sigmoid[] = {Expansion::sigmoid,
                                          Expansion::piecewise};
  // The sigmoid-gated GELUs and SiLU: their gates' f64 tables too, the
  // `sigmoid` form past them (DoubleFits.h), sigmoid GELU's and SiLU's
  // default (f64TableDegree).
  static constexpr Expansion tanhGate[] = {
      Expansion::sigmoid, Expansion::piecewise_tail, Expansion::piecewise};
  static constexpr Expansion gate[] = {
      Expansion::piecewise_tail, Expansion::sigmoid, Expansion::piecewise};
  static constexpr Expansion select[] = {Expansion::select};
  switch (function) {
  case ReferenceFunction::GeluExact:
    return exact;
  case ReferenceFunction::GeluExactDerivative:
    return erfc;
  case ReferenceFunction::GeluTanh:
    return tanhGate;
  case ReferenceFunction::GeluSigmoid:
  case ReferenceFunction::Silu:
    return gate;
  case ReferenceFunction::GeluTanhDerivative:
  case ReferenceFunction::GeluSigmoidDerivative:
    return sigmoid;
  case ReferenceFunction::Relu:
    return select;
  }
  llvm_unreachable("unknown reference function");
}

ReferenceFunction computedFunction(ReferenceFunction function,
                                   Expansion expansion) {
  if (function == ReferenceFunction::GeluExact ||
      function == ReferenceFunction::GeluExactDerivative) {
    ReferenceFunction approximation;
    if (expansion == Expansion::approx_tanh)
      approximation = ReferenceFunction::GeluTanh;
    else if (expansion == Expansion::approx_sigmoid)
      approximation = ReferenceFunction::GeluSigmoid;
    else
      return function;
    return function == ReferenceFunction::GeluExact
               ? approximation
               : derivativeOf(approximation);
  }
  return function;
}

bool promisesCorrectRounding(ReferenceFunction function, Expansion expansion) {
  // ReLU's select is exact.
  return expansion == Expansion::correctly_rounded ||
         function == ReferenceFunction::Relu;
}

bool computesInF32OnF64(Expansion expansion) {
  return expansion == Expansion::piecewise;
}

bool roundsF32Only(Expansion expansion) {
  return expansion == Expansion::correctly_rounded;
}

llvm::ArrayRef<unsigned> degreesOf(ReferenceFunction function,
                                   Expansion expansion, bool f64) {
  static constexpr unsigned rational[] = {2, 3, 4, 5, 6};
  static_assert(kRationalMinDegree == 2 && kRationalMaxDegree == 6,
                "the rational degrees follow the fit catalog");
  static constexpr unsigned piecewise[] = {1, 2, 3, 4, 5, 6, 7};
  static_assert(kPiecewiseMinDegree == 1 && kPiecewiseMaxDegree == 7,
                "the piecewise degrees follow the fit catalog");
  if (expansion == Expansion::rational || expansion == Expansion::rational_fast)
    return rational;
  if (expansion == Expansion::piecewise)
    return piecewise;
  static constexpr unsigned graded[] = {1, 2, 3};
  static_assert(kPiecewiseGradedMinDegree == 1 &&
                    kPiecewiseGradedMaxDegree == 3,
                "the graded degrees follow the fit catalog");
  if (expansion == Expansion::piecewise_graded)
    return graded;
  static constexpr unsigned polynomial[] = {3, 4, 5, 6};
  static_assert(kClampedPolynomialMinDegree == 3 &&
                    kClampedPolynomialMaxDegree == 6,
                "the polynomial degrees follow the fit catalog");
  if (expansion == Expansion::polynomial)
    return polynomial;
  static constexpr unsigned tail[] = {5, 6};
  static_assert(kPiecewiseTailMinDegree == 5 && kPiecewiseMaxDegree == 7,
                "the piecewise_tail degrees follow the fit catalog");
  // The degrees below its own table's (tailTableDegree).
  if (expansion == Expansion::piecewise_tail && !f64 &&
      !isDerivative(function) && function != ReferenceFunction::Relu)
    return llvm::ArrayRef(tail).take_front(tailTableDegree(function) -
                                           kPiecewiseTailMinDegree);
  // On f64 the gates' tables' (DoubleFits.h), below their own
  // (f64TableDegree).
  static constexpr unsigned f64Tail[] = {4, 5, 6, 7, 8, 9, 10, 11, 12};
  static_assert(kPhiF64TableMinDegree == 4 && kPhiF64TableDegree == 13,
                "the f64 piecewise_tail degrees follow the double fits");
  if (expansion == Expansion::piecewise_tail && f64 &&
      !isDerivative(function) && function != ReferenceFunction::Relu)
    return llvm::ArrayRef(f64Tail).take_front(f64TableDegree(function) -
                                              kPhiF64TableMinDegree);
  return {};
}

unsigned defaultDegreeOf(ReferenceFunction function, Expansion expansion,
                         bool f64) {
  llvm::ArrayRef<unsigned> degrees = degreesOf(function, expansion, f64);
  if (degrees.empty() || expansion == Expansion::piecewise_tail)
    return 0;
  return degrees.back();
}

std::string listDegrees(ReferenceFunction function, Expansion expansion,
                        bool f64) {
  std::string out;
  llvm::SmallVector<std::string> items;
  for (unsigned degree : degreesOf(function, expansion, f64))
    items.push_back(std::to_string(degree));
  // piecewise_tail's own table, the default, is named by no degree.
  if (expansion == Expansion::piecewise_tail && !items.empty())
    items.push_back("none (its own table, degree " +
                    std::to_string(f64 ? f64TableDegree(function)
                                       : tailTableDegree(function)) +
                    ")");
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0)
      out += i + 1 == items.size() ? " or " : ", ";
    out += items[i];
  }
  return out;
}

std::string listExpansions(llvm::ArrayRef<Expansion> expansions) {
  std::string out;
  for (Expansion e : expansions) {
    if (!out.empty())
      out += ", ";
    out += "'" + act::stringifyExpansion(e).str() + "'";
  }
  return out;
}

} // namespace gelu
