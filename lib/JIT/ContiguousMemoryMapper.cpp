//===- ContiguousMemoryMapper.cpp - One kernel's JIT memory, in one range -===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "ContiguousMemoryMapper.h"

#include "llvm/Support/Process.h"

#include <algorithm>
#include <cerrno>
#include <sys/mman.h>

namespace gelu {

ContiguousMemoryMapper::~ContiguousMemoryMapper() {
  for (const Range &range : ranges)
    ::munmap(range.base, range.size);
}

/// Maps `size` bytes of address space without memory, at `hint` if free.
static char *mapRange(size_t size, char *hint, std::error_code &ec) {
  void *range = ::mmap(hint, size, PROT_NONE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (range == MAP_FAILED) {
    ec = std::error_code(errno, std::generic_category());
    return nullptr;
  }
  return static_cast<char *>(range);
}

std::error_code ContiguousMemoryMapper::reserveLocked() {
  if (!ranges.empty())
    return {};
  std::error_code ec;
  char *base = mapRange(kReservedBytes, nullptr, ec);
  if (base)
    ranges.push_back({base, kReservedBytes, 0});
  return ec;
}

std::error_code ContiguousMemoryMapper::reserve() {
  std::lock_guard<std::mutex> lock(mutex);
  return reserveLocked();
}

llvm::sys::MemoryBlock ContiguousMemoryMapper::allocateMappedMemory(
    llvm::SectionMemoryManager::AllocationPurpose, size_t bytes,
    const llvm::sys::MemoryBlock *, unsigned flags, std::error_code &ec) {
  std::lock_guard<std::mutex> lock(mutex);
  ec = reserveLocked();
  if (ec)
    return {};
  size_t page = llvm::sys::Process::getPageSizeEstimate();
  size_t size = (bytes + page - 1) / page * page;
  Range *range = &ranges.back();
  if (size > range->size - range->used) {
    // A kernel larger than any seen: a second range, right after the first
    // (or within 1 GiB of it, which RIP-relative displacements reach).
    Range &first = ranges.front();
    size_t grown = std::max(size, kReservedBytes);
    char *hint = range->base + range->size;
    char *base = mapRange(grown, hint, ec);
    if (!base)
      return {};
    auto distance = [](const char *a, const char *b) {
      return a < b ? size_t(b - a) : size_t(a - b);
    };
    if (distance(base, first.base) + grown > (size_t(1) << 30)) {
      ::munmap(base, grown);
      ec = std::make_error_code(std::errc::not_enough_memory);
      return {};
    }
    ranges.push_back({base, grown, 0});
    range = &ranges.back();
  }
  llvm::sys::MemoryBlock block(range->base + range->used, size);
  range->used += size;
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
