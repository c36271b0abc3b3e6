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

#include "llvm/ExecutionEngine/SectionMemoryManager.h"

#include <mutex>

namespace gelu {

class ContiguousMemoryMapper : public llvm::SectionMemoryManager::MemoryMapper {
public:
  /// Reserves address space (not memory) on the first allocation.
  explicit ContiguousMemoryMapper(size_t reservedBytes = size_t(16) << 20)
      : reservedBytes(reservedBytes) {}
  ~ContiguousMemoryMapper() override;

  llvm::sys::MemoryBlock
  allocateMappedMemory(llvm::SectionMemoryManager::AllocationPurpose purpose,
                       size_t bytes, const llvm::sys::MemoryBlock *nearBlock,
                       unsigned flags, std::error_code &ec) override;
  std::error_code protectMappedMemory(const llvm::sys::MemoryBlock &block,
                                      unsigned flags) override;
  std::error_code releaseMappedMemory(llvm::sys::MemoryBlock &block) override;

private:
  std::mutex mutex;
  size_t reservedBytes;
  char *base = nullptr;
  size_t used = 0;
};

} // namespace gelu

#endif // GELU_LIB_JIT_CONTIGUOUSMEMORYMAPPER_H
