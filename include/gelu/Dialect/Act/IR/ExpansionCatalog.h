//===- ExpansionCatalog.h - Which expansions compute what -------*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_DIALECT_ACT_IR_EXPANSIONCATALOG_H
#define GELU_DIALECT_ACT_IR_EXPANSIONCATALOG_H

#include "gelu/Dialect/Act/IR/ActEnums.h"
#include "gelu/Numerics/Reference.h"

#include "llvm/ADT/ArrayRef.h"

#include <string>

namespace gelu {

/// The GELU that `approximate` names.
ReferenceFunction geluReferenceFunction(act::Approximate approximate);

/// The expansions that an op meaning `function` accepts, its accurate
/// default first, then the others from most to least accurate, but
/// `correctly_rounded` (the most accurate, and the slowest) and the
/// hardware forms (NVPTX alone) last.
llvm::ArrayRef<act::Expansion> expansionsFor(ReferenceFunction function);

/// Whether `expansion` computes with an NVIDIA GPU's approximations
/// (`hw_tanh`, `hw_sigmoid`; Numerics/HardwareApproximations.h): it
/// compiles for NVPTX targets alone.
bool usesHardwareApproximations(act::Expansion expansion);

/// expansionsFor without the hardware forms: what a CPU target takes.
llvm::ArrayRef<act::Expansion> cpuExpansionsFor(ReferenceFunction function);

/// The expansions that an op meaning `function` accepts on f64 elements:
/// its default first (`piecewise_tail` for exact and sigmoid GELU and SiLU,
/// their f64 tables, `sigmoid` for tanh GELU and the sigmoid-gated
/// derivatives, `erfc` for exact GELU', `select` for ReLU), its other f64
/// forms (`erfc` for exact GELU, `sigmoid` for the others, tanh GELU's
/// `piecewise_tail`), then, but for ReLU, `piecewise` computed in f32
/// (computesInF32OnF64).
llvm::ArrayRef<act::Expansion> f64ExpansionsFor(ReferenceFunction function);

/// What `expansion` computes when it stands for `function`: the same
/// function, except for the approximations (`approx_tanh`, `approx_sigmoid`) of
/// exact GELU.
ReferenceFunction computedFunction(ReferenceFunction function,
                                   act::Expansion expansion);

/// Whether `expansion` of `function` promises correctly rounded f32
/// results: `correctly_rounded` (f32 kernels only; proved on all 2^32
/// inputs, docs/accuracy.md), and ReLU, which is exact.
bool promisesCorrectRounding(ReferenceFunction function,
                             act::Expansion expansion);

/// Whether `expansion`, on f64 elements, computes in f32: `piecewise`, whose
/// tables are f32 fits (absolute accuracy, 1e-7 at best), evaluated on x
/// rounded to f32 and widened: the f64 kernels' cheap rungs for absolute
/// budgets.
bool computesInF32OnF64(act::Expansion expansion);

/// Whether `expansion` computes f32 results only: `correctly_rounded` rounds
/// once to f32, and a 16-bit result would be rounded twice.
bool roundsF32Only(act::Expansion expansion);

/// The degrees `expansion` of `function` can be emitted at on f32, f16 and
/// bf16 elements (`f64` false) or on f64, lowest first; empty when its
/// degree is fixed. `piecewise_tail` has them for the gates (exact, tanh and
/// sigmoid GELU, SiLU; not their derivatives): its own table is the
/// default, and on f32, f16 and bf16 the `piecewise` tables of degrees
/// kPiecewiseTailMinDegree up to its own table's (tailTableDegree), with the
/// same tail, are the cheaper alternatives (FitCatalog.h); on f64 its f64
/// table's fits of degrees kPhiF64TableMinDegree up to its own
/// (f64TableDegree), with the same tail (DoubleFits.h).
llvm::ArrayRef<unsigned> degreesOf(ReferenceFunction function,
                                   act::Expansion expansion, bool f64);

/// The degree `expansion` is emitted at when none is named: the highest of
/// degreesOf, but 0 (its own table) for `piecewise_tail` and when the degree
/// is fixed.
unsigned defaultDegreeOf(ReferenceFunction function, act::Expansion expansion,
                         bool f64);

/// "2, 3, 4, 5 or 6" for messages.
std::string listDegrees(ReferenceFunction function, act::Expansion expansion,
                        bool f64);

/// "'erfc', 'erfc_fast', ..." for messages.
std::string listExpansions(llvm::ArrayRef<act::Expansion> expansions);

} // namespace gelu

#endif // GELU_DIALECT_ACT_IR_EXPANSIONCATALOG_H
