// RUN: gelu-opt %s -convert-act-to-arith | FileCheck %s

// f64 ops are computed in f64 (never narrowed to f32): exact GELU from
// exp(−x²/2)·t·Q(t) with x² as an exact pair (an FMA gives its low part),
// Q the four-piece fit "phi_f64" chosen by compares of 8t with 2, 4 and 6,
// and a true divide; the sigmoid-gated functions from exp(−|y|) and
// 1/(1 + e); ReLU a select. The element type of every value stays f64.

// CHECK-LABEL: func.func @gelu
// CHECK-NOT: f32
// CHECK: %[[AX:.*]] = arith.select %{{.*}} : vector<8xi1>, vector<8xf64>
// CHECK: %[[SQ:.*]] = arith.mulf %[[AX]], %[[AX]] : vector<8xf64>
// CHECK: %[[NSQ:.*]] = arith.negf %[[SQ]] : vector<8xf64>
// CHECK: math.fma %[[AX]], %[[AX]], %[[NSQ]] : vector<8xf64>
// CHECK: arith.divf %{{.*}} : vector<8xf64>
// CHECK-DAG: arith.constant dense<2.000000e+00> : vector<8xf64>
// CHECK-DAG: arith.constant dense<4.000000e+00> : vector<8xf64>
// CHECK-DAG: arith.constant dense<6.000000e+00> : vector<8xf64>
// CHECK-NOT: f32
// CHECK: return %{{.*}} : vector<8xf64>
func.func @gelu(%x: vector<8xf64>) -> vector<8xf64> {
  %0 = act.gelu %x : vector<8xf64>
  return %0 : vector<8xf64>
}

// The named f64 expansion is the same as the default.
// CHECK-LABEL: func.func @gelu_erfc
// CHECK-NOT: f32
// CHECK: arith.divf %{{.*}} : f64
// CHECK: return %{{.*}} : f64
func.func @gelu_erfc(%x: f64) -> f64 {
  %0 = act.gelu %x expansion<erfc> : f64
  return %0 : f64
}

// CHECK-LABEL: func.func @silu
// CHECK-NOT: f32
// CHECK: math.roundeven %{{.*}} : f64
// CHECK: arith.divf %{{.*}} : f64
// CHECK: return %{{.*}} : f64
func.func @silu(%x: f64) -> f64 {
  %0 = act.silu %x : f64
  return %0 : f64
}

// The tanh form's derivative, dy·GELU'(x).
// CHECK-LABEL: func.func @gelu_backward_tanh
// CHECK-NOT: f32
// CHECK: arith.divf %{{.*}} : f64
// CHECK: %[[R:.*]] = arith.mulf %{{.*}}, %arg1 : f64
// CHECK-NEXT: return %[[R]] : f64
func.func @gelu_backward_tanh(%x: f64, %dy: f64) -> f64 {
  %0 = act.gelu_backward %x, %dy {approximate = #act.approximate<tanh>} : f64
  return %0 : f64
}

// Tensors go through linalg, as for the other element types.
// CHECK-LABEL: func.func @relu_tensor
// CHECK: linalg.generic
// CHECK: arith.cmpf ole, %{{.*}}, %{{.*}} : f64
// CHECK: arith.select %{{.*}} : f64
func.func @relu_tensor(%x: tensor<?xf64>) -> tensor<?xf64> {
  %0 = act.relu %x : tensor<?xf64>
  return %0 : tensor<?xf64>
}
