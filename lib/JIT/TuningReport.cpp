//===- TuningReport.cpp - A tuning report as JSON ------------------------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// The report is written for people (gelu-opt --report) and read back by
// the tuning cache, so fromJson checks every field it reads: a cache file
// is input like any other.
//
//===----------------------------------------------------------------------===//

#include "gelu/JIT/TuningReport.h"

#include "TuningReportJson.h"

#include "gelu/Spec/SpecJson.h"
#include "gelu/Support/Quote.h"
#include "gelu/Version.h"

namespace gelu {

static Json errorToJson(const ErrorMaxima &e) {
  return {{"max_ulp", e.maxUlp},
          {"ulp_at", e.ulpAt},
          {"max_abs", e.maxAbs},
          {"max_rel", e.maxRel},
          {"max_abs_beyond_rounding", e.maxAbsBeyondRounding},
          {"max_rel_beyond_rounding", e.maxRelBeyondRounding},
          {"count", e.count},
          {"correctly_rounded", e.correctlyRounded}};
}

static Json regionsToJson(const RegionErrors &regions) {
  Json out = Json::object();
  for (int r = 0; r < kReportRegions; ++r)
    out[kRegionKeys[r]] = errorToJson(regions[r]);
  return out;
}

static Json candidateToJson(const TuningCandidate &c) {
  Json out = {{"expansion", act::stringifyExpansion(c.expansion).str()},
              {"unroll", c.unroll},
              {"vector_bits", c.vectorBits},
              {"cost", c.cost},
              {"fits", c.fits},
              {"chosen", c.chosen},
              {"verdict", c.verdict}};
  if (c.degree)
    out["degree"] = c.degree;
  if (c.error)
    out["error"] = regionsToJson(*c.error);
  if (c.nsPerElement)
    out["ns_per_element"] = *c.nsPerElement;
  return out;
}

Json reportToJsonValue(const TuningReport &report) {
  Json out = {{"requested", specToJsonValue(report.requested)},
              {"tuned", report.tuned},
              {"cost", report.cost},
              {"speed_source", report.speedSource},
              {"error_source", report.errorSource},
              {"cache",
               {{"status", report.cacheStatus},
                {"path", report.cachePath},
                {"warning", report.cacheWarning}}},
              {"cpu", report.cpu},
              {"tuning_seconds", report.tuningSeconds},
              {"gelu_jit_version", GELU_JIT_VERSION}};
  if (report.error)
    out["error"] = regionsToJson(*report.error);
  if (report.nsPerElement)
    out["ns_per_element"] = *report.nsPerElement;
  // A failed tuning chose nothing: it says why instead.
  if (report.failure.empty())
    out["chosen"] = specToJsonValue(report.chosen);
  else
    out["failure"] = report.failure;
  Json list = Json::array();
  for (const TuningCandidate &c : report.candidates)
    list.push_back(candidateToJson(c));
  out["candidates"] = std::move(list);
  return out;
}

std::string TuningReport::toJson() const {
  return dumpJson(reportToJsonValue(*this), 2);
}

namespace {
/// Reads fields of JSON objects, keeping the first problem it meets.
class Reader {
public:
  /// The field `key` of object `o`, or null (and a problem) when it is
  /// absent or not of the type `is` checks.
  const Json *field(const Json &o, llvm::StringRef key, llvm::StringRef where,
                    bool (Json::*is)() const noexcept, llvm::StringRef what) {
    auto it = o.find(key.str());
    if (it != o.end() && ((*it).*is)())
      return &*it;
    fail(where + "/" + key + " is not " + what);
    return nullptr;
  }
  std::optional<double> number(const Json &o, llvm::StringRef key,
                               llvm::StringRef where) {
    const Json *v = field(o, key, where, &Json::is_number, "a number");
    return v ? std::optional<double>(v->get<double>()) : std::nullopt;
  }
  std::optional<std::string> string(const Json &o, llvm::StringRef key,
                                    llvm::StringRef where) {
    const Json *v = field(o, key, where, &Json::is_string, "a string");
    return v ? std::optional<std::string>(v->get<std::string>()) : std::nullopt;
  }
  bool boolean(const Json &o, llvm::StringRef key, llvm::StringRef where) {
    const Json *v = field(o, key, where, &Json::is_boolean, "a boolean");
    return v && v->get<bool>();
  }
  const Json *object(const Json &o, llvm::StringRef key,
                     llvm::StringRef where) {
    return field(o, key, where, &Json::is_object, "an object");
  }
  std::optional<KernelSpec> spec(const Json &o, llvm::StringRef key) {
    const Json *value = object(o, key, "");
    if (!value)
      return std::nullopt;
    auto parsed = specFromJsonValue(*value, "/" + key.str());
    if (!parsed) {
      fail(llvm::toString(parsed.takeError()));
      return std::nullopt;
    }
    return *parsed;
  }
  std::optional<ErrorMaxima> error(const Json &o, llvm::StringRef where) {
    ErrorMaxima e;
    auto ulp = number(o, "max_ulp", where), at = number(o, "ulp_at", where),
         abs = number(o, "max_abs", where), rel = number(o, "max_rel", where),
         absBeyond = number(o, "max_abs_beyond_rounding", where),
         relBeyond = number(o, "max_rel_beyond_rounding", where),
         count = number(o, "count", where),
         rounded = number(o, "correctly_rounded", where);
    if (!ulp || !at || !abs || !rel || !absBeyond || !relBeyond || !count ||
        !rounded)
      return std::nullopt;
    e.maxAbsBeyondRounding = *absBeyond;
    e.maxRelBeyondRounding = *relBeyond;
    e.maxUlp = *ulp;
    e.ulpAt = *at;
    e.maxAbs = *abs;
    e.maxRel = *rel;
    e.count = static_cast<uint64_t>(*count);
    e.correctlyRounded = static_cast<uint64_t>(*rounded);
    return e;
  }
  std::optional<RegionErrors> regions(const Json &o, llvm::StringRef key,
                                      llvm::StringRef where) {
    const Json *value = object(o, key, where);
    if (!value)
      return std::nullopt;
    RegionErrors out;
    std::string path = (where + "/" + key).str();
    for (int r = 0; r < kReportRegions; ++r) {
      const Json *region = object(*value, kRegionKeys[r], path);
      if (!region)
        return std::nullopt;
      auto e = error(*region, path + "/" + kRegionKeys[r]);
      if (!e)
        return std::nullopt;
      out[r] = *e;
    }
    return out;
  }
  void fail(const llvm::Twine &why) {
    if (problem.empty())
      problem = why.str();
  }
  std::string problem;
};
} // namespace

llvm::Expected<TuningReport> reportFromJsonValue(const Json &root) {
  if (!root.is_object())
    return llvm::createStringError("a report must be a JSON object");
  Reader read;
  TuningReport report;
  if (auto spec = read.spec(root, "requested"))
    report.requested = *spec;
  if (root.contains("failure"))
    report.failure = read.string(root, "failure", "").value_or("");
  else if (auto spec = read.spec(root, "chosen"))
    report.chosen = *spec;
  report.tuned = read.boolean(root, "tuned", "");
  if (auto cost = read.number(root, "cost", ""))
    report.cost = static_cast<unsigned>(*cost);
  if (auto source = read.string(root, "speed_source", ""))
    report.speedSource = *source;
  if (auto source = read.string(root, "error_source", ""))
    report.errorSource = *source;
  if (const Json *cache = read.object(root, "cache", "")) {
    report.cacheStatus = read.string(*cache, "status", "/cache").value_or("");
    report.cachePath = read.string(*cache, "path", "/cache").value_or("");
    report.cacheWarning = read.string(*cache, "warning", "/cache").value_or("");
  }
  if (auto cpu = read.string(root, "cpu", ""))
    report.cpu = *cpu;
  if (auto seconds = read.number(root, "tuning_seconds", ""))
    report.tuningSeconds = *seconds;
  if (root.contains("error"))
    report.error = read.regions(root, "error", "");
  if (root.contains("ns_per_element"))
    report.nsPerElement = read.number(root, "ns_per_element", "");
  static const Json kNoCandidates = Json::array();
  auto found = root.find("candidates");
  const Json *list = &kNoCandidates;
  if (found != root.end() && found->is_array())
    list = &*found;
  else
    read.fail("/candidates is not an array");
  for (size_t i = 0; i < list->size(); ++i) {
    std::string where = "/candidates/" + std::to_string(i);
    const Json &o = (*list)[i];
    if (!o.is_object()) {
      read.fail(where + " is not an object");
      break;
    }
    TuningCandidate c;
    auto name = read.string(o, "expansion", where);
    std::optional<act::Expansion> expansion =
        name ? act::symbolizeExpansion(*name) : std::nullopt;
    if (name && !expansion)
      read.fail(where + "/expansion '" + bounded(*name) +
                "' is not an expansion");
    c.expansion = expansion.value_or(act::Expansion::erfc);
    if (o.contains("degree"))
      c.degree =
          static_cast<unsigned>(read.number(o, "degree", where).value_or(0));
    c.unroll =
        static_cast<unsigned>(read.number(o, "unroll", where).value_or(1));
    c.vectorBits =
        static_cast<unsigned>(read.number(o, "vector_bits", where).value_or(0));
    c.cost = static_cast<unsigned>(read.number(o, "cost", where).value_or(0));
    c.fits = read.boolean(o, "fits", where);
    c.chosen = read.boolean(o, "chosen", where);
    c.verdict = read.string(o, "verdict", where).value_or("");
    if (o.contains("error"))
      c.error = read.regions(o, "error", where);
    if (o.contains("ns_per_element"))
      c.nsPerElement = read.number(o, "ns_per_element", where);
    report.candidates.push_back(std::move(c));
  }
  if (!read.problem.empty())
    return llvm::createStringError(read.problem);
  return report;
}

llvm::Expected<TuningReport> TuningReport::fromJson(llvm::StringRef json) {
  auto parsed = parseJson(json);
  if (!parsed)
    return parsed.takeError();
  return reportFromJsonValue(*parsed);
}

} // namespace gelu
