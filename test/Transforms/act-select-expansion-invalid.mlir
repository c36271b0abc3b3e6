// RUN: gelu-opt %s -split-input-file -verify-diagnostics -act-select-expansion="max-ulp=0.5"

// No expansion meets the budget, or the op's type has none: the op says
// why, and the pass fails.

func.func @f64(%x: f64) -> f64 {
  // expected-error @+1 {{'act.gelu' op has no expansion for its element type (f16, bf16 and f32 have them)}}
  %0 = act.gelu %x : f64
  return %0 : f64
}
