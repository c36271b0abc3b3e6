//===- TestHelpers.h - Small helpers shared by the unit tests ---*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_UNITTESTS_TESTHELPERS_H
#define GELU_UNITTESTS_TESTHELPERS_H

#include "gelu/Codegen/Target.h"
#include "gelu/Numerics/Reference.h"
#include "gelu/Spec/Spec.h"

#include "llvm/ADT/STLFunctionalExtras.h"

#include "gtest/gtest.h"

#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <string>
#include <vector>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define GELU_UNDER_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define GELU_UNDER_SANITIZER 1
#endif
#endif

/// A test that repeats one code path over a matrix (a ladder of tunings,
/// every 16-bit input of every form) runs in the release build (ctest)
/// and is skipped in the sanitizer builds (scripts/sanitize.sh), where the
/// tests of the same code without the matrix run: lit's `UNSUPPORTED:
/// sanitizers` for a unit test. Keeps the CI's sanitizer runs in budget.
#ifdef GELU_UNDER_SANITIZER
#define GELU_SKIP_UNDER_SANITIZERS()                                           \
  GTEST_SKIP() << "a matrix over one code path: run in the release build"
#else
#define GELU_SKIP_UNDER_SANITIZERS() (void)0
#endif

namespace gelu {

/// Runs `body` in a forked child process after `setUp` (a resource limit,
/// say, that must not reach the other tests) and returns the text `body`
/// returned, or why the child ended without returning one.
inline std::string inChildProcess(llvm::function_ref<void()> setUp,
                                  llvm::function_ref<std::string()> body) {
  std::fflush(nullptr);
  int fds[2];
  if (::pipe(fds) != 0)
    return "(no pipe)";
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    setUp();
    std::string text = body();
    for (size_t done = 0; done < text.size();) {
      ssize_t n = ::write(fds[1], text.data() + done, text.size() - done);
      if (n <= 0)
        break;
      done += n;
    }
    ::_exit(0);
  }
  ::close(fds[1]);
  std::string text;
  char chunk[4096];
  for (ssize_t n; (n = ::read(fds[0], chunk, sizeof chunk)) > 0;)
    text.append(chunk, n);
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (WIFSIGNALED(status))
    text += "(the child was killed by signal " +
            std::to_string(WTERMSIG(status)) + ")";
  else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    text += "(the child exited with status " +
            std::to_string(WEXITSTATUS(status)) + ")";
  return text;
}

/// Limits the size of the files this process writes to `bytes`, as a full
/// disk would (writes beyond it fail with EFBIG instead of a signal).
inline void limitFileSize(rlim_t bytes) {
  ::signal(SIGXFSZ, SIG_IGN);
  struct rlimit limit = {bytes, bytes};
  ::setrlimit(RLIMIT_FSIZE, &limit);
}

/// `json` parsed; a test failure (and the default spec) if it does not
/// parse.
inline KernelSpec specOf(const std::string &json) {
  auto spec = parseSpec(json);
  EXPECT_TRUE(static_cast<bool>(spec)) << json;
  if (!spec) {
    llvm::consumeError(spec.takeError());
    return {};
  }
  return *spec;
}

/// Spec `json` (an object) with its "target" set to `target`.
inline std::string withTarget(const std::string &json,
                              const std::string &target) {
  return json.substr(0, json.rfind('}')) + R"(, "target": ")" + target + "\"}";
}

/// The targets whose 16-bit kernels the tests run: the host, and the x86
/// levels without AVX512-BF16 (where bf16 conversions cannot be single
/// instructions) that this CPU can run; a level it cannot run is left out
/// with a note.
inline std::vector<std::string> sixteenBitTargets() {
  std::vector<std::string> targets = {"host"};
  for (const char *level : {"x86-64-v3", "x86-64-v4"}) {
    auto target = resolveTarget(level);
    if (!target) {
      ADD_FAILURE() << llvm::toString(target.takeError());
      continue;
    }
    if (target->missingHostFeature.empty())
      targets.push_back(level);
    else
      std::printf("  %s left out: this CPU lacks %s\n", level,
                  target->missingHostFeature.c_str());
  }
  return targets;
}

/// The larger of `worst` and `error`, where a NaN error (a NaN result for a
/// finite reference) is an infinite one: std::max(worst, NaN) is `worst`,
/// so a NaN result would otherwise pass every bound.
inline double worstOf(double worst, double error) {
  return std::isnan(error) ? HUGE_VAL : std::max(worst, error);
}

/// The largest |out[i] − GELU(in[i])| against the long-double reference of
/// exact GELU (+inf if a result is NaN).
inline double maxAbsErrorFromExactGelu(const std::vector<float> &in,
                                       const std::vector<float> &out) {
  double worst = 0;
  for (size_t i = 0; i < in.size(); ++i)
    worst = worstOf(
        worst,
        static_cast<double>(fabsl(
            out[i] - evaluateReference(ReferenceFunction::GeluExact, in[i]))));
  return worst;
}

} // namespace gelu

#endif // GELU_UNITTESTS_TESTHELPERS_H
