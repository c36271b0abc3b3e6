//===- Spec.cpp - The JSON kernel spec -----------------------------------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Spec/Spec.h"
#include "gelu/Spec/SpecJson.h"

#include "gelu/Codegen/TargetNames.h"
#include "gelu/Dialect/Act/IR/ExpansionCatalog.h"
#include "gelu/Numerics/DoubleFits.h"
#include "gelu/Numerics/FitCatalog.h"
#include "gelu/Support/Json.h"
#include "gelu/Support/Quote.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/MemoryBuffer.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

using json = gelu::Json;
using llvm::StringRef;

namespace gelu {

KernelAbi kernelAbiOf(KernelOp op) {
  const act::OpFacts &facts = act::opFacts(op);
  // A derivative at x + bias also gives the bias its gradient (the column
  // sums of dx): the kernel has a second output.
  if (facts.bias >= 0 && facts.family == act::ActivationFamily::GeluDerivative)
    return KernelAbi::BiasBackward;
  if (facts.bias >= 0 && facts.factor < 0)
    return KernelAbi::Bias;
  if (facts.bias < 0 && facts.factor >= 0)
    return KernelAbi::Binary;
  if (facts.bias < 0 && facts.factor < 0)
    return KernelAbi::Unary;
  llvm_unreachable("an op whose operand roles no kernel ABI has");
}

llvm::StringRef stringifyDType(DType dtype) {
  switch (dtype) {
  case DType::F16:
    return "f16";
  case DType::BF16:
    return "bf16";
  case DType::F32:
    return "f32";
  case DType::F64:
    return "f64";
  }
  llvm_unreachable("unknown dtype");
}

llvm::StringRef stringifyDistribution(TimingInputs::Distribution d) {
  switch (d) {
  case TimingInputs::Distribution::Normal:
    return "normal";
  case TimingInputs::Distribution::Uniform:
    return "uniform";
  }
  llvm_unreachable("unknown distribution");
}

llvm::StringRef stringifyStreamingStores(StreamingStores mode) {
  switch (mode) {
  case StreamingStores::Auto:
    return "auto";
  case StreamingStores::Always:
    return "always";
  case StreamingStores::Never:
    return "never";
  }
  llvm_unreachable("unknown streaming-stores mode");
}

llvm::StringRef stringifyObjective(Objective objective) {
  switch (objective) {
  case Objective::Fastest:
    return "fastest";
  case Objective::MostAccurate:
    return "most_accurate";
  }
  llvm_unreachable("unknown objective");
}

llvm::StringRef stringifyRanking(Ranking ranking) {
  switch (ranking) {
  case Ranking::Measured:
    return "measured";
  case Ranking::CostModel:
    return "cost_model";
  }
  llvm_unreachable("unknown ranking");
}

unsigned dtypeSize(DType dtype) {
  switch (dtype) {
  case DType::F16:
  case DType::BF16:
    return 2;
  case DType::F32:
    return 4;
  case DType::F64:
    return 8;
  }
  llvm_unreachable("unknown dtype");
}

FloatFormat floatFormatOf(DType dtype) {
  switch (dtype) {
  case DType::F16:
    return FloatFormat::f16();
  case DType::BF16:
    return FloatFormat::bf16();
  case DType::F32:
    return FloatFormat::f32();
  case DType::F64:
    return {53, -1022};
  }
  llvm_unreachable("unknown dtype");
}

ReferenceFunction KernelSpec::referenceFunction() const {
  return act::opFacts(op).referenceFunction(approximate);
}

/// Whether `target` names an NVIDIA GPU.
static bool isNvptxTarget(StringRef target) {
  return llvm::is_contained(nvptxTargetNames(), target);
}

llvm::ArrayRef<act::Expansion> KernelSpec::acceptedExpansions() const {
  if (dtype == DType::F64)
    return f64ExpansionsFor(referenceFunction());
  return isNvptxTarget(target) ? expansionsFor(referenceFunction())
                               : cpuExpansionsFor(referenceFunction());
}

act::Expansion KernelSpec::effectiveExpansion() const {
  return expansion.value_or(acceptedExpansions().front());
}

Json specToJsonValue(const KernelSpec &spec) {
  // Every field by name: a field added to KernelSpec stops this compiling
  // until it is written here.
  const auto &[name, op, approximate, expansion, degree, budget, dtype, target,
               objective, maxNsPerElement, ranking, timingInputs, unroll,
               vectorBits, threads, streamingStores] = spec;
  json j = json::object();
  j["name"] = name;
  j["op"] = act::stringifyOpKind(op).str();
  j["approximate"] = act::stringifyApproximate(approximate).str();
  if (expansion)
    j["expansion"] = act::stringifyExpansion(*expansion).str();
  if (budget) {
    json b = json::object();
    if (budget->maxUlp)
      b["max_ulp"] = *budget->maxUlp;
    if (budget->maxAbs)
      b["max_abs"] = *budget->maxAbs;
    if (budget->maxRel)
      b["max_rel"] = *budget->maxRel;
    if (std::isfinite(budget->domainLo) || std::isfinite(budget->domainHi))
      b["domain"] = {budget->domainLo, budget->domainHi};
    j["budget"] = b;
  }
  if (degree)
    j["degree"] = *degree;
  j["dtype"] = stringifyDType(dtype).str();
  j["target"] = target;
  j["objective"] = stringifyObjective(objective).str();
  if (maxNsPerElement)
    j["max_ns_per_element"] = *maxNsPerElement;
  j["ranking"] = stringifyRanking(ranking).str();
  if (timingInputs) {
    json t = json::object();
    t["distribution"] = stringifyDistribution(timingInputs->distribution).str();
    if (timingInputs->distribution == TimingInputs::Distribution::Normal)
      t["sigma"] = timingInputs->sigma;
    else
      t["range"] = {timingInputs->lo, timingInputs->hi};
    j["timing_inputs"] = t;
  }
  if (unroll)
    j["unroll"] = unroll;
  if (vectorBits)
    j["vector_bits"] = vectorBits;
  j["threads"] = threads;
  j["streaming_stores"] = stringifyStreamingStores(streamingStores).str();
  return j;
}

std::string KernelSpec::toJson() const {
  return dumpJson(specToJsonValue(*this));
}

std::string KernelSpec::cacheKey() const {
  std::string key;
  key.reserve(96);
  auto field = [&key](llvm::StringRef text) {
    key.append(text.data(), text.size());
    key.push_back('\x1f');
  };
  auto number = [&key](double v) {
    char bytes[sizeof v];
    std::memcpy(bytes, &v, sizeof v);
    key.append(bytes, sizeof v);
  };
  auto optionalNumber = [&](const std::optional<double> &v) {
    key.push_back(v ? '1' : '0');
    if (v)
      number(*v);
  };
  field(name);
  key.push_back(static_cast<char>('0' + static_cast<int>(op)));
  key.push_back(static_cast<char>('0' + static_cast<int>(approximate)));
  key.push_back(static_cast<char>('0' + static_cast<int>(dtype)));
  key.push_back(static_cast<char>('0' + static_cast<int>(streamingStores)));
  key.push_back(static_cast<char>('0' + unroll));
  key.push_back(static_cast<char>('0' + static_cast<int>(objective)));
  key.push_back(static_cast<char>('0' + static_cast<int>(ranking)));
  key.push_back(static_cast<char>('0' + degree.value_or(0)));
  key.push_back(static_cast<char>(vectorBits / 64));
  number(threads);
  optionalNumber(maxNsPerElement);
  key.push_back(timingInputs
                    ? static_cast<char>(
                          'n' + static_cast<int>(timingInputs->distribution))
                    : '-');
  if (timingInputs) {
    number(timingInputs->sigma);
    number(timingInputs->lo);
    number(timingInputs->hi);
  }
  key.push_back(
      expansion ? static_cast<char>('A' + static_cast<int>(*expansion)) : '-');
  key.push_back(budget ? 'b' : '-');
  if (budget) {
    optionalNumber(budget->maxUlp);
    optionalNumber(budget->maxAbs);
    optionalNumber(budget->maxRel);
    number(budget->domainLo);
    number(budget->domainHi);
  }
  field(target);
  return key;
}

namespace {

/// Builds messages of the form `SOURCE: at /field: what is wrong`.
class SpecErrors {
public:
  explicit SpecErrors(StringRef source) : source(source) {}

  llvm::Error at(StringRef path, const llvm::Twine &message) const {
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        (source + ": at " + path + ": " + message).str());
  }
  llvm::Error whole(const llvm::Twine &message) const {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   (source + ": " + message).str());
  }

private:
  StringRef source;
};

/// "a, b or c".
std::string alternatives(llvm::ArrayRef<StringRef> names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0)
      out += i + 1 == names.size() ? " or " : ", ";
    out += "'" + names[i].str() + "'";
  }
  return out;
}

/// The known name closest to `name`, if it is close enough to be a typo.
std::optional<StringRef> nearest(StringRef name,
                                 llvm::ArrayRef<StringRef> known) {
  // No known name is this long, and the edit distance of a 100 MB key
  // would take seconds.
  if (name.size() > 64)
    return std::nullopt;
  std::optional<StringRef> best;
  unsigned bestDistance = std::max<unsigned>(2, name.size() / 3) + 1;
  for (StringRef candidate : known) {
    unsigned d = name.edit_distance_insensitive(candidate);
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return best;
}

const char *typeName(const json &value) { return value.type_name(); }

/// `value` as JSON for a message, at most kQuotedBytes of it.
std::string shown(const json &value) { return bounded(dumpJson(value)); }

llvm::Expected<std::string> getString(const json &value, StringRef path,
                                      const SpecErrors &errors) {
  if (!value.is_string())
    return errors.at(path, llvm::Twine("expected a string, got ") +
                               typeName(value) + " " + shown(value));
  return value.get<std::string>();
}

/// Looks `value` up among the names of enum T's values 0 .. `last`, as
/// `stringify` writes them: the one table of names is the stringify
/// function's (canonical JSON writes them with it too).
template <typename T>
llvm::Expected<T> getChoice(const json &value, StringRef path, StringRef what,
                            T last, llvm::StringRef (*stringify)(T),
                            const SpecErrors &errors) {
  auto text = getString(value, path, errors);
  if (!text)
    return text.takeError();
  llvm::SmallVector<StringRef> names;
  for (unsigned i = 0; i <= static_cast<unsigned>(last); ++i) {
    T candidate = static_cast<T>(i);
    if (*text == stringify(candidate))
      return candidate;
    names.push_back(stringify(candidate));
  }
  return errors.at(path, "unknown " + what + " '" + bounded(*text) +
                             "'; expected " + alternatives(names));
}

bool isCIdentifier(StringRef s) {
  if (s.empty() || s.size() > 128 || llvm::isDigit(s.front()))
    return false;
  return llvm::all_of(s, [](char c) { return llvm::isAlnum(c) || c == '_'; });
}

/// Rejects a key of `object` that is not in `known`, suggesting the nearest.
llvm::Error checkFields(const json &object, StringRef path,
                        llvm::ArrayRef<StringRef> known,
                        const SpecErrors &errors) {
  // Every unknown field, one message each: two typos are fixed in one go.
  llvm::Error all = llvm::Error::success();
  for (auto it = object.begin(); it != object.end(); ++it) {
    StringRef key = it.key();
    if (llvm::is_contained(known, key))
      continue;
    std::string message = "unknown field '" + bounded(key) + "'";
    if (auto suggestion = nearest(key, known))
      message += "; did you mean '" + suggestion->str() + "'?";
    else
      message += "; known fields are " + alternatives(known);
    all = llvm::joinErrors(std::move(all),
                           errors.at(path.str() + "/" + bounded(key), message));
  }
  return all;
}

llvm::Expected<double> getNumber(const json &value, StringRef path,
                                 const SpecErrors &errors) {
  if (!value.is_number())
    return errors.at(path, llvm::Twine("expected a number, got ") +
                               typeName(value) + " " + shown(value));
  return value.get<double>();
}

/// An integer in [lo, hi]; `what` says what it counts, for the message.
llvm::Expected<unsigned> getInteger(const json &value, StringRef path,
                                    int64_t lo, int64_t hi, StringRef what,
                                    const SpecErrors &errors) {
  if (!value.is_number_integer() || value.get<int64_t>() < lo ||
      value.get<int64_t>() > hi)
    return errors.at(path, "expected an integer from " + llvm::Twine(lo) +
                               " to " + llvm::Twine(hi) + " (" + what +
                               "), got " + shown(value));
  return static_cast<unsigned>(value.get<int64_t>());
}

/// A target name: "host", a level or any 64-bit x86 CPU LLVM knows.
llvm::Expected<std::string> getTarget(const json &value,
                                      const SpecErrors &errors) {
  auto name = getString(value, "/target", errors);
  if (!name)
    return name.takeError();
  if (isKnownTarget(*name))
    return *name;
  StringRef text = *name;
  if (text.starts_with("nvptx") || text.starts_with("sm_")) {
    std::string gpus;
    for (StringRef gpu : nvptxTargetNames())
      gpus += (gpus.empty() ? "'" : ", '") + gpu.str() + "'";
    return errors.at("/target", "unknown GPU target '" + bounded(*name) +
                                    "'; expected one of " + gpus);
  }
  llvm::SmallVector<StringRef> known(targetNames());
  llvm::append_range(known, x86CpuNames());
  std::string message = "unknown target '" + bounded(*name) + "'";
  if (auto suggestion = nearest(text, known))
    message += " (did you mean '" + suggestion->str() + "'?)";
  return errors.at("/target", message + "; expected 'host', 'x86-64-v3', "
                                        "'x86-64-v4', 'aarch64', "
                                        "'nvptx-sm_80' (or another sm) or "
                                        "an x86-64 CPU LLVM knows (haswell, "
                                        "skylake-avx512, znver4, ...)");
}

/// `value` as [lo, hi], two numbers (their order is the caller's to check).
llvm::Expected<std::pair<double, double>>
getRange(const json &value, StringRef path, const SpecErrors &errors) {
  if (!value.is_array() || value.size() != 2 || !value[0].is_number() ||
      !value[1].is_number())
    return errors.at(path,
                     "expected [lo, hi] with two numbers, got " + shown(value));
  return std::pair<double, double>{value[0].get<double>(),
                                   value[1].get<double>()};
}

llvm::Expected<ErrorBudget> parseBudget(const json &value,
                                        const SpecErrors &errors) {
  if (!value.is_object())
    return errors.at("/budget", llvm::Twine("expected an object, got ") +
                                    typeName(value) + " " + shown(value));
  static const StringRef known[] = {"max_ulp", "max_abs", "max_rel", "domain"};
  if (llvm::Error err = checkFields(value, "/budget", known, errors))
    return std::move(err);
  ErrorBudget budget;
  std::optional<double> *bounds[] = {&budget.maxUlp, &budget.maxAbs,
                                     &budget.maxRel};
  for (size_t i = 0; i < 3; ++i) {
    if (!value.contains(known[i]))
      continue;
    std::string path = "/budget/" + known[i].str();
    auto bound = getNumber(value[known[i].str()], path, errors);
    if (!bound)
      return bound.takeError();
    if (!(*bound > 0) || !std::isfinite(*bound))
      return errors.at(path, "a bound must be a positive finite number, got " +
                                 shown(value[known[i].str()]));
    *bounds[i] = *bound;
  }
  if (!budget.maxUlp && !budget.maxAbs && !budget.maxRel)
    return errors.at("/budget", "give at least one of 'max_ulp', 'max_abs' "
                                "or 'max_rel'");
  if (value.contains("domain")) {
    const json &domain = value["domain"];
    auto ends = getRange(domain, "/budget/domain", errors);
    if (!ends)
      return ends.takeError();
    std::tie(budget.domainLo, budget.domainHi) = *ends;
    if (!(budget.domainLo < budget.domainHi))
      return errors.at("/budget/domain",
                       "lo must be below hi, got " + shown(domain));
  }
  return budget;
}

} // namespace

/// `text` parsed as JSON, or the parser's message.
static llvm::Expected<json> parseJsonText(StringRef text,
                                          const SpecErrors &errors) {
  auto root = parseJson(text);
  if (!root)
    return errors.whole("malformed JSON: " + llvm::toString(root.takeError()));
  return std::move(*root);
}

//===----------------------------------------------------------------------===//
// The fields of a spec
//===----------------------------------------------------------------------===//

/// Reads field `value` (at JSON path `path`) into `spec`. A field may read
/// the fields before it in kSpecFields: approximate needs the op, the degree
/// the expansion, the ranking the objective.
using FieldParser = llvm::Error (*)(const json &value, StringRef path,
                                    KernelSpec &spec, const SpecErrors &errors);

/// Sets `field` to what `result` holds, or passes its error on.
template <typename T, typename U>
static llvm::Error assign(llvm::Expected<T> result, U &field) {
  if (!result)
    return result.takeError();
  field = std::move(*result);
  return llvm::Error::success();
}

static llvm::Error parseOp(const json &value, StringRef path, KernelSpec &spec,
                           const SpecErrors &errors) {
  return assign(getChoice(value, path, "op",
                          static_cast<KernelOp>(act::getMaxEnumValForOpKind()),
                          act::stringifyOpKind, errors),
                spec.op);
}

static llvm::Error parseApproximate(const json &value, StringRef path,
                                    KernelSpec &spec,
                                    const SpecErrors &errors) {
  auto approximate = getChoice(
      value, path, "approximate",
      static_cast<act::Approximate>(act::getMaxEnumValForApproximate()),
      act::stringifyApproximate, errors);
  if (!approximate)
    return approximate.takeError();
  if (!act::opFacts(spec.op).appliesGelu() &&
      *approximate != act::Approximate::none) {
    llvm::SmallVector<StringRef> geluOps;
    for (KernelOp op : act::allOpKinds())
      if (act::opFacts(op).appliesGelu())
        geluOps.push_back(act::stringifyOpKind(op));
    return errors.at(path,
                     "'approximate' applies to the ops that apply a GELU (" +
                         llvm::join(geluOps, ", ") + "), not '" +
                         act::stringifyOpKind(spec.op) + "'");
  }
  spec.approximate = *approximate;
  return llvm::Error::success();
}

static llvm::Error parseExpansion(const json &value, StringRef path,
                                  KernelSpec &spec, const SpecErrors &errors) {
  auto text = getString(value, path, errors);
  if (!text)
    return text.takeError();
  // Expansions renamed since 0.1.0: the old name gets the new one.
  static const std::pair<StringRef, StringRef> kRenamed[] = {
      {"tanh_form", "approx_tanh"}, {"sigmoid_form", "approx_sigmoid"}};
  for (const auto &[old, renamed] : kRenamed)
    if (*text == old)
      return errors.at(path, "the expansion '" + old + "' is now called '" +
                                 renamed + "'");
  ReferenceFunction function = spec.referenceFunction();
  std::optional<act::Expansion> expansion = act::symbolizeExpansion(*text);
  if (expansion && spec.dtype == DType::F64 &&
      llvm::is_contained(expansionsFor(function), *expansion) &&
      !llvm::is_contained(spec.acceptedExpansions(), *expansion))
    return errors.at(path, "expansion '" + *text +
                               "' has no f64 form; on "
                               "f64, " +
                               stringifyReferenceFunction(function) + " has " +
                               listExpansions(spec.acceptedExpansions()));
  // The target is read later: whether it takes the hardware forms is
  // checked once it is (specFromJson).
  llvm::ArrayRef<act::Expansion> known = spec.dtype == DType::F64
                                             ? spec.acceptedExpansions()
                                             : expansionsFor(function);
  if (!expansion || !llvm::is_contained(known, *expansion))
    return errors.at(path, "unknown expansion '" + bounded(*text) + "' for " +
                               stringifyReferenceFunction(function) +
                               "; expected " + listExpansions(known));
  spec.expansion = expansion;
  return llvm::Error::success();
}

static llvm::Error parseDegree(const json &value, StringRef path,
                               KernelSpec &spec, const SpecErrors &errors) {
  // The degrees of every fitted form together (docs/spec.md); which forms
  // of this op have the degree is checked next.
  auto degree =
      getInteger(value, path, std::min(kRationalMinDegree, kPiecewiseMinDegree),
                 std::max({kRationalMaxDegree, kPiecewiseMaxDegree,
                           kPhiF64TableDegree - 1}),
                 "the degree of a fitted form", errors);
  if (!degree)
    return degree.takeError();
  ReferenceFunction function = spec.referenceFunction();
  // The expansions that could take it: the named one, else every one of
  // the op.
  llvm::SmallVector<act::Expansion> takers;
  if (spec.expansion)
    takers.push_back(*spec.expansion);
  else
    llvm::append_range(takers, spec.acceptedExpansions());
  const bool f64 = spec.dtype == DType::F64;
  auto accepts = [&](act::Expansion e) {
    return llvm::is_contained(degreesOf(function, e, f64), *degree);
  };
  if (!llvm::any_of(takers, accepts)) {
    std::string allowed;
    for (act::Expansion e : takers)
      if (!degreesOf(function, e, f64).empty())
        allowed += (allowed.empty() ? "" : "; ") +
                   listDegrees(function, e, f64) + " for '" +
                   act::stringifyExpansion(e).str() + "'";
    return errors.at(
        path, "no expansion " +
                  (spec.expansion
                       ? "'" + act::stringifyExpansion(*spec.expansion) + "'"
                       : "of " + stringifyReferenceFunction(function)) +
                  " has degree " + llvm::Twine(*degree) + "; expected " +
                  (allowed.empty() ? "no degree (it is fixed)" : allowed));
  }
  spec.degree = *degree;
  return llvm::Error::success();
}

static llvm::Error parseBudgetField(const json &value, StringRef path,
                                    KernelSpec &spec,
                                    const SpecErrors &errors) {
  return assign(parseBudget(value, errors), spec.budget);
}

static llvm::Error parseDType(const json &value, StringRef path,
                              KernelSpec &spec, const SpecErrors &errors) {
  return assign(
      getChoice(value, path, "dtype", DType::F64, stringifyDType, errors),
      spec.dtype);
}

static llvm::Error parseTarget(const json &value, StringRef path,
                               KernelSpec &spec, const SpecErrors &errors) {
  return assign(getTarget(value, errors), spec.target);
}

static llvm::Error parseObjective(const json &value, StringRef path,
                                  KernelSpec &spec, const SpecErrors &errors) {
  return assign(getChoice(value, path, "objective", Objective::MostAccurate,
                          stringifyObjective, errors),
                spec.objective);
}

static llvm::Error parseMaxNsPerElement(const json &value, StringRef path,
                                        KernelSpec &spec,
                                        const SpecErrors &errors) {
  auto limit = getNumber(value, path, errors);
  if (!limit)
    return limit.takeError();
  if (!(*limit > 0) || !std::isfinite(*limit))
    return errors.at(path, "a time must be a positive finite number, got " +
                               shown(value));
  if (spec.objective != Objective::MostAccurate)
    return errors.at(path, "a time budget needs \"objective\": "
                           "\"most_accurate\" (the fastest kernel needs none)");
  spec.maxNsPerElement = *limit;
  return llvm::Error::success();
}

static llvm::Error parseRanking(const json &value, StringRef path,
                                KernelSpec &spec, const SpecErrors &errors) {
  auto ranking = getChoice(value, path, "ranking", Ranking::CostModel,
                           stringifyRanking, errors);
  if (!ranking)
    return ranking.takeError();
  if (*ranking == Ranking::CostModel &&
      spec.objective == Objective::MostAccurate && spec.maxNsPerElement)
    return errors.at(path, "a time budget in nanoseconds needs "
                           "measured speeds, not 'cost_model'");
  spec.ranking = *ranking;
  return llvm::Error::success();
}

/// {"distribution": "normal", "sigma": S} or {"distribution": "uniform",
/// "range": [lo, hi]}, for a spec that leaves a choice to a tuner that
/// times.
static llvm::Error parseTimingInputs(const json &value, StringRef path,
                                     KernelSpec &spec,
                                     const SpecErrors &errors) {
  constexpr const char *kForms =
      "{\"distribution\": \"normal\", \"sigma\": S} or "
      "{\"distribution\": \"uniform\", \"range\": [lo, hi]}";
  if (!value.is_object())
    return errors.at(path, llvm::Twine("expected ") + kForms + ", got " +
                               typeName(value) + " " + shown(value));
  static const StringRef known[] = {"distribution", "sigma", "range"};
  if (llvm::Error err = checkFields(value, path, known, errors))
    return err;
  if (!value.contains("distribution"))
    return errors.at(path,
                     llvm::Twine("no 'distribution'; expected ") + kForms);
  const std::string at = path.str();
  auto distribution = getChoice(
      value["distribution"], at + "/distribution", "distribution",
      TimingInputs::Distribution::Uniform, stringifyDistribution, errors);
  if (!distribution)
    return distribution.takeError();
  TimingInputs inputs;
  inputs.distribution = *distribution;
  const bool normal = *distribution == TimingInputs::Distribution::Normal;
  // The field the other distribution takes cannot apply.
  if (value.contains(normal ? "range" : "sigma"))
    return errors.at(at + (normal ? "/range" : "/sigma"),
                     normal ? "a normal distribution has a 'sigma', not a "
                              "'range'"
                            : "a uniform distribution has a 'range', not a "
                              "'sigma'");
  if (normal) {
    if (!value.contains("sigma"))
      return errors.at(path, "a normal distribution needs 'sigma' (its "
                             "standard deviation, mean 0)");
    auto sigma = getNumber(value["sigma"], at + "/sigma", errors);
    if (!sigma)
      return sigma.takeError();
    if (!(*sigma > 0) || !(*sigma <= 1e30))
      return errors.at(at + "/sigma",
                       "a standard deviation must be positive and at most "
                       "1e30, got " +
                           shown(value["sigma"]));
    inputs.sigma = *sigma;
  } else {
    if (!value.contains("range"))
      return errors.at(path, "a uniform distribution needs 'range': [lo, hi]");
    const json &range = value["range"];
    auto ends = getRange(range, at + "/range", errors);
    if (!ends)
      return ends.takeError();
    std::tie(inputs.lo, inputs.hi) = *ends;
    if (!(inputs.lo < inputs.hi) || !(std::fabs(inputs.lo) <= 1e30) ||
        !(std::fabs(inputs.hi) <= 1e30))
      return errors.at(at + "/range",
                       "lo must be below hi, both within ±1e30, got " +
                           shown(range));
  }
  if (!needsTuning(spec))
    return errors.at(path, "timing inputs steer the tuner, and this spec "
                           "leaves it nothing to choose (give a 'budget' or "
                           "\"objective\": \"most_accurate\")");
  if (spec.ranking == Ranking::CostModel)
    return errors.at(path, "timing inputs steer measured speeds; 'ranking' "
                           "is 'cost_model'");
  spec.timingInputs = inputs;
  return llvm::Error::success();
}

static llvm::Error parseUnroll(const json &value, StringRef path,
                               KernelSpec &spec, const SpecErrors &errors) {
  return assign(
      getInteger(value, path, 1, 8, "vectors per loop iteration", errors),
      spec.unroll);
}

static llvm::Error parseVectorBits(const json &value, StringRef path,
                                   KernelSpec &spec, const SpecErrors &errors) {
  if (!value.is_number_integer() ||
      !llvm::is_contained({128, 256, 512}, value.get<int64_t>()))
    return errors.at(path, "expected 128, 256 or 512 (bits of a vector "
                           "register), got " +
                               shown(value));
  spec.vectorBits = value.get<unsigned>();
  return llvm::Error::success();
}

static llvm::Error parseThreads(const json &value, StringRef path,
                                KernelSpec &spec, const SpecErrors &errors) {
  return assign(
      getInteger(value, path, 0, 1024,
                 "threads of a checked run; 0: one per hardware thread",
                 errors),
      spec.threads);
}

static llvm::Error parseStreamingStores(const json &value, StringRef path,
                                        KernelSpec &spec,
                                        const SpecErrors &errors) {
  auto mode = getChoice(value, path, "streaming_stores", StreamingStores::Never,
                        stringifyStreamingStores, errors);
  if (!mode)
    return mode.takeError();
  KernelAbi abi = kernelAbiOf(spec.op);
  if (*mode == StreamingStores::Always &&
      (abi == KernelAbi::Bias || abi == KernelAbi::BiasBackward))
    return errors.at(path, "'always' applies to elementwise kernels; '" +
                               act::stringifyOpKind(spec.op) +
                               "' writes its [rows, cols] output row by row "
                               "with cached stores ('auto' and 'never' "
                               "accepted)");
  spec.streamingStores = *mode;
  return llvm::Error::success();
}

static llvm::Error parseName(const json &value, StringRef path,
                             KernelSpec &spec, const SpecErrors &errors) {
  auto name = getString(value, path, errors);
  if (!name)
    return name.takeError();
  if (!isCIdentifier(*name))
    return errors.at(path, "'" + bounded(*name) +
                               "' is not a C identifier (letters, digits and "
                               "'_', not starting with a digit, at most 128 "
                               "characters)");
  spec.name = *name;
  return llvm::Error::success();
}

/// Every field a spec may have, in the order they are read.
struct SpecField {
  StringRef name;
  FieldParser parse;
};
static const SpecField kSpecFields[] = {
    {"name", parseName},
    {"op", parseOp},
    {"approximate", parseApproximate},
    {"dtype", parseDType},
    {"expansion", parseExpansion},
    {"degree", parseDegree},
    {"budget", parseBudgetField},
    {"target", parseTarget},
    {"objective", parseObjective},
    {"max_ns_per_element", parseMaxNsPerElement},
    {"ranking", parseRanking},
    {"timing_inputs", parseTimingInputs},
    {"unroll", parseUnroll},
    {"vector_bits", parseVectorBits},
    {"threads", parseThreads},
    {"streaming_stores", parseStreamingStores},
};

/// The name of a spec that names none: the op, form and dtype (gelu_f32,
/// gelu_tanh_bf16, silu_f16, gelu_backward_f32, geglu_tanh_f32, ...).
static std::string defaultName(const KernelSpec &spec) {
  bool unary = kernelAbiOf(spec.op) == KernelAbi::Unary;
  std::string base =
      unary ? stringifyReferenceFunction(spec.referenceFunction()).str()
            : act::stringifyOpKind(spec.op).str();
  if (!unary && spec.approximate != act::Approximate::none)
    base += "_" + act::stringifyApproximate(spec.approximate).str();
  return base + "_" + stringifyDType(spec.dtype).str();
}

/// The spec that JSON value `root` describes.
static llvm::Expected<KernelSpec> specFromJson(const json &root,
                                               const SpecErrors &errors) {
  if (!root.is_object())
    return errors.whole(llvm::Twine("expected a JSON object, got ") +
                        typeName(root));
  llvm::SmallVector<StringRef> knownFields;
  for (const SpecField &field : kSpecFields)
    knownFields.push_back(field.name);
  if (llvm::Error err = checkFields(root, "", knownFields, errors))
    return std::move(err);

  KernelSpec spec;
  for (const SpecField &field : kSpecFields) {
    auto it = root.find(field.name.str());
    if (it == root.end())
      continue;
    if (llvm::Error err =
            field.parse(*it, ("/" + field.name).str(), spec, errors))
      return std::move(err);
  }
  if (spec.expansion && roundsF32Only(*spec.expansion) &&
      spec.dtype != DType::F32)
    return errors.at("/expansion",
                     "'" + act::stringifyExpansion(*spec.expansion) +
                         "' rounds f32 results; this kernel's dtype is " +
                         stringifyDType(spec.dtype) +
                         " (its default kernel's results are measured on "
                         "every 16-bit input: see docs/accuracy.md)");
  if (spec.expansion && usesHardwareApproximations(*spec.expansion) &&
      !isNvptxTarget(spec.target))
    return errors.at("/expansion",
                     "'" + act::stringifyExpansion(*spec.expansion) +
                         "' computes with an NVIDIA GPU's approximations (" +
                         (*spec.expansion == act::Expansion::hw_tanh
                              ? "tanh.approx.f32"
                              : "ex2.approx.ftz.f32 and rcp.approx.ftz.f32") +
                         "): it needs an nvptx target ('nvptx-sm_75' ... "
                         "'nvptx-sm_120'), not '" +
                         bounded(spec.target) + "'");
  // A degree alone limits the candidates to the forms that have it (the
  // degree parser checked that one does): with nothing to tune, the most
  // accurate of them. (An op with a degree and no expansion is invalid IR.)
  if (spec.degree && !spec.expansion && !needsTuning(spec))
    for (act::Expansion e : spec.acceptedExpansions())
      if (llvm::is_contained(
              degreesOf(spec.referenceFunction(), e, spec.dtype == DType::F64),
              *spec.degree)) {
        spec.expansion = e;
        break;
      }
  if (!root.contains("name"))
    spec.name = defaultName(spec);
  return spec;
}

bool needsTuning(const KernelSpec &spec) {
  return spec.budget || spec.objective == Objective::MostAccurate;
}

llvm::Expected<KernelSpec> parseSpec(StringRef text, StringRef sourceName) {
  SpecErrors errors(sourceName);
  auto root = parseJsonText(text, errors);
  if (!root)
    return root.takeError();
  return specFromJson(*root, errors);
}

llvm::Expected<KernelSpec> specFromJsonValue(const Json &value,
                                             StringRef sourceName) {
  return specFromJson(value, SpecErrors(sourceName));
}

llvm::Expected<std::vector<KernelSpec>> parseSpecList(StringRef text,
                                                      StringRef sourceName) {
  SpecErrors errors(sourceName);
  auto parsed = parseJsonText(text, errors);
  if (!parsed)
    return parsed.takeError();
  const json &root = *parsed;
  if (!root.is_array()) {
    auto spec = specFromJson(root, errors);
    if (!spec)
      return spec.takeError();
    return std::vector<KernelSpec>{std::move(*spec)};
  }
  if (root.empty())
    return errors.whole("the list holds no kernel: give one spec object or "
                        "a list of them");
  std::vector<KernelSpec> specs;
  llvm::StringMap<size_t> names;
  for (size_t i = 0; i < root.size(); ++i) {
    std::string source = (sourceName + "[" + llvm::Twine(i) + "]").str();
    auto spec = specFromJson(root[i], SpecErrors(source));
    if (!spec)
      return spec.takeError();
    auto [it, fresh] = names.try_emplace(spec->name, i);
    if (!fresh)
      return errors.whole("kernels [" + llvm::Twine(it->second) + "] and [" +
                          llvm::Twine(i) + "] are both named '" + spec->name +
                          "': one library needs one name per kernel");
    specs.push_back(std::move(*spec));
  }
  return specs;
}

/// The text of spec file `path` ("-": stdin).
static llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
readSpecText(StringRef path) {
  auto buffer = llvm::MemoryBuffer::getFileOrSTDIN(path, /*IsText=*/true);
  if (!buffer)
    return llvm::createStringError(buffer.getError(),
                                   "cannot read spec '" + path +
                                       "': " + buffer.getError().message());
  return std::move(*buffer);
}

llvm::Expected<std::vector<KernelSpec>> readSpecListFile(StringRef path) {
  auto buffer = readSpecText(path);
  if (!buffer)
    return buffer.takeError();
  return parseSpecList((*buffer)->getBuffer(), path);
}

llvm::Expected<KernelSpec> readSpecFile(StringRef path) {
  auto buffer = readSpecText(path);
  if (!buffer)
    return buffer.takeError();
  return parseSpec((*buffer)->getBuffer(), path);
}

char SpecFieldError::ID = 0;

void SpecFieldError::log(llvm::raw_ostream &os) const {
  if (!fieldPath.empty())
    os << "at " << fieldPath << ": ";
  os << whatIsWrong;
}

llvm::Error inSpecSource(llvm::Error error, StringRef source) {
  if (source.empty())
    return error; // a spec built in, not read from a file
  return llvm::handleErrors(
      std::move(error), [&](const SpecFieldError &e) -> llvm::Error {
        std::string text;
        llvm::raw_string_ostream os(text);
        e.log(os);
        return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                       (source + ": " + text).str());
      });
}

llvm::Error withoutSpecField(llvm::Error error) {
  return llvm::handleErrors(std::move(error), [](const SpecFieldError &e) {
    return llvm::make_error<llvm::StringError>(e.what(),
                                               llvm::inconvertibleErrorCode());
  });
}

} // namespace gelu
