// RUN: gelu-opt %s -act-lower-to-llvm -split-input-file -verify-diagnostics
// RUN: gelu-opt %s -convert-act-to-arith -split-input-file | FileCheck %s

// act-lower-to-llvm lowers kernels (scalars and vectors) and does not
// bufferize: an act op on a tensor is an error naming what to run, not a
// module left half lowered (func and linalg.generic remained, exit 0, and
// mlir-translate then failed on the linalg dialect).
// convert-act-to-arith on its own still rewrites tensors into linalg.
// CHECK-LABEL: func.func @gelu_tensor
// CHECK: linalg.generic
func.func @gelu_tensor(%t: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'act.gelu' op on a tensor: act-lower-to-llvm lowers act ops on scalars and vectors (kernels) and does not bufferize; run convert-act-to-arith, then one-shot-bufferize and convert-linalg-to-loops, before the LLVM conversions}}
  %0 = act.gelu %t : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Vectors lower to the LLVM dialect as before.
// CHECK-LABEL: func.func @silu_vector
// CHECK: math.fma
// CHECK: return
func.func @silu_vector(%v: vector<8xf32>) -> vector<8xf32> {
  %0 = act.silu %v : vector<8xf32>
  return %0 : vector<8xf32>
}
