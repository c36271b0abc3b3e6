//===- TuningCache.h - The tuner's decisions, kept on disk ------*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// One JSON file maps (spec, CPU, compiler) to the tuner's report, so that a
// second compile of a spec on the same CPU skips the measurements:
//
//   {"format": "gelu-jit-tuning-cache", "version": 1,
//    "entries": {KEY: {"compiler": FINGERPRINT, "report": {...}}, ...}}
//
// KEY is the spec's canonical JSON without the fields that do not change
// the decision (name, threads), and the CPU (name and a hash of its
// features). An entry whose compiler fingerprint differs (new expansions or
// coefficients) is stale and re-tuned; a file that is not such JSON, or an
// entry that does not read back, is corrupt: reported, and rebuilt from
// what is measured next. Nothing in the file is trusted without checking.
// A store locks PATH.lock (flock: advisory, released if the process dies),
// re-reads the file, adds its entry and renames a temporary file over the
// old one: processes that tune at the same time keep all their entries, and
// a lookup (no lock) sees the old file or the new one, never half of one.
// Temporary files of stores killed mid-write are removed by the next store.
// A PATH that is a symbolic link stays one: its target is updated.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_JIT_TUNINGCACHE_H
#define GELU_JIT_TUNINGCACHE_H

#include "gelu/JIT/Tuner.h"

#include "llvm/ADT/StringMap.h"

#include <optional>
#include <string>

namespace gelu {

/// The key of `spec` on this CPU.
std::string tuningCacheKey(const KernelSpec &spec);

/// A CPU as the tuning cache tells CPUs apart: its name and a hash of the
/// features it has enabled (the same name with features turned off, as in
/// a VM, can decide differently). tuningCacheKey ends with this CPU's.
std::string cpuIdentityOf(llvm::StringRef cpuName,
                          const llvm::StringMap<bool> &features);

/// Identifies the decisions this build would make: the format version, and
/// a hash of the expansion catalog, costs and fitted coefficients.
std::string compilerFingerprint();

/// What a lookup found.
struct TuningCacheLookup {
  std::optional<TuningReport> report; ///< set on a hit
  /// "hit", "miss", "stale" or "rebuilt" (the file was corrupt).
  std::string status;
  std::string warning; ///< why the file or entry was not used, if it was bad
};

/// Looks `key` up in the cache file at `path` (a missing file is a miss).
TuningCacheLookup lookupTuning(llvm::StringRef path, llvm::StringRef key);

/// Records `report` under `key`, keeping the file's other valid entries (a
/// corrupt file is replaced).
llvm::Error storeTuning(llvm::StringRef path, llvm::StringRef key,
                        const TuningReport &report);

} // namespace gelu

#endif // GELU_JIT_TUNINGCACHE_H
