//===- gelu-raise-bench.cpp - A raised GELU against upstream's lowering ---===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// One kernel, as torch-mlir spells exact GELU (x·0.5·(1 + erf(x·1/√2)) on
// vector<16xf32> in a loop), compiled two ways in one process:
//   raised:   act-raise-activations, then gelu-jit's lowering (the default
//             expansion, or the one a budget chooses);
//   upstream: MLIR's polynomial approximation of math.erf (and of what it
//             calls), then the same lowering to LLVM;
// both for this CPU, JIT-compiled, measured against the long-double
// reference by region (x ≥ 0, [−3, 0), x < −3: every 256th f32 encoding
// and a 2^20-point grid of [−20, 20]) and timed side by side (4096 floats,
// normal σ = 2, one thread, interleaved rounds, the fastest kept). Prints a
// markdown table; --quick samples 64 times fewer inputs (the ctest smoke
// run).
//
//===----------------------------------------------------------------------===//

#include "gelu/Codegen/LLVMEmission.h"
#include "gelu/Codegen/Pipelines.h"
#include "gelu/Codegen/Target.h"
#include "gelu/Dialect/Act/IR/ActOps.h"
#include "gelu/Driver/Driver.h"
#include "gelu/Numerics/ErrorMaxima.h"
#include "gelu/Numerics/Reference.h"
#include "gelu/Transforms/Passes.h"

#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstring>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace {

/// torch-mlir's exact GELU on 16 lanes, in a loop over n (a multiple of 16).
constexpr const char *kSource = R"mlir(
func.func @gelu(%in: !llvm.ptr, %out: !llvm.ptr, %n: index) {
  %c0 = arith.constant 0 : index
  %c16 = arith.constant 16 : index
  %half = arith.constant dense<0.5> : vector<16xf32>
  %one = arith.constant dense<1.0> : vector<16xf32>
  %r = arith.constant dense<0.70710678> : vector<16xf32>
  scf.for %i = %c0 to %n step %c16 {
    %k = arith.index_cast %i : index to i64
    %pi = llvm.getelementptr %in[%k] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    %x = llvm.load %pi {alignment = 4 : i64} : !llvm.ptr -> vector<16xf32>
    %h = arith.mulf %x, %half : vector<16xf32>
    %s = arith.mulf %x, %r : vector<16xf32>
    %e = math.erf %s : vector<16xf32>
    %p = arith.addf %e, %one : vector<16xf32>
    %y = arith.mulf %h, %p : vector<16xf32>
    %po = llvm.getelementptr %out[%k] : (!llvm.ptr, i64) -> !llvm.ptr, f32
    llvm.store %y, %po {alignment = 4 : i64} : vector<16xf32>, !llvm.ptr
  }
  return
}
)mlir";

using Entry = void (*)(const float *, float *, int64_t);

struct Compiled {
  std::string name;
  std::unique_ptr<mlir::ExecutionEngine> engine;
  Entry entry = nullptr;
};

void fail(const llvm::Twine &message) {
  llvm::errs() << "gelu-raise-bench: " << message << "\n";
  std::exit(1);
}

/// Parses the kernel, transforms it (`prepare`, which returns what to add
/// to the name), lowers and JIT-compiles it.
template <typename Prepare>
Compiled compile(mlir::MLIRContext &context, const gelu::TargetInfo &target,
                 std::string name, Prepare prepare) {
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceString<mlir::ModuleOp>(kSource, &context);
  if (!module)
    fail("the kernel does not parse");
  name += prepare(*module);
  if (llvm::Error err = gelu::lowerActToLLVM(*module, &target))
    fail(name + ": " + llvm::toString(std::move(err)));
  auto machine = gelu::createTargetMachine(target);
  if (!machine)
    fail(llvm::toString(machine.takeError()));
  llvm::TargetMachine *tm = machine->get();
  // options.transformer is a function_ref: the lambda must outlive it.
  auto optimize = [tm](llvm::Module *m) {
    return gelu::optimizeModule(*m, *tm);
  };
  mlir::ExecutionEngineOptions options;
  options.transformer = optimize;
  options.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
  auto engine =
      mlir::ExecutionEngine::create(*module, options, std::move(*machine));
  if (!engine)
    fail(name + ": " + llvm::toString(engine.takeError()));
  auto address = (*engine)->lookup("gelu");
  if (!address)
    fail(name + ": " + llvm::toString(address.takeError()));
  Compiled compiled;
  compiled.name = std::move(name);
  compiled.entry = reinterpret_cast<Entry>(*address);
  compiled.engine = std::move(*engine);
  return compiled;
}

/// The errors by region (ErrorMaxima.h's regions) over `xs`.
std::array<gelu::ErrorMaxima, gelu::kReportRegions>
measure(const Compiled &kernel, const std::vector<float> &xs) {
  std::vector<float> ys(xs.size());
  kernel.entry(xs.data(), ys.data(), static_cast<int64_t>(xs.size()));
  std::array<gelu::ErrorMaxima, gelu::kReportRegions> regions;
  for (size_t i = 0; i < xs.size(); ++i)
    gelu::addToRegions(
        regions.data(), xs[i], ys[i],
        gelu::evaluateReference(gelu::ReferenceFunction::GeluExact, xs[i]),
        gelu::FloatFormat::f32());
  return regions;
}

/// Seconds an element, the fastest of `rounds` rounds of ~0.2 ms, the
/// kernels interleaved round by round.
std::vector<double> time(const std::vector<const Compiled *> &kernels,
                         int rounds) {
  std::vector<float> in(4096), out(4096);
  std::mt19937 random(42);
  std::normal_distribution<float> normal(0.0f, 2.0f);
  for (float &x : in)
    x = normal(random);
  std::vector<double> best(kernels.size(), 1e30);
  for (int round = 0; round < rounds; ++round)
    for (size_t k = 0; k < kernels.size(); ++k) {
      const int reps = 50;
      auto start = std::chrono::steady_clock::now();
      for (int r = 0; r < reps; ++r)
        kernels[k]->entry(in.data(), out.data(), 4096);
      double seconds = std::chrono::duration<double>(
                           std::chrono::steady_clock::now() - start)
                           .count();
      best[k] = std::min(best[k], seconds / reps / 4096);
    }
  return best;
}

} // namespace

int main(int argc, char **argv) {
  bool quick = false;
  std::string output;
  for (int i = 1; i < argc; ++i) {
    llvm::StringRef arg(argv[i]);
    if (arg == "--quick")
      quick = true;
    else if (arg.consume_front("--markdown="))
      output = arg.str();
    else
      fail("unknown argument '" + arg + "' (--quick, --markdown=FILE)");
  }
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  auto target = gelu::resolveTarget("host");
  if (!target)
    fail(llvm::toString(target.takeError()));
  std::unique_ptr<mlir::MLIRContext> context = gelu::createKernelContext();

  auto raiseWith = [&](std::string budget) {
    return [budget](mlir::ModuleOp module) -> std::string {
      mlir::PassManager pm(module->getContext());
      // The contents of the module's pass manager.
      std::string pipeline = "act-raise-activations";
      if (!budget.empty())
        pipeline += ",act-select-expansion{" + budget + "}";
      if (mlir::failed(mlir::parsePassPipeline(pipeline, pm)) ||
          mlir::failed(pm.run(module)))
        fail("the raise pipeline failed: " + pipeline);
      bool raised = false;
      std::string chosen;
      module.walk([&](mlir::Operation *op) {
        if (op->getName().getStringRef() != "act.gelu")
          return;
        raised = true;
        llvm::raw_string_ostream os(chosen);
        auto expansion =
            op->getAttrOfType<gelu::act::ExpansionAttr>("expansion");
        if (expansion)
          os << " (" << gelu::act::stringifyExpansion(expansion.getValue());
        if (auto degree = op->getAttrOfType<mlir::IntegerAttr>("degree"))
          os << " degree " << degree.getInt();
        if (expansion)
          os << ")";
      });
      if (!raised)
        fail("the GELU was not raised");
      return chosen;
    };
  };
  gelu::registerTransformsPasses();
  gelu::setExpansionDecider(gelu::tunerExpansionDecider());
  std::vector<Compiled> kernels;
  kernels.push_back(compile(*context, *target,
                            "raised: act.gelu, the default expansion "
                            "(piecewise_tail)",
                            raiseWith("")));
  kernels.push_back(compile(*context, *target,
                            "raised, act-select-expansion max-abs=1e-4",
                            raiseWith("max-abs=1e-4 ranking=cost_model")));
  kernels.push_back(compile(
      *context, *target, "upstream: math polynomial approximation of erf",
      [](mlir::ModuleOp module) -> std::string {
        mlir::RewritePatternSet patterns(module->getContext());
        mlir::populateMathPolynomialApproximationPatterns(patterns);
        if (mlir::failed(
                mlir::applyPatternsGreedily(module, std::move(patterns))))
          fail("the polynomial approximation failed");
        return "";
      }));

  // Inputs: every 256th f32 encoding (16 384 with --quick) and a grid.
  std::vector<float> xs;
  const uint64_t step = quick ? 1u << 14 : 1u << 8;
  for (uint64_t bits = 0; bits < (uint64_t(1) << 32); bits += step) {
    uint32_t b = static_cast<uint32_t>(bits);
    float x;
    std::memcpy(&x, &b, 4);
    if (std::isfinite(x))
      xs.push_back(x);
  }
  const int grid = quick ? 1 << 14 : 1 << 20;
  for (int i = 0; i < grid; ++i)
    xs.push_back(-20.0f + 40.0f * static_cast<float>(i) / grid);
  while (xs.size() % 16)
    xs.push_back(0.0f);

  std::vector<const Compiled *> all;
  for (const Compiled &k : kernels)
    all.push_back(&k);
  std::vector<double> seconds = time(all, quick ? 3 : 41);

  std::string table;
  llvm::raw_string_ostream os(table);
  os << "| kernel | max ULP " << gelu::regionNameList(" | ", 3)
     << " | max abs | ns/element | × upstream |\n"
        "|---|---|---|---|---|---|---|\n";
  for (size_t k = 0; k < kernels.size(); ++k) {
    auto e = measure(kernels[k], xs);
    os << "| " << kernels[k].name << " | "
       << llvm::formatv("{0:g} | {1:g} | {2:g} | {3:e} | {4:f3} | {5:f2}",
                        e[0].maxUlp, e[1].maxUlp, e[2].maxUlp,
                        e[gelu::kOverallRegion].maxAbs, seconds[k] * 1e9,
                        seconds[k] / seconds.back())
       << " |\n";
  }
  llvm::outs() << table;
  if (!output.empty()) {
    std::ofstream file(output);
    file << table;
    if (!file)
      fail("cannot write '" + output + "'");
  }
  return 0;
}
