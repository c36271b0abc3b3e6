//===- HostileApiTest.cpp - Bad calls get errors, never crashes ----------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// The hostile-input battery for the C++ API (its siblings for specs, IR and
// cache files are in test/Hostile/). Each case is one bad call and the
// fragment its error must contain; a checked run must leave `out`
// untouched. To add a case, add a row to the table it belongs to.
//
//===----------------------------------------------------------------------===//

#include "gelu/JIT/GpuRuntime.h"
#include "gelu/JIT/Jit.h"
#include "gelu/JIT/KernelCache.h"
#include "gelu/JIT/Tuner.h"

#include "llvm/Support/MemoryBuffer.h"

#include "TestHelpers.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>

#include <functional>
#include <string>
#include <sys/mman.h>
#include <vector>

using namespace gelu;

namespace {

std::string errorOf(llvm::Error err) {
  return err ? llvm::toString(std::move(err)) : "(no error)";
}

template <typename T> std::string errorOf(llvm::Expected<T> value) {
  return value ? "(no error)" : llvm::toString(value.takeError());
}

const Kernel &f32Kernel() {
  static std::unique_ptr<Kernel> kernel = [] {
    auto k = compileKernelFromJson(R"({"name": "hostile_f32"})");
    if (!k) {
      ADD_FAILURE() << llvm::toString(k.takeError());
      return std::unique_ptr<Kernel>();
    }
    return std::move(*k);
  }();
  return *kernel;
}

/// A checked run with bad arguments, and what its error must say.
struct BadRun {
  const char *name;
  std::function<llvm::Error(const Kernel &, float *in, float *out)> call;
  const char *message;
};

const BadRun kBadRuns[] = {
    {"null_in",
     [](const Kernel &k, float *, float *out) {
       return k.run(nullptr, out, 4);
     },
     "in is a null pointer"},
    {"null_out",
     [](const Kernel &k, float *in, float *) { return k.run(in, nullptr, 4); },
     "out is a null pointer"},
    {"zero_n",
     [](const Kernel &k, float *in, float *out) { return k.run(in, out, 0); },
     "n must be at least 1, got 0"},
    {"negative_n",
     [](const Kernel &k, float *in, float *out) { return k.run(in, out, -5); },
     "n must be at least 1, got -5"},
    {"int64_min_n",
     [](const Kernel &k, float *in, float *out) {
       return k.run(in, out, INT64_MIN);
     },
     "n must be at least 1"},
    {"absurd_n",
     [](const Kernel &k, float *in, float *out) {
       return k.run(in, out, INT64_MAX);
     },
     "larger than any buffer"},
    {"n_past_the_buffer",
     [](const Kernel &k, float *in, float *out) {
       // 4 TiB from a 256-byte buffer: inside the address space, but not
       // mapped (it faulted with SIGSEGV before the mapping check).
       return k.run(in, out, int64_t(1) << 40);
     },
     "in is not mapped memory over its 4398046511104 bytes"},
    {"wraps_around",
     [](const Kernel &k, float *, float *out) {
       // The last 64 bytes of the 64-bit address space, and 64 more.
       return k.run(reinterpret_cast<const float *>(~uintptr_t(63)), out, 32);
     },
     "runs past the end of the address space"},
    {"ends_past_the_address_space",
     [](const Kernel &k, float *in, float *) {
       return k.run(in, reinterpret_cast<float *>((uintptr_t(1) << 57) - 64),
                    32);
     },
     "out = 0x1ffffffffffffc0 with 128 bytes runs past the end of the address "
     "space"},
    {"misaligned_out",
     [](const Kernel &k, float *in, float *out) {
       return k.run(
           in, reinterpret_cast<float *>(reinterpret_cast<char *>(out) + 1), 4);
     },
     "out is not aligned to its 4-byte elements"},
    {"misaligned_in",
     [](const Kernel &k, float *in, float *out) {
       return k.run(
           reinterpret_cast<const float *>(reinterpret_cast<char *>(in) + 2),
           out, 4);
     },
     "in is not aligned to its 4-byte elements"},
    {"overlap_ahead",
     [](const Kernel &k, float *in, float *) { return k.run(in, in + 1, 8); },
     "in and out overlap without being the same buffer"},
    {"overlap_behind",
     [](const Kernel &k, float *in, float *) { return k.run(in + 1, in, 8); },
     "in and out overlap without being the same buffer"},
    // Ranges that share exactly one element: [0, 3) and [2, 5).
    {"overlap_by_one_ahead",
     [](const Kernel &k, float *in, float *) { return k.run(in, in + 2, 3); },
     "in and out overlap without being the same buffer"},
    {"overlap_by_one_behind",
     [](const Kernel &k, float *in, float *) { return k.run(in + 2, in, 3); },
     "in and out overlap without being the same buffer"},
    {"wrong_element_type",
     [](const Kernel &k, float *in, float *out) {
       return k.run(reinterpret_cast<const uint16_t *>(in),
                    reinterpret_cast<uint16_t *>(out), 4);
     },
     "its elements are f32, not u16"},
    {"wrong_typed_half",
     [](const Kernel &k, float *in, float *out) {
       return k.run(reinterpret_cast<const BFloat16 *>(in),
                    reinterpret_cast<BFloat16 *>(out), 4);
     },
     "its elements are f32, not bf16"},
    {"threads_over_absurd_n",
     [](const Kernel &k, float *in, float *out) {
       RunOptions options;
       options.threads = 1u << 30;
       return k.run(in, out, -1, options);
     },
     "n must be at least 1, got -1"},
};

std::ostream &operator<<(std::ostream &os, const BadRun &c) {
  return os << c.name;
}

class HostileRun : public ::testing::TestWithParam<BadRun> {};

TEST_P(HostileRun, IsRefusedWithoutTouchingOut) {
  std::vector<float> in(64, 7.0f), out(64, 9.0f);
  std::string error =
      errorOf(GetParam().call(f32Kernel(), in.data(), out.data()));
  EXPECT_NE(error.find(GetParam().message), std::string::npos) << error;
  EXPECT_NE(error.find("kernel 'hostile_f32': "), std::string::npos)
      << "the error names the kernel: " << error;
  for (float v : out)
    ASSERT_EQ(v, 9.0f) << "a refused call wrote to out";
  for (float v : in)
    ASSERT_EQ(v, 7.0f) << "a refused call wrote to in";
}

INSTANTIATE_TEST_SUITE_P(Battery, HostileRun, ::testing::ValuesIn(kBadRuns),
                         [](const ::testing::TestParamInfo<BadRun> &info) {
                           return std::string(info.param.name);
                         });

/// A compile from hostile JSON, and what its error must say.
struct BadJson {
  const char *name;
  std::string json;
  const char *message;
};

std::string repeated(const std::string &piece, size_t times) {
  std::string out;
  out.reserve(piece.size() * times);
  for (size_t i = 0; i < times; ++i)
    out += piece;
  return out;
}

const BadJson kBadJson[] = {
    {"empty", "", "malformed JSON"},
    {"nul_bytes", std::string("{\"op\"\0: 1}", 10), "malformed JSON"},
    {"invalid_utf8", "{\"name\": \"\xff\xfe\"}", "malformed JSON"},
    // Deep nesting must not overflow the stack.
    {"deep_arrays", repeated("[", 200000) + repeated("]", 200000),
     "expected a JSON object, got array"},
    {"deep_objects_in_field",
     "{\"budget\": " + repeated("{\"a\": ", 100000) + "1" +
         repeated("}", 100000) + "}",
     "at /budget/a: unknown field 'a'"},
    {"huge_name", "{\"name\": \"" + std::string(1 << 20, 'k') + "\"}",
     "is not a C identifier"},
    {"huge_unknown_key", "{\"" + std::string(1 << 16, 'x') + "\": 1}",
     "unknown field"},
    {"duplicate_keys", R"({"op": "gelu", "op": "silu", "dtype": "f64"})",
     "at /: the field 'op' is given twice"},
    {"number_for_everything", R"({"op": 1e308})", "at /op: expected a string"},
    {"nan_literal", R"({"budget": {"max_abs": NaN}})", "malformed JSON"},
};

std::ostream &operator<<(std::ostream &os, const BadJson &c) {
  return os << c.name;
}

class HostileJson : public ::testing::TestWithParam<BadJson> {};

TEST_P(HostileJson, IsAnErrorNotACrash) {
  std::string error = errorOf(compileKernelFromJson(GetParam().json));
  EXPECT_NE(error.find(GetParam().message), std::string::npos)
      << error.substr(0, 300);
  // The shared cache says the same, and caches nothing.
  std::string cached = errorOf(KernelCache::global().get(GetParam().json));
  EXPECT_EQ(cached, error);
}

INSTANTIATE_TEST_SUITE_P(Battery, HostileJson, ::testing::ValuesIn(kBadJson),
                         [](const ::testing::TestParamInfo<BadJson> &info) {
                           return std::string(info.param.name);
                         });

/// The JIT's code is mapped writable while it is written and executable
/// after, never both: no mapping of this process is rwx once kernels exist.
TEST(HostileProcess, GeneratedCodeIsNeverWritableAndExecutable) {
  (void)f32Kernel();
  auto bf16 = compileKernelFromJson(R"({"dtype": "bf16", "op": "silu"})");
  ASSERT_TRUE(static_cast<bool>(bf16));
  auto maps = llvm::MemoryBuffer::getFileAsStream("/proc/self/maps");
  if (!maps)
    GTEST_SKIP() << "no /proc/self/maps on this system";
  llvm::SmallVector<llvm::StringRef> lines;
  (*maps)->getBuffer().split(lines, '\n');
  for (llvm::StringRef line : lines) {
    llvm::StringRef permissions = line.split(' ').second.split(' ').first;
    EXPECT_FALSE(permissions.starts_with("rwx")) << line.str();
  }
}

#ifndef GELU_UNDER_SANITIZER
/// A field of /proc/self/status in KiB ("VmSize:"), or 0.
int64_t statusKiB(llvm::StringRef field) {
  auto status = llvm::MemoryBuffer::getFileAsStream("/proc/self/status");
  if (!status)
    return 0;
  llvm::SmallVector<llvm::StringRef> lines;
  (*status)->getBuffer().split(lines, '\n');
  for (llvm::StringRef line : lines)
    if (line.consume_front(field)) {
      int64_t kib = 0;
      line.trim().split(' ').first.getAsInteger(10, kib);
      return kib;
    }
  return 0;
}

/// In the child process of a resource test: compiles a kernel after the
/// resource was given back, and says whether it computes GELU.
std::string compilesAndRunsAgain() {
  auto kernel = compileKernelFromJson(R"({"name": "again"})");
  if (!kernel)
    return "no kernel after freeing: " + llvm::toString(kernel.takeError());
  float in[4] = {-3.0f, -0.5f, 0.0f, 2.0f}, out[4];
  if (llvm::Error err = (*kernel)->run(in, out, 4))
    return llvm::toString(std::move(err));
  for (int i = 0; i < 4; ++i)
    if (std::fabs(out[i] - static_cast<float>(evaluateReference(
                               ReferenceFunction::GeluExact, in[i]))) > 1e-6f)
      return "wrong GELU after freeing";
  return "compiled again";
}
#endif

/// Live kernels until the address space (RLIMIT_AS) runs out: an error
/// that names it, not an abort ("Unable to allocate section memory!" at
/// 224 live kernels under 4 GiB before), and compiles work again once
/// kernels are freed.
TEST(HostileProcess, OutOfAddressSpaceIsAnErrorAndFreeingHelps) {
#ifdef GELU_UNDER_SANITIZER
  GTEST_SKIP() << "sanitizers reserve terabytes of address space";
#else
  (void)f32Kernel(); // the thread's compiler is set up before the limit
  int64_t vmKiB = statusKiB("VmSize:");
  if (vmKiB == 0)
    GTEST_SKIP() << "no /proc/self/status on this system";
  std::string result = inChildProcess(
      [&] {
        // 256 MiB more than now: room for some 70 kernels.
        rlim_t limit = (static_cast<rlim_t>(vmKiB) << 10) + (rlim_t(256) << 20);
        struct rlimit as = {limit, limit};
        ::setrlimit(RLIMIT_AS, &as);
      },
      [] {
        std::vector<std::unique_ptr<Kernel>> live;
        std::string refusal;
        while (live.size() < 2000) {
          auto kernel = compileKernelFromJson(
              R"({"name": "k)" + std::to_string(live.size()) + R"("})");
          if (!kernel) {
            refusal = llvm::toString(kernel.takeError());
            break;
          }
          live.push_back(std::move(*kernel));
        }
        std::string text = std::to_string(live.size()) + " live; " + refusal;
        live.resize(live.size() / 2);
        return text + "; " + compilesAndRunsAgain();
      });
  std::printf("  %s\n", result.c_str());
  EXPECT_NE(result.find("cannot compile: the process is out of address "
                        "space"),
            std::string::npos)
      << result;
  EXPECT_NE(result.find("RLIMIT_AS"), std::string::npos) << result;
  EXPECT_NE(result.find("kernels are live"), std::string::npos) << result;
  EXPECT_NE(result.find("; compiled again"), std::string::npos) << result;
  EXPECT_GT(std::atoi(result.c_str()), 10) << result;
#endif
}

/// Memory mappings (vm.max_map_count) used up by the process: a compile is
/// refused with an error that names them ("JIT session error: Cannot
/// allocate memory", then an abort, before), and works once some are free.
TEST(HostileProcess, OutOfMemoryMappingsIsAnErrorAndFreeingHelps) {
#ifdef GELU_UNDER_SANITIZER
  GTEST_SKIP() << "sanitizer runtimes need mappings of their own";
#else
  (void)f32Kernel();
  std::string result = inChildProcess(
      [] {},
      [] {
        // One reservation with every other page made readable: two mappings a
        // page, until the kernel refuses more (vm.max_map_count is 65530 by
        // default; up to 2^20 pages are tried).
        const size_t page = ::sysconf(_SC_PAGESIZE), pages = size_t(1) << 21;
        char *base = static_cast<char *>(
            ::mmap(nullptr, pages * page, PROT_NONE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0));
        if (base == MAP_FAILED)
          return std::string("no reservation");
        size_t made = 0;
        while (2 * made + 1 < pages &&
               ::mprotect(base + (2 * made + 1) * page, page, PROT_READ) == 0)
          ++made;
        if (2 * made + 1 >= pages)
          return std::string("no mapping limit reached");
        // 20 mappings free again: fewer than a compile needs.
        for (size_t k = 1; k <= 10; ++k)
          ::mprotect(base + (2 * (made - k) + 1) * page, page, PROT_NONE);
        auto kernel = compileKernelFromJson(R"({"name": "one_too_many"})");
        std::string text =
            kernel ? "(compiled)" : llvm::toString(kernel.takeError());
        ::munmap(base, pages * page);
        return text + "; " + compilesAndRunsAgain();
      });
  std::printf("  %s\n", result.c_str());
  EXPECT_NE(result.find("cannot compile: the process is out of memory "
                        "mappings"),
            std::string::npos)
      << result;
  EXPECT_NE(result.find("(vm.max_map_count)"), std::string::npos) << result;
  EXPECT_NE(result.find("; compiled again"), std::string::npos) << result;
#endif
}

} // namespace
