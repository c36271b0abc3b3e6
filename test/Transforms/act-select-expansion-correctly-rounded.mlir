// RUN: gelu-opt %s -split-input-file -verify-diagnostics -act-select-expansion="max-ulp=0.5 ranking=cost_model" | FileCheck %s

// max_ulp 0.5 on f32 asks for correctly rounded results: the GELUs',
// SiLU's and exact GELU''s correctly_rounded expansion, ReLU's exact select; a bf16 op the
// cheapest of its own expansions whose every result is correctly rounded
// (measured on all 65 536 inputs; ranked by the cost model, since several
// are, and measured times would make the choice the machine's).

// CHECK-LABEL: func.func @correctly_rounded
// CHECK: act.gelu %{{.*}} expansion<correctly_rounded> : vector<16xf32>
// CHECK: act.silu %{{.*}} expansion<correctly_rounded> : vector<16xf32>
// CHECK: act.relu %{{.*}} expansion<select> : vector<16xf32>
// CHECK: act.gelu %{{.*}} expansion<piecewise_tail> : vector<32xbf16>
// CHECK: act.gelu_backward %{{.*}}, %{{.*}} expansion<correctly_rounded> : vector<16xf32>
func.func @correctly_rounded(%x: vector<16xf32>, %h: vector<32xbf16>)
    -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<32xbf16>,
        vector<16xf32>) {
  %0 = act.gelu %x : vector<16xf32>
  %1 = act.silu %x : vector<16xf32>
  %2 = act.relu %x : vector<16xf32>
  %3 = act.gelu %h : vector<32xbf16>
  %4 = act.gelu_backward %x, %x : vector<16xf32>
  return %0, %1, %2, %3, %4 : vector<16xf32>, vector<16xf32>, vector<16xf32>,
      vector<32xbf16>, vector<16xf32>
}

// -----

func.func @no_correctly_rounded_form(%x: vector<16xf32>, %dy: vector<16xf32>)
    -> vector<16xf32> {
  // expected-error @+1 {{'act.gelu_backward' op act-select-expansion: max_ulp 0.5 on f32 asks for correctly rounded results, and no expansion of gelu_tanh_derivative promises them}}
  %0 = act.gelu_backward %x, %dy approximate<tanh> : vector<16xf32>
  return %0 : vector<16xf32>
}
