// RUN: gelu-opt %s -split-input-file -verify-diagnostics
// RUN: gelu-opt %s -split-input-file -verify-diagnostics -convert-act-to-arith

// The hostile-input battery for IR: malformed text and ill-typed act ops
// are errors at their place, never a crash. Add a case per split.

// expected-error @+1 {{custom op 'act.geluu' is unknown}}
%0 = act.geluu %x : f32

// -----

func.func @wrong_type(%x: i32) -> i32 {
  // expected-error @+1 {{'act.gelu' op operand #0 must be f16, bf16, f32 or f64 scalar, vector or ranked tensor}}
  %0 = act.gelu %x : i32
  return %0 : i32
}

// -----

func.func @unranked(%x: tensor<*xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{'act.gelu' op operand #0 must be f16, bf16, f32 or f64 scalar, vector or ranked tensor}}
  %0 = act.gelu %x : tensor<*xf32>
  return %0 : tensor<*xf32>
}

// -----

func.func @bad_approximate(%x: f32) -> f32 {
  // expected-error @+2 {{expected ::gelu::act::Approximate to be one of: none, tanh, sigmoid}}
  // expected-error @+1 {{failed to parse Act_ApproximateAttr parameter 'value'}}
  %0 = act.gelu %x approximate<erf> : f32
  return %0 : f32
}

// -----

func.func @huge_degree(%x: f32) -> f32 {
  // expected-error @+1 {{'act.gelu' op expansion 'rational' has no degree 2147483647; expected 2, 3, 4, 5 or 6}}
  %0 = act.gelu %x expansion<rational> degree(2147483647) : f32
  return %0 : f32
}

// -----

func.func @generic_form_mismatch(%x: f32) -> f16 {
  // expected-error @+1 {{'act.gelu' op requires the same type for all operands and results}}
  %0 = "act.gelu"(%x) : (f32) -> f16
  return %0 : f16
}

// -----

func.func @unterminated(%x: f32) -> f32 {
  %0 = act.gelu %x : f32
  return %0 : f32
// The end of the file comes before the function's '}'.
// expected-error {{expected operation name in quotes}}
