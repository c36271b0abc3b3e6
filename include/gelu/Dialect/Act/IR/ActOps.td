//===- ActOps.td - Operations of the act dialect -----------*- tablegen -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_DIALECT_ACT_IR_ACTOPS_TD
#define GELU_DIALECT_ACT_IR_ACTOPS_TD

include "gelu/Dialect/Act/IR/ActAttrs.td"
include "gelu/Dialect/Act/IR/ActDialect.td"
include "gelu/Dialect/Act/IR/ActInterfaces.td"
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

// An activation op: family(x + bias) · factor, element by element (OpFacts.h).
// `kind` names the op (its string is the mnemonic), `family` is an
// ActivationFamily, `bias` and `factor` the indices of those operands (-1:
// none); `operands` and `operandFormat` are the operands and their assembly.
// These arguments are the op's facts: opFacts() and ActivationOpInterface
// read them from here. 16-bit types are computed in f32 and rounded once, at
// the end.
class Act_ActivationOp<I32EnumAttrCase kind, string family, dag operands,
                       string operandFormat, int bias = -1, int factor = -1>
    : Act_Op<kind.str, [Pure, SameOperandsAndResultType, Elementwise,
                        Scalarizable, Vectorizable, Tensorizable,
                        Act_ActivationOpInterface]> {
  let arguments = !con(operands, (ins
    OptionalAttr<Act_ExpansionAttr>:$expansion,
    OptionalAttr<ConfinedAttr<I32Attr, [IntPositive]>>:$degree));
  let results = (outs Act_FloatLike:$result);
  let assemblyFormat = operandFormat # [{
    (`expansion` `` $expansion^)? (`degree` `(` $degree^ `)`)? attr-dict
    `:` type($result)
  }];
  let extraClassDeclaration = [{
    static constexpr ::gelu::act::OpFacts getFacts() {
      return {::gelu::act::OpKind::}] # kind.symbol #
      [{, ::gelu::act::ActivationFamily::}] # family # [{, }] #
      !cast<string>(bias) # [{, }] # !cast<string>(factor) # [{};
    }
  }];
}

// An op that applies a GELU or its derivative: `approximate` chooses which
// GELU. (`degree`, the degree of a fitted expansion, every act op has.)
class Act_GeluActivationOp<I32EnumAttrCase kind, string family, dag operands,
                           string operandFormat, int bias = -1,
                           int factor = -1>
    : Act_ActivationOp<kind, family, operands, operandFormat, bias, factor> {
  let arguments = !con(operands, (ins
    DefaultValuedAttr<Act_ApproximateAttr,
                      "::gelu::act::Approximate::none">:$approximate,
    OptionalAttr<Act_ExpansionAttr>:$expansion,
    OptionalAttr<ConfinedAttr<I32Attr, [IntPositive]>>:$degree));
  let assemblyFormat = operandFormat # [{
    (`approximate` `` $approximate^)? (`expansion` `` $expansion^)?
    (`degree` `(` $degree^ `)`)? attr-dict `:` type($result)
  }];
}

def Act_GeluOp : Act_GeluActivationOp<Act_OpKindGelu, "Gelu",
    (ins Act_FloatLike:$input), "$input"> {
  let summary = "Gaussian error linear unit";
  let description = [{
    Applies GELU to every element. `approximate` chooses the reference
    function, not the way it is computed:

    - `none` (the default, omitted when printed): exact GELU,
      x·Φ(x) = 0.5·x·erfc(−x/√2);
    - `tanh`: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)));
    - `sigmoid`: x·σ(1.702·x).

    `expansion` chooses how it is computed (absent: the first, accurate one):

    - every form: `piecewise_tail` (the default: g(−|x|) for the gate g of
      x·g(x) as a degree-7 polynomial on each of ≤ 32 intervals of |x|, its
      coefficients looked up per lane (`act.lookup`), relative accuracy
      down to where g falls under 2^−25 (x = −5.5 for exact GELU, whose
      table goes on to −7); below,
      a tail form with relative accuracy and no divide (exact GELU:
      x·S(|x|)·e^(−x²/2), S from a second table; the σ forms x·e·(1 − e),
      e = e^y), computed only for the vectors that have such a lane, so its
      speed depends on the data; on bf16 values the table is degree 4, 6
      for SiLU: every bf16 result is still correctly rounded), `piecewise`
      (the same tables at `degree` 4 to 7, −0 below them and x above:
      relative accuracy for x ≥ −3 at degree 7, absolute below;
      branch-free, no select past the table (its zero entry); and the
      ladder's `degree` 1 to 3, each on 31 intervals of the width that errs
      least: narrower intervals err less inside the table, which then ends
      sooner, past it the error being x·g(x) itself), `piecewise_graded`
      (the ladder's degrees 1 to 3 on a graded table: its 31 intervals
      indexed by t = u·(a − b·u), u = |x|, so they widen with |x| where
      the gate flattens; one FMA more than `piecewise` at the same degree,
      up to 4× less error: a rung between two degrees), `polynomial` (no
      table: (x < 0 ? −0 : x) − v·(R − v)·s(v), v = min(|x|, R), `degree`
      3 to 6 (v·(R − v)·s(v)'s; absent: 6), absolute errors of 1e-3 to
      6e-2, x itself past R and −0 below −R: the cheapest form, for loose
      budgets);
    - exact: `erfc` (the tail-accurate erfc form, relative accuracy
      everywhere, no branch), `erfc_fast` (a lower-degree fit, no residual
      corrections, reciprocal estimate), `rational` (the direct form
      x·(1/2 + x·P(x²)/Q(x²)) on |x| ≤ 5.5: relative accuracy for x ≥ 0,
      absolute below), `erf` (0.5·x·(1 + erf(x/√2)) with a rational erf),
      `rational_fast` (`rational` with a reciprocal estimate), `approx_tanh`
      and `approx_sigmoid` (the approximate GELUs);
    - tanh: `sigmoid` (x·σ(2u) in double-float), `sigmoid_fast`,
      `rational` and `rational_fast` (x·(1/2 + x·P(x²)/Q(x²)) fitted to
      this GELU on |x| ≤ 5.13, where 2u reaches 17.5), `tanh` (PyTorch's
      0.5·x·(1 + tanh u) spelling, which cancels for x < 0);
    - sigmoid: `sigmoid`, `sigmoid_fast`, `rational` and `rational_fast`
      (fitted on |x| ≤ 10.3).

    On f64 values: exact GELU's `piecewise_tail` (the default) is Φ(−|x|)
    from an f64 table (16 intervals of 3/8, degree 13) and, past
    |x| = 5.8125 in the per-vector branch, exp(−x²/2)·h(|x|) with h from a
    second table (16 intervals of |x| in [4, 64), degree 13); `erfc` is the
    f64 erfc form on every input; the tanh and sigmoid forms take `sigmoid`
    (tanh GELU's default) and `piecewise_tail`, their gate's f64 table on
    the same intervals and `sigmoid` past it (sigmoid GELU's default, at
    degree 12; tanh GELU's own table is degree 13). `piecewise_tail` takes
    a lower `degree`, from 4, for absolute budgets. Every form also takes
    `piecewise`, the f32 tables on x rounded to f32 (absolute accuracy
    only).

    `degree` chooses the degree of the `piecewise` fits (1 to 7; absent: 7)
    and the numerator degree of the `rational` and `rational_fast` fits (2
    to 6, the denominator one less; absent: 6): a lower degree is cheaper
    and less accurate (act-select-expansion picks it from an error budget).
    The measured error of every expansion, by region:
    docs/generated/accuracy-table.md.

    Example:

    ```mlir
    %0 = act.gelu %x : f32
    %1 = act.gelu %v approximate<tanh> : vector<16xf32>
    %2 = act.gelu %t approximate<sigmoid> : tensor<4x?xbf16>
    %3 = act.gelu %x expansion<erfc_fast> : f32
    %4 = act.gelu %x expansion<rational> degree(4) : vector<16xf32>
    %5 = act.gelu %x expansion<piecewise> degree(3) : vector<16xf32>
    ```
  }];
}

def Act_SiluOp : Act_ActivationOp<Act_OpKindSilu, "Silu",
    (ins Act_FloatLike:$input), "$input"> {
  let summary = "Sigmoid linear unit (swish with β = 1)";
  let description = [{
    Applies SiLU, x·σ(x), to every element. Expansions: `piecewise_tail`
    (the default), `piecewise` (`degree` 1 to 7), `piecewise_graded`
    (`degree` 1 to 3) and `polynomial` (`degree` 3 to 6) as for
    `act.gelu`, the tables on |x| ≤ 18; `sigmoid` (the closed form, no
    branch), `sigmoid_fast`,
    `rational` and `rational_fast` (the direct form x·(1/2 + x·P(x²)/Q(x²))
    on |x| ≤ 17.5, `degree` 2 to 6: relative accuracy for x ≥ 0, absolute
    below). On f64 values: `piecewise_tail` (the default) is its gate's f64
    table as `act.gelu`'s (degree 10; a lower `degree` from 4 for absolute
    budgets), `sigmoid` past it; `sigmoid`; `piecewise` on x rounded to
    f32.

    Example:

    ```mlir
    %0 = act.silu %x : vector<8xf32>
    %1 = act.silu %x expansion<sigmoid_fast> : vector<8xf32>
    %2 = act.silu %x expansion<rational_fast> degree(4) : vector<8xf32>
    ```
  }];
}

def Act_ReluOp : Act_ActivationOp<Act_OpKindRelu, "Relu",
    (ins Act_FloatLike:$input), "$input"> {
  let summary = "Rectified linear unit";
  let description = [{
    Applies ReLU, max(x, 0), to every element. NaN stays NaN and −0 gives +0.
    Expansion: `select`.

    Example:

    ```mlir
    %0 = act.relu %x : tensor<?xf16>
    ```
  }];
}

def Act_GeluBackwardOp : Act_GeluActivationOp<Act_OpKindGeluBackward,
    "GeluDerivative", (ins Act_FloatLike:$input, Act_FloatLike:$grad),
    "$input `,` $grad", /*bias=*/-1, /*factor=*/1> {
  let summary = "Gradient of GELU: dy·GELU'(x)";
  let description = [{
    Multiplies the incoming gradient `grad` by the derivative of the GELU
    that `approximate` names at `input` (PyTorch's `gelu_backward`):

    - `none`: GELU'(x) = Φ(x) + x·φ(x);
    - `tanh`: s + x·s·(1 − s)·2u'(x), s = σ(2u) = (1 + tanh u)/2;
    - `sigmoid`: s + 1.702·x·s·(1 − s), s = σ(1.702·x).

    `expansion` names how the derivative is computed. For every form
    `piecewise_tail` (the default: q(u) = GELU'(−u) as (u − u0)·R(u), u0
    the zero of GELU', R a polynomial of degree 6 (tanh GELU': 7) on each
    of ≤ 32 intervals of |x|, its coefficients looked up per lane: relative
    accuracy through the zero; below the table a tail form, computed only
    for the vectors that have such a lane: for exact GELU'
    (S(|x|) − |x|/√(2π))·e^(−x²/2), S from exact GELU's tail table, for the
    others e^y·(1 + x·y'), y the argument of their σ as a pair: no divide)
    and `piecewise`
    (GELU'(−|x|) itself on intervals of |x|, `degree` 1 to 7: absolute
    accuracy, no branch), `piecewise_graded` (the same at `degree` 1 to 3
    on a graded table, intervals widening with |x| as for `act.gelu`: up
    to 5× less error for one FMA more) and `polynomial` (no table: 1/2 + v·p(v²), v = x
    clamped to [−R, R], p of `degree` 3 to 6 (absent: 6), absolute errors
    of 1e-3 to 2.3e-2, 1 past R and 0 below −R to within 6e-6: the cheapest,
    for loose budgets). For exact GELU also `erfc` (Φ from
    the tail-accurate erfc form plus x·φ(x), relative accuracy everywhere
    including the negative tail, no branch), `erfc_fast`, `rational` and
    `rational_fast` (GELU' = 1/2 + x·T(x²) fitted directly, `degree` 2 to
    6: absolute accuracy), `erf` (absolute accuracy only), `approx_tanh`,
    `approx_sigmoid`, and `correctly_rounded` (f32: GELU'(x) correctly
    rounded, from an f64 evaluation that is relatively accurate through the
    zero, then one f32 multiply by `grad`; the same bits on every target);
    for the tanh and sigmoid forms `sigmoid` (σ and
    1 − σ each from e^−|y|: relative accuracy everywhere, no branch),
    `sigmoid_fast`, `rational` and `rational_fast` (their own GELU' fitted
    as above, `degree` 2 to 6).
    Measured errors: docs/generated/accuracy-table.md.

    Example:

    ```mlir
    %dx = act.gelu_backward %x, %dy : vector<16xf32>
    %dt = act.gelu_backward %x, %dy approximate<tanh> : tensor<?xbf16>
    %dr = act.gelu_backward %x, %dy expansion<rational> degree(5) : f32
    ```
  }];
}

def Act_BiasGeluOp : Act_GeluActivationOp<Act_OpKindBiasGelu, "Gelu",
    (ins Act_FloatLike:$input, Act_FloatLike:$bias), "$input `,` $bias",
    /*bias=*/1> {
  let summary = "GELU of a sum: GELU(x + bias)";
  let description = [{
    Applies GELU to `input + bias`, the sum rounded to the element type as
    `arith.addf` rounds it: `act.bias_gelu %x, %b` is exactly
    `act.gelu (arith.addf %x, %b)`, which the `act-fuse-bias-gelu` pass
    rewrites into it. The attributes are those of `act.gelu`. The bias is
    broadcast by whoever builds the op (a kernel over a [rows, cols]
    matrix reads one bias value a column).

    Example:

    ```mlir
    %y = act.bias_gelu %x, %b : vector<16xf32>
    %z = act.bias_gelu %x, %b approximate<tanh> expansion<sigmoid> : f32
    ```
  }];
}

def Act_BiasGeluBackwardOp : Act_GeluActivationOp<
    Act_OpKindBiasGeluBackward, "GeluDerivative",
    (ins Act_FloatLike:$input, Act_FloatLike:$bias, Act_FloatLike:$grad),
    "$input `,` $bias `,` $grad", /*bias=*/1, /*factor=*/2> {
  let summary = "Gradient of GELU(x + bias): dy·GELU'(x + bias)";
  let description = [{
    `act.gelu_backward` at `input + bias` (rounded to the element type, as
    in `act.bias_gelu`): the gradient with respect to both `input` and
    `bias` before the bias gradient's reduction over rows, which the kernel
    that uses it performs.

    Example:

    ```mlir
    %dx = act.bias_gelu_backward %x, %b, %dy : vector<16xbf16>
    ```
  }];
}

def Act_GegluOp : Act_GeluActivationOp<Act_OpKindGeglu, "Gelu",
    (ins Act_FloatLike:$gate, Act_FloatLike:$up), "$gate `,` $up",
    /*bias=*/-1, /*factor=*/1> {
  let summary = "GELU-gated linear unit: GELU(gate)·up";
  let description = [{
    GEGLU's elementwise part: GELU of `gate` times `up`, the product formed
    in f32 and rounded once. The attributes are those of `act.gelu`.

    Example:

    ```mlir
    %y = act.geglu %gate, %up : vector<16xf32>
    %z = act.geglu %gate, %up approximate<tanh> : tensor<?x?xbf16>
    ```
  }];
}

def Act_SwigluOp : Act_ActivationOp<Act_OpKindSwiglu, "Silu",
    (ins Act_FloatLike:$gate, Act_FloatLike:$up), "$gate `,` $up",
    /*bias=*/-1, /*factor=*/1> {
  let summary = "SiLU-gated linear unit: SiLU(gate)·up";
  let description = [{
    SwiGLU's elementwise part: gate·σ(gate)·up, the product formed in f32
    and rounded once. Expansions and degrees as for `act.silu`.

    Example:

    ```mlir
    %y = act.swiglu %gate, %up : vector<8xf32>
    ```
  }];
}

//===----------------------------------------------------------------------===//
// Building blocks of the expansions
//===----------------------------------------------------------------------===//

def Act_LookupOp : Act_Op<"lookup", [Pure]> {
  let summary = "Each lane's entry of a small constant table";
  let description = [{
    `result[i] = table[index[i] mod N]`, for a table of N entries, N a power
    of two from 2 to 64 (the index's low bits choose the entry, as the
    permute instructions do, so every index is defined). The entries are
    f32 or f64, as the result; the index is i32 for f32 and i64 for f64 (the
    integer the result's bits are, as the permutes take it), and an f32
    table's entries must be f32 values. It is the building block of
    table-driven expansions (piecewise polynomials whose coefficients depend
    on the interval): the `piecewise` and `piecewise_tail` expansions make
    one a coefficient.

    It is not an activation: `convert-act-to-arith` leaves it in place and
    `act-lower-lookups` (part of `act-lower-to-llvm`) lowers it for the
    target: on AVX-512 `vpermps` (16 f32 entries a register, `vpermi2ps`
    for two) and `vpermpd` (8 f64, `vpermi2pd` for two); on AVX2 `vpermps`
    (8 f32, or 4 f64 as pairs of halves); `tbl` on AArch64 NEON (16 f32 or
    8 f64 from four registers); a load from a constant array for a scalar
    (the NVPTX kernels' case); a tree of selects on the index bits anywhere
    else.

    Example:

    ```mlir
    %c = act.lookup %i [0.5, 0.25, 0.125, 0.0625] : vector<16xi32> -> vector<16xf32>
    %s = act.lookup %j [1.0, -1.0] : i32 -> f32
    %d = act.lookup %k [0.1, 0.2] : vector<8xi64> -> vector<8xf64>
    ```
  }];
  let arguments = (ins AnyTypeOf<[I32, I64, VectorOfAnyRankOf<[I32, I64]>]>:$index,
                       DenseF64ArrayAttr:$table);
  let results = (outs AnyTypeOf<[F32, F64, VectorOfAnyRankOf<[F32, F64]>]>:$result);
  // The table's own directive: DenseArrayAttr's short form prints six
  // digits, which would not read back as the entries.
  let assemblyFormat = [{
    $index custom<LookupTable>($table) attr-dict `:` type($index) `->`
    type($result)
  }];
  let hasVerifier = 1;
}

class Act_HardwareApproximationOp<string mnemonic, string what,
                                  string instruction>
    : Act_Op<mnemonic, [Pure, SameOperandsAndResultType]> {
  let summary = "The GPU's approximation of " # what;
  let description = !strconcat([{
    `result = }], what, [{` as NVIDIA's `}], instruction, [{` computes it,
    on f32 scalars or 1-D vectors (a thread's 16-byte load, done lane by
    lane: the instruction is scalar). NVIDIA
    documents the instruction by its maximum error alone, so the result's
    bits are the device's: the `hw_tanh` and `hw_sigmoid` expansions, which
    make these ops, have error bounds (Numerics/HardwareApproximations.h),
    not measured errors.

    It is not an activation: `convert-act-to-arith` leaves it in place and
    `act-lower-hw-approximations` lowers it for NVPTX targets; it is an
    error on any other target, which has no such instruction.

    Example:

    ```mlir
    %t = act.}], mnemonic, [{ %x : f32
    ```
  }]);
  let arguments = (ins AnyTypeOf<[F32, VectorOfAnyRankOf<[F32]>]>:$input);
  let results = (outs AnyTypeOf<[F32, VectorOfAnyRankOf<[F32]>]>:$result);
  let assemblyFormat = "$input attr-dict `:` type($result)";
}

def Act_HwTanhOp : Act_HardwareApproximationOp<"hw_tanh", "tanh(input)",
                                               "tanh.approx.f32">;
def Act_HwExp2Op : Act_HardwareApproximationOp<"hw_exp2", "2^input",
                                               "ex2.approx.ftz.f32">;
def Act_HwRcpOp : Act_HardwareApproximationOp<"hw_rcp", "1/input",
                                              "rcp.approx.ftz.f32">;

#endif // GELU_DIALECT_ACT_IR_ACTOPS_TD
