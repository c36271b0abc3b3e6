//===- CompileResources.cpp - What a compile needs, checked first --------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "CompileResources.h"

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <system_error>

#if defined(__unix__)
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace gelu {

std::atomic<int64_t> liveKernels{0};

/// Address space a compile needs besides the kernel's own range. Measured
/// under a 1 GiB RLIMIT_AS, compiling until refused: a free 4 MiB let
/// default kernels finish but not bias_gelu_backward with unroll 8 on
/// 512-bit vectors (std::bad_alloc in LLVM, then an abort); 32 MiB let
/// both finish, each compile on the same thread or a fresh one. Four times
/// that, for each compile in flight in the process (the tuner runs one a
/// core).
static constexpr size_t kCompileAddressSpace = size_t(128) << 20;

/// Compiles running in this process.
static std::atomic<int64_t> compilesInFlight{0};

CompileInFlight::CompileInFlight() { ++compilesInFlight; }
CompileInFlight::~CompileInFlight() { --compilesInFlight; }

/// Memory mappings a compile may add (4 stay with the kernel; more while
/// the JIT links), with a margin.
static constexpr int kCompileMappings = 64;

std::string resourceShortage(const llvm::Twine &what) {
  return ("cannot compile: " + what + "; " + llvm::Twine(liveKernels.load()) +
          " kernels are live (each holds ~2 MiB of address space, ~0.9 MiB "
          "of memory and 4 mappings): free some and compile again")
      .str();
}

static llvm::Error shortage(const llvm::Twine &what) {
  return llvm::createStringError(resourceShortage(what));
}

#if defined(__linux__)
/// The mappings this process has (lines of /proc/self/maps: ~11 ms to
/// count at 30,000, so only for a message), and the most it may have.
static std::string describeMappings() {
  int64_t lines = 0, limit = 0;
  if (int fd = ::open("/proc/self/maps", O_RDONLY | O_CLOEXEC); fd >= 0) {
    char chunk[16384];
    for (ssize_t n; (n = ::read(fd, chunk, sizeof chunk)) > 0;)
      lines += std::count(chunk, chunk + n, '\n');
    ::close(fd);
  }
  if (FILE *file = std::fopen("/proc/sys/vm/max_map_count", "r")) {
    if (std::fscanf(file, "%" SCNd64, &limit) != 1)
      limit = 0;
    std::fclose(file);
  }
  return std::to_string(lines) + " of the " + std::to_string(limit) +
         " allowed";
}
#endif

// Both resources are tried for real: the address space of every compile in
// flight is reserved, and kCompileMappings mappings are made in it
// (alternate pages made readable), then all is undone: ~0.1 ms of a ~20 ms
// compile.
llvm::Error checkCompileResources() {
#if defined(__unix__)
  size_t needed = kCompileAddressSpace * std::max<int64_t>(1, compilesInFlight);
  void *probe = ::mmap(nullptr, needed, PROT_NONE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (probe == MAP_FAILED) {
    std::error_code ec(errno, std::generic_category());
    return shortage("the process is out of address space (" +
                    llvm::Twine(needed >> 20) + " MiB free are needed for " +
                    llvm::Twine(compilesInFlight.load()) +
                    " compile(s) in flight: " + ec.message() +
                    "; see RLIMIT_AS, ulimit -v)");
  }
  static const size_t page = ::sysconf(_SC_PAGESIZE);
  bool mapped = true;
  for (int i = 0; i < kCompileMappings / 2 && mapped; ++i)
    mapped = ::mprotect(static_cast<char *>(probe) + (2 * i + 1) * page, page,
                        PROT_READ) == 0;
  ::munmap(probe, needed);
  if (!mapped) {
    std::string count = "see vm.max_map_count";
#if defined(__linux__)
    count = describeMappings() + " (vm.max_map_count)";
#endif
    return shortage("the process is out of memory mappings (" + count +
                    "; a compile needs " + llvm::Twine(kCompileMappings) +
                    " more)");
  }
#endif
  return llvm::Error::success();
}

} // namespace gelu
