//===- Json.h - The JSON of the project -------------------------*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// Every JSON a user writes or reads (specs, reports, the tuning cache, bench
// results) goes through nlohmann/json, included here only: LLVM builds
// without exceptions, so JSON_NOEXCEPTION is set for every file, text is
// parsed with parseJson (never json::parse, which throws), and a value's
// type is checked before every get<>().
//
//===----------------------------------------------------------------------===//

#ifndef GELU_SUPPORT_JSON_H
#define GELU_SUPPORT_JSON_H

#ifndef JSON_NOEXCEPTION
#define JSON_NOEXCEPTION
#endif
#include <nlohmann/json.hpp>

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace gelu {

using Json = nlohmann::json;
/// For output people read (bench results): fields in the order written,
/// where Json sorts them.
using OrderedJson = nlohmann::ordered_json;

/// `value` as text, `indent` spaces a level (-1: one line). Bytes that are
/// not UTF-8 (a file path can hold any) are written as U+FFFD: nlohmann's
/// dump() would throw, which without exceptions aborts.
std::string dumpJson(const Json &value, int indent = -1);
std::string dumpJson(const OrderedJson &value, int indent = -1);

/// Parses `text` as one JSON value. A syntax error, or a field given twice
/// in one object (nlohmann would keep the last), is an error saying where
/// and why, without nlohmann's internal prefix and with any quoted token
/// bounded.
llvm::Expected<Json> parseJson(llvm::StringRef text);

} // namespace gelu

#endif // GELU_SUPPORT_JSON_H
