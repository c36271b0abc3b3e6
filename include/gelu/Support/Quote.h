//===- Quote.h - User text in messages, bounded -----------------*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// An error message quotes the value it refuses, but a hostile or mistaken
// input can hold a value of 100 MB: a message repeats at most a bounded
// prefix of it and says how long it was.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_SUPPORT_QUOTE_H
#define GELU_SUPPORT_QUOTE_H

#include "llvm/ADT/StringRef.h"

#include <string>

namespace gelu {

/// The most bytes of user text that a message repeats.
inline constexpr size_t kQuotedBytes = 80;

/// `text` itself when it has at most `limit` bytes; else its first bytes
/// (never splitting a UTF-8 character) followed by "... (N bytes)".
std::string bounded(llvm::StringRef text, size_t limit = kQuotedBytes);

} // namespace gelu

#endif // GELU_SUPPORT_QUOTE_H
