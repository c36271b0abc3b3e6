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

// The ops of the dialect, as specs and kernels name them. Each case's string
// is its op's mnemonic (Act_ActivationOp takes the case): a spec's "op" and
// the IR's op name are one name.
def Act_OpKindGelu : I32EnumAttrCase<"Gelu", 0, "gelu">;
def Act_OpKindSilu : I32EnumAttrCase<"Silu", 1, "silu">;
def Act_OpKindRelu : I32EnumAttrCase<"Relu", 2, "relu">;
def Act_OpKindGeluBackward : I32EnumAttrCase<"GeluBackward", 3,
                                             "gelu_backward">;
def Act_OpKindBiasGelu : I32EnumAttrCase<"BiasGelu", 4, "bias_gelu">;
def Act_OpKindBiasGeluBackward : I32EnumAttrCase<"BiasGeluBackward", 5,
                                                 "bias_gelu_backward">;
def Act_OpKindGeglu : I32EnumAttrCase<"Geglu", 6, "geglu">;
def Act_OpKindSwiglu : I32EnumAttrCase<"Swiglu", 7, "swiglu">;

def Act_OpKind : I32EnumAttr<"OpKind", "an op of the act dialect",
    [Act_OpKindGelu, Act_OpKindSilu, Act_OpKindRelu, Act_OpKindGeluBackward,
     Act_OpKindBiasGelu, Act_OpKindBiasGeluBackward, Act_OpKindGeglu,
     Act_OpKindSwiglu]> {
  let cppNamespace = "::gelu::act";
  let genSpecializedAttr = 0;
}

def Act_ExpansionErfc : I32EnumAttrCase<"erfc", 0>;
def Act_ExpansionErfcFast : I32EnumAttrCase<"erfc_fast", 1>;
def Act_ExpansionApproxTanh : I32EnumAttrCase<"approx_tanh", 2>;
def Act_ExpansionApproxSigmoid : I32EnumAttrCase<"approx_sigmoid", 3>;
def Act_ExpansionSigmoid : I32EnumAttrCase<"sigmoid", 4>;
def Act_ExpansionSigmoidFast : I32EnumAttrCase<"sigmoid_fast", 5>;
def Act_ExpansionTanh : I32EnumAttrCase<"tanh", 6>;
def Act_ExpansionSelect : I32EnumAttrCase<"select", 7>;
def Act_ExpansionErf : I32EnumAttrCase<"erf", 8>;
def Act_ExpansionRational : I32EnumAttrCase<"rational", 9>;
def Act_ExpansionRationalFast : I32EnumAttrCase<"rational_fast", 10>;
def Act_ExpansionPiecewise : I32EnumAttrCase<"piecewise", 11>;
def Act_ExpansionPiecewiseTail : I32EnumAttrCase<"piecewise_tail", 12>;
def Act_ExpansionCorrectlyRounded : I32EnumAttrCase<"correctly_rounded", 13>;
def Act_ExpansionPolynomial : I32EnumAttrCase<"polynomial", 14>;
def Act_ExpansionPiecewiseGraded : I32EnumAttrCase<"piecewise_graded", 15>;
def Act_ExpansionHwTanh : I32EnumAttrCase<"hw_tanh", 16>;
def Act_ExpansionHwSigmoid : I32EnumAttrCase<"hw_sigmoid", 17>;

def Act_Expansion : I32EnumAttr<"Expansion",
    "how an activation is computed",
    [Act_ExpansionErfc, Act_ExpansionErfcFast, Act_ExpansionApproxTanh,
     Act_ExpansionApproxSigmoid, Act_ExpansionSigmoid, Act_ExpansionSigmoidFast,
     Act_ExpansionTanh, Act_ExpansionSelect, Act_ExpansionErf,
     Act_ExpansionRational, Act_ExpansionRationalFast, Act_ExpansionPiecewise,
     Act_ExpansionPiecewiseTail, Act_ExpansionCorrectlyRounded,
     Act_ExpansionPolynomial, Act_ExpansionPiecewiseGraded,
     Act_ExpansionHwTanh, Act_ExpansionHwSigmoid]> {
  let cppNamespace = "::gelu::act";
  let genSpecializedAttr = 0;
}

def Act_ExpansionAttr : EnumAttr<Act_Dialect, Act_Expansion, "expansion"> {
  let summary = "The expansion that computes an act op";
  let description = [{
    Which formula a lowering uses for an op. Absent, the op's accurate
    default is used. Each op accepts the expansions listed in its
    description; `approx_tanh` and `approx_sigmoid` on exact GELU compute a
    different function (an approximation of it) and are only chosen where
    an error budget allows. `correctly_rounded` (f32 only) gives every
    result correctly rounded from the exact value: f64 arithmetic, a
    rounding test and a table of the exceptional inputs, checked on all
    2^32 inputs. `hw_tanh` and `hw_sigmoid` (tanh and sigmoid GELU, SiLU;
    f32 arithmetic) compute σ with an NVIDIA GPU's approximations
    (`act.hw_tanh`; `act.hw_exp2` and `act.hw_rcp`) and compile for NVPTX
    targets alone; their errors are bounds from NVIDIA's documented maxima.
  }];
  let assemblyFormat = "`<` $value `>`";
}

#endif // GELU_DIALECT_ACT_IR_ACTATTRS_TD
