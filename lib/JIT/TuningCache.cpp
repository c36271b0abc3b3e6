//===- TuningCache.cpp - The tuner's decisions, kept on disk -------------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/JIT/TuningCache.h"

#include "gelu/JIT/TuningFingerprint.inc"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"
#include "llvm/TargetParser/Host.h"

#include <mutex>

namespace gelu {

using llvm::json::Object;
using llvm::json::Value;

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

/// This CPU: its name and a hash of its features (the same name with
/// features turned off, as in a VM, can decide differently).
static const std::string &cpuIdentity() {
  static const std::string id = [] {
    std::vector<std::string> enabled;
    for (const auto &f : llvm::sys::getHostCPUFeatures())
      if (f.second)
        enabled.push_back(f.first().str());
    llvm::sort(enabled);
    std::string features;
    for (const std::string &f : enabled)
      features += f + ",";
    return llvm::sys::getHostCPUName().str() + "/" +
           llvm::utohexstr(llvm::xxh3_64bits(features));
  }();
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
  Object entries;
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
  auto parsed = llvm::json::parse((*buffer)->getBuffer());
  if (!parsed) {
    file.corruption = "not JSON (" + llvm::toString(parsed.takeError()) + ")";
    return file;
  }
  const Object *root = parsed->getAsObject();
  if (!root || root->getString("format") != llvm::StringRef(kFormat)) {
    file.corruption = "not a gelu-jit tuning cache (no \"format\": \"" +
                      std::string(kFormat) + "\")";
    return file;
  }
  if (root->getInteger("version") != kVersion) {
    file.corruption = "a cache of another format version";
    return file;
  }
  const Object *entries = root->getObject("entries");
  if (!entries) {
    file.corruption = "\"entries\" is not an object";
    return file;
  }
  file.entries = *entries;
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
  const Object *entry = file.entries.getObject(key);
  if (!entry) {
    result.status = "miss";
    return result;
  }
  if (entry->getString("compiler") != llvm::StringRef(compilerFingerprint())) {
    result.status = "stale";
    return result;
  }
  const Value *report = entry->get("report");
  std::string text;
  if (report) {
    llvm::raw_string_ostream os(text);
    os << *report;
  }
  auto read = TuningReport::fromJson(text);
  if (!report || !read) {
    result.status = "rebuilt";
    result.warning =
        "tuning cache '" + path.str() + "' has a corrupt entry (" +
        (read ? std::string("no report") : llvm::toString(read.takeError())) +
        "); re-tuning it";
    return result;
  }
  result.status = "hit";
  result.report = std::move(*read);
  return result;
}

llvm::Error storeTuning(llvm::StringRef path, llvm::StringRef key,
                        const TuningReport &report) {
  std::lock_guard<std::mutex> lock(cacheMutex());
  CacheFile file = readCacheFile(path);
  auto parsedReport = llvm::json::parse(report.toJson());
  if (!parsedReport)
    return parsedReport.takeError();
  file.entries[key] = Object{{"compiler", compilerFingerprint()},
                             {"report", std::move(*parsedReport)}};
  Object root{{"format", kFormat},
              {"version", kVersion},
              {"entries", std::move(file.entries)}};

  if (std::error_code ec =
          llvm::sys::fs::create_directories(llvm::sys::path::parent_path(path)))
    return llvm::createStringError(ec, "cannot create the directory of '" +
                                           path + "': " + ec.message());
  // A temporary file in the same directory, renamed over the old one: a
  // reader sees the old file or the new one, never half of one.
  llvm::SmallString<256> temporary;
  int fd;
  if (std::error_code ec = llvm::sys::fs::createUniqueFile(
          path + ".tmp-%%%%%%%%", fd, temporary))
    return llvm::createStringError(ec, "cannot write the tuning cache '" +
                                           path + "': " + ec.message());
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << llvm::formatv("{0:1}", Value(std::move(root))) << "\n";
    os.flush();
    if (os.has_error()) {
      os.clear_error();
      llvm::sys::fs::remove(temporary);
      return llvm::createStringError("cannot write the tuning cache '" + path +
                                     "'");
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
