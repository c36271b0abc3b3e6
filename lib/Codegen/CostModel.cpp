//===- CostModel.cpp - Operations an expansion costs ---------------------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Codegen/CostModel.h"

#include "gelu/Codegen/Pipelines.h"
#include "gelu/Conversion/ActToArith/ActToArith.h"
#include "gelu/Dialect/Act/IR/ActOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <tuple>

namespace gelu {

/// Issue slots of one operation, in units of an FMA. A divide is a few
/// micro-ops (vdivps zmm: 3 on Intel's server cores, 1 on Zen 4/5) whose
/// latency the other vectors in flight hide: measured with bench/ on
/// AVX-512, the rational form with its divide runs at 0.30 ns/element and
/// with a reciprocal estimate (rcp14 and a Newton step: 3) at 0.37.
static unsigned operationCost(mlir::Operation *op) {
  auto div = mlir::dyn_cast<mlir::arith::DivFOp>(op);
  if (!div)
    return 1;
  return mlir::arith::bitEnumContainsAll(div.getFastmath(),
                                         mlir::arith::FastMathFlags::arcp)
             ? 3
             : 4;
}

/// A GPU's special-function unit (act.hw_tanh, act.hw_exp2, act.hw_rcp:
/// tanh.approx, ex2.approx, rcp.approx) computes 4 lanes a clock in each SM
/// sub-partition from sm_75 on, so a warp's instruction holds it 8 clocks,
/// where the scheduler issues one instruction a clock. It works beside the
/// other pipes: a form costs the larger of its operation count and 8 for
/// each such op.
constexpr unsigned kSpecialFunctionUnitCost = 8;

unsigned expansionCost(ReferenceFunction function, act::Expansion expansion,
                       unsigned degree, bool f64) {
  static std::mutex mutex;
  static std::map<std::tuple<int, int, unsigned, bool>, unsigned> cache;
  std::lock_guard<std::mutex> lock(mutex);
  auto key = std::make_tuple(static_cast<int>(function),
                             static_cast<int>(expansion), degree, f64);
  if (auto it = cache.find(key); it != cache.end())
    return it->second;

  std::unique_ptr<mlir::MLIRContext> context = createKernelContext();
  mlir::OpBuilder b(context.get());
  mlir::Location loc = b.getUnknownLoc();
  auto module = mlir::ModuleOp::create(loc);
  b.setInsertionPointToEnd(module.getBody());
  auto type = f64 ? mlir::VectorType::get({8}, b.getF64Type())
                  : mlir::VectorType::get({16}, b.getF32Type());
  auto fn = mlir::func::FuncOp::create(b, loc, "cost",
                                       b.getFunctionType({type}, {type}));
  mlir::Block *entry = fn.addEntryBlock();
  b.setInsertionPointToStart(entry);
  mlir::Value y = emitActivation(b, loc, function, expansion,
                                 entry->getArgument(0), degree);
  mlir::func::ReturnOp::create(b, loc, y);
  mlir::PassManager pm(context.get());
  pm.addPass(mlir::createCanonicalizerPass());
  pm.addPass(mlir::createCSEPass());
  (void)pm.run(module);

  // A per-vector branch (piecewise_tail's tail, an scf.if) runs for the
  // vectors that need it: which fraction depends on the data (about 5 % of
  // 16-lane vectors of normal inputs with σ = 2, nearly all of uniform
  // inputs on [−8, 8]). The model counts its operations at a quarter.
  unsigned cost = 0, branchCost = 0, specialFunctions = 0;
  fn.walk([&](mlir::Operation *op) {
    if (mlir::isa<mlir::arith::ConstantOp, mlir::func::ReturnOp,
                  mlir::func::FuncOp, mlir::scf::YieldOp>(op))
      return;
    if (mlir::isa<act::HwTanhOp, act::HwExp2Op, act::HwRcpOp>(op))
      ++specialFunctions;
    (op->getParentOfType<mlir::scf::IfOp>() ? branchCost : cost) +=
        operationCost(op);
  });
  cost += (branchCost + 3) / 4;
  cost = std::max(cost, kSpecialFunctionUnitCost * specialFunctions);
  module->erase();
  cache[key] = cost;
  return cost;
}

} // namespace gelu
