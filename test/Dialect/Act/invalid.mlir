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
