//===- Passes.td - Transformation passes of gelu-jit -------*- tablegen -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_TRANSFORMS_PASSES_TD
#define GELU_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def ActSelectExpansion : Pass<"act-select-expansion", "mlir::ModuleOp"> {
  let summary = "Choose each act op's expansion from an error budget, by "
                "measuring";
  let description = [{
    Runs the tuner that `gelu-opt --spec` and the JIT use (Tuner.h) for every
    `act` op without an `expansion`, and records its choice on the op as the
    `expansion` attribute (and `degree`, for the rational forms). The
    candidates are JIT-compiled for this CPU, their error measured against
    the reference on the budget's sample, and the fastest that fits is
    kept; decisions go to, and come from, the persistent tuning cache, so
    the driver and this pass agree on a spec.

    The budget comes from the options, or from a JSON spec file (`spec`),
    whose `budget`, `objective`, `max_ns_per_element`, `ranking`,
    `timing_inputs` (what the candidates are timed on: among the options,
    `timing-sigma` or `timing-range`) and `target` are used (its op, dtype
    and name come from each op). The op's
    element type is the spec's dtype. Ops that already name an expansion
    are left as they are. Without a budget and with the objective
    `fastest`, the accurate default is recorded.

    Example (`-act-select-expansion="max-abs=1e-2 ranking=cost_model"`):

    ```mlir
    %y = act.gelu %x : vector<16xf32>
    ```

    becomes

    ```mlir
    %y = act.gelu %x expansion<rational> degree(3) : vector<16xf32>
    ```
  }];
  let options = [
    Option<"maxUlp", "max-ulp", "double", "0",
           "Largest error in ULPs of the result (0: no bound)">,
    Option<"maxAbs", "max-abs", "double", "0",
           "Largest absolute error (0: no bound)">,
    Option<"maxRel", "max-rel", "double", "0",
           "Largest relative error (0: no bound)">,
    ListOption<"domain", "domain", "double",
               "The inputs the bounds apply to: lo,hi (default: all)">,
    Option<"objective", "objective", "std::string", "\"fastest\"",
           "'fastest' (within the budget) or 'most_accurate' (within "
           "max-ns-per-element)">,
    Option<"maxNsPerElement", "max-ns-per-element", "double", "0",
           "With objective=most_accurate: the time an element may take "
           "(0: no limit)">,
    Option<"ranking", "ranking", "std::string", "\"measured\"",
           "'measured' (timed on this CPU) or 'cost_model' (reproducible)">,
    Option<"timingSigma", "timing-sigma", "double", "0",
           "Time the candidates on normal inputs with this standard "
           "deviation (0: the tuner's default inputs)">,
    ListOption<"timingRange", "timing-range", "double",
               "Time the candidates on inputs uniform over lo,hi">,
    Option<"target", "target", "std::string", "\"host\"",
           "The target the choice is made for">,
    Option<"specFile", "spec", "std::string", "\"\"",
           "A JSON spec whose budget, objective, ranking, timing_inputs "
           "and target are used instead of the options above">,
  ];
  let dependentDialects = ["gelu::act::ActDialect"];
}

def ActFuseBiasGelu : Pass<"act-fuse-bias-gelu"> {
  let summary = "Fuse arith.addf followed by act.gelu into act.bias_gelu";
  let description = [{
    Rewrites `act.gelu (arith.addf %x, %b)` into `act.bias_gelu %x, %b` with
    the gelu's attributes, when the sum has no other use (otherwise it must
    be materialised anyway and fusing would compute it twice) and is made
    in the gelu's block (a sum made before a loop that holds the gelu would
    be recomputed on every trip). The fused op rounds the sum to the element
    type exactly as `arith.addf` does, so the rewrite never changes a
    result (fast-math flags on the addf only ever allowed a different one);
    the gain is one pass over memory instead of two, and for 16-bit types
    one conversion to f32 instead of two.

    Example:

    ```mlir
    %s = arith.addf %x, %b : vector<16xf32>
    %y = act.gelu %s approximate<tanh> : vector<16xf32>
    ```

    becomes

    ```mlir
    %y = act.bias_gelu %x, %b approximate<tanh> : vector<16xf32>
    ```
  }];
  let dependentDialects = ["gelu::act::ActDialect"];
}

def ActRaiseActivations : Pass<"act-raise-activations"> {
  let summary = "Raise the GELU and SiLU decompositions that frameworks "
                "emit to act ops";
  let description = [{
    Finds, on scalars, vectors and tensors of f16, bf16 and f32, and inside
    `linalg.generic` bodies, the arithmetic that frameworks write for GELU
    and SiLU, and replaces it with the `act` op, whose expansions keep the
    tail that the decomposition loses (`1 + erf` cancels below x ≈ −3) and
    can be chosen from a budget (act-select-expansion):

    | raised to | spellings (products in any order and grouping) |
    |---|---|
    | `act.gelu` | `0.5·x·(1 + erf(x/√2))`, `x·(0.5 + 0.5·erf(…))`, `0.5·x·erfc(−x/√2)`; √2 or 1/√2 as a constant, a multiplication or a division |
    | `act.gelu approximate<tanh>` | `0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))` with x³ as `x·x·x`, `math.fpowi` or `math.powf`, the 0.044715 inside or multiplied out, √(2/π) a literal or computed (`math.sqrt` of constants); `x·σ(2√(2/π)·(x + 0.044715·x³))` |
    | `act.gelu approximate<sigmoid>` | `x·σ(1.702·x)` |
    | `act.silu` | `x·σ(x)`, `x/(1 + exp(−x))` |

    σ(y) is matched as `1/(1 + exp(−y))` (−y as `arith.negf` or a
    multiplication by a negative constant), and as the divisor of
    `x/(1 + exp(−y))`. The argument of erf, erfc, tanh and exp is matched
    as a polynomial in x (constants folded, products, sums and powers
    expanded), so every grouping of the same polynomial is one spelling.
    Constants are matched within a relative `tolerance` (default 2^−7,
    which covers their bf16 and f16 roundings and rejects 0.45 for 0.5).
    f16 and bf16 computed in f32 (`arith.extf` of x, the chain in f32,
    `arith.truncf` of the result) raise to the op on the 16-bit type.

    A chain is raised only when each of its intermediate values has no
    other use (those would have to be computed anyway). The new op carries
    `act.raised`, the spelling it replaced; with `remarks=true` each raise
    and each near miss (an activation-shaped product whose constants or
    structure do not match, with the reason) is a remark on the root op
    (in an LLVM built with assertions, `-debug-only=act-raise-activations`
    prints the near misses as the patterns meet them). A `tolerance`
    outside (0, 0.5) is an error.

    Example:

    ```mlir
    %h = arith.mulf %x, %c0_5 : f32
    %s = arith.mulf %x, %c_rsqrt2 : f32
    %e = math.erf %s : f32
    %p = arith.addf %e, %c1 : f32
    %y = arith.mulf %h, %p : f32
    ```

    becomes `%y = act.gelu %x {act.raised = "0.5*x*(1 + erf(0.7071*x))"} :
    f32`. Then `act-fuse-bias-gelu` takes a bias add in front of it.
  }];
  let options = [
    Option<"tolerance", "tolerance", "double", "0.0078125",
           "Relative tolerance of a matched constant">,
    Option<"remarks", "remarks", "bool", "false",
           "Emit a remark for each raise and each near miss">,
  ];
  let dependentDialects = ["gelu::act::ActDialect"];
}

#endif // GELU_TRANSFORMS_PASSES_TD
