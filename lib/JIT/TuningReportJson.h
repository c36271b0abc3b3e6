//===- TuningReportJson.h - A tuning report as a JSON value -----*- C++ -*-===//
//
// Part of gelu-jit. Private to lib/JIT: the tuning cache keeps reports as
// JSON values inside its file, without writing them out and reading them
// again.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_LIB_JIT_TUNINGREPORTJSON_H
#define GELU_LIB_JIT_TUNINGREPORTJSON_H

#include "gelu/JIT/TuningReport.h"
#include "gelu/Support/Json.h"

namespace gelu {

/// The report as TuningReport::toJson writes it.
Json reportToJsonValue(const TuningReport &report);

/// Reads what reportToJsonValue made, checking every field; the error
/// names the first bad one.
llvm::Expected<TuningReport> reportFromJsonValue(const Json &value);

} // namespace gelu

#endif // GELU_LIB_JIT_TUNINGREPORTJSON_H
