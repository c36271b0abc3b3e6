//===- ThreadPool.cpp - The runtime's worker threads ---------------------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/JIT/ThreadPool.h"

#include <algorithm>

namespace gelu {

ThreadPool &ThreadPool::global() {
  static ThreadPool *pool =
      new ThreadPool(std::max(1u, std::thread::hardware_concurrency()) - 1);
  return *pool;
}

ThreadPool::ThreadPool(unsigned workers) {
  for (unsigned i = 0; i < workers; ++i)
    threads.emplace_back([this] {
      std::unique_lock<std::mutex> lock(mutex);
      while (true) {
        wake.wait(lock, [this] { return stopping || !queue.empty(); });
        if (queue.empty())
          return; // stopping
        runOneQueued(lock);
      }
    });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex);
    stopping = true;
  }
  wake.notify_all();
  for (std::thread &t : threads)
    t.join();
}

/// Pops and runs one task with the lock released; false if none queued.
bool ThreadPool::runOneQueued(std::unique_lock<std::mutex> &lock) {
  if (queue.empty())
    return false;
  std::function<void()> task = std::move(queue.front());
  queue.pop_front();
  lock.unlock();
  task();
  lock.lock();
  return true;
}

void ThreadPool::parallelFor(unsigned count,
                             llvm::function_ref<void(unsigned)> task) {
  if (count == 0)
    return;
  std::mutex doneMutex;
  std::condition_variable doneSignal;
  unsigned remaining = count - 1;
  {
    std::lock_guard<std::mutex> lock(mutex);
    for (unsigned i = 1; i < count; ++i)
      queue.push_back([&, i] {
        task(i);
        std::lock_guard<std::mutex> doneLock(doneMutex);
        if (--remaining == 0)
          doneSignal.notify_all();
      });
  }
  wake.notify_all();
  task(0);
  // Help with queued work (ours or another caller's) until ours is done.
  while (true) {
    {
      std::lock_guard<std::mutex> doneLock(doneMutex);
      if (remaining == 0)
        return;
    }
    std::unique_lock<std::mutex> lock(mutex);
    if (runOneQueued(lock))
      continue;
    lock.unlock();
    std::unique_lock<std::mutex> doneLock(doneMutex);
    doneSignal.wait(doneLock, [&] { return remaining == 0; });
    return;
  }
}

} // namespace gelu
