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
    whose `budget`, `objective`, `max_ns_per_element`, `ranking` and
    `target` are used (its op, dtype and name come from each op). The op's
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
    Option<"target", "target", "std::string", "\"host\"",
           "The target the choice is made for">,
    Option<"specFile", "spec", "std::string", "\"\"",
           "A JSON spec whose budget, objective, ranking and target are "
           "used instead of the options above">,
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

#endif // GELU_TRANSFORMS_PASSES_TD
