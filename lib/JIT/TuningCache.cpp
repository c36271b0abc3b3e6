//===- TuningCache.cpp - The tuner's decisions, kept on disk -------------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/JIT/TuningCache.h"

#include "TuningReportJson.h"

#include "gelu/JIT/TuningFingerprint.inc"
#include "gelu/Support/Json.h"
#include "gelu/Support/Output.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"
#include "llvm/TargetParser/Host.h"

#include <mutex>
#include <utility>

#include <unistd.h>

namespace gelu {

static constexpr const char *kFormat = "gelu-jit-tuning-cache";
static constexpr int64_t kVersion = 1;

/// Serialises reads and writes of cache files in this process.
static std::mutex &cacheMutex() {
  static std::mutex mutex;
  return mutex;
}

std::string compilerFingerprint() {
  return "v" + std::to_string(kVersion) + "-" + kTuningSourcesHash;
}

std::string cpuIdentityOf(llvm::StringRef cpuName,
                          const llvm::StringMap<bool> &features) {
  std::vector<std::string> enabled;
  for (const auto &f : features)
    if (f.second)
      enabled.push_back(f.first().str());
  llvm::sort(enabled);
  std::string list;
  for (const std::string &f : enabled)
    list += f + ",";
  return cpuName.str() + "/" + llvm::utohexstr(llvm::xxh3_64bits(list));
}

/// This CPU's identity (once per process).
static const std::string &cpuIdentity() {
  static const std::string id = cpuIdentityOf(llvm::sys::getHostCPUName(),
                                              llvm::sys::getHostCPUFeatures());
  return id;
}

std::string tuningCacheKey(const KernelSpec &spec) {
  KernelSpec key = spec;
  key.name = "k";
  key.threads = 1;
  return key.toJson() + "@" + cpuIdentity();
}

namespace {
/// The parsed file: its entries, or why it could not be used.
struct CacheFile {
  Json entries = Json::object();
  bool exists = false;
  std::string corruption; ///< empty when the file is sound (or absent)
};
} // namespace

static CacheFile readCacheFile(llvm::StringRef path) {
  CacheFile file;
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buffer)
    return file; // absent (or unreadable): nothing cached
  file.exists = true;
  auto parsed = parseJson((*buffer)->getBuffer());
  if (!parsed) {
    file.corruption = "not JSON (" + llvm::toString(parsed.takeError()) + ")";
    return file;
  }
  const Json &root = *parsed;
  auto format = root.is_object() ? root.find("format") : root.end();
  if (!root.is_object() || format == root.end() || *format != kFormat) {
    file.corruption = "not a gelu-jit tuning cache (no \"format\": \"" +
                      std::string(kFormat) + "\")";
    return file;
  }
  auto version = root.find("version");
  if (version == root.end() || *version != kVersion) {
    file.corruption = "a cache of another format version";
    return file;
  }
  auto entries = root.find("entries");
  if (entries == root.end() || !entries->is_object()) {
    file.corruption = "\"entries\" is not an object";
    return file;
  }
  file.entries = std::move(*entries);
  return file;
}

TuningCacheLookup lookupTuning(llvm::StringRef path, llvm::StringRef key) {
  std::lock_guard<std::mutex> lock(cacheMutex());
  TuningCacheLookup result;
  CacheFile file = readCacheFile(path);
  if (!file.corruption.empty()) {
    result.status = "rebuilt";
    result.warning = "tuning cache '" + path.str() + "' is corrupt (" +
                     file.corruption + "); re-tuning and rewriting it";
    return result;
  }
  auto entry = file.entries.find(key.str());
  if (entry == file.entries.end() || !entry->is_object()) {
    result.status = "miss";
    return result;
  }
  auto compiler = entry->find("compiler");
  if (compiler == entry->end() || *compiler != compilerFingerprint()) {
    result.status = "stale";
    return result;
  }
  auto report = entry->find("report");
  auto read =
      report == entry->end()
          ? llvm::Expected<TuningReport>(llvm::createStringError("no report"))
          : reportFromJsonValue(*report);
  if (!read) {
    result.status = "rebuilt";
    result.warning = "tuning cache '" + path.str() + "' has a corrupt entry (" +
                     llvm::toString(read.takeError()) + "); re-tuning it";
    return result;
  }
  result.status = "hit";
  result.report = std::move(*read);
  return result;
}

/// Where the cache lives: `path`, or the file its chain of symbolic links
/// ends at (which need not exist yet), so that a store updates the target
/// instead of replacing the link with a regular file.
static llvm::Expected<std::string> resolveCachePath(llvm::StringRef path) {
  std::string resolved = path.str();
  for (int hops = 0; hops < 40; ++hops) {
    llvm::sys::fs::file_status status;
    if (llvm::sys::fs::status(resolved, status, /*Follow=*/false) ||
        status.type() != llvm::sys::fs::file_type::symlink_file)
      return resolved;
    char target[4096];
    ssize_t length = ::readlink(resolved.c_str(), target, sizeof target);
    if (length < 0 || length == static_cast<ssize_t>(sizeof target))
      return llvm::createStringError("cannot read the symbolic link '" +
                                     resolved + "' (the tuning cache '" + path +
                                     "')");
    llvm::StringRef next(target, length);
    if (llvm::sys::path::is_absolute(next)) {
      resolved = next.str();
    } else {
      llvm::SmallString<256> joined(llvm::sys::path::parent_path(resolved));
      llvm::sys::path::append(joined, next);
      resolved = joined.str().str();
    }
  }
  return llvm::createStringError(
      "the tuning cache '" + path +
      "' is a chain of more than 40 symbolic links (a loop?)");
}

namespace {
/// An exclusive advisory lock (flock) on PATH.lock, held by one store at a
/// time in all processes; the lock goes with the process if it dies.
class CacheLock {
public:
  static llvm::Expected<CacheLock> acquire(llvm::StringRef cachePath) {
    std::string lockPath = cachePath.str() + ".lock";
    int fd;
    if (std::error_code ec = llvm::sys::fs::openFileForWrite(
            lockPath, fd, llvm::sys::fs::CD_OpenAlways))
      return llvm::createStringError(ec,
                                     "cannot open the tuning cache's lock '" +
                                         lockPath + "': " + ec.message());
    if (std::error_code ec = llvm::sys::fs::lockFile(fd)) {
      ::close(fd);
      return llvm::createStringError(ec, "cannot lock '" + lockPath +
                                             "': " + ec.message());
    }
    return CacheLock(fd);
  }
  CacheLock(CacheLock &&other) : fd(std::exchange(other.fd, -1)) {}
  CacheLock(const CacheLock &) = delete;
  ~CacheLock() {
    if (fd >= 0) {
      llvm::sys::fs::unlockFile(fd);
      ::close(fd);
    }
  }

private:
  explicit CacheLock(int fd) : fd(fd) {}
  int fd;
};
} // namespace

/// Removes the temporary files that stores killed mid-write left beside
/// `path` (PATH.tmp-XXXXXXXX). Called under the lock, when no store of any
/// process is writing one.
static void removeStaleTemporaries(llvm::StringRef path) {
  llvm::StringRef directory = llvm::sys::path::parent_path(path);
  std::string prefix = llvm::sys::path::filename(path).str() + ".tmp-";
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator
           it(directory.empty() ? "." : directory, ec),
       end;
       it != end && !ec; it.increment(ec)) {
    llvm::StringRef name = llvm::sys::path::filename(it->path());
    if (name.starts_with(prefix) && name.size() == prefix.size() + 8 &&
        it->type() == llvm::sys::fs::file_type::regular_file)
      llvm::sys::fs::remove(it->path());
  }
}

llvm::Error storeTuning(llvm::StringRef requestedPath, llvm::StringRef key,
                        const TuningReport &report) {
  std::lock_guard<std::mutex> processLock(cacheMutex());
  auto resolved = resolveCachePath(requestedPath);
  if (!resolved)
    return resolved.takeError();
  llvm::StringRef path = *resolved;
  if (std::error_code ec =
          llvm::sys::fs::create_directories(llvm::sys::path::parent_path(path)))
    return llvm::createStringError(ec, "cannot create the directory of '" +
                                           path + "': " + ec.message());
  // Read, merge and replace under the lock of all processes: the entries
  // another process stored since this one looked up are read here and kept.
  auto lock = CacheLock::acquire(path);
  if (!lock)
    return lock.takeError();
  removeStaleTemporaries(path);
  CacheFile file = readCacheFile(path);
  file.entries[key.str()] = {{"compiler", compilerFingerprint()},
                             {"report", reportToJsonValue(report)}};
  Json root = {{"format", kFormat},
               {"version", kVersion},
               {"entries", std::move(file.entries)}};

  // A temporary file in the same directory, renamed over the old one: a
  // reader (lookups take no lock) sees the old file or the new one, never
  // half of one.
  llvm::SmallString<256> temporary;
  int fd;
  if (std::error_code ec = llvm::sys::fs::createUniqueFile(
          path + ".tmp-%%%%%%%%", fd, temporary))
    return llvm::createStringError(ec, "cannot write the tuning cache '" +
                                           path + "': " + ec.message());
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << dumpJson(root, 1) << "\n";
    if (llvm::Error err = finishOutput(os, temporary)) {
      std::error_code ec = llvm::errorToErrorCode(std::move(err));
      llvm::sys::fs::remove(temporary);
      return llvm::createStringError(ec, "cannot write the tuning cache '" +
                                             path + "': " + ec.message());
    }
  }
  if (std::error_code ec = llvm::sys::fs::rename(temporary, path)) {
    llvm::sys::fs::remove(temporary);
    return llvm::createStringError(ec, "cannot replace the tuning cache '" +
                                           path + "': " + ec.message());
  }
  return llvm::Error::success();
}

} // namespace gelu
