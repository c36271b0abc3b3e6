//===- KernelCache.h - Compiled kernels shared by spec and CPU --*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// A production JIT compiles each kernel once: the cache maps the full spec
// (KernelSpec::cacheKey, equal exactly when the canonical JSON is) to the
// compiled kernel. The spec's target names the
// CPU: "host" is this process's (fixed for its life), the others fixed ISA
// levels; a cache is never shared across processes. It is safe to use from many
// threads at once; concurrent requests for a spec not yet compiled compile it
// once, the others wait for that compile. A hit serialises the spec and takes a
// lock and a map lookup (~1 µs; bench/ measures it).
//
//   auto kernel = gelu::KernelCache::global().get(spec);
//   if (!kernel) ...;                    // llvm::Error, as compileKernel
//   (*kernel)->f32()(in, out, n);
//
//===----------------------------------------------------------------------===//

#ifndef GELU_JIT_KERNELCACHE_H
#define GELU_JIT_KERNELCACHE_H

#include "gelu/JIT/Jit.h"

#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace gelu {

class KernelCache {
public:
  /// The process-wide cache.
  static KernelCache &global();

  /// The kernel of `spec`, compiled on the first request. A failed compile
  /// is reported to every request waiting on it and not cached (the next
  /// request tries again).
  llvm::Expected<std::shared_ptr<const Kernel>> get(const KernelSpec &spec);
  llvm::Expected<std::shared_ptr<const Kernel>> get(llvm::StringRef json);

  /// Kernels held (compiled or being compiled).
  size_t size() const;
  /// How many requests compiled a kernel, and how many were served by one
  /// already compiled or being compiled.
  size_t compiles() const;
  size_t hits() const;

  /// Drops every kernel. Kernels still referenced elsewhere stay valid.
  void clear();

private:
  struct Slot;
  mutable std::mutex mutex;
  std::map<std::string, std::shared_ptr<Slot>> slots;
  size_t compileCount = 0, hitCount = 0;
};

} // namespace gelu

#endif // GELU_JIT_KERNELCACHE_H
