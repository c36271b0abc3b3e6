// RUN: gelu-opt %s -convert-act-to-arith -canonicalize -cse | FileCheck %s

// tanh GELU's default (`piecewise_tail`) reads a centred graded table
// (FitCatalog.h: tailPiecewiseDomain): the interval k comes from
// t = u·(a + b·u), u = |x|, a = b = 1/2, so that the 31 intervals narrow
// as u grows and the table reaches u = 7.262 instead of 5.25; the local
// variable is v = u − c_k, c_k looked up by k (c_1 = 1, c_2 = 1.5616),
// exact, where v = t − k would carry t's rounding. Eight coefficient
// lookups and seven FMAs in v, as with the even table. Below −7.262 the
// tail's branch.
// CHECK-LABEL: func.func @gelu_tanh_default
// CHECK-SAME: (%[[X:.*]]: f32)
// CHECK-DAG: %[[SHIFTER:.*]] = arith.constant 0x4B400000 : f32
// CHECK-DAG: %[[HALF:.*]] = arith.constant 5.000000e-01 : f32
// CHECK-DAG: %[[END:.*]] = arith.constant 7.26208735 : f32
// CHECK-DAG: %[[MEND:.*]] = arith.constant -7.26208735 : f32
// CHECK: %[[ABS:.*]] = math.absf %[[X]]
// CHECK-NEXT: %[[PAST:.*]] = arith.cmpf olt, %[[END]], %[[ABS]]
// CHECK-NEXT: %[[U:.*]] = arith.select %[[PAST]], %[[END]], %[[ABS]]
// CHECK-NEXT: %[[F:.*]] = math.fma %[[U]], %[[HALF]], %[[HALF]]
// CHECK-NEXT: %[[SHIFTED:.*]] = math.fma %[[U]], %[[F]], %[[SHIFTER]]
// CHECK-NEXT: %[[K:.*]] = arith.bitcast %[[SHIFTED]] : f32 to i32
// CHECK-NEXT: %[[C:.*]] = act.lookup %[[K]] [0.000000e+00, 1.000000e+00, 1.5615527629852295e+00, 2.000000e+00, {{.*}}] : i32 -> f32
// CHECK-NEXT: %[[V:.*]] = arith.subf %[[U]], %[[C]]
// CHECK-NEXT: %[[C7:.*]] = act.lookup %[[K]]
// CHECK-NEXT: %[[C6:.*]] = act.lookup %[[K]]
// CHECK-NEXT: math.fma %[[C7]], %[[V]], %[[C6]]
// CHECK-COUNT-6: act.lookup
// CHECK-NOT: act.lookup
// CHECK: %[[TAIL:.*]] = arith.cmpf olt, %[[X]], %[[MEND]]
// CHECK-NEXT: scf.if %[[TAIL]]
// CHECK: return
func.func @gelu_tanh_default(%x: f32) -> f32 {
  %0 = act.gelu %x approximate<tanh> : f32
  return %0 : f32
}

// The bf16 default keeps its even degree-4 table (bf16PiecewiseTailDegree):
// u scaled by 4, v = 4u − k, no centre lookup.
// CHECK-LABEL: func.func @gelu_tanh_default_bf16
// CHECK: math.absf
// CHECK: %[[SHIFTED:.*]] = math.fma %{{.*}}, %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK-NEXT: %[[MK:.*]] = arith.subf %{{.*}}, %[[SHIFTED]]
// CHECK-NEXT: math.fma %{{.*}}, %{{.*}}, %[[MK]]
// CHECK-NEXT: arith.bitcast %[[SHIFTED]]
// CHECK-COUNT-5: act.lookup
// CHECK-NOT: act.lookup
// CHECK: return
func.func @gelu_tanh_default_bf16(%x: vector<16xbf16>) -> vector<16xbf16> {
  %0 = act.gelu %x approximate<tanh> : vector<16xbf16>
  return %0 : vector<16xbf16>
}

// Exact GELU keeps its even table (intervals of 1/4 to 7: a 16-lane vector
// of normal σ = 2 inputs has a lane below −7 one time in 270, and the
// centre's lookup would cost more than that): v = 4u − k by FMA.
// CHECK-LABEL: func.func @gelu_exact_default
// CHECK: math.absf
// CHECK: %[[SHIFTED:.*]] = math.fma %{{.*}}, %{{.*}}, %{{.*}} : f32
// CHECK-NEXT: %[[MK:.*]] = arith.subf %{{.*}}, %[[SHIFTED]]
// CHECK-NEXT: math.fma %{{.*}}, %{{.*}}, %[[MK]]
// CHECK-NEXT: arith.bitcast %[[SHIFTED]]
// CHECK-COUNT-8: act.lookup
// CHECK-NOT: act.lookup
// CHECK: scf.if
// CHECK: return
func.func @gelu_exact_default(%x: f32) -> f32 {
  %0 = act.gelu %x : f32
  return %0 : f32
}
