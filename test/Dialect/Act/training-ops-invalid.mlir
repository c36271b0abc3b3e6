// RUN: gelu-opt %s -split-input-file -verify-diagnostics

func.func @backward_mixed_types(%x: f32, %dy: f16) -> f32 {
  // expected-error @+1 {{'act.gelu_backward' op requires the same type for all operands and results}}
  %0 = "act.gelu_backward"(%x, %dy) : (f32, f16) -> f32
  return %0 : f32
}

// -----

func.func @backward_sigmoid(%x: f32, %dy: f32) -> f32 {
  // expected-error @+1 {{'act.gelu_backward' op expansion 'sigmoid' does not compute gelu_derivative; expected 'piecewise_tail', 'erfc', 'erfc_fast', 'rational', 'erf', 'rational_fast', 'approx_tanh', 'approx_sigmoid'}}
  %0 = act.gelu_backward %x, %dy expansion<sigmoid> : f32
  return %0 : f32
}

// -----

func.func @backward_degree(%x: f32, %dy: f32) -> f32 {
  // expected-error @+1 {{'act.gelu_backward' op expansion 'rational' has no degree 7; expected 2, 3, 4, 5 or 6}}
  %0 = act.gelu_backward %x, %dy expansion<rational> degree(7) : f32
  return %0 : f32
}

// -----

func.func @backward_degree_erfc(%x: f32, %dy: f32) -> f32 {
  // expected-error @+1 {{'act.gelu_backward' op degree needs an expansion that has degrees ('rational', 'rational_fast', 'piecewise', 'piecewise_graded', 'polynomial' or a gate's 'piecewise_tail')}}
  %0 = act.gelu_backward %x, %dy expansion<erfc> degree(4) : f32
  return %0 : f32
}

// -----

// The derivatives' `polynomial` form has the gates' degrees, 3 to 6.
func.func @backward_polynomial_degree(%x: f32, %dy: f32) -> f32 {
  // expected-error @+1 {{'act.gelu_backward' op expansion 'polynomial' has no degree 7; expected 3, 4, 5 or 6}}
  %0 = act.gelu_backward %x, %dy expansion<polynomial> degree(7) : f32
  return %0 : f32
}

// -----

func.func @backward_tanh_erfc(%x: f32, %dy: f32) -> f32 {
  // expected-error @+1 {{'act.gelu_backward' op expansion 'erfc' does not compute gelu_tanh_derivative; expected 'piecewise_tail', 'sigmoid', 'sigmoid_fast'}}
  %0 = act.gelu_backward %x, %dy approximate<tanh> expansion<erfc> : f32
  return %0 : f32
}

// -----

func.func @bias_backward_expansion(%x: f32, %b: f32, %dy: f32) -> f32 {
  // expected-error @+1 {{'act.bias_gelu_backward' op expansion 'sigmoid' does not compute gelu_derivative; expected 'piecewise_tail', 'erfc', 'erfc_fast', 'rational', 'erf', 'rational_fast', 'approx_tanh', 'approx_sigmoid'}}
  %0 = act.bias_gelu_backward %x, %b, %dy expansion<sigmoid> : f32
  return %0 : f32
}

// -----

func.func @bias_gelu_degree(%x: f32, %b: f32) -> f32 {
  // expected-error @+1 {{'act.bias_gelu' op expansion 'rational' has no degree 9; expected 2, 3, 4, 5 or 6}}
  %0 = act.bias_gelu %x, %b expansion<rational> degree(9) : f32
  return %0 : f32
}

// -----

func.func @bias_gelu_shapes(%x: vector<8xf32>, %b: vector<4xf32>) -> vector<8xf32> {
  // expected-error @+1 {{'act.bias_gelu' op requires the same type for all operands and results}}
  %0 = "act.bias_gelu"(%x, %b) : (vector<8xf32>, vector<4xf32>) -> vector<8xf32>
  return %0 : vector<8xf32>
}

// -----

func.func @geglu_degree_without_expansion(%a: f32, %b: f32) -> f32 {
  // expected-error @+1 {{'act.geglu' op degree needs an expansion that has degrees ('rational', 'rational_fast', 'piecewise', 'piecewise_graded', 'polynomial' or a gate's 'piecewise_tail')}}
  %0 = act.geglu %a, %b degree(3) : f32
  return %0 : f32
}

// -----

func.func @swiglu_erfc(%a: f32, %b: f32) -> f32 {
  // expected-error @+1 {{'act.swiglu' op expansion 'erfc' does not compute silu; expected 'piecewise_tail', 'sigmoid', 'sigmoid_fast'}}
  %0 = act.swiglu %a, %b expansion<erfc> : f32
  return %0 : f32
}

// -----

func.func @swiglu_integer(%a: i32, %b: i32) -> i32 {
  // expected-error @+1 {{'act.swiglu' op operand #0 must be f16, bf16, f32 or f64 scalar, vector or ranked tensor, but got 'i32'}}
  %0 = act.swiglu %a, %b : i32
  return %0 : i32
}

// -----

// The derivatives' piecewise_tail is one root-factored table.
func.func @backward_piecewise_tail_degree(%x: f32, %dy: f32) -> f32 {
  // expected-error @+1 {{'act.gelu_backward' op expansion 'piecewise_tail' of gelu_derivative has one table: no degree (lower degrees exist for gelu, gelu_tanh below f64, for gelu, gelu_tanh, gelu_sigmoid, silu on f64)}}
  %0 = act.gelu_backward %x, %dy expansion<piecewise_tail> degree(5) : f32
  return %0 : f32
}
