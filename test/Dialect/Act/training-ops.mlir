// RUN: gelu-opt %s | gelu-opt | FileCheck %s
// RUN: gelu-opt %s --mlir-print-op-generic | gelu-opt | FileCheck %s

// The ops of training and gated MLPs round-trip with every attribute and on
// scalars, vectors and tensors of the 16-bit types.

// CHECK-LABEL: func.func @gelu_backward
// CHECK-SAME: (%[[X:.*]]: vector<16xf32>, %[[DY:.*]]: vector<16xf32>)
func.func @gelu_backward(%x: vector<16xf32>, %dy: vector<16xf32>)
    -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>) {
  // CHECK: act.gelu_backward %[[X]], %[[DY]] : vector<16xf32>
  %0 = act.gelu_backward %x, %dy : vector<16xf32>
  // CHECK-NEXT: act.gelu_backward %[[X]], %[[DY]] approximate<tanh> expansion<sigmoid_fast> : vector<16xf32>
  %1 = act.gelu_backward %x, %dy approximate<tanh> expansion<sigmoid_fast> : vector<16xf32>
  // CHECK-NEXT: act.gelu_backward %[[X]], %[[DY]] expansion<erf> : vector<16xf32>
  %2 = act.gelu_backward %x, %dy approximate<none> expansion<erf> : vector<16xf32>
  // CHECK-NEXT: act.gelu_backward %[[X]], %[[DY]] expansion<rational_fast> degree(3) : vector<16xf32>
  %3 = act.gelu_backward %x, %dy expansion<rational_fast> degree(3) : vector<16xf32>
  return %0, %1, %2, %3 : vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>
}

// CHECK-LABEL: func.func @bias_gelu
// CHECK-SAME: (%[[X:.*]]: f32, %[[B:.*]]: f32, %[[DY:.*]]: f32)
func.func @bias_gelu(%x: f32, %b: f32, %dy: f32) -> (f32, f32, f32) {
  // CHECK: act.bias_gelu %[[X]], %[[B]] : f32
  %0 = act.bias_gelu %x, %b : f32
  // CHECK-NEXT: act.bias_gelu %[[X]], %[[B]] expansion<rational> degree(4) : f32
  %1 = act.bias_gelu %x, %b expansion<rational> degree(4) : f32
  // CHECK-NEXT: act.bias_gelu_backward %[[X]], %[[B]], %[[DY]] approximate<sigmoid> : f32
  %2 = act.bias_gelu_backward %x, %b, %dy approximate<sigmoid> : f32
  return %0, %1, %2 : f32, f32, f32
}

// CHECK-LABEL: func.func @gated
// CHECK-SAME: (%[[A:.*]]: tensor<4x?xbf16>, %[[B:.*]]: tensor<4x?xbf16>)
func.func @gated(%a: tensor<4x?xbf16>, %b: tensor<4x?xbf16>)
    -> (tensor<4x?xbf16>, tensor<4x?xbf16>, tensor<4x?xbf16>) {
  // CHECK: act.geglu %[[A]], %[[B]] : tensor<4x?xbf16>
  %0 = act.geglu %a, %b : tensor<4x?xbf16>
  // CHECK-NEXT: act.geglu %[[A]], %[[B]] approximate<tanh> : tensor<4x?xbf16>
  %1 = act.geglu %a, %b approximate<tanh> : tensor<4x?xbf16>
  // CHECK-NEXT: act.swiglu %[[A]], %[[B]] expansion<sigmoid_fast> : tensor<4x?xbf16>
  %2 = act.swiglu %a, %b expansion<sigmoid_fast> : tensor<4x?xbf16>
  return %0, %1, %2 : tensor<4x?xbf16>, tensor<4x?xbf16>, tensor<4x?xbf16>
}

// CHECK-LABEL: func.func @half
func.func @half(%x: f16, %dy: f16) -> f16 {
  // CHECK: act.gelu_backward %{{.*}}, %{{.*}} : f16
  %0 = act.gelu_backward %x, %dy : f16
  return %0 : f16
}
