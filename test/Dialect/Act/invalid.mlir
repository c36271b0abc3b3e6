// RUN: gelu-opt %s -split-input-file -verify-diagnostics

func.func @integer_operand(%x: i32) -> i32 {
  // expected-error @+1 {{'act.gelu' op operand #0 must be f16, bf16, f32 or f64 scalar, vector or ranked tensor, but got 'i32'}}
  %0 = act.gelu %x : i32
  return %0 : i32
}

// -----

func.func @integer_vector(%x: vector<4xi8>) -> vector<4xi8> {
  // expected-error @+1 {{'act.relu' op operand #0 must be f16, bf16, f32 or f64 scalar, vector or ranked tensor, but got 'vector<4xi8>'}}
  %0 = act.relu %x : vector<4xi8>
  return %0 : vector<4xi8>
}

// -----

func.func @unranked_tensor(%x: tensor<*xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{'act.silu' op operand #0 must be f16, bf16, f32 or f64 scalar, vector or ranked tensor, but got 'tensor<*xf32>'}}
  %0 = act.silu %x : tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @unsupported_float(%x: f8E4M3FN) -> f8E4M3FN {
  // expected-error @+1 {{'act.gelu' op operand #0 must be f16, bf16, f32 or f64 scalar, vector or ranked tensor, but got 'f8E4M3FN'}}
  %0 = act.gelu %x : f8E4M3FN
  return %0 : f8E4M3FN
}

// -----

func.func @result_type_mismatch(%x: f32) -> f64 {
  // expected-error @+1 {{'act.gelu' op requires the same type for all operands and results}}
  %0 = "act.gelu"(%x) : (f32) -> f64
  return %0 : f64
}

// -----

func.func @approximate_not_an_enum(%x: f32) -> f32 {
  // expected-error @+1 {{'act.gelu' op attribute 'approximate' failed to satisfy constraint: GELU reference function: none (exact), tanh or sigmoid}}
  %0 = "act.gelu"(%x) {approximate = 3 : i32} : (f32) -> f32
  return %0 : f32
}

// -----

func.func @unknown_approximate(%x: f32) -> f32 {
  // expected-error @+2 {{expected ::gelu::act::Approximate to be one of: none, tanh, sigmoid}}
  // expected-error @+1 {{failed to parse Act_ApproximateAttr parameter 'value'}}
  %0 = act.gelu %x approximate<erf> : f32
  return %0 : f32
}

// -----

func.func @silu_has_no_approximate(%x: f32) -> f32 {
  // expected-error @+1 {{expected ':'}}
  %0 = act.silu %x approximate<tanh> : f32
  return %0 : f32
}

// -----

func.func @expansion_of_another_function(%x: f32) -> f32 {
  // expected-error @+1 {{'act.gelu' op expansion 'tanh' does not compute gelu; expected 'piecewise_tail', 'erfc', 'erfc_fast', 'rational', 'erf', 'rational_fast', 'approx_tanh', 'approx_sigmoid', 'piecewise'}}
  %0 = act.gelu %x expansion<tanh> : f32
  return %0 : f32
}

// -----

func.func @silu_has_no_erfc_form(%x: f32) -> f32 {
  // expected-error @+1 {{'act.silu' op expansion 'erfc' does not compute silu; expected 'piecewise_tail', 'sigmoid', 'sigmoid_fast', 'rational', 'rational_fast', 'piecewise'}}
  %0 = act.silu %x expansion<erfc> : f32
  return %0 : f32
}

// -----

func.func @silu_degree_needs_a_fitted_form(%x: f32) -> f32 {
  // expected-error @+1 {{'act.silu' op degree needs an expansion that has degrees ('rational', 'rational_fast', 'piecewise', 'piecewise_graded', 'polynomial' or a gate's 'piecewise_tail')}}
  %0 = act.silu %x expansion<sigmoid> degree(4) : f32
  return %0 : f32
}

// -----

func.func @relu_has_no_degree(%x: f32) -> f32 {
  // expected-error @+1 {{'act.relu' op degree needs an expansion that has degrees ('rational', 'rational_fast', 'piecewise', 'piecewise_graded', 'polynomial' or a gate's 'piecewise_tail')}}
  %0 = act.relu %x degree(3) : f32
  return %0 : f32
}

// -----

func.func @gelu_backward_tanh_has_no_erfc_form(%x: f32, %dy: f32) -> f32 {
  // expected-error @+1 {{'act.gelu_backward' op expansion 'erfc' does not compute gelu_tanh_derivative; expected 'piecewise_tail', 'sigmoid', 'sigmoid_fast', 'rational', 'rational_fast'}}
  %0 = act.gelu_backward %x, %dy approximate<tanh> expansion<erfc> : f32
  return %0 : f32
}

// -----

func.func @tanh_gelu_has_no_erfc(%x: f32) -> f32 {
  // expected-error @+1 {{'act.gelu' op expansion 'erfc' does not compute gelu_tanh; expected 'piecewise_tail', 'sigmoid', 'sigmoid_fast', 'rational', 'rational_fast', 'tanh', 'piecewise'}}
  %0 = act.gelu %x approximate<tanh> expansion<erfc> : f32
  return %0 : f32
}

// -----

func.func @silu_expansion(%x: f32) -> f32 {
  // expected-error @+1 {{'act.silu' op expansion 'erfc_fast' does not compute silu; expected 'piecewise_tail', 'sigmoid', 'sigmoid_fast'}}
  %0 = act.silu %x expansion<erfc_fast> : f32
  return %0 : f32
}

// -----

func.func @relu_expansion(%x: f32) -> f32 {
  // expected-error @+1 {{'act.relu' op expansion 'sigmoid' does not compute relu; expected 'select'}}
  %0 = act.relu %x expansion<sigmoid> : f32
  return %0 : f32
}

// -----

func.func @unknown_expansion(%x: f32) -> f32 {
  // expected-error @+2 {{expected ::gelu::act::Expansion to be one of: erfc, erfc_fast, approx_tanh, approx_sigmoid, sigmoid, sigmoid_fast, tanh, select}}
  // expected-error @+1 {{failed to parse Act_ExpansionAttr parameter 'value'}}
  %0 = act.gelu %x expansion<pade> : f32
  return %0 : f32
}

// -----

func.func @degree_without_expansion(%x: f32) -> f32 {
  // expected-error @+1 {{'act.gelu' op degree needs an expansion that has degrees ('rational', 'rational_fast', 'piecewise', 'piecewise_graded', 'polynomial' or a gate's 'piecewise_tail')}}
  %0 = act.gelu %x degree(3) : f32
  return %0 : f32
}

// -----

func.func @degree_of_fixed_expansion(%x: f32) -> f32 {
  // expected-error @+1 {{'act.gelu' op degree needs an expansion that has degrees ('rational', 'rational_fast', 'piecewise', 'piecewise_graded', 'polynomial' or a gate's 'piecewise_tail')}}
  %0 = act.gelu %x expansion<erfc> degree(3) : f32
  return %0 : f32
}

// -----

func.func @degree_not_fitted(%x: f32) -> f32 {
  // expected-error @+1 {{'act.gelu' op expansion 'rational' has no degree 7; expected 2, 3, 4, 5 or 6}}
  %0 = act.gelu %x expansion<rational> degree(7) : f32
  return %0 : f32
}

// -----

// The table-free polynomial form's degree is its polynomial's, 3 to 6.
func.func @polynomial_degree_two(%x: f32) -> f32 {
  // expected-error @+1 {{'act.gelu' op expansion 'polynomial' has no degree 2; expected 3, 4, 5 or 6}}
  %0 = act.gelu %x expansion<polynomial> degree(2) : f32
  return %0 : f32
}

// -----

// The graded tables exist at the ladder's degrees, 1 to 3.
func.func @piecewise_graded_degree_four(%x: f32) -> f32 {
  // expected-error @+1 {{'act.silu' op expansion 'piecewise_graded' has no degree 4; expected 1, 2 or 3}}
  %0 = act.silu %x expansion<piecewise_graded> degree(4) : f32
  return %0 : f32
}

// -----

// ReLU has neither.
func.func @relu_piecewise_graded(%x: f32) -> f32 {
  // expected-error @+1 {{'act.relu' op expansion 'piecewise_graded' does not compute relu; expected 'select'}}
  %0 = act.relu %x expansion<piecewise_graded> : f32
  return %0 : f32
}

// -----

// It is a form of the gates; ReLU has its select only.
func.func @relu_polynomial(%x: f32) -> f32 {
  // expected-error @+1 {{'act.relu' op expansion 'polynomial' does not compute relu; expected 'select'}}
  %0 = act.relu %x expansion<polynomial> : f32
  return %0 : f32
}

// -----

func.func @rational_degree_one(%x: f32) -> f32 {
  // expected-error @+1 {{'act.gelu' op expansion 'rational' has no degree 1; expected 2, 3, 4, 5 or 6}}
  %0 = act.gelu %x expansion<rational> degree(1) : f32
  return %0 : f32
}

// -----

func.func @degree_not_positive(%x: f32) -> f32 {
  // expected-error @+1 {{'act.gelu' op attribute 'degree' failed to satisfy constraint: 32-bit signless integer attribute whose value is positive}}
  %0 = act.gelu %x expansion<rational> degree(0) : f32
  return %0 : f32
}

// -----

func.func @correctly_rounded_bf16(%x: vector<16xbf16>) -> vector<16xbf16> {
  // expected-error @+1 {{'act.gelu' op expansion 'correctly_rounded' rounds f32 results; this op's element type is 'bf16'}}
  %0 = act.gelu %x expansion<correctly_rounded> : vector<16xbf16>
  return %0 : vector<16xbf16>
}

// -----

func.func @correctly_rounded_tanh_derivative(%x: f32, %dy: f32) -> f32 {
  // expected-error @+1 {{'act.gelu_backward' op expansion 'correctly_rounded' does not compute gelu_tanh_derivative}}
  %0 = act.gelu_backward %x, %dy approximate<tanh> expansion<correctly_rounded> : f32
  return %0 : f32
}

// -----

// f64 has its evaluations in f64 and the f32 tables (`piecewise`).
func.func @f64_rational_form(%x: vector<8xf64>) -> vector<8xf64> {
  // expected-error @+1 {{'act.gelu' op expansion 'rational' has no f64 form; on f64, gelu has 'piecewise_tail', 'erfc', 'piecewise'}}
  %0 = act.gelu %x expansion<rational> : vector<8xf64>
  return %0 : vector<8xf64>
}

// -----

// The graded tables and the table-free polynomials are f32 forms only.
func.func @f64_piecewise_graded(%x: f64, %dy: f64) -> f64 {
  // expected-error @+1 {{'act.gelu_backward' op expansion 'piecewise_graded' has no f64 form; on f64, gelu_derivative has 'erfc', 'piecewise'}}
  %0 = act.gelu_backward %x, %dy expansion<piecewise_graded> : f64
  return %0 : f64
}

// -----

func.func @f64_correctly_rounded(%x: f64) -> f64 {
  // expected-error @+1 {{'act.silu' op expansion 'correctly_rounded' has no f64 form; on f64, silu has 'piecewise_tail', 'sigmoid', 'piecewise'}}
  %0 = act.silu %x expansion<correctly_rounded> : f64
  return %0 : f64
}

// -----

// A gate's piecewise_tail takes the piecewise tables from degree 5 up to
// its own table's (the default, named by no degree).
func.func @piecewise_tail_degree_four(%x: f32) -> f32 {
  // expected-error @+1 {{'act.gelu' op expansion 'piecewise_tail' has no degree 4; expected 5, 6 or none (its own table, degree 7)}}
  %0 = act.gelu %x expansion<piecewise_tail> degree(4) : f32
  return %0 : f32
}

// -----

// Tanh GELU's own table is degree 7: degrees 5 and 6 are other kernels.
func.func @piecewise_tail_own_degree(%x: f32) -> f32 {
  // expected-error @+1 {{'act.gelu' op expansion 'piecewise_tail' has no degree 7; expected 5, 6 or none (its own table, degree 7)}}
  %0 = act.gelu %x approximate<tanh> expansion<piecewise_tail> degree(7) : f32
  return %0 : f32
}

// -----

// SiLU's own table is degree 5 (on all 31 intervals): no lower degree.
func.func @piecewise_tail_no_lower_degree(%x: f32) -> f32 {
  // expected-error @+1 {{'act.silu' op expansion 'piecewise_tail' of silu has one table: no degree (lower degrees exist for gelu, gelu_tanh below f64, for gelu, gelu_tanh, gelu_sigmoid, silu on f64)}}
  %0 = act.silu %x expansion<piecewise_tail> degree(5) : f32
  return %0 : f32
}

// -----

// f64 exact GELU's piecewise_tail: its own table (degree 13) takes no
// degree, the lower ones are 4 to 12.
func.func @piecewise_tail_degree_f64(%x: f64) -> f64 {
  // expected-error @+1 {{'act.gelu' op expansion 'piecewise_tail' has no degree 13; expected 4, 5, 6, 7, 8, 9, 10, 11, 12 or none (its own table, degree 13)}}
  %0 = act.gelu %x expansion<piecewise_tail> degree(13) : f64
  return %0 : f64
}

// -----

// f64 exact GELU's piecewise_tail degrees are its own, not f32's.
func.func @piecewise_tail_degree_f64_low(%x: f64) -> f64 {
  // expected-error @+1 {{'act.gelu' op expansion 'piecewise_tail' has no degree 3; expected 4, 5, 6, 7, 8, 9, 10, 11, 12 or none (its own table, degree 13)}}
  %0 = act.gelu %x expansion<piecewise_tail> degree(3) : f64
  return %0 : f64
}
