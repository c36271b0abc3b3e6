// RUN: gelu-opt %s -split-input-file -act-lower-hw-approximations -verify-diagnostics
// RUN: not gelu-opt %s -split-input-file -act-lower-to-llvm 2>&1 | FileCheck %s

// Without nvptx (a CPU pipeline) each op is an error that names it: no CPU
// has these instructions, and act-lower-to-llvm says so rather than leave
// the op for act-check-llvm-dialect.
// CHECK: error: 'act.hw_tanh' op is an NVIDIA GPU's approximation (tanh.approx.f32): it lowers for nvptx targets alone, and this pipeline compiles for a CPU
// CHECK: error: 'act.hw_exp2' op is an NVIDIA GPU's approximation (ex2.approx.ftz.f32)
// CHECK: error: 'act.hw_rcp' op is an NVIDIA GPU's approximation (rcp.approx.ftz.f32)
func.func @tanh(%x: f32) -> f32 {
  // expected-error @+1 {{'act.hw_tanh' op is an NVIDIA GPU's approximation (tanh.approx.f32): it lowers for nvptx targets alone, and this pipeline compiles for a CPU}}
  %0 = act.hw_tanh %x : f32
  return %0 : f32
}

// -----

func.func @exp2(%x: f32) -> f32 {
  // expected-error @+1 {{'act.hw_exp2' op is an NVIDIA GPU's approximation (ex2.approx.ftz.f32)}}
  %0 = act.hw_exp2 %x : f32
  return %0 : f32
}

// -----

func.func @rcp(%x: vector<4xf32>) -> vector<4xf32> {
  // expected-error @+1 {{'act.hw_rcp' op is an NVIDIA GPU's approximation (rcp.approx.ftz.f32)}}
  %0 = act.hw_rcp %x : vector<4xf32>
  return %0 : vector<4xf32>
}
