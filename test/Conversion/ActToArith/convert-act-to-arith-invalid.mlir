// RUN: gelu-opt %s -split-input-file -convert-act-to-arith -verify-diagnostics

// No f64 expansion exists yet: the pass says so instead of a bare
// "failed to legalize".
func.func @gelu_f64(%x: f64) -> f64 {
  // expected-error @+1 {{'act.gelu' op on f64 is not supported by convert-act-to-arith yet: expansions exist for f16, bf16 and f32}}
  %0 = act.gelu %x : f64
  return %0 : f64
}

// -----

func.func @relu_f64_tensor(%x: tensor<?xf64>) -> tensor<?xf64> {
  // expected-error @+1 {{'act.relu' op on f64 is not supported by convert-act-to-arith yet: expansions exist for f16, bf16 and f32}}
  %0 = act.relu %x : tensor<?xf64>
  return %0 : tensor<?xf64>
}
