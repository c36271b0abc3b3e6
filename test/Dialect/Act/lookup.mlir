// RUN: gelu-opt %s | gelu-opt | FileCheck %s
// RUN: gelu-opt %s --mlir-print-op-generic | gelu-opt | FileCheck %s

// act.lookup, the expansions' table lookup, round-trips on scalars and
// vectors; convert-act-to-arith leaves it (it is not an activation).
// RUN: gelu-opt %s -convert-act-to-arith | FileCheck %s --check-prefix=ARITH

// CHECK-LABEL: func.func @scalar
// CHECK: act.lookup %{{.*}} [1.000000e+00, -1.000000e+00] : i32 -> f32
// ARITH-LABEL: func.func @scalar
// ARITH: act.lookup
func.func @scalar(%i: i32) -> f32 {
  %0 = act.lookup %i [1.0, -1.0] : i32 -> f32
  return %0 : f32
}

// CHECK-LABEL: func.func @vector
// CHECK: act.lookup %{{.*}} [5.000000e-01, 2.500000e-01, 1.250000e-01, 6.250000e-02] : vector<16xi32> -> vector<16xf32>
func.func @vector(%i: vector<16xi32>) -> vector<16xf32> {
  %0 = act.lookup %i [0.5, 0.25, 0.125, 0.0625] : vector<16xi32> -> vector<16xf32>
  return %0 : vector<16xf32>
}

// CHECK-LABEL: func.func @matrix
// CHECK: act.lookup %{{.*}} : vector<2x8xi32> -> vector<2x8xf32>
func.func @matrix(%i: vector<2x8xi32>) -> vector<2x8xf32> {
  %0 = act.lookup %i [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0] : vector<2x8xi32> -> vector<2x8xf32>
  return %0 : vector<2x8xf32>
}
