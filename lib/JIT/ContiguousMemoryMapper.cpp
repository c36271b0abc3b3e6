//===- ContiguousMemoryMapper.cpp - One kernel's JIT memory, in one range -===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "ContiguousMemoryMapper.h"

#include "llvm/Support/Process.h"

#include <cerrno>
#include <sys/mman.h>

namespace gelu {

ContiguousMemoryMapper::~ContiguousMemoryMapper() {
  if (base)
    ::munmap(base, reservedBytes);
}

llvm::sys::MemoryBlock ContiguousMemoryMapper::allocateMappedMemory(
    llvm::SectionMemoryManager::AllocationPurpose, size_t bytes,
    const llvm::sys::MemoryBlock *, unsigned flags, std::error_code &ec) {
  std::lock_guard<std::mutex> lock(mutex);
  ec = std::error_code();
  if (!base) {
    void *range = ::mmap(nullptr, reservedBytes, PROT_NONE,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (range == MAP_FAILED) {
      ec = std::error_code(errno, std::generic_category());
      return {};
    }
    base = static_cast<char *>(range);
  }
  size_t page = llvm::sys::Process::getPageSizeEstimate();
  size_t size = (bytes + page - 1) / page * page;
  if (size > reservedBytes - used) {
    ec = std::make_error_code(std::errc::not_enough_memory);
    return {};
  }
  llvm::sys::MemoryBlock block(base + used, size);
  used += size;
  ec = llvm::sys::Memory::protectMappedMemory(block, flags);
  if (ec)
    return {};
  return block;
}

std::error_code
ContiguousMemoryMapper::protectMappedMemory(const llvm::sys::MemoryBlock &block,
                                            unsigned flags) {
  return llvm::sys::Memory::protectMappedMemory(block, flags);
}

std::error_code
ContiguousMemoryMapper::releaseMappedMemory(llvm::sys::MemoryBlock &block) {
  // The range is unmapped as a whole with the mapper; a released block
  // only gives its pages back.
  if (::mprotect(block.base(), block.allocatedSize(), PROT_NONE) != 0 ||
      ::madvise(block.base(), block.allocatedSize(), MADV_DONTNEED) != 0)
    return std::error_code(errno, std::generic_category());
  block = llvm::sys::MemoryBlock();
  return std::error_code();
}

} // namespace gelu
