//===- KernelCache.cpp - Compiled kernels shared by spec and CPU ---------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/JIT/KernelCache.h"

#include <condition_variable>

namespace gelu {

/// One kernel, compiled by the first request; later ones wait on `ready`.
struct KernelCache::Slot {
  std::mutex mutex;
  std::condition_variable ready;
  bool done = false;
  std::shared_ptr<const Kernel> kernel;
  std::string error;
};

KernelCache &KernelCache::global() {
  // Never destroyed: kernels may be in use by other statics during exit.
  static KernelCache *cache = new KernelCache;
  return *cache;
}

llvm::Expected<std::shared_ptr<const Kernel>>
KernelCache::get(const KernelSpec &spec) {
  // Within one process the target name fixes the code: "host" is this
  // process's CPU, the others are fixed ISA levels. So the canonical spec
  // is the whole key, and a hit costs one compact encoding and one lookup.
  std::string key = spec.cacheKey();

  std::shared_ptr<Slot> slot;
  bool compileHere = false;
  {
    std::lock_guard<std::mutex> lock(mutex);
    std::shared_ptr<Slot> &entry = slots[key];
    if (!entry) {
      entry = std::make_shared<Slot>();
      compileHere = true;
      ++compileCount;
    } else {
      ++hitCount;
    }
    slot = entry;
  }

  if (compileHere) {
    auto kernel = compileKernel(spec);
    std::lock_guard<std::mutex> lock(slot->mutex);
    if (kernel) {
      slot->kernel = std::move(*kernel);
    } else {
      slot->error = llvm::toString(kernel.takeError());
      std::lock_guard<std::mutex> mapLock(mutex);
      auto it = slots.find(key);
      if (it != slots.end() && it->second == slot)
        slots.erase(it);
    }
    slot->done = true;
    slot->ready.notify_all();
  } else {
    std::unique_lock<std::mutex> lock(slot->mutex);
    slot->ready.wait(lock, [&] { return slot->done; });
  }
  if (!slot->kernel)
    return llvm::createStringError(slot->error);
  return slot->kernel;
}

llvm::Expected<std::shared_ptr<const Kernel>>
KernelCache::get(llvm::StringRef json) {
  auto spec = parseSpec(json);
  if (!spec)
    return spec.takeError();
  return get(*spec);
}

size_t KernelCache::size() const {
  std::lock_guard<std::mutex> lock(mutex);
  return slots.size();
}

size_t KernelCache::compiles() const {
  std::lock_guard<std::mutex> lock(mutex);
  return compileCount;
}

size_t KernelCache::hits() const {
  std::lock_guard<std::mutex> lock(mutex);
  return hitCount;
}

void KernelCache::clear() {
  std::lock_guard<std::mutex> lock(mutex);
  slots.clear();
}

} // namespace gelu
