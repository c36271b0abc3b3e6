//===- SpecJson.h - A spec as a JSON value ----------------------*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// For JSON that holds specs (tuning reports, the tuning cache): the spec as
// a value of the project's JSON (Support/Json.h), so that nothing is
// written out and parsed again. Spec.h works with text and needs no JSON
// library.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_SPEC_SPECJSON_H
#define GELU_SPEC_SPECJSON_H

#include "gelu/Spec/Spec.h"
#include "gelu/Support/Json.h"

namespace gelu {

/// The canonical JSON of `spec` (KernelSpec::toJson is its text).
Json specToJsonValue(const KernelSpec &spec);

/// Validates `value` as parseSpec validates text; messages name
/// `sourceName`.
llvm::Expected<KernelSpec> specFromJsonValue(const Json &value,
                                             llvm::StringRef sourceName);

} // namespace gelu

#endif // GELU_SPEC_SPECJSON_H
