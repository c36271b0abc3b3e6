// RUN: gelu-opt %s | gelu-opt | FileCheck %s
// RUN: gelu-opt %s --mlir-print-op-generic | gelu-opt | FileCheck %s

// Every act op, every approximation and every accepted type round-trips.

// CHECK-LABEL: func.func @gelu_forms
// CHECK-SAME: (%[[X:.*]]: f32)
func.func @gelu_forms(%x: f32) -> (f32, f32, f32, f32) {
  // CHECK: act.gelu %[[X]] : f32
  %0 = act.gelu %x : f32
  // The default approximation is elided when printed.
  // CHECK-NEXT: act.gelu %[[X]] : f32
  %1 = act.gelu %x approximate<none> : f32
  // CHECK-NEXT: act.gelu %[[X]] approximate<tanh> : f32
  %2 = act.gelu %x approximate<tanh> : f32
  // CHECK-NEXT: act.gelu %[[X]] approximate<sigmoid> : f32
  %3 = act.gelu %x approximate<sigmoid> : f32
  return %0, %1, %2, %3 : f32, f32, f32, f32
}

// CHECK-LABEL: func.func @expansions
func.func @expansions(%x: f32) -> (f32, f32, f32, f32, f32, f32) {
  // CHECK: act.gelu %{{.*}} expansion<erfc_fast> : f32
  %0 = act.gelu %x expansion<erfc_fast> : f32
  // CHECK: act.gelu %{{.*}} expansion<approx_tanh> : f32
  %1 = act.gelu %x expansion<approx_tanh> : f32
  // CHECK: act.gelu %{{.*}} approximate<tanh> expansion<tanh> : f32
  %2 = act.gelu %x approximate<tanh> expansion<tanh> : f32
  // CHECK: act.silu %{{.*}} expansion<sigmoid_fast> : f32
  %3 = act.silu %x expansion<sigmoid_fast> : f32
  // CHECK: act.relu %{{.*}} expansion<select> : f32
  %4 = act.relu %x expansion<select> : f32
  // CHECK: act.gelu %{{.*}} approximate<tanh> expansion<correctly_rounded> : f32
  %5 = act.gelu %x approximate<tanh> expansion<correctly_rounded> : f32
  return %0, %1, %2, %3, %4, %5 : f32, f32, f32, f32, f32, f32
}

// The rational forms of SiLU, SwiGLU and the approximate GELUs, with a
// degree.
// CHECK-LABEL: func.func @rational_forms
func.func @rational_forms(%x: vector<8xf32>, %u: vector<8xf32>) -> (vector<8xf32>, vector<8xf32>, vector<8xf32>) {
  // CHECK: act.silu %{{.*}} expansion<rational_fast> degree(4) : vector<8xf32>
  %0 = act.silu %x expansion<rational_fast> degree(4) : vector<8xf32>
  // CHECK: act.swiglu %{{.*}}, %{{.*}} expansion<rational> degree(5) : vector<8xf32>
  %1 = act.swiglu %x, %u expansion<rational> degree(5) : vector<8xf32>
  // CHECK: act.gelu %{{.*}} approximate<tanh> expansion<rational> degree(3) : vector<8xf32>
  %2 = act.gelu %x approximate<tanh> expansion<rational> degree(3) : vector<8xf32>
  return %0, %1, %2 : vector<8xf32>, vector<8xf32>, vector<8xf32>
}

// The clamped forms of exact GELU.
// CHECK-LABEL: func.func @clamped_expansions
func.func @clamped_expansions(%x: vector<16xf32>) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>) {
  // CHECK: act.gelu %{{.*}} expansion<rational> : vector<16xf32>
  %0 = act.gelu %x expansion<rational> : vector<16xf32>
  // CHECK: act.gelu %{{.*}} expansion<rational_fast> : vector<16xf32>
  %1 = act.gelu %x expansion<rational_fast> : vector<16xf32>
  // CHECK: act.gelu %{{.*}} expansion<erf> : vector<16xf32>
  %2 = act.gelu %x expansion<erf> : vector<16xf32>
  return %0, %1, %2 : vector<16xf32>, vector<16xf32>, vector<16xf32>
}

// The rational forms at a chosen degree.
// CHECK-LABEL: func.func @rational_degrees
func.func @rational_degrees(%x: vector<16xf32>) -> (vector<16xf32>, vector<16xf32>) {
  // CHECK: act.gelu %{{.*}} expansion<rational> degree(2) : vector<16xf32>
  %0 = act.gelu %x expansion<rational> degree(2) : vector<16xf32>
  // CHECK: act.gelu %{{.*}} expansion<rational_fast> degree(5) : vector<16xf32>
  %1 = act.gelu %x expansion<rational_fast> degree(5) : vector<16xf32>
  return %0, %1 : vector<16xf32>, vector<16xf32>
}

// CHECK-LABEL: func.func @element_types
func.func @element_types(%a: f16, %b: bf16, %c: f64) -> (f16, bf16, f64) {
  // CHECK: act.gelu %{{.*}} : f16
  %0 = act.gelu %a : f16
  // CHECK: act.silu %{{.*}} : bf16
  %1 = act.silu %b : bf16
  // CHECK: act.relu %{{.*}} : f64
  %2 = act.relu %c : f64
  return %0, %1, %2 : f16, bf16, f64
}

// CHECK-LABEL: func.func @shaped
func.func @shaped(%v: vector<16xf32>, %m: vector<2x8xbf16>,
                  %t: tensor<4x?xf16>, %s: tensor<f32>)
    -> (vector<16xf32>, vector<2x8xbf16>, tensor<4x?xf16>, tensor<f32>) {
  // CHECK: act.gelu %{{.*}} approximate<tanh> : vector<16xf32>
  %0 = act.gelu %v approximate<tanh> : vector<16xf32>
  // CHECK: act.silu %{{.*}} : vector<2x8xbf16>
  %1 = act.silu %m : vector<2x8xbf16>
  // CHECK: act.relu %{{.*}} : tensor<4x?xf16>
  %2 = act.relu %t : tensor<4x?xf16>
  // CHECK: act.gelu %{{.*}} approximate<sigmoid> : tensor<f32>
  %3 = act.gelu %s approximate<sigmoid> : tensor<f32>
  return %0, %1, %2, %3
      : vector<16xf32>, vector<2x8xbf16>, tensor<4x?xf16>, tensor<f32>
}
