//===- SpecTest.cpp - Parsing and validating JSON specs ------------------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Spec/Spec.h"

#include "gtest/gtest.h"

#include <vector>

using namespace gelu;

namespace {

/// The error message of parsing `json`, or "" when it parses.
std::string errorOf(llvm::StringRef json) {
  auto spec = parseSpec(json, "spec.json");
  if (spec)
    return "";
  return llvm::toString(spec.takeError());
}

TEST(Spec, EmptyObjectGivesTheAccurateDefault) {
  auto spec = parseSpec("{}");
  ASSERT_TRUE(static_cast<bool>(spec)) << llvm::toString(spec.takeError());
  EXPECT_EQ(spec->name, "gelu_f32");
  EXPECT_EQ(spec->op, KernelOp::Gelu);
  EXPECT_EQ(spec->approximate, act::Approximate::none);
  EXPECT_EQ(spec->dtype, DType::F32);
  EXPECT_EQ(spec->target, "host");
  EXPECT_EQ(spec->referenceFunction(), ReferenceFunction::GeluExact);
}

TEST(Spec, AllFieldsParse) {
  auto spec = parseSpec(R"({"name": "k1", "op": "gelu", "approximate": "tanh",
                            "dtype": "bf16", "target": "host"})");
  ASSERT_TRUE(static_cast<bool>(spec)) << llvm::toString(spec.takeError());
  EXPECT_EQ(spec->name, "k1");
  EXPECT_EQ(spec->approximate, act::Approximate::tanh);
  EXPECT_EQ(spec->dtype, DType::BF16);
  EXPECT_EQ(spec->referenceFunction(), ReferenceFunction::GeluTanh);
}

TEST(Spec, ExpansionIsParsedAndKeptInTheCanonicalForm) {
  auto spec = parseSpec(R"({"approximate": "tanh", "expansion": "tanh"})");
  ASSERT_TRUE(static_cast<bool>(spec)) << llvm::toString(spec.takeError());
  ASSERT_TRUE(spec->expansion.has_value());
  EXPECT_EQ(*spec->expansion, act::Expansion::tanh);
  EXPECT_NE(spec->toJson().find(R"("expansion":"tanh")"), std::string::npos);
  auto plain = parseSpec("{}");
  ASSERT_TRUE(static_cast<bool>(plain));
  EXPECT_FALSE(plain->expansion.has_value());
}

TEST(Spec, BudgetIsParsedAndKeptInTheCanonicalForm) {
  auto spec = parseSpec(
      R"({"budget": {"max_abs": 1e-6, "max_ulp": 8, "domain": [-4, 4]}})");
  ASSERT_TRUE(static_cast<bool>(spec)) << llvm::toString(spec.takeError());
  ASSERT_TRUE(spec->budget.has_value());
  EXPECT_EQ(spec->budget->maxAbs, 1e-6);
  EXPECT_EQ(spec->budget->maxUlp, 8.0);
  EXPECT_FALSE(spec->budget->maxRel.has_value());
  EXPECT_EQ(spec->budget->domainLo, -4.0);
  EXPECT_EQ(spec->budget->domainHi, 4.0);
  auto again = parseSpec(spec->toJson());
  ASSERT_TRUE(static_cast<bool>(again)) << llvm::toString(again.takeError());
  EXPECT_EQ(again->toJson(), spec->toJson());
}

TEST(Spec, DefaultNameFollowsOpAndDtype) {
  auto spec = parseSpec(R"({"op": "silu", "dtype": "f16"})");
  ASSERT_TRUE(static_cast<bool>(spec));
  EXPECT_EQ(spec->name, "silu_f16");
  auto sigmoid = parseSpec(R"({"approximate": "sigmoid"})");
  ASSERT_TRUE(static_cast<bool>(sigmoid));
  EXPECT_EQ(sigmoid->name, "gelu_sigmoid_f32");
}

TEST(Spec, CanonicalJsonRoundTrips) {
  auto spec = parseSpec(R"({"op": "gelu", "approximate": "sigmoid"})");
  ASSERT_TRUE(static_cast<bool>(spec));
  auto again = parseSpec(spec->toJson());
  ASSERT_TRUE(static_cast<bool>(again)) << llvm::toString(again.takeError());
  EXPECT_EQ(again->toJson(), spec->toJson());
  EXPECT_EQ(
      spec->toJson(),
      R"({"approximate":"sigmoid","dtype":"f32","name":"gelu_sigmoid_f32","objective":"fastest","op":"gelu","ranking":"measured","streaming_stores":"auto","target":"host","threads":1})");
  // The code-generation and tuning fields round-trip too.
  auto tuned = parseSpec(
      R"({"unroll": 4, "streaming_stores": "never", "target": "znver4",
          "expansion": "rational", "degree": 3, "vector_bits": 256,
          "threads": 0, "ranking": "cost_model"})");
  ASSERT_TRUE(static_cast<bool>(tuned)) << llvm::toString(tuned.takeError());
  auto tunedAgain = parseSpec(tuned->toJson());
  ASSERT_TRUE(static_cast<bool>(tunedAgain));
  EXPECT_EQ(tunedAgain->unroll, 4u);
  EXPECT_EQ(tunedAgain->streamingStores, StreamingStores::Never);
  EXPECT_EQ(tunedAgain->target, "znver4");
  EXPECT_EQ(tunedAgain->degree, 3u);
  EXPECT_EQ(tunedAgain->vectorBits, 256u);
  EXPECT_EQ(tunedAgain->threads, 0u);
  EXPECT_EQ(tunedAgain->ranking, Ranking::CostModel);
  auto accurate =
      parseSpec(R"({"objective": "most_accurate", "max_ns_per_element": 0.5})");
  ASSERT_TRUE(static_cast<bool>(accurate));
  auto accurateAgain = parseSpec(accurate->toJson());
  ASSERT_TRUE(static_cast<bool>(accurateAgain));
  EXPECT_EQ(accurateAgain->objective, Objective::MostAccurate);
  EXPECT_EQ(accurateAgain->maxNsPerElement, 0.5);
  for (const char *text : {R"({"budget": {"max_ulp": 8},
            "timing_inputs": {"distribution": "normal", "sigma": 3}})",
                           R"({"budget": {"max_ulp": 8},
            "timing_inputs": {"distribution": "uniform", "range": [-8, 8]}})"}) {
    auto timed = parseSpec(text);
    ASSERT_TRUE(static_cast<bool>(timed)) << llvm::toString(timed.takeError());
    ASSERT_TRUE(timed->timingInputs.has_value());
    auto timedAgain = parseSpec(timed->toJson());
    ASSERT_TRUE(static_cast<bool>(timedAgain))
        << llvm::toString(timedAgain.takeError());
    ASSERT_TRUE(timedAgain->timingInputs.has_value());
    EXPECT_EQ(timedAgain->timingInputs->distribution,
              timed->timingInputs->distribution);
    EXPECT_EQ(timedAgain->timingInputs->sigma, timed->timingInputs->sigma);
    EXPECT_EQ(timedAgain->timingInputs->lo, timed->timingInputs->lo);
    EXPECT_EQ(timedAgain->timingInputs->hi, timed->timingInputs->hi);
    EXPECT_EQ(timedAgain->toJson(), timed->toJson());
  }
}

TEST(Spec, CacheKeyDistinguishesExactlyWhatTheJsonDoes) {
  const char *specs[] = {
      R"({})",
      R"({"name": "k"})",
      R"({"op": "silu"})",
      R"({"approximate": "tanh"})",
      R"({"expansion": "erfc"})",
      R"({"expansion": "erfc_fast"})",
      R"({"dtype": "bf16"})",
      R"({"target": "x86-64-v3"})",
      R"({"unroll": 2})",
      R"({"streaming_stores": "never"})",
      R"({"degree": 3})",
      R"({"degree": 4})",
      R"({"vector_bits": 256})",
      R"({"threads": 0})",
      R"({"threads": 2})",
      R"({"ranking": "cost_model"})",
      R"({"objective": "most_accurate"})",
      R"({"objective": "most_accurate", "max_ns_per_element": 1})",
      R"({"objective": "most_accurate", "max_ns_per_element": 2})",
      R"({"target": "znver4"})",
      R"({"budget": {"max_ulp": 4}})",
      R"({"budget": {"max_abs": 4}})",
      R"({"budget": {"max_ulp": 4, "domain": [0, 1]}})",
      R"({"budget": {"max_ulp": 4, "domain": [0, 2]}})",
      R"({"budget": {"max_ulp": 4.000001}})",
      R"({"budget": {"max_ulp": 4},
          "timing_inputs": {"distribution": "normal", "sigma": 2}})",
      R"({"budget": {"max_ulp": 4},
          "timing_inputs": {"distribution": "normal", "sigma": 3}})",
      R"({"budget": {"max_ulp": 4},
          "timing_inputs": {"distribution": "uniform", "range": [-8, 8]}})",
      R"({"budget": {"max_ulp": 4},
          "timing_inputs": {"distribution": "uniform", "range": [-8, 9]}})",
  };
  std::vector<KernelSpec> parsed;
  for (const char *json : specs) {
    auto spec = parseSpec(json);
    ASSERT_TRUE(static_cast<bool>(spec)) << json;
    parsed.push_back(*spec);
  }
  for (const KernelSpec &a : parsed)
    for (const KernelSpec &b : parsed)
      EXPECT_EQ(a.cacheKey() == b.cacheKey(), a.toJson() == b.toJson())
          << a.toJson() << " / " << b.toJson();
}

TEST(Spec, MalformedJsonNamesLineAndColumn) {
  std::string error = errorOf("{\"op\": \"gelu\",\n \"dtype\" \"f32\"}");
  EXPECT_NE(error.find("spec.json: malformed JSON"), std::string::npos)
      << error;
  EXPECT_NE(error.find("line 2"), std::string::npos) << error;
}

TEST(Spec, RejectsBadInputWithPathValueAndAlternatives) {
  struct Case {
    const char *json;
    const char *message;
  } cases[] = {
      {"", "spec.json: malformed JSON"},
      {"{\"op\": \"gelu\"", "spec.json: malformed JSON"},
      {"[1, 2]", "spec.json: expected a JSON object, got array"},
      {"42", "spec.json: expected a JSON object, got number"},
      {R"({"dtyp": "f32"})",
       "spec.json: at /dtyp: unknown field 'dtyp'; did you mean 'dtype'?"},
      {R"({"aproximate": "tanh"})",
       "at /aproximate: unknown field 'aproximate'; did you mean "
       "'approximate'?"},
      {R"({"limits": {}})",
       "at /limits: unknown field 'limits'; known fields are 'name', 'op', "
       "'approximate', 'dtype', 'expansion', 'degree', 'budget', 'target', "
       "'objective', 'max_ns_per_element', 'ranking', 'timing_inputs', "
       "'unroll', 'vector_bits', 'threads' or 'streaming_stores'"},
      {R"({"degre": 3})",
       "at /degre: unknown field 'degre'; did you mean 'degree'?"},
      {R"({"objectiv": "fastest"})",
       "at /objectiv: unknown field 'objectiv'; did you mean 'objective'?"},
      {R"({"expansion": "erfc", "degree": 4})",
       "at /degree: no expansion 'erfc' has degree 4; expected no degree (it "
       "is fixed)"},
      {R"({"expansion": "rational", "degree": 1})",
       "at /degree: no expansion 'rational' has degree 1; expected 2, 3, 4, "
       "5 or 6 for 'rational'"},
      {R"({"expansion": "rational", "degree": 13})",
       "at /degree: expected an integer from 1 to 12 (the degree of a fitted "
       "form), got 13"},
      {R"({"expansion": "rational", "degree": 9})",
       "at /degree: no expansion 'rational' has degree 9; expected 2, 3, 4, "
       "5 or 6 for 'rational'"},
      {R"({"expansion": "piecewise_tail", "degree": 9})",
       "at /degree: no expansion 'piecewise_tail' has degree 9; expected 5, "
       "6 or none (its own table, degree 7) for 'piecewise_tail'"},
      {R"({"dtype": "f64", "expansion": "piecewise_tail", "degree": 3})",
       "at /degree: no expansion 'piecewise_tail' has degree 3; expected 4, "
       "5, 6, 7, 8, 9, 10, 11, 12 or none (its own table, degree 13) for "
       "'piecewise_tail'"},
      {R"({"op": "relu", "degree": 3})",
       "at /degree: no expansion of relu has degree 3; expected no degree"},
      {R"({"degree": "high"})",
       "at /degree: expected an integer from 1 to 12 (the degree of a fitted "
       "form), got \"high\""},
      {R"({"objective": "cheapest"})",
       "at /objective: unknown objective 'cheapest'; expected 'fastest' or "
       "'most_accurate'"},
      {R"({"max_ns_per_element": 0.5})",
       "at /max_ns_per_element: a time budget needs \"objective\": "
       "\"most_accurate\""},
      {R"({"objective": "most_accurate", "max_ns_per_element": -1})",
       "at /max_ns_per_element: a time must be a positive finite number, "
       "got -1"},
      {R"({"objective": "most_accurate", "max_ns_per_element": 1,
           "ranking": "cost_model"})",
       "at /ranking: a time budget in nanoseconds needs measured speeds"},
      {R"({"timing_inputs": {"distribution": "normal", "sigma": 3}})",
       "at /timing_inputs: timing inputs steer the tuner, and this spec "
       "leaves it nothing to choose (give a 'budget' or \"objective\": "
       "\"most_accurate\")"},
      {R"({"budget": {"max_ulp": 4}, "ranking": "cost_model",
           "timing_inputs": {"distribution": "normal", "sigma": 3}})",
       "at /timing_inputs: timing inputs steer measured speeds; 'ranking' "
       "is 'cost_model'"},
      {R"({"budget": {"max_ulp": 4}, "timing_inputs": [-8, 8]})",
       "at /timing_inputs: expected {\"distribution\": \"normal\", "
       "\"sigma\": S} or {\"distribution\": \"uniform\", \"range\": "
       "[lo, hi]}, got array [-8,8]"},
      {R"({"budget": {"max_ulp": 4}, "timing_inputs": {"sigma": 3}})",
       "at /timing_inputs: no 'distribution'; expected"},
      {R"({"budget": {"max_ulp": 4},
           "timing_inputs": {"distribution": "gauss", "sigma": 3}})",
       "at /timing_inputs/distribution: unknown distribution 'gauss'; "
       "expected 'normal' or 'uniform'"},
      {R"({"budget": {"max_ulp": 4},
           "timing_inputs": {"distribution": "normal", "sigmma": 3}})",
       "at /timing_inputs/sigmma: unknown field 'sigmma'; did you mean "
       "'sigma'?"},
      {R"({"budget": {"max_ulp": 4},
           "timing_inputs": {"distribution": "normal"}})",
       "at /timing_inputs: a normal distribution needs 'sigma'"},
      {R"({"budget": {"max_ulp": 4},
           "timing_inputs": {"distribution": "normal", "sigma": 0}})",
       "at /timing_inputs/sigma: a standard deviation must be positive and "
       "at most 1e30, got 0"},
      {R"({"budget": {"max_ulp": 4},
           "timing_inputs": {"distribution": "normal", "sigma": 2,
                             "range": [0, 1]}})",
       "at /timing_inputs/range: a normal distribution has a 'sigma', not a "
       "'range'"},
      {R"({"budget": {"max_ulp": 4},
           "timing_inputs": {"distribution": "uniform", "sigma": 2}})",
       "at /timing_inputs/sigma: a uniform distribution has a 'range', not "
       "a 'sigma'"},
      {R"({"budget": {"max_ulp": 4},
           "timing_inputs": {"distribution": "uniform"}})",
       "at /timing_inputs: a uniform distribution needs 'range': [lo, hi]"},
      {R"({"budget": {"max_ulp": 4},
           "timing_inputs": {"distribution": "uniform", "range": [8, -8]}})",
       "at /timing_inputs/range: lo must be below hi, both within ±1e30, "
       "got [8,-8]"},
      {R"({"budget": {"max_ulp": 4},
           "timing_inputs": {"distribution": "uniform", "range": [0]}})",
       "at /timing_inputs/range: expected [lo, hi] with two numbers, got "
       "[0]"},
      {R"({"ranking": "guess"})",
       "at /ranking: unknown ranking 'guess'; expected 'measured' or "
       "'cost_model'"},
      {R"({"vector_bits": 384})",
       "at /vector_bits: expected 128, 256 or 512 (bits of a vector "
       "register), got 384"},
      {R"({"threads": -1})", "at /threads: expected an integer from 0 to 1024"},
      {R"({"target": "nvptx-sm_70"})",
       "at /target: unknown GPU target 'nvptx-sm_70'; expected one of "
       "'nvptx-sm_75', 'nvptx-sm_80', 'nvptx-sm_86'"},
      {R"({"target": "znver9"})",
       "at /target: unknown target 'znver9' (did you mean 'znver1'?); "
       "expected 'host', 'x86-64-v3', 'x86-64-v4', 'aarch64', 'nvptx-sm_80' "
       "(or another sm) or an x86-64 CPU LLVM knows"},
      {R"({"unroll": 0})",
       "at /unroll: expected an integer from 1 to 8 (vectors per loop "
       "iteration), got 0"},
      {R"({"unroll": 2.5})",
       "at /unroll: expected an integer from 1 to 8 (vectors per loop "
       "iteration), got 2.5"},
      {R"({"streaming_stores": "sometimes"})",
       "at /streaming_stores: unknown streaming_stores 'sometimes'; expected "
       "'auto', 'always' or 'never'"},
      {R"({"target": "x86-64-v5"})",
       "at /target: unknown target 'x86-64-v5' (did you mean 'x86-64-v3'?); "
       "expected 'host', 'x86-64-v3', 'x86-64-v4', 'aarch64', 'nvptx-sm_80' "
       "(or another sm) or an x86-64 CPU"},
      {R"({"budget": {}})",
       "at /budget: give at least one of 'max_ulp', 'max_abs' or 'max_rel'"},
      {R"({"budget": 3})", "at /budget: expected an object, got number 3"},
      {R"({"budget": {"max_ulps": 4}})",
       "at /budget/max_ulps: unknown field 'max_ulps'; did you mean "
       "'max_ulp'?"},
      {R"({"budget": {"max_ulp": -1}})",
       "at /budget/max_ulp: a bound must be a positive finite number, got -1"},
      {R"({"budget": {"max_abs": "small"}})",
       "at /budget/max_abs: expected a number, got string \"small\""},
      {R"({"budget": {"max_ulp": 4, "domain": [3, 1]}})",
       "at /budget/domain: lo must be below hi, got [3,1]"},
      {R"({"budget": {"max_ulp": 4, "domain": [0]}})",
       "at /budget/domain: expected [lo, hi] with two numbers, got [0]"},
      {R"({"expansion": "tanh"})",
       "at /expansion: unknown expansion 'tanh' for gelu; expected "
       "'piecewise_tail', 'erfc', 'erfc_fast', 'rational', 'erf', "
       "'rational_fast', 'approx_tanh', 'approx_sigmoid', 'piecewise'"},
      {R"({"op": "silu", "expansion": "erfc"})",
       "at /expansion: unknown expansion 'erfc' for silu; expected "
       "'piecewise_tail', 'sigmoid', 'sigmoid_fast', 'rational', "
       "'rational_fast', 'piecewise'"},
      {R"({"expansion": "magic"})",
       "at /expansion: unknown expansion 'magic' for gelu"},
      {R"({"expansion": 1})", "at /expansion: expected a string, got number"},
      {R"({"op": "gelux"})",
       "spec.json: at /op: unknown op 'gelux'; expected 'gelu', 'silu', "
       "'relu', 'gelu_backward', 'bias_gelu', 'bias_gelu_backward', 'geglu' "
       "or 'swiglu'"},
      {R"({"op": 3})", "at /op: expected a string, got number 3"},
      {R"({"dtype": "f8"})",
       "at /dtype: unknown dtype 'f8'; expected 'f16', 'bf16', 'f32' or "
       "'f64'"},
      {R"({"target": "riscv"})",
       "at /target: unknown target 'riscv'; expected 'host', 'x86-64-v3', "
       "'x86-64-v4', 'aarch64', 'nvptx-sm_80' (or another sm) or an x86-64 "
       "CPU LLVM knows"},
      {R"({"approximate": "erf"})",
       "at /approximate: unknown approximate 'erf'; expected 'none', 'tanh' "
       "or 'sigmoid'"},
      {R"({"op": "silu", "approximate": "tanh"})",
       "at /approximate: 'approximate' applies to the ops that apply a GELU "
       "(gelu, gelu_backward, bias_gelu, bias_gelu_backward, geglu), not "
       "'silu'"},
      {R"({"name": "2fast"})", "at /name: '2fast' is not a C identifier"},
      {R"({"name": "a-b"})", "at /name: 'a-b' is not a C identifier"},
      {R"({"name": null})", "at /name: expected a string, got null"},
  };
  for (const Case &c : cases) {
    std::string error = errorOf(c.json);
    EXPECT_NE(error.find(c.message), std::string::npos)
        << "spec: " << c.json << "\n got: " << error
        << "\n want: " << c.message;
  }
}

TEST(Spec, HugeValuesAreQuotedByABoundedPrefix) {
  // A 4 MB value in each place a message quotes one: the message repeats
  // 80 bytes of it and its length (it repeated all of it before).
  const std::string big(4 * 1000 * 1000, 'a');
  const std::string shown = std::string(80, 'a') + "... (4000000 bytes)";
  std::string domain = "[";
  for (int i = 0; i < 1000 * 1000; ++i)
    domain += i ? ",1" : "1";
  domain += "]";
  const struct {
    std::string json, where;
  } cases[] = {
      {R"({"op": ")" + big + R"("})", "unknown op '" + shown + "'"},
      {R"({")" + big + R"(": 1})", "unknown field '" + shown + "'"},
      {R"({"name": ")" + big + R"("})", "at /name: '" + shown + "'"},
      {R"({"target": ")" + big + R"("})", "unknown target '" + shown + "'"},
      {R"({"target": "nvptx)" + big + R"("})", "unknown GPU target"},
      {R"({"expansion": ")" + big + R"("})",
       "unknown expansion '" + shown + "'"},
      {R"({"op": ")" + big,
       "last read: '\"" + std::string(79, 'a') + "... (4000001 bytes)'"},
      {R"({"budget": {"max_abs": 1e-3, "domain": )" + domain + "}}",
       "got [1,1,1"},
      {R"({"threads": [)" + domain.substr(1) + "}", "got [1,1,1"},
  };
  for (const auto &c : cases) {
    std::string message = errorOf(c.json);
    EXPECT_NE(message.find(c.where), std::string::npos)
        << message.substr(0, 400);
    EXPECT_LT(message.size(), 1000u) << message.substr(0, 400);
  }
}

TEST(Spec, ReadSpecFileReportsMissingFiles) {
  auto spec = readSpecFile("/nonexistent/dir/spec.json");
  ASSERT_FALSE(static_cast<bool>(spec));
  EXPECT_NE(llvm::toString(spec.takeError())
                .find("cannot read spec '/nonexistent/dir/spec.json'"),
            std::string::npos);
}

TEST(Spec, ADegreeAloneTakesTheMostAccurateFormThatHasIt) {
  auto spec = parseSpec(R"({"degree": 4})");
  ASSERT_TRUE(static_cast<bool>(spec)) << toString(spec.takeError());
  EXPECT_EQ(spec->expansion, act::Expansion::rational);
  EXPECT_EQ(spec->degree, 4u);
  // With a budget, the tuner chooses among the forms with that degree.
  auto tuned = parseSpec(R"({"degree": 4, "budget": {"max_abs": 1e-3}})");
  ASSERT_TRUE(static_cast<bool>(tuned)) << toString(tuned.takeError());
  EXPECT_FALSE(tuned->expansion.has_value());
}

TEST(Spec, EveryUnknownFieldIsReportedAtOnce) {
  auto spec = parseSpec(R"({"opp": "gelu", "dtyp": "bf16"})", "s.json");
  ASSERT_FALSE(static_cast<bool>(spec));
  EXPECT_EQ(toString(spec.takeError()),
            "s.json: at /dtyp: unknown field 'dtyp'; did you mean 'dtype'?\n"
            "s.json: at /opp: unknown field 'opp'; did you mean 'op'?");
}

} // namespace
