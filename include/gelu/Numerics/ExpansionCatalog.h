//===- ExpansionCatalog.h - Which expansions compute what -------*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_NUMERICS_EXPANSIONCATALOG_H
#define GELU_NUMERICS_EXPANSIONCATALOG_H

#include "gelu/Dialect/Act/IR/ActEnums.h"
#include "gelu/Numerics/Reference.h"

#include "llvm/ADT/ArrayRef.h"

#include <string>

namespace gelu {

/// The expansions that an op meaning `function` accepts, its accurate
/// default first, then the others from most to least accurate.
llvm::ArrayRef<act::Expansion> expansionsFor(ReferenceFunction function);

/// What `expansion` computes when it stands for `function`: the same
/// function, except for the approximations (`tanh_form`, `sigmoid_form`) of
/// exact GELU.
ReferenceFunction computedFunction(ReferenceFunction function,
                                   act::Expansion expansion);

/// "'erfc', 'erfc_fast', ..." for messages.
std::string listExpansions(ReferenceFunction function);

} // namespace gelu

#endif // GELU_NUMERICS_EXPANSIONCATALOG_H
