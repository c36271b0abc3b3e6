//===- ActOps.td - Operations of the act dialect -----------*- tablegen -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_DIALECT_ACT_IR_ACTOPS_TD
#define GELU_DIALECT_ACT_IR_ACTOPS_TD

include "gelu/Dialect/Act/IR/ActAttrs.td"
include "gelu/Dialect/Act/IR/ActDialect.td"
include "mlir/IR/CommonTypeConstraints.td"
include "mlir/IR/OpBase.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/VectorInterfaces.td"

// The element types an activation is defined on.
def Act_FloatElement : AnyTypeOf<[F16, BF16, F32, F64]>;

// Scalars, vectors and ranked tensors of those element types.
def Act_FloatLike : AnyTypeOf<[
  Act_FloatElement,
  VectorOfAnyRankOf<[F16, BF16, F32, F64]>,
  RankedTensorOf<[F16, BF16, F32, F64]>
], "f16, bf16, f32 or f64 scalar, vector or ranked tensor">;

class Act_Op<string mnemonic, list<Trait> traits = []>
    : Op<Act_Dialect, mnemonic, traits>;

// An activation applied to each element on its own.
class Act_UnaryElementwiseOp<string mnemonic, list<Trait> traits = []>
    : Act_Op<mnemonic, !listconcat(traits, [Pure, SameOperandsAndResultType,
        Elementwise, Scalarizable, Vectorizable, Tensorizable])> {
  let results = (outs Act_FloatLike:$result);
  let hasVerifier = 1;
}

def Act_GeluOp : Act_UnaryElementwiseOp<"gelu"> {
  let summary = "Gaussian error linear unit";
  let description = [{
    Applies GELU to every element. `approximate` chooses the reference
    function, not the way it is computed:

    - `none` (the default, omitted when printed): exact GELU,
      x·Φ(x) = 0.5·x·erfc(−x/√2);
    - `tanh`: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)));
    - `sigmoid`: x·σ(1.702·x).

    `expansion` chooses how it is computed (absent: the first, accurate one):

    - exact: `erfc` (≤ 4 ULP everywhere), `erfc_fast` (a lower-degree fit,
      no residual corrections, reciprocal estimate), `rational` (the direct
      form x·(1/2 + x·P(x²)/Q(x²)) on |x| ≤ 5.5: a few ULP for x ≥ 0, ~1e-6
      absolute below), `erf` (0.5·x·(1 + erf(x/√2)) with a rational erf),
      `rational_fast` (`rational` with a reciprocal estimate), `tanh_form`
      and `sigmoid_form` (the approximate GELUs);
    - tanh: `sigmoid` (x·σ(2u) in double-float), `sigmoid_fast`, `tanh`
      (PyTorch's 0.5·x·(1 + tanh u) spelling, which cancels for x < 0);
    - sigmoid: `sigmoid`, `sigmoid_fast`.

    `degree` chooses the numerator degree of the `rational` and
    `rational_fast` fits (2 to 6, the denominator one less; absent: 6): a
    lower degree is cheaper and less accurate (act-select-expansion picks
    it from an error budget).

    Example:

    ```mlir
    %0 = act.gelu %x : f32
    %1 = act.gelu %v approximate<tanh> : vector<16xf32>
    %2 = act.gelu %t approximate<sigmoid> : tensor<4x?xbf16>
    %3 = act.gelu %x expansion<erfc_fast> : f32
    %4 = act.gelu %x expansion<rational> degree(4) : vector<16xf32>
    ```
  }];
  let arguments = (ins
    Act_FloatLike:$input,
    DefaultValuedAttr<Act_ApproximateAttr,
                      "::gelu::act::Approximate::none">:$approximate,
    OptionalAttr<Act_ExpansionAttr>:$expansion,
    OptionalAttr<ConfinedAttr<I32Attr, [IntPositive]>>:$degree);
  let assemblyFormat = [{
    $input (`approximate` `` $approximate^)? (`expansion` `` $expansion^)?
    (`degree` `(` $degree^ `)`)? attr-dict `:` type($result)
  }];
}

def Act_SiluOp : Act_UnaryElementwiseOp<"silu"> {
  let summary = "Sigmoid linear unit (swish with β = 1)";
  let description = [{
    Applies SiLU, x·σ(x), to every element. Expansions: `sigmoid` (the
    default), `sigmoid_fast`.

    Example:

    ```mlir
    %0 = act.silu %x : vector<8xf32>
    %1 = act.silu %x expansion<sigmoid_fast> : vector<8xf32>
    ```
  }];
  let arguments = (ins Act_FloatLike:$input,
                       OptionalAttr<Act_ExpansionAttr>:$expansion);
  let assemblyFormat = [{
    $input (`expansion` `` $expansion^)? attr-dict `:` type($result)
  }];
}

def Act_ReluOp : Act_UnaryElementwiseOp<"relu"> {
  let summary = "Rectified linear unit";
  let description = [{
    Applies ReLU, max(x, 0), to every element. NaN stays NaN and −0 gives +0.
    Expansion: `select`.

    Example:

    ```mlir
    %0 = act.relu %x : tensor<?xf16>
    ```
  }];
  let arguments = (ins Act_FloatLike:$input,
                       OptionalAttr<Act_ExpansionAttr>:$expansion);
  let assemblyFormat = [{
    $input (`expansion` `` $expansion^)? attr-dict `:` type($result)
  }];
}

#endif // GELU_DIALECT_ACT_IR_ACTOPS_TD
