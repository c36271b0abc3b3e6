// RUN: gelu-opt %s -split-input-file -convert-act-to-arith | FileCheck %s
// RUN: gelu-opt %s -split-input-file -convert-act-to-arith=outline-min-uses=0 | FileCheck %s --check-prefix=INPLACE
// RUN: gelu-opt %s -split-input-file -convert-act-to-arith=outline-min-uses=2 -inline | FileCheck %s --check-prefix=INLINED

// Ops that compute the same thing on the same types are expanded once, in
// a private function they call, once there are outline-min-uses (default
// 4) of them: the output grows with the distinct expansions, not the ops.

// CHECK-LABEL: func.func @four_of_one_kind
// CHECK-COUNT-4: call @__act_gelu_f32(%{{.*}}) : (f32) -> f32
// CHECK-NOT: act.gelu
// CHECK: return
// CHECK-LABEL: func.func private @__act_gelu_f32(%{{.*}}: f32) -> f32
// CHECK-NOT: call
// CHECK: math.fma
// CHECK: return
// INPLACE-LABEL: func.func @four_of_one_kind
// INPLACE-NOT: call
// INPLACE-NOT: func.func private
// INLINED-LABEL: func.func @four_of_one_kind
// INLINED-NOT: call
// INLINED-NOT: act.gelu
func.func @four_of_one_kind(%x: f32) -> f32 {
  %a = act.gelu %x : f32
  %b = act.gelu %a : f32
  %c = act.gelu %b : f32
  %d = act.gelu %c : f32
  return %d : f32
}

// -----

// Three are fewer than the default: expanded in place.
// CHECK-LABEL: func.func @three_stay_inline
// CHECK-NOT: call
// CHECK-NOT: func.func private
func.func @three_stay_inline(%x: f32) -> f32 {
  %a = act.gelu %x : f32
  %b = act.gelu %a : f32
  %c = act.gelu %b : f32
  return %c : f32
}

// -----

// Another type, another form or another expansion is another function; a
// name that is taken gets a suffix; ops in several functions share one.
// CHECK-LABEL: func.func @__act_gelu_f32()
// CHECK-LABEL: func.func @kinds
// CHECK-COUNT-4: call @__act_gelu_vector_8xf32(
// CHECK-COUNT-4: call @__act_gelu_f32_0(
// CHECK-LABEL: func.func @more
// CHECK-COUNT-4: call @__act_gelu_f32_1(
// CHECK-NOT: act.gelu
// CHECK-DAG: func.func private @__act_gelu_vector_8xf32(%{{.*}}: vector<8xf32>) -> vector<8xf32>
// CHECK-DAG: func.func private @__act_gelu_f32_0(%{{.*}}: f32) -> f32
// CHECK-DAG: func.func private @__act_gelu_f32_1(%{{.*}}: f32) -> f32
func.func @__act_gelu_f32() {
  return
}
func.func @kinds(%v: vector<8xf32>, %x: f32) -> (vector<8xf32>, f32) {
  %v1 = act.gelu %v : vector<8xf32>
  %v2 = act.gelu %v1 : vector<8xf32>
  %v3 = act.gelu %v2 : vector<8xf32>
  %v4 = act.gelu %v3 : vector<8xf32>
  %x1 = act.gelu %x approximate<tanh> : f32
  %x2 = act.gelu %x1 approximate<tanh> : f32
  %x3 = act.gelu %x2 approximate<tanh> : f32
  %x4 = act.gelu %x3 approximate<tanh> : f32
  return %v4, %x4 : vector<8xf32>, f32
}
func.func @more(%x: f32) -> f32 {
  %x1 = act.gelu %x expansion<rational> : f32
  %x2 = act.gelu %x1 expansion<rational> : f32
  %x3 = act.gelu %x2 expansion<rational> : f32
  %x4 = act.gelu %x3 expansion<rational> : f32
  return %x4 : f32
}

// -----

// Tensor ops and the ops with several operands are outlined too.
// CHECK-LABEL: func.func @tensors_and_pairs
// CHECK-COUNT-4: call @__act_bias_gelu_tensor_4x_xf32(
// CHECK-COUNT-4: call @__act_swiglu_vector_4xbf16(
// CHECK-LABEL: func.func private @__act_bias_gelu_tensor_4x_xf32(%{{.*}}: tensor<4x?xf32>, %{{.*}}: tensor<4x?xf32>) -> tensor<4x?xf32>
// CHECK: linalg.generic
// CHECK-LABEL: func.func private @__act_swiglu_vector_4xbf16(
func.func @tensors_and_pairs(%t: tensor<4x?xf32>, %b: tensor<4x?xf32>,
                             %v: vector<4xbf16>) -> (tensor<4x?xf32>, vector<4xbf16>) {
  %t1 = act.bias_gelu %t, %b : tensor<4x?xf32>
  %t2 = act.bias_gelu %t1, %b : tensor<4x?xf32>
  %t3 = act.bias_gelu %t2, %b : tensor<4x?xf32>
  %t4 = act.bias_gelu %t3, %b : tensor<4x?xf32>
  %v1 = act.swiglu %v, %v : vector<4xbf16>
  %v2 = act.swiglu %v1, %v : vector<4xbf16>
  %v3 = act.swiglu %v2, %v : vector<4xbf16>
  %v4 = act.swiglu %v3, %v : vector<4xbf16>
  return %t4, %v4 : tensor<4x?xf32>, vector<4xbf16>
}
