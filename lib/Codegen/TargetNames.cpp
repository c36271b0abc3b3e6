//===- TargetNames.cpp - The targets a kernel may be compiled for --------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Codegen/TargetNames.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/TargetParser/X86TargetParser.h"

namespace gelu {

llvm::ArrayRef<llvm::StringRef> targetNames() {
  static const llvm::StringRef names[] = {"host", "x86-64-v3", "x86-64-v4",
                                          "aarch64"};
  return names;
}

llvm::ArrayRef<llvm::StringRef> x86CpuNames() {
  static const llvm::SmallVector<llvm::StringRef> names = [] {
    llvm::SmallVector<llvm::StringRef> all;
    llvm::X86::fillValidCPUArchList(all, /*Only64Bit=*/true);
    return all;
  }();
  return names;
}

llvm::ArrayRef<llvm::StringRef> nvptxTargetNames() {
  // The GPUs CUDA 13's ptxas still assembles for (Turing and later).
  static const llvm::StringRef names[] = {
      "nvptx-sm_75", "nvptx-sm_80", "nvptx-sm_86",  "nvptx-sm_87",
      "nvptx-sm_89", "nvptx-sm_90", "nvptx-sm_100", "nvptx-sm_120"};
  return names;
}

bool isKnownTarget(llvm::StringRef name) {
  return llvm::is_contained(targetNames(), name) ||
         llvm::is_contained(x86CpuNames(), name) ||
         llvm::is_contained(nvptxTargetNames(), name);
}

} // namespace gelu
