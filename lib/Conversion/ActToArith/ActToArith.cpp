//===- ActToArith.cpp - Expand act ops into arith/math -------------------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// Rewrites act ops into the arithmetic of their expansions (Expansions/). The
// patterns here only dispatch: the formulas live in Expansions.cpp.
//
//===----------------------------------------------------------------------===//

#include "gelu/Conversion/ActToArith/ActToArith.h"

#include "gelu/Conversion/Expansions/ElementwiseBuilder.h"
#include "gelu/Conversion/Expansions/Expansions.h"
#include "gelu/Conversion/Passes.h"
#include "gelu/Dialect/Act/IR/ActOps.h"
#include "gelu/Dialect/Act/IR/ExpansionCatalog.h"
#include "gelu/Numerics/FitCatalog.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/DialectConversion.h"

#include <map>

namespace gelu {
#define GEN_PASS_DEF_CONVERTACTTOARITH
#include "gelu/Conversion/Passes.h.inc"
} // namespace gelu

using namespace mlir;
using namespace gelu;

//===----------------------------------------------------------------------===//
// Element types: 16-bit values computed in f32
//===----------------------------------------------------------------------===//

/// Rounds f32 `value` to bf16 (`type`) to nearest even: arith.truncf,
/// which act-lower-bf16-rounding (Codegen) lowers for the target — x86's
/// vcvtneps2bf16 flushes subnormal results, which GELU(x) for tiny x is,
/// and without AVX512-BF16 LLVM would call __truncsfbf2 for each lane.
static Value emitRoundToBF16(OpBuilder &b, Location loc, Value value,
                             Type type) {
  return arith::TruncFOp::create(b, loc, type, value);
}

/// bf16 is widened in integer arithmetic (its bits are the high half of the
/// f32): from arith.extf LLVM's instcombine narrows `fcmp (fpext x), c` to a
/// bfloat compare, and a CPU without native bf16 (x86 below AVX512-BF16)
/// then converts lanes through f32 with calls to __truncsfbf2, which a plain
/// cc link lacks.
Value gelu::emitExtendToF32(OpBuilder &b, Location loc, Value value) {
  Type type = value.getType();
  Type f32Type = withElementType(type, b.getF32Type());
  if (!getElementTypeOrSelf(type).isBF16())
    return arith::ExtFOp::create(b, loc, f32Type, value);
  Type i16Type = withElementType(type, b.getI16Type());
  Type i32Type = withElementType(type, b.getI32Type());
  Value bits = arith::ExtUIOp::create(
      b, loc, i32Type, arith::BitcastOp::create(b, loc, i16Type, value));
  Value high = arith::ShLIOp::create(
      b, loc, bits,
      emitSplatConstant(b, loc, i32Type, b.getI32IntegerAttr(16)));
  return arith::BitcastOp::create(b, loc, f32Type, high);
}

/// f32 `value` rounded to the element type of `type`, as an f32 value again
/// (what arith.addf in the 16-bit type would have produced); f32 and f64
/// values are returned as they are.
static Value emitRoundTrip(OpBuilder &b, Location loc, Value value, Type type) {
  Type element = getElementTypeOrSelf(type);
  if (!element.isF16() && !element.isBF16())
    return value;
  Value rounded = element.isBF16()
                      ? emitRoundToBF16(b, loc, value, type)
                      : arith::TruncFOp::create(b, loc, type, value);
  return emitExtendToF32(b, loc, rounded);
}

/// `body` applied to `inputs` (all of one type: f16, bf16, f32 or f64,
/// scalar or vector) in f32, its result rounded once to that type; f64 in
/// f64. Null for another element type.
static Value emitInComputeType(
    OpBuilder &builder, Location loc, ValueRange inputs,
    llvm::function_ref<Value(ElementwiseBuilder &, ArrayRef<Value>)> body) {
  Type type = inputs.front().getType();
  Type element = getElementTypeOrSelf(type);
  if (element.isF64()) {
    ElementwiseBuilder eb(builder, loc, type);
    return body(eb, llvm::to_vector<3>(inputs));
  }
  if (!element.isF16() && !element.isBF16() && !element.isF32())
    return nullptr;
  // 16-bit I/O, f32 compute: every 16-bit input is exact in f32 and the
  // f32 result rounds once more to the 16-bit format.
  Type f32Type = withElementType(type, builder.getF32Type());
  SmallVector<Value, 3> values;
  for (Value input : inputs)
    values.push_back(element.isF32() ? input
                                     : emitExtendToF32(builder, loc, input));
  ElementwiseBuilder eb(builder, loc, f32Type);
  Value result = body(eb, values);
  if (element.isBF16())
    return emitRoundToBF16(builder, loc, result, type);
  if (element.isF16())
    return arith::TruncFOp::create(builder, loc, type, result);
  return result;
}

/// The degree `expansion` of `function` is emitted at for results of
/// `type`: `degree`, but for a gate's bf16 results of `piecewise_tail`'s
/// own table (degree 0), the cheapest table that keeps every bf16 result
/// correctly rounded, the same bits (bf16PiecewiseTailDegree).
static unsigned degreeFor(ReferenceFunction function, act::Expansion expansion,
                          unsigned degree, Type type) {
  if (expansion != act::Expansion::piecewise_tail || degree != 0 ||
      !getElementTypeOrSelf(type).isBF16())
    return degree;
  unsigned bf16Degree = bf16PiecewiseTailDegree(function);
  return bf16Degree ? bf16Degree : degree;
}

Value gelu::emitActivation(OpBuilder &builder, Location loc,
                           ReferenceFunction function, act::Expansion expansion,
                           Value input, unsigned degree) {
  degree = degreeFor(function, expansion, degree, input.getType());
  return emitInComputeType(
      builder, loc, input, [&](ElementwiseBuilder &eb, ArrayRef<Value> x) {
        return emitExpansion(eb, function, expansion, x[0], degree);
      });
}

//===----------------------------------------------------------------------===//
// Patterns
//===----------------------------------------------------------------------===//

namespace {
/// Expands an act op on a scalar or vector: family(x + bias) · factor, as
/// its facts (OpFacts.h) say. Tensor ops are left to the
/// elementwise-to-linalg pattern, which rewrites them into scalar act ops.
struct ExpandActivation
    : public OpInterfaceRewritePattern<act::ActivationOpInterface> {
  using OpInterfaceRewritePattern::OpInterfaceRewritePattern;

  LogicalResult matchAndRewrite(act::ActivationOpInterface op,
                                PatternRewriter &rewriter) const override {
    Type type = op->getResult(0).getType();
    if (isa<TensorType>(type))
      return rewriter.notifyMatchFailure(op, "tensors go through linalg");
    ReferenceFunction function = op.getReferenceFunction();
    act::Expansion expansion = op.getEffectiveExpansion();
    unsigned degree =
        degreeFor(function, expansion, op.getDegree().value_or(0), type);
    act::OpFacts facts = op.getFacts();
    Location loc = op.getLoc();
    Value result = emitInComputeType(
        rewriter, loc, op->getOperands(),
        [&](ElementwiseBuilder &eb, ArrayRef<Value> operands) {
          Value x = operands[0];
          if (facts.bias >= 0)
            // The sum is rounded to the element type, as arith.addf would
            // round it: the fused op equals the unfused pair.
            x = emitRoundTrip(rewriter, loc, eb.add(x, operands[facts.bias]),
                              type);
          Value y = emitExpansion(eb, function, expansion, x, degree);
          return facts.factor >= 0 ? eb.mul(y, operands[facts.factor]) : y;
        });
    if (!result)
      return rewriter.notifyMatchFailure(op, "no expansion for this type");
    rewriter.replaceOp(op, result);
    return success();
  }
};
} // namespace

void gelu::populateActToArithConversionPatterns(RewritePatternSet &patterns) {
  patterns.add<ExpandActivation>(patterns.getContext());
  linalg::populateElementwiseToLinalgConversionPatterns(patterns);
}

//===----------------------------------------------------------------------===//
// Pass
//===----------------------------------------------------------------------===//

/// `type` as part of a symbol name: vector<16xf32> gives vector_16xf32.
static std::string mangledType(Type type) {
  std::string text;
  llvm::raw_string_ostream(text) << type;
  std::string name;
  for (char c : text)
    if (llvm::isAlnum(c))
      name += c;
    else if (!name.empty() && name.back() != '_')
      name += '_';
  while (!name.empty() && name.back() == '_')
    name.pop_back();
  return name;
}

/// Replaces each group of at least `minUses` act ops that compute the same
/// thing on the same types (name, attributes, operand and result types)
/// by calls to one private function holding one such op, in the nearest
/// symbol table of the ops. The conversion then expands that one op.
static void outlineSharedActOps(Operation *root, unsigned minUses) {
  // Groups in the order their first op appears, for stable output.
  struct Group {
    Operation *table;
    SmallVector<Operation *> ops;
  };
  std::vector<Group> groups;
  std::map<std::pair<Operation *, std::string>, size_t> groupOf;
  root->walk([&](Operation *op) {
    if (!isa<act::ActivationOpInterface>(op))
      return;
    Operation *table = SymbolTable::getNearestSymbolTable(op->getParentOp());
    if (!table)
      return;
    std::string key;
    llvm::raw_string_ostream os(key);
    os << op->getName() << op->getAttrDictionary() << "(";
    llvm::interleaveComma(op->getOperandTypes(), os);
    os << ")->" << op->getResultTypes();
    auto [it, fresh] = groupOf.try_emplace({table, key}, groups.size());
    if (fresh)
      groups.push_back({table, {}});
    groups[it->second].ops.push_back(op);
  });
  llvm::DenseMap<Operation *, std::unique_ptr<SymbolTable>> tables;
  for (auto &[where, ops] : groups) {
    if (ops.size() < minUses)
      continue;
    Operation *first = ops.front();
    auto &table = tables[where];
    if (!table)
      table = std::make_unique<SymbolTable>(where);
    OpBuilder builder(first->getContext());
    builder.setInsertionPointToEnd(&where->getRegion(0).front());
    auto type = builder.getFunctionType(first->getOperandTypes(),
                                        first->getResultTypes());
    auto function = func::FuncOp::create(
        builder, first->getLoc(),
        "__act_" + first->getName().stripDialect().str() + "_" +
            mangledType(first->getResult(0).getType()),
        type);
    function.setPrivate();
    table->insert(function); // renamed if the name is taken
    Block *entry = function.addEntryBlock();
    builder.setInsertionPointToStart(entry);
    IRMapping arguments;
    arguments.map(first->getOperands(), entry->getArguments());
    Operation *body = builder.clone(*first, arguments);
    func::ReturnOp::create(builder, first->getLoc(), body->getResults());
    for (Operation *op : ops) {
      builder.setInsertionPoint(op);
      auto call = func::CallOp::create(builder, op->getLoc(), function,
                                       op->getOperands());
      op->replaceAllUsesWith(call.getResults());
      op->erase();
    }
  }
}

namespace {
struct ConvertActToArithPass
    : public gelu::impl::ConvertActToArithBase<ConvertActToArithPass> {
  using ConvertActToArithBase::ConvertActToArithBase;

  void runOnOperation() override {
    // Say why an op cannot be expanded, rather than a bare "failed to
    // legalize".
    WalkResult unsupported = getOperation()->walk([&](Operation *op) {
      if (!isa<act::ActivationOpInterface>(op))
        return WalkResult::advance();
      if (!tensors && isa<TensorType>(op->getResult(0).getType())) {
        op->emitOpError("on a tensor: act-lower-to-llvm lowers act ops on "
                        "scalars and vectors (kernels) and does not "
                        "bufferize; run convert-act-to-arith, then "
                        "one-shot-bufferize and convert-linalg-to-loops, "
                        "before the LLVM conversions");
        return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
    if (unsupported.wasInterrupted())
      return signalPassFailure();

    // Outlining adds functions: only a pass on a symbol table (a module)
    // may. A value the user gave that cannot apply is an error.
    if (outlineMinUses > 0) {
      if (getOperation()->hasTrait<OpTrait::SymbolTable>()) {
        outlineSharedActOps(getOperation(), outlineMinUses);
      } else if (outlineMinUses.hasValue()) {
        getOperation()->emitError(
            "convert-act-to-arith: outline-min-uses adds functions, so the "
            "pass must run on a module (builtin.module), not on '")
            << getOperation()->getName() << "'; give outline-min-uses=0";
        return signalPassFailure();
      }
    }

    ConversionTarget target(getContext());
    target.addIllegalDialect<act::ActDialect>();
    // The expansions' table lookups stay for act-lower-lookups, and the
    // GPU's approximations for act-lower-hw-approximations, which lower
    // them for the target.
    target.addLegalOp<act::LookupOp, act::HwTanhOp, act::HwExp2Op,
                      act::HwRcpOp>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    RewritePatternSet patterns(&getContext());
    populateActToArithConversionPatterns(patterns);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
