//===- Quote.cpp - User text in messages, bounded ------------------------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Support/Quote.h"

namespace gelu {

std::string bounded(llvm::StringRef text, size_t limit) {
  if (text.size() <= limit)
    return text.str();
  size_t cut = limit;
  // Back up over UTF-8 continuation bytes (10xxxxxx) to a character start.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
    --cut;
  return text.take_front(cut).str() + "... (" + std::to_string(text.size()) +
         " bytes)";
}

} // namespace gelu
