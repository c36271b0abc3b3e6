// RUN: gelu-opt %s -convert-act-to-arith -canonicalize -cse | FileCheck %s

// `piecewise_graded`: the `piecewise` table form indexed by
// t = u·(a − b·u), u = |x|, so that the 31 intervals widen with u
// (FitCatalog.h: gradedPiecewiseDomain). The factor a − b·u is one FMA
// more than `piecewise`; the index is the shifter's low bits after an FMA
// of u by that factor, and the polynomials are expanded in t itself
// (Polynomials.h: isExpandedPiecewise), its product: no v = t − k. For exact GELU at
// degree 1, a = 13.6875 and u is clamped where t reaches the zero entry
// (t = 31, u = 4.273): q = 0 there, x above and −0 below.
// CHECK-LABEL: func.func @gelu_piecewise_graded_d1
// CHECK-SAME: (%[[X:.*]]: f32)
// CHECK-DAG: %[[MZ:.*]] = arith.constant -0.000000e+00 : f32
// CHECK-DAG: %[[SHIFTER:.*]] = arith.constant 0x4B400000 : f32
// CHECK-DAG: %[[MB:.*]] = arith.constant -1.50542903 : f32
// CHECK-DAG: %[[A:.*]] = arith.constant 1.368750e+01 : f32
// CHECK-DAG: %[[END:.*]] = arith.constant 4.27328253 : f32
// CHECK: %[[ABS:.*]] = math.absf %[[X]]
// CHECK-NEXT: %[[PAST:.*]] = arith.cmpf olt, %[[END]], %[[ABS]]
// CHECK-NEXT: %[[U:.*]] = arith.select %[[PAST]], %[[END]], %[[ABS]]
// CHECK-NEXT: %[[C:.*]] = math.fma %[[U]], %[[MB]], %[[A]]
// CHECK-NEXT: %[[SHIFTED:.*]] = math.fma %[[U]], %[[C]], %[[SHIFTER]]
// CHECK-NEXT: %[[T:.*]] = arith.mulf %[[U]], %[[C]]
// CHECK-NEXT: %[[K:.*]] = arith.bitcast %[[SHIFTED]] : f32 to i32
// CHECK-NEXT: %[[C1:.*]] = act.lookup %[[K]] [{{.*}}, 0.000000e+00] : i32 -> f32
// CHECK-NEXT: %[[C0:.*]] = act.lookup %[[K]] [5.000000e-01, {{.*}}, 0.000000e+00] : i32 -> f32
// CHECK-NEXT: %[[Q:.*]] = math.fma %[[C1]], %[[T]], %[[C0]]
// CHECK-NEXT: %[[NEG:.*]] = arith.cmpf olt, %[[X]], %[[MZ]]
// CHECK-NEXT: %[[BASE:.*]] = arith.select %[[NEG]], %[[MZ]], %[[X]]
// CHECK-NEXT: %[[NU:.*]] = arith.negf %[[U]]
// CHECK-NEXT: %[[Y:.*]] = math.fma %[[NU]], %[[Q]], %[[BASE]]
// CHECK-NEXT: return %[[Y]]
func.func @gelu_piecewise_graded_d1(%x: f32) -> f32 {
  %0 = act.gelu %x expansion<piecewise_graded> degree(1) : f32
  return %0 : f32
}

// The default degree is 3: four lookups, each ending in the zero entry.
// CHECK-LABEL: func.func @silu_piecewise_graded
// CHECK: math.absf
// CHECK: math.fma
// CHECK-NEXT: math.fma
// CHECK-NEXT: arith.mulf
// CHECK-NOT: arith.subf
// CHECK-COUNT-4: act.lookup %{{.*}} [{{.*}}, 0.000000e+00] : vector<16xi32> -> vector<16xf32>
// CHECK-NOT: act.lookup
// CHECK-NOT: scf.if
// CHECK: return
func.func @silu_piecewise_graded(%x: vector<16xf32>) -> vector<16xf32> {
  %0 = act.silu %x expansion<piecewise_graded> : vector<16xf32>
  return %0 : vector<16xf32>
}

// The derivatives' graded tables: q(|x|) for x ≤ 0, 1 − q(x) above, on
// the graded index; degree 2, three lookups.
// CHECK-LABEL: func.func @gelu_tanh_backward_piecewise_graded_d2
// CHECK: math.absf
// CHECK: math.fma
// CHECK-NEXT: math.fma
// CHECK-NEXT: arith.mulf
// CHECK-NOT: arith.subf
// CHECK-COUNT-3: act.lookup
// CHECK-NOT: act.lookup
// CHECK: arith.mulf
// CHECK: return
func.func @gelu_tanh_backward_piecewise_graded_d2(%x: f32, %dy: f32) -> f32 {
  %0 = act.gelu_backward %x, %dy approximate<tanh> expansion<piecewise_graded> degree(2) : f32
  return %0 : f32
}
