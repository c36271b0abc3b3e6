// RUN: not gelu-opt %s -act-raise-activations="tolerance=0" 2>&1 | FileCheck %s --check-prefix=ZERO
// RUN: not gelu-opt %s -act-raise-activations="tolerance=0.6" 2>&1 | FileCheck %s --check-prefix=LARGE
// RUN: not gelu-opt %s -act-raise-activations="tolerance=abc" 2>&1 | FileCheck %s --check-prefix=TEXT

// A tolerance that cannot apply is an error, not a silent default.
// ZERO: error: act-raise-activations: tolerance is 0; it must be in (0, 0.5)
// LARGE: error: act-raise-activations: tolerance is 0.6; it must be in (0, 0.5)
// TEXT: 'abc' value invalid for floating point argument

func.func @f(%x: f32) -> f32 {
  return %x : f32
}
