// RUN: gelu-opt %s -verify-diagnostics -act-select-expansion="max-ulp=0.4"

func.func @unmeetable(%x: vector<16xf32>) -> vector<16xf32> {
  // expected-error @+1 {{'act.gelu' op act-select-expansion: no expansion of gelu meets the budget (max_ulp 0.4; measured errors held to 0.8 × the bounds: max_ulp 0.32 (of 0.4)); the most accurate is 'correctly_rounded' with 0.50 ULP}}
  %0 = act.gelu %x : vector<16xf32>
  return %0 : vector<16xf32>
}
