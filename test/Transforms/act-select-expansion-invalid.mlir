// RUN: gelu-opt %s -split-input-file -verify-diagnostics -act-select-expansion="max-ulp=0.5"
// A spec file whose timing_inputs cannot apply (its ranking is the cost
// model, which times nothing) is refused before any op is touched.
// RUN: not gelu-opt %s -act-select-expansion="spec=%S/Inputs/timing-cost-model.json" 2>&1 | FileCheck %s --check-prefix=TIMING
// TIMING: timing-cost-model.json: at /timing_inputs: timing inputs steer measured speeds; 'ranking' is 'cost_model'

// No expansion meets the budget: the op says why, and the pass fails.

// f64's forms (about 3 ULP) cannot meet half an ULP.
func.func @f64(%x: f64) -> f64 {
  // expected-error @+1 {{'act.gelu' op act-select-expansion: no expansion of gelu meets the budget (max_ulp 0.5; measured errors held to 0.8 × the bounds: max_ulp 0.4 (of 0.5)); the most accurate is 'piecewise_tail' with}}
  %0 = act.gelu %x : f64
  return %0 : f64
}
