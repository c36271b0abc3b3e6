//===- OpFactsTest.cpp - One description of each act op ------------------===//
//
// Part of gelu-jit.
//
// An op's facts are written once, in its ODS class; these tests check that
// what the spec, the kernel builder and the passes read of them agrees with
// the op itself: its registered name, its interface, its operands.
//
//===----------------------------------------------------------------------===//

#include "gelu/Codegen/KernelBuilder.h"
#include "gelu/Dialect/Act/IR/ActOps.h"
#include "gelu/Spec/Spec.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"

#include "gtest/gtest.h"

using namespace gelu;
using namespace mlir;

namespace {

TEST(OpFacts, EveryKindIsAnOpThatSaysTheSameOfItself) {
  MLIRContext context;
  context.loadDialect<act::ActDialect, func::FuncDialect>();
  OpBuilder b(&context);
  Location loc = b.getUnknownLoc();
  auto module = ModuleOp::create(loc);
  b.setInsertionPointToEnd(module.getBody());
  Type f32 = b.getF32Type();
  ASSERT_EQ(act::allOpKinds().size(), act::getMaxEnumValForOpKind() + 1);
  for (act::OpKind kind : act::allOpKinds()) {
    SCOPED_TRACE(act::stringifyOpKind(kind).str());
    const act::OpFacts &facts = act::opFacts(kind);
    EXPECT_EQ(facts.kind, kind);
    // The spec names the op by its mnemonic.
    std::string name = ("act." + act::stringifyOpKind(kind)).str();
    auto registered = RegisteredOperationName::lookup(name, &context);
    ASSERT_TRUE(registered.has_value()) << name << " is not an op";
    EXPECT_TRUE(registered->hasInterface<act::ActivationOpInterface>());

    KernelSpec spec;
    spec.op = kind;
    SmallVector<Type> types(facts.numOperands(), f32);
    auto function =
        func::FuncOp::create(b, loc, name, b.getFunctionType(types, {f32}));
    Block *entry = function.addEntryBlock();
    OpBuilder body = OpBuilder::atBlockEnd(entry);
    Value result = buildActivation(body, loc, spec, function.getArguments());
    auto op = cast<act::ActivationOpInterface>(result.getDefiningOp());
    EXPECT_EQ(op->getName().getStringRef(), name);
    EXPECT_EQ(op.getFacts().kind, kind);
    EXPECT_EQ(op->getNumOperands(), facts.numOperands());
    EXPECT_EQ(op.getActivationInput(), function.getArgument(0));
    EXPECT_EQ(op.getBiasOperand() != nullptr, facts.bias >= 0);
    EXPECT_EQ(op.getFactorOperand() != nullptr, facts.factor >= 0);
    if (facts.bias >= 0) {
      EXPECT_EQ(op.getBiasOperand(), function.getArgument(facts.bias));
    }
    if (facts.factor >= 0) {
      EXPECT_EQ(op.getFactorOperand(), function.getArgument(facts.factor));
    }
    EXPECT_EQ(op.getReferenceFunction(), spec.referenceFunction());
    EXPECT_EQ(op.getEffectiveExpansion(),
              expansionsFor(spec.referenceFunction()).front());
    // Only the GELU ops take `approximate`; every op an expansion and a
    // degree (which the verifier accepts only with a fitted expansion).
    auto takes = [&](StringRef attribute) {
      return llvm::any_of(registered->getAttributeNames(),
                          [&](StringAttr a) { return a == attribute; });
    };
    EXPECT_EQ(takes("approximate"), facts.appliesGelu());
    EXPECT_TRUE(takes("degree"));
    EXPECT_TRUE(takes("expansion"));
    func::ReturnOp::create(body, loc, result);

    // The kernel ABI has one pointer argument per operand.
    unsigned pointers = 0;
    switch (kernelAbiOf(kind)) {
    case KernelAbi::Unary:
      pointers = 1;
      break;
    case KernelAbi::Binary:
    case KernelAbi::Bias:
      pointers = 2;
      break;
    case KernelAbi::BiasBackward:
      pointers = 3;
      break;
    }
    EXPECT_EQ(pointers, facts.numOperands());
  }
  EXPECT_TRUE(succeeded(verify(module)));
  module->erase();
}

TEST(OpFacts, TheGeluFormReachesEveryGeluOp) {
  for (act::OpKind kind : act::allOpKinds()) {
    const act::OpFacts &facts = act::opFacts(kind);
    ReferenceFunction tanh = facts.referenceFunction(act::Approximate::tanh);
    ReferenceFunction none = facts.referenceFunction(act::Approximate::none);
    // `approximate` changes the function exactly for the GELU ops.
    EXPECT_EQ(tanh != none, facts.appliesGelu())
        << act::stringifyOpKind(kind).str();
  }
}

} // namespace
