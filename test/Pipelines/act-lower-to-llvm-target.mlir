// act-lower-to-llvm="target=..." ends with act-llvm-target: the LLVM
// functions carry the target's triple, CPU, features and vector width, so
// that LLVM compiles them for it. With FMA (every target the kernels take)
// no libm call remains; without a target, LLVM turns llvm.fma into fmaf.

// RUN: gelu-opt %s -act-lower-to-llvm="target=x86-64-v3" | FileCheck %s
// CHECK: module attributes {llvm.target_triple = "x86_64-{{.*}}"}
// CHECK-LABEL: llvm.func @gelu_vector
// CHECK-SAME: no_unwind
// CHECK-SAME: passthrough = {{\[}}["min-legal-vector-width", "256"]]
// CHECK-SAME: prefer_vector_width = "256"
// CHECK-SAME: reciprocal_estimates = "vec-divf:1,divf:1"
// CHECK-SAME: target_cpu = "x86-64-v3"

// RUN: gelu-opt %s -act-lower-to-llvm="target=x86-64-v3" | mlir-translate --mlir-to-llvmir | llc -O2 | FileCheck %s --check-prefix=V3 --implicit-check-not=fmaf
// V3-LABEL: gelu_vector:
// V3: vfmadd

// A narrower width than the target's own is carried too.
// RUN: gelu-opt %s -act-lower-to-llvm="target=x86-64-v4 vector-bits=256" | FileCheck %s --check-prefix=V4
// V4: prefer_vector_width = "256"
// V4-SAME: target_cpu = "x86-64-v4"

// AArch64: NEON and FMA, no call either.
// RUN: gelu-opt %s -act-lower-to-llvm="target=aarch64" | mlir-translate --mlir-to-llvmir | llc -O2 | FileCheck %s --check-prefix=ARM --implicit-check-not=fmaf
// ARM-LABEL: gelu_vector:
// ARM: fmla

// Without a target nothing says FMA is there: LLVM calls fmaf.
// RUN: gelu-opt %s -act-lower-to-llvm | FileCheck %s --check-prefix=NONE --implicit-check-not=target_cpu
// NONE-LABEL: llvm.func @gelu_vector
// RUN: gelu-opt %s -act-lower-to-llvm | mlir-translate --mlir-to-llvmir | llc -O2 -mtriple=x86_64-unknown-linux-gnu | FileCheck %s --check-prefix=LIBM
// LIBM: fmaf

// Options that cannot apply are errors.
// RUN: not gelu-opt %s -act-lower-to-llvm="vector-bits=256" 2>&1 | FileCheck %s --check-prefix=NOTARGET
// NOTARGET: error: act-llvm-target needs a target: target=host, x86-64-v3, haswell, aarch64, ...
// RUN: not gelu-opt %s -act-lower-to-llvm="target=nehalem" 2>&1 | FileCheck %s --check-prefix=NEHALEM
// NEHALEM: error: act-llvm-target: target 'nehalem' lacks AVX2 and FMA
// RUN: not gelu-opt %s -act-lower-to-llvm="target=haswell vector-bits=512" 2>&1 | FileCheck %s --check-prefix=WIDE
// WIDE: error: act-llvm-target: vector_bits 512 is wider than the 256-bit vectors of target 'haswell'
// RUN: not gelu-opt %s -act-lower-to-llvm="target=nvptx-sm_80" 2>&1 | FileCheck %s --check-prefix=GPU
// GPU: error: act-llvm-target: target 'nvptx-sm_80' is a GPU
// RUN: not gelu-opt %s -act-lower-to-llvm="target=znver9" 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// UNKNOWN: error: act-llvm-target: unknown target 'znver9'

func.func @gelu_vector(%x: vector<8xf32>) -> vector<8xf32> {
  %0 = act.gelu %x : vector<8xf32>
  return %0 : vector<8xf32>
}
