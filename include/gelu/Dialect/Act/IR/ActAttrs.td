//===- ActAttrs.td - Attributes of the act dialect ---------*- tablegen -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_DIALECT_ACT_IR_ACTATTRS_TD
#define GELU_DIALECT_ACT_IR_ACTATTRS_TD

include "gelu/Dialect/Act/IR/ActDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

def Act_ApproximateNone : I32EnumAttrCase<"none", 0>;
def Act_ApproximateTanh : I32EnumAttrCase<"tanh", 1>;
def Act_ApproximateSigmoid : I32EnumAttrCase<"sigmoid", 2>;

def Act_Approximate : I32EnumAttr<"Approximate",
    "which GELU reference function an op means",
    [Act_ApproximateNone, Act_ApproximateTanh, Act_ApproximateSigmoid]> {
  let cppNamespace = "::gelu::act";
  let genSpecializedAttr = 0;
}

def Act_ApproximateAttr : EnumAttr<Act_Dialect, Act_Approximate,
                                   "approximate"> {
  let summary = "GELU reference function: none (exact), tanh or sigmoid";
  let description = [{
    - `none`: exact GELU, x·Φ(x) = 0.5·x·erfc(−x/√2).
    - `tanh`: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), PyTorch's
      `approximate='tanh'`.
    - `sigmoid`: x·σ(1.702·x).
  }];
  let assemblyFormat = "`<` $value `>`";
}

#endif // GELU_DIALECT_ACT_IR_ACTATTRS_TD
