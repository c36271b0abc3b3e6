// RUN: gelu-opt %s -pass-pipeline='builtin.module(func.func(convert-act-to-arith{outline-min-uses=2}))' -verify-diagnostics
// RUN: gelu-opt %s -pass-pipeline='builtin.module(func.func(convert-act-to-arith))' | FileCheck %s

// Outlining adds functions, which a pass on a function may not: a value
// the user gave is refused; the default then expands in place.
// expected-error @+1 {{convert-act-to-arith: outline-min-uses adds functions, so the pass must run on a module (builtin.module), not on 'func.func'; give outline-min-uses=0}}
func.func @nested(%x: f32) -> f32 {
  %a = act.gelu %x : f32
  %b = act.gelu %a : f32
  return %b : f32
}
// CHECK-LABEL: func.func @nested
// CHECK-NOT: call
// CHECK-NOT: act.gelu
