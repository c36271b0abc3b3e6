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
#include "gelu/Support/Quote.h"
#include "gelu/Version.h"

#include "llvm/Support/JSON.h"

namespace gelu {

using llvm::json::Array;
using llvm::json::Object;
using llvm::json::Value;

static Value errorToJson(const ErrorMaxima &e) {
  return Object{
      {"max_ulp", e.maxUlp},
      {"ulp_at", static_cast<double>(e.ulpAt)},
      {"max_abs", e.maxAbs},
      {"max_rel", e.maxRel},
      {"count", static_cast<int64_t>(e.count)},
      {"correctly_rounded", static_cast<int64_t>(e.correctlyRounded)}};
}

static Value regionsToJson(const RegionErrors &regions) {
  Object out;
  for (int r = 0; r < kReportRegions; ++r)
    out[kRegionKeys[r]] = errorToJson(regions[r]);
  return out;
}

static Value candidateToJson(const TuningCandidate &c) {
  Object out{{"expansion", act::stringifyExpansion(c.expansion).str()},
             {"unroll", static_cast<int64_t>(c.unroll)},
             {"vector_bits", static_cast<int64_t>(c.vectorBits)},
             {"cost", static_cast<int64_t>(c.cost)},
             {"fits", c.fits},
             {"chosen", c.chosen},
             {"verdict", c.verdict}};
  if (c.degree)
    out["degree"] = static_cast<int64_t>(c.degree);
  if (c.error)
    out["error"] = regionsToJson(*c.error);
  if (c.nsPerElement)
    out["ns_per_element"] = *c.nsPerElement;
  return out;
}

std::string TuningReport::toJson() const {
  auto specJson = [](const KernelSpec &spec) -> Value {
    auto parsed = llvm::json::parse(spec.toJson());
    if (!parsed) {
      llvm::consumeError(parsed.takeError());
      return nullptr;
    }
    return std::move(*parsed);
  };
  Object out{{"requested", specJson(requested)},
             {"chosen", specJson(chosen)},
             {"tuned", tuned},
             {"cost", static_cast<int64_t>(cost)},
             {"speed_source", speedSource},
             {"error_source", errorSource},
             {"cache", Object{{"status", cacheStatus},
                              {"path", cachePath},
                              {"warning", cacheWarning}}},
             {"cpu", cpu},
             {"tuning_seconds", tuningSeconds},
             {"gelu_jit_version", GELU_JIT_VERSION}};
  if (error)
    out["error"] = regionsToJson(*error);
  if (nsPerElement)
    out["ns_per_element"] = *nsPerElement;
  Array list;
  for (const TuningCandidate &c : candidates)
    list.push_back(candidateToJson(c));
  out["candidates"] = std::move(list);
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::formatv("{0:2}", Value(std::move(out)));
  return text;
}

namespace {
/// Reads fields of JSON objects, keeping the first problem it meets.
class Reader {
public:
  std::optional<double> number(const Object &o, llvm::StringRef key,
                               llvm::StringRef where) {
    if (auto v = o.getNumber(key))
      return *v;
    fail(where + "/" + key + " is not a number");
    return std::nullopt;
  }
  std::optional<std::string> string(const Object &o, llvm::StringRef key,
                                    llvm::StringRef where) {
    if (auto v = o.getString(key))
      return v->str();
    fail(where + "/" + key + " is not a string");
    return std::nullopt;
  }
  bool boolean(const Object &o, llvm::StringRef key, llvm::StringRef where) {
    if (auto v = o.getBoolean(key))
      return *v;
    fail(where + "/" + key + " is not a boolean");
    return false;
  }
  const Object *object(const Object &o, llvm::StringRef key,
                       llvm::StringRef where) {
    if (const Object *v = o.getObject(key))
      return v;
    fail(where + "/" + key + " is not an object");
    return nullptr;
  }
  std::optional<KernelSpec> spec(const Object &o, llvm::StringRef key) {
    const Object *value = object(o, key, "");
    if (!value)
      return std::nullopt;
    std::string text;
    llvm::raw_string_ostream os(text);
    os << Value(Object(*value));
    auto parsed = parseSpec(text, "/" + key.str());
    if (!parsed) {
      fail(llvm::toString(parsed.takeError()));
      return std::nullopt;
    }
    return *parsed;
  }
  std::optional<ErrorMaxima> error(const Object &o, llvm::StringRef where) {
    ErrorMaxima e;
    auto ulp = number(o, "max_ulp", where), at = number(o, "ulp_at", where),
         abs = number(o, "max_abs", where), rel = number(o, "max_rel", where),
         count = number(o, "count", where),
         rounded = number(o, "correctly_rounded", where);
    if (!ulp || !at || !abs || !rel || !count || !rounded)
      return std::nullopt;
    e.maxUlp = *ulp;
    e.ulpAt = static_cast<float>(*at);
    e.maxAbs = *abs;
    e.maxRel = *rel;
    e.count = static_cast<uint64_t>(*count);
    e.correctlyRounded = static_cast<uint64_t>(*rounded);
    return e;
  }
  std::optional<RegionErrors> regions(const Object &o, llvm::StringRef key,
                                      llvm::StringRef where) {
    const Object *value = object(o, key, where);
    if (!value)
      return std::nullopt;
    RegionErrors out;
    std::string path = (where + "/" + key).str();
    for (int r = 0; r < kReportRegions; ++r) {
      const Object *region = object(*value, kRegionKeys[r], path);
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

llvm::Expected<TuningReport> TuningReport::fromJson(llvm::StringRef json) {
  auto parsed = llvm::json::parse(json);
  if (!parsed)
    return parsed.takeError();
  const Object *root = parsed->getAsObject();
  if (!root)
    return llvm::createStringError("a report must be a JSON object");
  Reader read;
  TuningReport report;
  if (auto spec = read.spec(*root, "requested"))
    report.requested = *spec;
  if (auto spec = read.spec(*root, "chosen"))
    report.chosen = *spec;
  report.tuned = read.boolean(*root, "tuned", "");
  if (auto cost = read.number(*root, "cost", ""))
    report.cost = static_cast<unsigned>(*cost);
  if (auto source = read.string(*root, "speed_source", ""))
    report.speedSource = *source;
  if (auto source = read.string(*root, "error_source", ""))
    report.errorSource = *source;
  if (const Object *cache = read.object(*root, "cache", "")) {
    report.cacheStatus = read.string(*cache, "status", "/cache").value_or("");
    report.cachePath = read.string(*cache, "path", "/cache").value_or("");
    report.cacheWarning = read.string(*cache, "warning", "/cache").value_or("");
  }
  if (auto cpu = read.string(*root, "cpu", ""))
    report.cpu = *cpu;
  if (auto seconds = read.number(*root, "tuning_seconds", ""))
    report.tuningSeconds = *seconds;
  if (root->get("error"))
    report.error = read.regions(*root, "error", "");
  if (root->get("ns_per_element"))
    report.nsPerElement = read.number(*root, "ns_per_element", "");
  const Array *list = root->getArray("candidates");
  if (!list)
    read.fail("/candidates is not an array");
  for (size_t i = 0; list && i < list->size(); ++i) {
    std::string where = "/candidates/" + std::to_string(i);
    const Object *o = (*list)[i].getAsObject();
    if (!o) {
      read.fail(where + " is not an object");
      break;
    }
    TuningCandidate c;
    auto name = read.string(*o, "expansion", where);
    std::optional<act::Expansion> expansion =
        name ? act::symbolizeExpansion(*name) : std::nullopt;
    if (name && !expansion)
      read.fail(where + "/expansion '" + bounded(*name) +
                "' is not an expansion");
    c.expansion = expansion.value_or(act::Expansion::erfc);
    if (o->get("degree"))
      c.degree =
          static_cast<unsigned>(read.number(*o, "degree", where).value_or(0));
    c.unroll =
        static_cast<unsigned>(read.number(*o, "unroll", where).value_or(1));
    c.vectorBits = static_cast<unsigned>(
        read.number(*o, "vector_bits", where).value_or(0));
    c.cost = static_cast<unsigned>(read.number(*o, "cost", where).value_or(0));
    c.fits = read.boolean(*o, "fits", where);
    c.chosen = read.boolean(*o, "chosen", where);
    c.verdict = read.string(*o, "verdict", where).value_or("");
    if (o->get("error"))
      c.error = read.regions(*o, "error", where);
    if (o->get("ns_per_element"))
      c.nsPerElement = read.number(*o, "ns_per_element", where);
    report.candidates.push_back(std::move(c));
  }
  if (!read.problem.empty())
    return llvm::createStringError(read.problem);
  return report;
}

} // namespace gelu
