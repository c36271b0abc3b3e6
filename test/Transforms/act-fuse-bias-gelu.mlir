// RUN: gelu-opt %s -act-fuse-bias-gelu | FileCheck %s

// Fires: a single-use sum in the gelu's block, any attributes, any type.

// CHECK-LABEL: func.func @fires
// CHECK-SAME: (%[[X:.*]]: vector<16xf32>, %[[B:.*]]: vector<16xf32>)
func.func @fires(%x: vector<16xf32>, %b: vector<16xf32>) -> vector<16xf32> {
  // CHECK-NOT: arith.addf
  // CHECK: %[[Y:.*]] = act.bias_gelu %[[X]], %[[B]] : vector<16xf32>
  // CHECK-NEXT: return %[[Y]]
  %s = arith.addf %x, %b : vector<16xf32>
  %y = act.gelu %s : vector<16xf32>
  return %y : vector<16xf32>
}

// CHECK-LABEL: func.func @keeps_attributes
func.func @keeps_attributes(%x: f32, %b: f32) -> (f32, f32) {
  // CHECK: act.bias_gelu %{{.*}}, %{{.*}} approximate<tanh> expansion<sigmoid_fast> : f32
  %s = arith.addf %x, %b : f32
  %y = act.gelu %s approximate<tanh> expansion<sigmoid_fast> : f32
  // CHECK: act.bias_gelu %{{.*}}, %{{.*}} expansion<rational> degree(3) : f32
  %t = arith.addf %x, %b fastmath<contract> : f32
  %z = act.gelu %t expansion<rational> degree(3) : f32
  return %y, %z : f32, f32
}

// CHECK-LABEL: func.func @tensors_bf16
func.func @tensors_bf16(%x: tensor<4x?xbf16>, %b: tensor<4x?xbf16>) -> tensor<4x?xbf16> {
  // CHECK: act.bias_gelu %{{.*}}, %{{.*}} : tensor<4x?xbf16>
  %s = arith.addf %x, %b : tensor<4x?xbf16>
  %y = act.gelu %s : tensor<4x?xbf16>
  return %y : tensor<4x?xbf16>
}

// Must not fire: the sum is used elsewhere too.
// CHECK-LABEL: func.func @sum_used_twice
// CHECK: %[[S:.*]] = arith.addf
// CHECK-NEXT: %[[Y:.*]] = act.gelu %[[S]] : f32
// CHECK-NEXT: return %[[Y]], %[[S]]
func.func @sum_used_twice(%x: f32, %b: f32) -> (f32, f32) {
  %s = arith.addf %x, %b : f32
  %y = act.gelu %s : f32
  return %y, %s : f32, f32
}

// Must not fire: the sum is made before a loop that holds the gelu.
// CHECK-LABEL: func.func @sum_outside_loop
// CHECK: arith.addf
// CHECK: scf.for
// CHECK: act.gelu
// CHECK-NOT: act.bias_gelu
func.func @sum_outside_loop(%x: f32, %b: f32, %n: index, %out: memref<?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %s = arith.addf %x, %b : f32
  scf.for %i = %c0 to %n step %c1 {
    %y = act.gelu %s : f32
    memref.store %y, %out[%i] : memref<?xf32>
  }
  return
}

// Must not fire: not a sum, or not a gelu.
// CHECK-LABEL: func.func @other_ops
// CHECK: arith.subf
// CHECK: act.gelu
// CHECK: arith.addf
// CHECK: act.silu
// CHECK-NOT: act.bias_gelu
func.func @other_ops(%x: f32, %b: f32) -> (f32, f32) {
  %d = arith.subf %x, %b : f32
  %y = act.gelu %d : f32
  %s = arith.addf %x, %b : f32
  %z = act.silu %s : f32
  return %y, %z : f32, f32
}

// Discardable attributes (act.raised, say) stay on the fused op.
// CHECK-LABEL: func.func @keeps_discardable_attributes
// CHECK-NEXT: act.bias_gelu %arg0, %arg1 {act.raised = "spelling", frontend.tag = 3 : i32} : f32
func.func @keeps_discardable_attributes(%x: f32, %b: f32) -> f32 {
  %s = arith.addf %x, %b : f32
  %y = act.gelu %s {act.raised = "spelling", frontend.tag = 3 : i32} : f32
  return %y : f32
}
