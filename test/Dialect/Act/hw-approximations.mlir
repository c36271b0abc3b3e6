// RUN: gelu-opt %s | gelu-opt | FileCheck %s
// RUN: gelu-opt %s --mlir-print-op-generic | gelu-opt | FileCheck %s

// The GPU's approximations, which the hw_tanh and hw_sigmoid expansions
// make, round-trip on f32 scalars and vectors; convert-act-to-arith leaves
// them (they are not activations).
// RUN: gelu-opt %s -convert-act-to-arith | FileCheck %s --check-prefix=ARITH

// CHECK-LABEL: func.func @scalar
// CHECK: act.hw_tanh %{{.*}} : f32
// CHECK: act.hw_exp2 %{{.*}} : f32
// CHECK: act.hw_rcp %{{.*}} : f32
// ARITH-LABEL: func.func @scalar
// ARITH: act.hw_tanh
// ARITH: act.hw_exp2
// ARITH: act.hw_rcp
func.func @scalar(%x: f32) -> f32 {
  %0 = act.hw_tanh %x : f32
  %1 = act.hw_exp2 %0 : f32
  %2 = act.hw_rcp %1 : f32
  return %2 : f32
}

// CHECK-LABEL: func.func @vector
// CHECK: act.hw_tanh %{{.*}} : vector<4xf32>
func.func @vector(%x: vector<4xf32>) -> vector<4xf32> {
  %0 = act.hw_tanh %x : vector<4xf32>
  return %0 : vector<4xf32>
}

// The expansions that make them, as attributes of the ops that take them.
// CHECK-LABEL: func.func @expansions
// CHECK: act.gelu %{{.*}} approximate<tanh> expansion<hw_tanh> : f32
// CHECK: act.silu %{{.*}} expansion<hw_sigmoid> : f32
func.func @expansions(%x: f32) -> (f32, f32) {
  %0 = act.gelu %x approximate<tanh> expansion<hw_tanh> : f32
  %1 = act.silu %x expansion <hw_sigmoid> : f32
  return %0, %1 : f32, f32
}
