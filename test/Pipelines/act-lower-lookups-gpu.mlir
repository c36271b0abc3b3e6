// RUN: gelu-opt %s -act-lower-lookups | FileCheck %s

// A GPU kernel's table is an array of its gpu.module (where its code can
// name it), not of the outer module.
// CHECK-LABEL: gpu.module @kernels
// CHECK: llvm.mlir.global private constant @[[GPUTABLE:__act_lookup_[0-9a-f]+]](dense<[5.000000e-01, 2.500000e-01]>
// CHECK: func.func @gpu_scalar
// CHECK: llvm.mlir.addressof @[[GPUTABLE]]
gpu.module @kernels {
  func.func @gpu_scalar(%i: i32) -> f32 {
    %0 = act.lookup %i [0.5, 0.25] : i32 -> f32
    return %0 : f32
  }
}
