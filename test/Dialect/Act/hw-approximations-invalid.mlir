// RUN: gelu-opt %s -split-input-file -verify-diagnostics

func.func @f64(%x: f64) -> f64 {
  // expected-error @+1 {{'act.hw_tanh' op operand #0 must be 32-bit float or vector of 32-bit float values, but got 'f64'}}
  %0 = act.hw_tanh %x : f64
  return %0 : f64
}

// -----

// Exact GELU is no x·σ(y) function: it has no hardware form.
func.func @exact(%x: f32) -> f32 {
  // expected-error @+1 {{'act.gelu' op}}
  %0 = act.gelu %x expansion <hw_tanh> : f32
  return %0 : f32
}

// -----

func.func @derivative(%x: f32, %dy: f32) -> f32 {
  // expected-error @+1 {{'act.gelu_backward' op}}
  %0 = act.gelu_backward %x, %dy approximate <tanh> expansion <hw_sigmoid> : f32
  return %0 : f32
}
