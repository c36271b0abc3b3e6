//===- FuseBiasGelu.cpp - Fuse a bias add into the GELU after it ---------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Transforms/Passes.h"

#include "gelu/Dialect/Act/IR/ActOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace gelu {
#define GEN_PASS_DEF_ACTFUSEBIASGELU
#include "gelu/Transforms/Passes.h.inc"
} // namespace gelu

using namespace mlir;
using namespace gelu;

namespace {
/// act.gelu(arith.addf(x, b)) → act.bias_gelu(x, b).
struct FuseAddIntoGelu : public OpRewritePattern<act::GeluOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(act::GeluOp gelu,
                                PatternRewriter &rewriter) const override {
    auto add = gelu.getInput().getDefiningOp<arith::AddFOp>();
    if (!add)
      return rewriter.notifyMatchFailure(gelu, "input is not an arith.addf");
    if (!add->hasOneUse())
      return rewriter.notifyMatchFailure(
          gelu, "the sum has other uses: it is computed anyway");
    // A sum made outside the gelu's block (before a loop the gelu is in)
    // would be recomputed on every trip.
    if (add->getBlock() != gelu->getBlock())
      return rewriter.notifyMatchFailure(gelu,
                                         "the sum is made in another block");
    auto fused = act::BiasGeluOp::create(
        rewriter, gelu.getLoc(), gelu.getType(), add.getLhs(), add.getRhs(),
        gelu.getApproximateAttr(), gelu.getExpansionAttr(),
        gelu.getDegreeAttr());
    // Discardable attributes (act.raised, a frontend's own) stay with it.
    for (NamedAttribute attr : gelu->getDiscardableAttrs())
      fused->setAttr(attr.getName(), attr.getValue());
    rewriter.replaceOp(gelu, fused);
    rewriter.eraseOp(add);
    return success();
  }
};

struct ActFuseBiasGeluPass
    : public gelu::impl::ActFuseBiasGeluBase<ActFuseBiasGeluPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateActFusionPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

void gelu::populateActFusionPatterns(RewritePatternSet &patterns) {
  patterns.add<FuseAddIntoGelu>(patterns.getContext());
}
