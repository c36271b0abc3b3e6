//===- SelectExpansionTest.cpp - act-select-expansion asks its decider ---===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// The pass links no JIT: it asks the decider it is given. Without one a
// budget is a clear error; with one, its choice lands on the op.
//
//===----------------------------------------------------------------------===//

#include "gelu/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"

#include "llvm/ADT/STLFunctionalExtras.h"

#include "gtest/gtest.h"

#include <optional>

using namespace gelu;

namespace {

constexpr const char *kModule = R"mlir(
func.func @f(%x: f32) -> f32 {
  %y = act.gelu %x : f32
  return %y : f32
}
)mlir";

/// Runs act-select-expansion with a budget (and what `configure` adds to
/// its options) on kModule; the module after it, or the diagnostics when it
/// fails.
std::string selectWithBudget(
    llvm::function_ref<void(ActSelectExpansionOptions &)> configure = {}) {
  mlir::MLIRContext context;
  context.loadDialect<act::ActDialect, mlir::func::FuncDialect>();
  std::string diagnostics;
  mlir::ScopedDiagnosticHandler handler(&context, [&](mlir::Diagnostic &d) {
    diagnostics += d.str() + "\n";
    return mlir::success();
  });
  auto module = mlir::parseSourceString<mlir::ModuleOp>(kModule, &context);
  if (!module)
    return "(no module)";
  mlir::PassManager pm(&context);
  ActSelectExpansionOptions options;
  options.maxAbs = 1e-3;
  if (configure)
    configure(options);
  pm.addPass(createActSelectExpansion(options));
  if (mlir::failed(pm.run(*module)))
    return diagnostics;
  std::string text;
  llvm::raw_string_ostream os(text);
  module->print(os);
  return text;
}

TEST(SelectExpansion, WithoutADeciderABudgetIsAClearError) {
  setExpansionDecider(nullptr);
  std::string result = selectWithBudget();
  EXPECT_NE(result.find("no decider is set"), std::string::npos) << result;
}

TEST(SelectExpansion, TheDecidersChoiceLandsOnTheOp) {
  KernelSpec asked;
  setExpansionDecider(
      [&](const KernelSpec &spec) -> llvm::Expected<ExpansionChoice> {
        asked = spec;
        return ExpansionChoice{act::Expansion::rational, 3};
      });
  std::string result = selectWithBudget();
  setExpansionDecider(nullptr);
  EXPECT_NE(result.find("expansion<rational>"), std::string::npos) << result;
  EXPECT_NE(result.find("degree(3)"), std::string::npos) << result;
  // The decider saw the op's spec with the pass's budget.
  EXPECT_EQ(asked.op, KernelOp::Gelu);
  ASSERT_TRUE(asked.budget.has_value());
  EXPECT_EQ(asked.budget->maxAbs, 1e-3);
}

/// timing-sigma and timing-range reach the decider as the spec's
/// timing_inputs (the tuner times its candidates on them); without them the
/// spec has none (the tuner's own inputs).
TEST(SelectExpansion, TimingOptionsAreTheSpecsTimingInputs) {
  std::optional<TimingInputs> asked;
  setExpansionDecider(
      [&](const KernelSpec &spec) -> llvm::Expected<ExpansionChoice> {
        asked = spec.timingInputs;
        return ExpansionChoice{act::Expansion::piecewise, 2};
      });
  std::string result =
      selectWithBudget([](ActSelectExpansionOptions &o) { o.timingSigma = 3; });
  ASSERT_TRUE(asked.has_value()) << result;
  EXPECT_EQ(asked->distribution, TimingInputs::Distribution::Normal);
  EXPECT_EQ(asked->sigma, 3.0);

  asked.reset();
  result = selectWithBudget([](ActSelectExpansionOptions &o) {
    o.timingRange = {-8.0, 8.0};
  });
  ASSERT_TRUE(asked.has_value()) << result;
  EXPECT_EQ(asked->distribution, TimingInputs::Distribution::Uniform);
  EXPECT_EQ(asked->lo, -8.0);
  EXPECT_EQ(asked->hi, 8.0);

  asked = TimingInputs{};
  result = selectWithBudget();
  EXPECT_FALSE(asked.has_value()) << result;

  result = selectWithBudget([](ActSelectExpansionOptions &o) {
    o.timingSigma = 3;
    o.timingRange = {-8.0, 8.0};
  });
  setExpansionDecider(nullptr);
  EXPECT_NE(result.find("give timing-sigma (normal inputs) or timing-range "
                        "(uniform inputs), not both"),
            std::string::npos)
      << result;
}

TEST(SelectExpansion, ADecidersErrorIsTheOpsError) {
  setExpansionDecider(
      [](const KernelSpec &) -> llvm::Expected<ExpansionChoice> {
        return llvm::createStringError("nothing meets it");
      });
  std::string result = selectWithBudget();
  setExpansionDecider(nullptr);
  EXPECT_NE(result.find("act-select-expansion: nothing meets it"),
            std::string::npos)
      << result;
}

} // namespace
