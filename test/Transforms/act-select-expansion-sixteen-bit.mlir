// RUN: gelu-opt %s -act-select-expansion="max-abs=1e-4 ranking=cost_model" | FileCheck %s

// On f16 and bf16 a budget bounds what the expansion adds to the type's
// own rounding (2.7e-3 for this SiLU, 7.8e-3 for this GELU): the budget
// failed before it did.

// CHECK-LABEL: func.func @silu_f16
// CHECK: act.silu %{{.*}} expansion<piecewise> degree(2) : vector<16xf16>
func.func @silu_f16(%x: vector<16xf16>) -> vector<16xf16> {
  %0 = act.silu %x : vector<16xf16>
  return %0 : vector<16xf16>
}

// CHECK-LABEL: func.func @gelu_bf16
// CHECK: act.gelu %{{.*}} expansion<piecewise> degree(2) : vector<16xbf16>
func.func @gelu_bf16(%x: vector<16xbf16>) -> vector<16xbf16> {
  %0 = act.gelu %x : vector<16xbf16>
  return %0 : vector<16xbf16>
}
