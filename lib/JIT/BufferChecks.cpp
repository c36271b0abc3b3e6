//===- BufferChecks.cpp - The checks of a kernel call's buffers ----------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "BufferChecks.h"

#include "llvm/Support/FormatVariadic.h"

#include <cerrno>

#include <sys/mman.h>
#include <unistd.h>

namespace gelu {

/// No user pointer of a 64-bit host reaches this address (x86-64 with
/// 5-level paging: 2^56; AArch64: at most 2^52), nor does a CUDA device
/// address (unified with the host's address space).
static constexpr uint64_t kAddressSpaceEnd = uint64_t(1) << 57;

/// From this size on a host buffer is checked to be mapped over its whole
/// length: one msync(2) per buffer, ~0.15 us, under 0.2 % of a call on
/// 1 MiB. Smaller buffers are not (it would cost up to a third of a call in
/// L1): an n past their end is the caller's bug, as with any C array.
static constexpr uint64_t kMappedCheckBytes = uint64_t(1) << 20;

/// Whether [address, address + bytes) is all mapped memory (not whether it
/// is readable or writable).
static bool isMapped(uint64_t address, uint64_t bytes) {
#if defined(__unix__)
  static const uint64_t page = ::sysconf(_SC_PAGESIZE);
  uint64_t begin = address / page * page;
  return ::msync(reinterpret_cast<void *>(static_cast<uintptr_t>(begin)),
                 address + bytes - begin, MS_ASYNC) == 0 ||
         errno != ENOMEM;
#else
  (void)address;
  (void)bytes;
  return true;
#endif
}

llvm::Error checkBuffers(const KernelSpec &spec,
                         llvm::ArrayRef<BufferArg> buffers,
                         BufferMemory memory) {
  for (const BufferArg &buffer : buffers) {
    const uint64_t address = buffer.address;
    if (!address)
      return kernelError(spec, llvm::Twine(buffer.name) + " is a null pointer");
    if (address % buffer.alignment)
      return kernelError(spec,
                         llvm::Twine(buffer.name) + " is not aligned to its " +
                             llvm::Twine(buffer.alignment) + "-byte elements");
    if (address >= kAddressSpaceEnd ||
        buffer.bytes > kAddressSpaceEnd - address)
      return kernelError(
          spec, llvm::Twine(buffer.name) + " = " +
                    llvm::formatv("{0:x}", address).str() + " with " +
                    llvm::Twine(buffer.bytes) +
                    " bytes runs past the end of the address space (the "
                    "size is larger than any buffer there)");
    if (memory == BufferMemory::Host && buffer.bytes >= kMappedCheckBytes &&
        !isMapped(address, buffer.bytes))
      return kernelError(
          spec, llvm::Twine(buffer.name) + " is not mapped memory over its " +
                    llvm::Twine(buffer.bytes) +
                    " bytes: the size is larger than the buffer");
  }
  for (size_t i = 0; i < buffers.size(); ++i)
    for (size_t j = i + 1; j < buffers.size(); ++j) {
      const BufferArg &a = buffers[i], &b = buffers[j];
      if (!a.output && !b.output)
        continue;
      if (a.address >= b.address + b.bytes || b.address >= a.address + a.bytes)
        continue;
      bool sameBuffer = a.address == b.address && a.bytes == b.bytes;
      if (sameBuffer && a.inPlace && b.inPlace && a.output != b.output)
        continue;
      if (a.inPlace && b.inPlace && a.output != b.output)
        return kernelError(spec, llvm::Twine(a.name) + " and " + b.name +
                                     " overlap without being the same buffer "
                                     "(in place needs " +
                                     a.name + " == " + b.name + ")");
      return kernelError(spec,
                         llvm::Twine(a.name) + " and " + b.name + " overlap");
    }
  return llvm::Error::success();
}

llvm::Error checkCount(const KernelSpec &spec, const char *name, int64_t count,
                       uint64_t elementBytes) {
  if (count < 1)
    return kernelError(spec, llvm::Twine(name) + " must be at least 1, got " +
                                 llvm::Twine(count));
  if (static_cast<uint64_t>(count) > UINT64_MAX / 2 / elementBytes)
    return kernelError(spec, llvm::Twine(name) + " = " + llvm::Twine(count) +
                                 " is larger than any buffer");
  return llvm::Error::success();
}

llvm::Error checkRowsAndCols(const KernelSpec &spec, int64_t rows, int64_t cols,
                             uint64_t elementBytes) {
  if (llvm::Error err = checkCount(spec, "rows", rows, elementBytes))
    return err;
  if (llvm::Error err = checkCount(spec, "cols", cols, elementBytes))
    return err;
  if (static_cast<uint64_t>(rows) >
      UINT64_MAX / 2 / elementBytes / static_cast<uint64_t>(cols))
    return kernelError(spec, "rows·cols = " + llvm::Twine(rows) + "·" +
                                 llvm::Twine(cols) +
                                 " is larger than any buffer");
  return llvm::Error::success();
}

} // namespace gelu
