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
    Replaces every `act` activation op with the arithmetic of its
    expansion (its `expansion` attribute, or the op's default, accurate
    one); no libm call and no `math.erf`/`math.exp` is left, only
    operations with a direct LLVM lowering (`math.fma`, `math.absf`,
    `math.roundeven` and arith). `act.lookup`, a table lookup rather than an
    activation, is left in place: `act-lower-lookups` lowers it for the
    target; so are the GPU's approximations that the `hw_tanh` and
    `hw_sigmoid` expansions make (`act.hw_tanh`, `act.hw_exp2`,
    `act.hw_rcp`), for `act-lower-hw-approximations`.

    - `act.gelu` (every form) and `act.silu`, by default (`piecewise_tail`):
      the gate at −|x| as a polynomial on each interval of |x|, its
      coefficients looked up (`act.lookup`), giving x·g(x) for x ≤ 0 and
      x − x·g(−x) above in one FMA; below the table, a tail form that keeps
      relative accuracy down to underflow, behind a per-vector branch
      (`scf.if` on the OR of the lanes' masks). Every other expansion the
      op documents (`erfc`, `sigmoid`, `rational`, `piecewise`, ...) when
      it is named.
    - `act.relu`: a compare and a select (NaN kept, −0 → +0).
    - The derivatives, fused and gated ops: their activation's expansion,
      the bias or the other operand folded in.

    f16 and bf16 values are extended to f32, computed, and rounded once
    back (bf16 widened in integer arithmetic and rounded by `arith.truncf`,
    which `act-lower-bf16-rounding` lowers for the target); f64 is computed
    in f64, with the one expansion each function has there. Ops on ranked
    tensors are first rewritten into `linalg.generic` over scalars
    (`tensors=false` makes them an error instead: the `act-lower-to-llvm`
    pipeline, which does not bufferize, sets it).

    Example:

    ```mlir
    %y = act.gelu %x : vector<16xf32>
    ```

    becomes the table's lookups and Horner's rule on `vector<16xf32>`, a
    select between the x ≤ 0 and x > 0 forms, and an `scf.if` that computes
    the tail only when a lane is below the table
    (test/Conversion/ActToArith/convert-act-to-arith.mlir shows it).

    Each op becomes ~100 operations, so a module of many act ops grows
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
