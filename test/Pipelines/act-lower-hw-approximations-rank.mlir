// RUN: gelu-opt %s -act-lower-hw-approximations=nvptx=true -verify-diagnostics

// The instructions are scalar; a 1-D vector (a thread's 16-byte load) is
// done lane by lane, a 2-D one is no thread's load.
func.func @matrix(%x: vector<2x2xf32>) -> vector<2x2xf32> {
  // expected-error @+1 {{'act.hw_tanh' op lowers for NVPTX on f32 scalars and 1-D vectors, not 'vector<2x2xf32>'}}
  %0 = act.hw_tanh %x : vector<2x2xf32>
  return %0 : vector<2x2xf32>
}
