//===- CompileResources.h - What a compile needs, checked first -*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// An allocation that fails in the middle of an LLVM compile aborts the
// process ("LLVM ERROR: Unable to allocate section memory!", or
// std::bad_alloc in a pass). So a compile first tries what it will need,
// and running out is an llvm::Error that names the resource and the live
// kernels instead. docs/security.md has the measured limits.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_LIB_JIT_COMPILERESOURCES_H
#define GELU_LIB_JIT_COMPILERESOURCES_H

#include "llvm/ADT/Twine.h"
#include "llvm/Support/Error.h"

#include <atomic>
#include <cstdint>
#include <string>

namespace gelu {

/// Kernels alive in this process (Kernel's constructor and destructor keep
/// the count), for messages about resources.
extern std::atomic<int64_t> liveKernels;

/// Marks one compile in flight for as long as it lives: each needs its own
/// headroom.
class CompileInFlight {
public:
  CompileInFlight();
  ~CompileInFlight();
  CompileInFlight(const CompileInFlight &) = delete;
  CompileInFlight &operator=(const CompileInFlight &) = delete;
};

/// Fails, naming the resource, when this process could not finish a
/// compile: too little address space (RLIMIT_AS, or the hardware's) or too
/// few memory mappings left (vm.max_map_count).
llvm::Error checkCompileResources();

/// "cannot compile: WHAT; N kernels are live (...): free some ...".
std::string resourceShortage(const llvm::Twine &what);

} // namespace gelu

#endif // GELU_LIB_JIT_COMPILERESOURCES_H
