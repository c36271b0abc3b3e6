// RUN: gelu-opt %s -verify-diagnostics -act-select-expansion="max-ulp=0.5"

func.func @unmeetable(%x: vector<16xf32>) -> vector<16xf32> {
  // expected-error @+1 {{'act.gelu' op act-select-expansion: no expansion of gelu meets the budget (max_ulp 0.5; measured errors held to 0.8 × the bounds: max_ulp 0.4 (of 0.5)); the most accurate is 'piecewise_tail' with}}
  %0 = act.gelu %x : vector<16xf32>
  return %0 : vector<16xf32>
}
