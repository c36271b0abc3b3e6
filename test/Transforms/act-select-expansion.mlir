// RUN: gelu-opt %s -split-input-file -act-select-expansion="max-abs=1e-2 ranking=cost_model" | FileCheck %s --check-prefix=ABS2
// RUN: gelu-opt %s -split-input-file -act-select-expansion="spec=%S/Inputs/ulp8-positive.json" | FileCheck %s --check-prefix=SPEC
// RUN: gelu-opt %s -split-input-file -act-select-expansion="max-ulp=4 ranking=cost_model" | FileCheck %s --check-prefix=ULP4
// RUN: gelu-opt %s -split-input-file -act-select-expansion | FileCheck %s --check-prefix=DEFAULT

// Each op gets the choice for its own function and element type; an op
// that names its expansion keeps it.

// ABS2-LABEL: func.func @choices
// ABS2: act.gelu %{{.*}} expansion<polynomial> degree(4) : vector<16xf32>
// Tanh GELU and SiLU have ladders of their own. At 1e-2 exact GELU's
// table-free polynomial of degree 4 (11 operations a vector) is cheaper
// than the tables' degree 1 (12, its polynomials expanded in u); tanh GELU
// on bf16 values and SiLU need the polynomial's degree 5 (degree 4: 5.8e-3
// in f32, over the tuner's margin of 0.8 there; 1.2e-2), which costs as
// much as the table, and the tie goes to the table, first in the catalog.
// ABS2: act.gelu %{{.*}} approximate<tanh> expansion<piecewise> degree(1) : vector<32xbf16>
// ABS2: act.silu %{{.*}} expansion<piecewise> degree(1) : f32
// ABS2: act.gelu %{{.*}} expansion<erfc_fast> : f32
// ABS2: act.relu %{{.*}} expansion<select> : vector<16xf32>

// SPEC-LABEL: func.func @choices
// SPEC: act.gelu %{{.*}} expansion<piecewise> degree(3) : vector<16xf32>
// SPEC: act.gelu %{{.*}} approximate<tanh> expansion<polynomial> degree(3) : vector<32xbf16>
// SPEC: act.silu %{{.*}} expansion<piecewise> degree(5) : f32

// ULP4-LABEL: func.func @choices
// ULP4: act.gelu %{{.*}} expansion<piecewise_tail> : vector<16xf32>
// In bf16, the fast sigmoid form is within 4 ULP too.
// ULP4: act.gelu %{{.*}} approximate<tanh> expansion<sigmoid_fast> : vector<32xbf16>
// SiLU's own table (degree 5 on all 31 intervals, 2.7 ULP) is its cheapest
// within 4 ULP: it has no lower piecewise_tail degree.
// ULP4: act.silu %{{.*}} expansion<piecewise_tail> : f32

// Without a budget: the accurate default, named.
// DEFAULT-LABEL: func.func @choices
// DEFAULT: act.gelu %{{.*}} expansion<piecewise_tail> : vector<16xf32>
// DEFAULT: act.gelu %{{.*}} approximate<tanh> expansion<piecewise_tail> : vector<32xbf16>
// DEFAULT: act.silu %{{.*}} expansion<piecewise_tail> : f32
// DEFAULT: act.gelu %{{.*}} expansion<erfc_fast> : f32
func.func @choices(%x: vector<16xf32>, %h: vector<32xbf16>, %s: f32) -> (vector<16xf32>, vector<32xbf16>, f32, f32, vector<16xf32>) {
  %0 = act.gelu %x : vector<16xf32>
  %1 = act.gelu %h approximate<tanh> : vector<32xbf16>
  %2 = act.silu %s : f32
  %3 = act.gelu %s expansion<erfc_fast> : f32
  %4 = act.relu %x : vector<16xf32>
  return %0, %1, %2, %3, %4 : vector<16xf32>, vector<32xbf16>, f32, f32, vector<16xf32>
}
