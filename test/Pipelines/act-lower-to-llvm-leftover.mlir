// RUN: gelu-opt %s -act-lower-to-llvm -split-input-file -verify-diagnostics
// RUN: not gelu-opt %s -act-lower-to-llvm -split-input-file 2>/dev/null | FileCheck %s --implicit-check-not=' vector.' --implicit-check-not=tensor --implicit-check-not=func.

// The upstream conversions to the LLVM dialect are partial: an op that none
// of them converts stayed in the output and act-lower-to-llvm exited 0
// (found by the IR fuzzer, on a module holding a stray vector.yield).
// act-check-llvm-dialect, the pipeline's last check, names every op left.

// expected-error @+1 {{'vector.yield' op is left after the conversions to the LLVM dialect: act-lower-to-llvm converts kernels made of act, func, scf, cf, vector, arith and math ops}}
vector.yield

// -----

// Every op left is named, not only the first; the kernel beside them is
// converted.
func.func @gelu(%x: f32) -> f32 {
  %0 = act.gelu %x : f32
  return %0 : f32
}
// expected-error @+1 {{'func.func' op is left after the conversions}}
func.func @empty() -> tensor<4xf32> {
  // expected-error @+1 {{'tensor.empty' op is left after the conversions}}
  %t = tensor.empty() : tensor<4xf32>
  // expected-error @+1 {{'func.return' op is left after the conversions}}
  return %t : tensor<4xf32>
}

// -----

// A nested module would be dropped by the translation to LLVM IR, its
// functions with it (mlir-translate exits 0 with an empty module).
module {
  // expected-error @+1 {{'builtin.module' op is nested: the translation to LLVM IR reads the top-level module alone and would drop its functions}}
  module {
    func.func @hidden(%x: f32) -> f32 {
      %0 = act.relu %x : f32
      return %0 : f32
    }
  }
}

// -----

// A module of kernels alone passes the check.
// CHECK-LABEL: llvm.func @silu
// CHECK: llvm.return
func.func @silu(%x: vector<8xf32>) -> vector<8xf32> {
  %0 = act.silu %x : vector<8xf32>
  return %0 : vector<8xf32>
}
