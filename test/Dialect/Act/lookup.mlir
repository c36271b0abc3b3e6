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

// f64 entries take i64 indices; the entries keep all of a double's bits.
// CHECK-LABEL: func.func @f64_vector
// CHECK: act.lookup %{{.*}} [1.000000e-01, 3.3333333333333331e-01] : vector<8xi64> -> vector<8xf64>
func.func @f64_vector(%i: vector<8xi64>) -> vector<8xf64> {
  %0 = act.lookup %i [0.1, 0.333333333333333314829616256247] : vector<8xi64> -> vector<8xf64>
  return %0 : vector<8xf64>
}

// Entries print with the digits they need to read back: an f32 value that
// six digits would round (0.1f), NaN and infinity as their bits.
// CHECK-LABEL: func.func @entries_read_back
// CHECK: act.lookup %{{.*}} [1.0000000149011612e-01, 0x7ff8000000000000, 0xfff0000000000000, -0.000000e+00] : i32 -> f32
func.func @entries_read_back(%i: i32) -> f32 {
  %0 = act.lookup %i [0.100000001490116119384765625, 0x7FF8000000000000, 0xFFF0000000000000, -0.0] : i32 -> f32
  return %0 : f32
}
