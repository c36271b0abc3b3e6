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
// i32, on scalars and on vectors that fill registers (4, 8, 16, 32 lanes)
// or do not (5, 12): every lane must be table[index mod N], bit for bit.
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

constexpr unsigned kLanes[] = {0, 4, 5, 8, 12, 16, 32}; // 0: a scalar
constexpr unsigned kSizes[] = {2, 4, 8, 16, 32, 64};

std::string functionName(unsigned lanes, unsigned size) {
  return "lookup_" + std::to_string(lanes) + "_" + std::to_string(size);
}

/// Distinct entries, none of them an index or zero.
std::vector<float> tableOf(unsigned size) {
  std::vector<float> table;
  for (unsigned k = 0; k < size; ++k)
    table.push_back(0.25f + 1.5f * static_cast<float>(k) -
                    (k % 3 == 0 ? 100.0f : 0.0f));
  return table;
}

/// One function a lane count and table size: (index) -> entries.
mlir::OwningOpRef<mlir::ModuleOp> lookupModule(mlir::MLIRContext &context) {
  mlir::OpBuilder b(&context);
  mlir::Location loc = b.getUnknownLoc();
  mlir::OwningOpRef<mlir::ModuleOp> module = mlir::ModuleOp::create(loc);
  b.setInsertionPointToEnd(module->getBody());
  for (unsigned lanes : kLanes)
    for (unsigned size : kSizes) {
      mlir::Type index = b.getI32Type(), entry = b.getF32Type();
      if (lanes) {
        index = mlir::VectorType::get({lanes}, index);
        entry = mlir::VectorType::get({lanes}, entry);
      }
      auto function = mlir::func::FuncOp::create(
          b, loc, functionName(lanes, size), b.getFunctionType(index, entry));
      mlir::OpBuilder body(function.addEntryBlock(), {});
      body.setInsertionPointToStart(&function.getBody().front());
      std::vector<float> table = tableOf(size);
      mlir::Value looked =
          act::LookupOp::create(body, loc, entry, function.getArgument(0),
                                body.getDenseF32ArrayAttr(table));
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
  for (unsigned lanes : kLanes)
    for (unsigned size : kSizes) {
      std::vector<float> table = tableOf(size);
      const unsigned count = lanes ? lanes : 1;
      for (unsigned round = 0; round < 5; ++round) {
        alignas(64) int32_t index[64];
        alignas(64) float out[64];
        for (unsigned lane = 0; lane < count; ++lane)
          index[lane] = indexFor(lane, round);
        void *arguments[] = {index, out};
        llvm::Error err =
            (*engine)->invokePacked(functionName(lanes, size), arguments);
        ASSERT_FALSE(static_cast<bool>(err)) << llvm::toString(std::move(err));
        for (unsigned lane = 0; lane < count; ++lane) {
          float want = table[static_cast<uint32_t>(index[lane]) & (size - 1)];
          ASSERT_EQ(0, std::memcmp(&out[lane], &want, 4))
              << (*targetName ? targetName : "no target") << ", "
              << functionName(lanes, size) << ", index " << index[lane]
              << ": got " << out[lane] << ", want " << want;
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
