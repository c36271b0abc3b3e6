// RUN: gelu-opt %s -act-lower-hw-approximations=nvptx=true | FileCheck %s

// For NVPTX: tanh as llvm.tanh with afn (NVPTX's tanh.approx.f32), ex2 and
// rcp as the NVVM intrinsics with ftz; a vector lane by lane.
// CHECK-LABEL: func.func @scalar
// CHECK: %[[T:.*]] = llvm.intr.tanh(%{{.*}}) {fastmathFlags = #llvm.fastmath<afn>} : (f32) -> f32
// CHECK: %[[E:.*]] = llvm.call_intrinsic "llvm.nvvm.ex2.approx.ftz.f32"(%[[T]]) : (f32) -> f32
// CHECK: nvvm.rcp.approx.ftz.f %[[E]] : f32
// CHECK-NOT: act.hw
func.func @scalar(%x: f32) -> f32 {
  %0 = act.hw_tanh %x : f32
  %1 = act.hw_exp2 %0 : f32
  %2 = act.hw_rcp %1 : f32
  return %2 : f32
}

// CHECK-LABEL: func.func @vector
// CHECK-COUNT-4: llvm.intr.tanh
// CHECK-NOT: act.hw
func.func @vector(%x: vector<4xf32>) -> vector<4xf32> {
  %0 = act.hw_tanh %x : vector<4xf32>
  return %0 : vector<4xf32>
}

