//===- ThreadPool.h - The runtime's worker threads --------------*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// Kernel::run splits a large range across these workers: they are started
// once, on the first parallel call, and reused by every call after it (no
// thread is spawned per call).
//
//===----------------------------------------------------------------------===//

#ifndef GELU_JIT_THREADPOOL_H
#define GELU_JIT_THREADPOOL_H

#include "llvm/ADT/STLFunctionalExtras.h"

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace gelu {

class ThreadPool {
public:
  /// The process-wide pool: one worker per hardware thread but one (the
  /// caller works too). Never destroyed, so that it outlives every caller.
  static ThreadPool &global();

  explicit ThreadPool(unsigned workers);
  ~ThreadPool();
  ThreadPool(const ThreadPool &) = delete;
  ThreadPool &operator=(const ThreadPool &) = delete;

  /// Runs task(0) ... task(count − 1), the calling thread taking part, and
  /// returns when all have finished. Safe to call from several threads at
  /// once and from inside a task (a waiting caller runs queued tasks).
  void parallelFor(unsigned count, llvm::function_ref<void(unsigned)> task);

  unsigned workers() const { return static_cast<unsigned>(threads.size()); }

private:
  bool runOneQueued(std::unique_lock<std::mutex> &lock);

  std::mutex mutex;
  std::condition_variable wake;
  std::deque<std::function<void()>> queue;
  std::vector<std::thread> threads;
  bool stopping = false;
};

} // namespace gelu

#endif // GELU_JIT_THREADPOOL_H
