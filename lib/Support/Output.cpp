//===- Output.cpp - Files written whole, or an error that says why -------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Support/Output.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/ToolOutputFile.h"

namespace gelu {

llvm::Error finishOutput(llvm::raw_fd_ostream &os, llvm::StringRef path) {
  os.flush();
  // Closing can report what buffered writes could not (NFS, quotas); the
  // standard streams are never closed by LLVM.
  if (!os.has_error() && path != "-")
    os.close();
  if (!os.has_error())
    return llvm::Error::success();
  std::error_code ec = os.error();
  os.clear_error();
  std::string name =
      path == "-" ? std::string("standard output") : "'" + path.str() + "'";
  return llvm::createStringError(ec,
                                 "cannot write " + name + ": " + ec.message());
}

llvm::Error writeOutputFile(llvm::StringRef path, llvm::StringRef bytes,
                            bool binary) {
  std::error_code ec;
  // ToolOutputFile removes the file unless it is kept (and never removes
  // what is not a regular file, such as /dev/full).
  llvm::ToolOutputFile output(
      path, ec, binary ? llvm::sys::fs::OF_None : llvm::sys::fs::OF_Text);
  if (ec)
    return llvm::createStringError(ec, "cannot open '" + path +
                                           "': " + ec.message());
  output.os() << bytes;
  if (llvm::Error err = finishOutput(output.os(), path))
    return err;
  output.keep();
  return llvm::Error::success();
}

} // namespace gelu
