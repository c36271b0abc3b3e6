//===- ContiguousMemoryMapper.h - One kernel's JIT memory, in one range ---===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// The JIT (RuntimeDyld's SectionMemoryManager) maps a kernel's code, its
// constants and its data separately, each only *near* the last block of
// its own kind. Nothing keeps the code within ±2 GiB of the constants,
// which the small code model's RIP-relative loads need, and RuntimeDyld
// truncates an out-of-range displacement without a word: the kernel then
// loads its constants from a wrong address. In a process whose address
// space is fragmented (seen under AddressSanitizer, whose reservations are
// vast) that happened after a few hundred compiles. This mapper hands out
// every block of one kernel from one reserved range, so all of them are
// within a few MiB of each other.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_LIB_JIT_CONTIGUOUSMEMORYMAPPER_H
#define GELU_LIB_JIT_CONTIGUOUSMEMORYMAPPER_H

#include "llvm/ADT/SmallVector.h"
#include "llvm/ExecutionEngine/SectionMemoryManager.h"

#include <mutex>

namespace gelu {

class ContiguousMemoryMapper : public llvm::SectionMemoryManager::MemoryMapper {
public:
  /// A kernel's code, constants and data take 32-40 KiB (measured over the
  /// unit tests' kernels): 1 MiB leaves room for 25 times that.
  static constexpr size_t kReservedBytes = size_t(1) << 20;

  ContiguousMemoryMapper() = default;
  ~ContiguousMemoryMapper() override;

  /// Reserves the range (address space, not memory). Called before the JIT
  /// runs: when one of its allocations fails, RuntimeDyld aborts the
  /// process ("Unable to allocate section memory!"), so the one that can
  /// fail for want of address space happens here, as an error.
  std::error_code reserve();

  llvm::sys::MemoryBlock
  allocateMappedMemory(llvm::SectionMemoryManager::AllocationPurpose purpose,
                       size_t bytes, const llvm::sys::MemoryBlock *nearBlock,
                       unsigned flags, std::error_code &ec) override;
  std::error_code protectMappedMemory(const llvm::sys::MemoryBlock &block,
                                      unsigned flags) override;
  std::error_code releaseMappedMemory(llvm::sys::MemoryBlock &block) override;

private:
  std::error_code reserveLocked();

  std::mutex mutex;
  /// The reserved ranges: one, unless a kernel outgrows it (then a second
  /// one next to it).
  struct Range {
    char *base;
    size_t size;
    size_t used;
  };
  llvm::SmallVector<Range, 1> ranges;
};

} // namespace gelu

#endif // GELU_LIB_JIT_CONTIGUOUSMEMORYMAPPER_H
