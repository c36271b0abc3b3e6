//===- LookupTest.cpp - act.lookup on each instruction set ---------------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// act.lookup lowered by act-lower-to-llvm for each instruction set this CPU
// runs (the select tree of a module without a target, AVX2's vpermps,
// and the host's best: AVX-512 here if it has it), JIT-compiled, and
// called with indices in the table, past it, negative and at the ends of
// i32 (for i64 indices, with high halves set), on scalars and on vectors
// that fill registers (2, 4, 8, 16, 32 lanes) or do not (5, 12), of f32
// and of f64 entries: every lane must be table[index mod N], bit for bit.
// Which instructions each lowering uses is checked in lit
// (Pipelines/act-lower-lookups.mlir).
//
//===----------------------------------------------------------------------===//

#include "gelu/Codegen/Lookups.h"
#include "gelu/Codegen/Pipelines.h"
#include "gelu/Codegen/Target.h"
#include "gelu/Dialect/Act/IR/ActOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"

#include "llvm/Support/TargetSelect.h"

#include <gtest/gtest.h>

#include <climits>
#include <cstring>
#include <string>
#include <vector>

using namespace gelu;

namespace {

constexpr unsigned kLanes[] = {0, 2, 4, 5, 8, 12, 16, 32}; // 0: a scalar
constexpr unsigned kSizes[] = {2, 4, 8, 16, 32, 64};

std::string functionName(bool f64, unsigned lanes, unsigned size) {
  return std::string(f64 ? "lookup_f64_" : "lookup_f32_") +
         std::to_string(lanes) + "_" + std::to_string(size);
}

/// Distinct entries, none of them an index or zero; the f64 ones need all
/// of a double's bits.
std::vector<double> tableOf(bool f64, unsigned size) {
  std::vector<double> table;
  for (unsigned k = 0; k < size; ++k) {
    double entry = 0.25 + 1.5 * k - (k % 3 == 0 ? 100.0 : 0.0);
    table.push_back(f64 ? entry + 0.1 / (k + 3) : entry);
  }
  return table;
}

/// One function an entry type, lane count and table size: (index) ->
/// entries.
mlir::OwningOpRef<mlir::ModuleOp> lookupModule(mlir::MLIRContext &context) {
  mlir::OpBuilder b(&context);
  mlir::Location loc = b.getUnknownLoc();
  mlir::OwningOpRef<mlir::ModuleOp> module = mlir::ModuleOp::create(loc);
  b.setInsertionPointToEnd(module->getBody());
  for (bool f64 : {false, true})
    for (unsigned lanes : kLanes)
      for (unsigned size : kSizes) {
        mlir::Type index = f64 ? b.getI64Type() : b.getI32Type();
        mlir::Type entry = f64 ? b.getF64Type() : b.getF32Type();
        if (lanes) {
          index = mlir::VectorType::get({lanes}, index);
          entry = mlir::VectorType::get({lanes}, entry);
        }
        auto function =
            mlir::func::FuncOp::create(b, loc, functionName(f64, lanes, size),
                                       b.getFunctionType(index, entry));
        mlir::OpBuilder body(function.addEntryBlock(), {});
        body.setInsertionPointToStart(&function.getBody().front());
        mlir::Value looked = act::LookupOp::create(
            body, loc, entry, function.getArgument(0),
            body.getDenseF64ArrayAttr(tableOf(f64, size)));
        mlir::func::ReturnOp::create(body, loc, looked);
      }
  return module;
}

/// Lane `lane`'s index in round `round`: in the table, past it, negative,
/// and near INT32_MIN and INT32_MAX.
int32_t indexFor(unsigned lane, unsigned round) {
  switch (round % 5) {
  case 0:
    return static_cast<int32_t>(lane);
  case 1:
    return static_cast<int32_t>(lane * 7 + 61);
  case 2:
    return -1 - static_cast<int32_t>(lane * 3);
  case 3:
    return INT32_MIN + static_cast<int32_t>(lane * 5);
  default:
    return INT32_MAX - static_cast<int32_t>(lane * 11);
  }
}

void checkLookups(const char *targetName) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  std::optional<TargetInfo> target;
  if (*targetName) {
    auto resolved = resolveTarget(targetName);
    ASSERT_TRUE(static_cast<bool>(resolved))
        << llvm::toString(resolved.takeError());
    if (!resolved->missingHostFeature.empty())
      GTEST_SKIP() << targetName << " needs " << resolved->missingHostFeature
                   << ", which this CPU lacks: its lookups cannot run here "
                      "(lit checks the instructions they use)";
    target = *resolved;
  }
  std::unique_ptr<mlir::MLIRContext> context = createKernelContext();
  mlir::OwningOpRef<mlir::ModuleOp> module = lookupModule(*context);
  if (llvm::Error err = lowerActToLLVM(*module, target ? &*target : nullptr))
    FAIL() << llvm::toString(std::move(err));
  // Compiled for the target, as the JIT compiles kernels: the call
  // wrappers the engine adds must pass vectors as the functions take them.
  std::unique_ptr<llvm::TargetMachine> machine;
  if (target) {
    auto created = createTargetMachine(*target);
    ASSERT_TRUE(static_cast<bool>(created))
        << llvm::toString(created.takeError());
    machine = std::move(*created);
  }
  auto engine = mlir::ExecutionEngine::create(*module, {}, std::move(machine));
  ASSERT_TRUE(static_cast<bool>(engine)) << llvm::toString(engine.takeError());
  for (bool f64 : {false, true})
    for (unsigned lanes : kLanes)
      for (unsigned size : kSizes) {
        std::vector<double> table = tableOf(f64, size);
        const std::string name = functionName(f64, lanes, size);
        const unsigned count = lanes ? lanes : 1;
        for (unsigned round = 0; round < 5; ++round) {
          alignas(64) int64_t index64[64];
          alignas(64) int32_t index32[64];
          alignas(64) double out64[64];
          alignas(64) float out32[64];
          for (unsigned lane = 0; lane < count; ++lane) {
            index32[lane] = indexFor(lane, round);
            // The i64 index's high half set too: only the low bits count.
            index64[lane] =
                static_cast<int64_t>((uint64_t(lane * 0x9E3779B9u) << 32) |
                                     static_cast<uint32_t>(index32[lane]));
          }
          void *arguments[] = {f64 ? static_cast<void *>(index64) : index32,
                               f64 ? static_cast<void *>(out64) : out32};
          llvm::Error err = (*engine)->invokePacked(name, arguments);
          ASSERT_FALSE(static_cast<bool>(err))
              << llvm::toString(std::move(err));
          for (unsigned lane = 0; lane < count; ++lane) {
            double want =
                table[static_cast<uint32_t>(index32[lane]) & (size - 1)];
            double got = f64 ? out64[lane] : out32[lane];
            ASSERT_EQ(0, std::memcmp(&got, &want, 8))
                << (*targetName ? targetName : "no target") << ", " << name
                << ", index " << (f64 ? index64[lane] : index32[lane])
                << ": got " << got << ", want " << want;
          }
        }
      }
}

TEST(Lookup, SelectsWithoutATarget) { checkLookups(""); }
TEST(Lookup, Avx2Permutes) { checkLookups("x86-64-v3"); }
TEST(Lookup, TheHostsBest) { checkLookups("host"); }

TEST(Lookup, InstructionsFollowTheTarget) {
  auto v3 = resolveTarget("x86-64-v3"), v4 = resolveTarget("x86-64-v4"),
       arm = resolveTarget("aarch64");
  ASSERT_TRUE(v3 && v4 && arm);
  EXPECT_EQ(lookupInstructionsFor(*v3), LookupInstructions::Avx2);
  EXPECT_EQ(lookupInstructionsFor(*v4), LookupInstructions::Avx512);
  EXPECT_EQ(lookupInstructionsFor(*arm), LookupInstructions::Neon);
  TargetInfo none;
  none.triple = "riscv64-unknown-linux-gnu";
  EXPECT_EQ(lookupInstructionsFor(none), LookupInstructions::Selects);
}

} // namespace
