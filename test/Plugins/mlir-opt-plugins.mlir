// Debian's mlir-opt-22 with gelu-jit's dialect and pass plugins: it parses
// act IR, raises a decomposed GELU, chooses an expansion from a budget (the
// tuner, by its cost model here) and expands it.
// UNSUPPORTED: sanitizers
// RUN: mlir-opt %s --load-dialect-plugin=%gelu_lib_dir/GeluActDialectPlugin.so | FileCheck %s --check-prefix=PARSE
// RUN: mlir-opt %s --load-dialect-plugin=%gelu_lib_dir/GeluActDialectPlugin.so \
// RUN:   --load-pass-plugin=%gelu_lib_dir/GeluActPassPlugin.so \
// RUN:   --pass-pipeline="builtin.module(act-raise-activations,act-select-expansion{max-abs=1e-3 ranking=cost_model})" \
// RUN:   | FileCheck %s --check-prefix=RAISE
// RUN: mlir-opt %s --load-dialect-plugin=%gelu_lib_dir/GeluActDialectPlugin.so \
// RUN:   --load-pass-plugin=%gelu_lib_dir/GeluActPassPlugin.so \
// RUN:   --pass-pipeline="builtin.module(act-raise-activations,convert-act-to-arith,act-lower-lookups)" \
// RUN:   | FileCheck %s --check-prefix=EXPAND
// RUN: mlir-opt %s --load-dialect-plugin=%gelu_lib_dir/GeluActDialectPlugin.so \
// RUN:   --load-pass-plugin=%gelu_lib_dir/GeluActPassPlugin.so \
// RUN:   --pass-pipeline="builtin.module(act-raise-activations,act-lower-to-llvm{target=x86-64-v3})" \
// RUN:   | mlir-translate --mlir-to-llvmir | FileCheck %s --check-prefix=LLVM
// RUN: not mlir-opt %s --load-dialect-plugin=%gelu_lib_dir/GeluActDialectPlugin.so \
// RUN:   --load-pass-plugin=%gelu_lib_dir/GeluActPassPlugin.so \
// RUN:   --pass-pipeline="builtin.module(act-raise-activations{tolerance=2})" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BAD

// PARSE-LABEL: func.func @already_act
// PARSE: act.gelu %arg0 approximate<tanh> : vector<8xf32>
// RAISE-LABEL: func.func @already_act
// RAISE: act.gelu %arg0 approximate<tanh> expansion<{{[a-z_]+}}>
// EXPAND-LABEL: func.func @already_act
// EXPAND-NOT: act.
// EXPAND: return
func.func @already_act(%x: vector<8xf32>) -> vector<8xf32> {
  %y = act.gelu %x approximate<tanh> : vector<8xf32>
  return %y : vector<8xf32>
}

// RAISE-LABEL: func.func @decomposed
// RAISE-NEXT: act.gelu %arg0 expansion<{{[a-z_]+}}>{{.*}} {act.raised = "0.5*x*(1 + erf(0.7071*x))"} : f32
// EXPAND-LABEL: func.func @decomposed
// EXPAND-NOT: math.erf
// EXPAND-NOT: act.
// EXPAND: return
func.func @decomposed(%x: f32) -> f32 {
  %half = arith.constant 0.5 : f32
  %one = arith.constant 1.0 : f32
  %r = arith.constant 0.70710678 : f32
  %h = arith.mulf %x, %half : f32
  %s = arith.mulf %x, %r : f32
  %e = math.erf %s : f32
  %p = arith.addf %e, %one : f32
  %y = arith.mulf %h, %p : f32
  return %y : f32
}

// Through act-lower-to-llvm to LLVM IR: no act op, no libm call.
// LLVM-LABEL: define {{.*}} @decomposed(
// LLVM-NOT: call {{.*}}@erf
// LLVM: ret float

// BAD: error: act-raise-activations: tolerance is 2; it must be in (0, 0.5)
