//===- LowerHardwareApproximations.cpp - act.hw_* as NVPTX instructions ---===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Codegen/Passes.h"
#include "gelu/Dialect/Act/IR/ActOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;

namespace gelu {

#define GEN_PASS_DEF_LOWERHARDWAREAPPROXIMATIONS
#include "gelu/Codegen/Passes.h.inc"

namespace {

/// The PTX instruction of each op, for messages.
StringRef instructionOf(Operation *op) {
  if (isa<act::HwTanhOp>(op))
    return "tanh.approx.f32";
  if (isa<act::HwExp2Op>(op))
    return "ex2.approx.ftz.f32";
  return "rcp.approx.ftz.f32";
}

/// The op's NVPTX lowering of `input`, an f32 scalar (the op's operand or
/// a lane of it).
Value lowerForNvptx(OpBuilder &b, Operation *op, Value input) {
  Location loc = op->getLoc();
  if (isa<act::HwTanhOp>(op))
    // NVPTX selects tanh.approx.f32 for llvm.tanh with afn (and nothing
    // for llvm.tanh without it).
    return LLVM::TanhOp::create(
        b, loc, input.getType(), input,
        LLVM::FastmathFlagsAttr::get(b.getContext(), LLVM::FastmathFlags::afn));
  if (isa<act::HwExp2Op>(op))
    return LLVM::CallIntrinsicOp::create(
               b, loc, input.getType(),
               b.getStringAttr("llvm.nvvm.ex2.approx.ftz.f32"),
               ValueRange{input})
        .getResult(0);
  return NVVM::RcpApproxFtzF32Op::create(b, loc, input.getType(), input);
}

struct LowerHardwareApproximations
    : impl::LowerHardwareApproximationsBase<LowerHardwareApproximations> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<Operation *> ops;
    getOperation()->walk([&](Operation *op) {
      if (isa<act::HwTanhOp, act::HwExp2Op, act::HwRcpOp>(op))
        ops.push_back(op);
    });
    bool failed = false;
    for (Operation *op : ops) {
      if (!nvptx) {
        op->emitOpError("is an NVIDIA GPU's approximation (")
            << instructionOf(op)
            << "): it lowers for nvptx targets alone, and this pipeline "
               "compiles for a CPU";
        failed = true;
        continue;
      }
      // The instructions are scalar: a vector (a thread's 16-byte load) is
      // done lane by lane.
      Value input = op->getOperand(0);
      auto vector = dyn_cast<VectorType>(input.getType());
      if (vector && vector.getRank() != 1) {
        op->emitOpError("lowers for NVPTX on f32 scalars and 1-D vectors, "
                        "not ")
            << vector;
        failed = true;
        continue;
      }
      OpBuilder b(op);
      Location loc = op->getLoc();
      Value result;
      if (!vector) {
        result = lowerForNvptx(b, op, input);
      } else {
        result =
            arith::ConstantOp::create(b, loc, vector, b.getZeroAttr(vector));
        for (int64_t i = 0; i < vector.getNumElements(); ++i) {
          Value lane = vector::ExtractOp::create(b, loc, input, i);
          result = vector::InsertOp::create(b, loc, lowerForNvptx(b, op, lane),
                                            result, i);
        }
      }
      op->getResult(0).replaceAllUsesWith(result);
      op->erase();
    }
    if (failed)
      signalPassFailure();
  }
};

} // namespace

} // namespace gelu
