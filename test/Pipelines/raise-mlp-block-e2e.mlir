// End to end: examples/mlir/mlp_block.mlir (a linalg-on-tensors MLP block
// as torch-mlir writes it: matmul, then one generic with the bias add and
// GELU decomposed through math.erf) is raised to act.bias_gelu, given an
// expansion by a budget, bufferized, lowered to affine loops and
// vectorised (the act op widened to vector<8xf32>, then expanded with the
// target's table permutes), lowered to LLVM and run by mlir-runner; its main compares the result with values
// computed in double and prints whether every one is within the budget
// and kept GELU's sign.
// RUN: gelu-opt %S/../../examples/mlir/mlp_block.mlir \
// RUN:   -act-raise-activations -act-fuse-bias-gelu \
// RUN:   -act-select-expansion="max-abs=1e-4 ranking=cost_model" \
// RUN:   -one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" \
// RUN:   -convert-linalg-to-affine-loops -affine-super-vectorize="virtual-vector-size=8" \
// RUN:   -convert-act-to-arith -act-lower-lookups="target=host" -lower-affine \
// RUN:   -convert-vector-to-scf -convert-scf-to-cf -expand-strided-metadata \
// RUN:   -convert-vector-to-llvm -convert-to-llvm -reconcile-unrealized-casts \
// RUN: | mlir-runner -e main -entry-point-result=void -O2 \
// RUN:   -shared-libs=%mlir_lib_dir/libmlir_runner_utils.so,%mlir_lib_dir/libmlir_c_runner_utils.so \
// RUN: | FileCheck %s
// The vectorised loop, before the act op is expanded:
// RUN: gelu-opt %S/../../examples/mlir/mlp_block.mlir \
// RUN:   -act-raise-activations -act-fuse-bias-gelu \
// RUN:   -act-select-expansion="max-abs=1e-4 ranking=cost_model" \
// RUN:   -one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" \
// RUN:   -convert-linalg-to-affine-loops -affine-super-vectorize="virtual-vector-size=8" \
// RUN: | FileCheck %s --check-prefix=VECTOR
// The raise itself, on the IR before it is lowered:
// RUN: gelu-opt %S/../../examples/mlir/mlp_block.mlir \
// RUN:   -act-raise-activations -act-fuse-bias-gelu \
// RUN:   -act-select-expansion="max-abs=1e-4 ranking=cost_model" \
// RUN: | FileCheck %s --check-prefix=RAISED

// RAISED-LABEL: func.func @mlp_block
// RAISED: linalg.matmul
// RAISED: act.bias_gelu %{{.*}}, %{{.*}} expansion<{{[a-z_]+}}>{{.*}}{act.raised = "0.5*x*(1 + erf(0.7071*x))"} : f32
// RAISED-NOT: math.erf

// VECTOR-LABEL: func.func @mlp_block
// VECTOR: affine.for
// VECTOR: act.bias_gelu %{{.*}}, %{{.*}} expansion<{{[a-z_]+}}>{{.*}} : vector<8xf32>

// CHECK: largest error: {{[0-9.e+-]+}}
// CHECK-NEXT: within the budget: 1
// CHECK-NEXT: negative inputs, negative results: 1
