//===- Passes.td - Conversion passes of gelu-jit -----------*- tablegen -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_CONVERSION_PASSES_TD
#define GELU_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertActToArith : Pass<"convert-act-to-arith"> {
  let summary = "Expand act ops into arith and math operations";
  let description = [{
    Replaces every `act` activation op with the arithmetic of its default,
    accurate expansion; no libm call and no `math.erf`/`math.exp` is left,
    only operations with a direct LLVM lowering (`math.fma`, `math.absf`,
    `math.roundeven` and arith). `act.lookup`, a table lookup rather than an
    activation, is left in place: `act-lower-lookups` lowers it for the
    target.

    - `act.gelu` (exact): 0.5·x·(1 + erf(x/√2)) for |x| ≤ 1/√2, and
      0.5·x·erfc(−x/√2) elsewhere, with erfc(z) = t·exp(−z² + P(t)), P a
      Remez fit made at build time, and the Gaussian factor taken from an
      exact two-product x·x so the negative tail keeps its relative accuracy
      down to underflow (≤ 4 ULP over every f32 input).
    - `act.gelu approximate<tanh>`: x·σ(2u), with 2u in double-float (no
      1 + tanh cancellation).
    - `act.gelu approximate<sigmoid>` and `act.silu`: x·σ(c·x), σ written so
      that neither tail cancels.
    - `act.relu`: a compare and a select (NaN kept, −0 → +0).

    f16 and bf16 values are extended to f32, computed, and truncated back.
    Ops on ranked tensors are first rewritten into `linalg.generic` over
    scalars (`tensors=false` makes them an error instead: the
    `act-lower-to-llvm` pipeline, which does not bufferize, sets it). f64 is
    rejected with an error: no f64 expansion exists yet.

    Example:

    ```mlir
    %y = act.gelu %x : vector<16xf32>
    ```

    becomes a straight-line sequence of `arith`/`math` ops on
    `vector<16xf32>` ending in an `arith.select` between the x < 0 and
    x ≥ 0 forms.

    Each op becomes ~110 operations, so a module of many act ops grows
    ~100-fold. When the pass runs on a module, the ops that compute the same
    thing on the same types (same op, attributes and types) are, once there
    are `outline-min-uses` of them, expanded once into a private function
    `__act_<op>_<type>` that they call: the output grows with the distinct
    expansions, not with the ops. The functions carry no `noinline`: the
    `-inline` pass or LLVM may put them back. 0 expands every op in place
    (the kernels gelu-jit compiles do, for their vectorised loops).
  }];
  let options = [
    Option<"outlineMinUses", "outline-min-uses", "unsigned", /*default=*/"4",
           "Expand ops that share an expansion once, in a function they "
           "call, when at least this many share it (0: never)">,
    Option<"tensors", "tensors", "bool", /*default=*/"true",
           "Rewrite ops on tensors into linalg.generic (false: such an op is "
           "an error, for pipelines that end in the LLVM dialect without "
           "bufferizing)">,
  ];
  let dependentDialects = [
    "mlir::func::FuncDialect",
    "mlir::arith::ArithDialect",
    "mlir::math::MathDialect",
    "mlir::linalg::LinalgDialect",
    "mlir::tensor::TensorDialect",
    "mlir::scf::SCFDialect",
    "mlir::vector::VectorDialect",
  ];
}

#endif // GELU_CONVERSION_PASSES_TD
