//===- Output.h - Files written whole, or an error that says why -*- C++
//-*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// LLVM's output streams remember a failed write and abort the process
// ("LLVM ERROR: IO failure on output stream") when they are destroyed with
// the error still set. The tools write every file through these helpers
// instead: a full disk, a quota or /dev/full is an error naming the file and
// the system's reason, and a file that could not be written whole is removed.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_SUPPORT_OUTPUT_H
#define GELU_SUPPORT_OUTPUT_H

#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

namespace gelu {

/// Writes `bytes` to `path` ("-": standard output). On failure the partial
/// file is removed and the error reads "cannot write 'PATH': REASON" (or
/// "cannot write standard output: REASON").
llvm::Error writeOutputFile(llvm::StringRef path, llvm::StringRef bytes,
                            bool binary = false);

/// Flushes `os` (which writes `path`) and, for a stream that owns its file,
/// closes it. If any write or the close failed: the stream's error is
/// cleared (so that its destructor does not abort) and returned as "cannot
/// write 'PATH': REASON".
llvm::Error finishOutput(llvm::raw_fd_ostream &os, llvm::StringRef path);

} // namespace gelu

#endif // GELU_SUPPORT_OUTPUT_H
