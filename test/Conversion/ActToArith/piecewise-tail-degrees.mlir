// RUN: gelu-opt %s -convert-act-to-arith -canonicalize -cse | FileCheck %s

// A gate's `piecewise_tail` at degree 5 or 6 reads the `piecewise` table
// of that degree (FitCatalog.h: kPiecewiseTailMinDegree) in place of its
// own, with the same tail below the table; tanh GELU a centred table of
// that degree (tailPiecewiseDomain: a = 1, b = 0.5703125, reaching 6.4289
// where its even table ended at 5.125): the centre's lookup, seven
// coefficients' at degree 6, and the tail's branch below −6.4289.
// CHECK-LABEL: func.func @gelu_tanh_degree_6
// CHECK-SAME: (%[[X:.*]]: f32)
// CHECK-DAG: %[[SHIFTER:.*]] = arith.constant 0x4B400000 : f32
// CHECK-DAG: %[[B:.*]] = arith.constant 0.5703125 : f32
// CHECK-DAG: %[[A:.*]] = arith.constant 1.000000e+00 : f32
// CHECK-DAG: %[[END:.*]] = arith.constant 6.42885828 : f32
// CHECK-DAG: %[[MEND:.*]] = arith.constant -6.42885828 : f32
// CHECK: %[[ABS:.*]] = math.absf %[[X]]
// CHECK-NEXT: %[[PAST:.*]] = arith.cmpf olt, %[[END]], %[[ABS]]
// CHECK-NEXT: %[[U:.*]] = arith.select %[[PAST]], %[[END]], %[[ABS]]
// CHECK-NEXT: %[[F:.*]] = math.fma %[[U]], %[[B]], %[[A]]
// CHECK-NEXT: %[[SHIFTED:.*]] = math.fma %[[U]], %[[F]], %[[SHIFTER]]
// CHECK-NEXT: %[[K:.*]] = arith.bitcast %[[SHIFTED]] : f32 to i32
// CHECK-NEXT: %[[C:.*]] = act.lookup %[[K]] [0.000000e+00, 7.1138375997543335e-01, {{.*}}] : i32 -> f32
// CHECK-NEXT: arith.subf %[[U]], %[[C]]
// CHECK-COUNT-7: act.lookup
// CHECK-NOT: act.lookup
// CHECK: %[[TAIL:.*]] = arith.cmpf olt, %[[X]], %[[MEND]]
// CHECK-NEXT: scf.if %[[TAIL]]
// CHECK: return
func.func @gelu_tanh_degree_6(%x: f32) -> f32 {
  %0 = act.gelu %x approximate<tanh> expansion<piecewise_tail> degree(6) : f32
  return %0 : f32
}

// tanh GELU at degree 5: its centred table ends at 5.4114.
// CHECK-LABEL: func.func @gelu_tanh_degree_5
// CHECK-DAG: %[[END:.*]] = arith.constant dense<5.41141939>
// CHECK: math.absf
// CHECK-NEXT: arith.cmpf olt, %[[END]]
// CHECK-COUNT-7: act.lookup
// CHECK-NOT: act.lookup
// CHECK: scf.if
// CHECK: return
func.func @gelu_tanh_degree_5(%x: vector<16xf32>) -> vector<16xf32> {
  %0 = act.gelu %x approximate<tanh> expansion<piecewise_tail> degree(5) : vector<16xf32>
  return %0 : vector<16xf32>
}

// Sigmoid GELU's and SiLU's own tables (the default, no degree) are
// degree 5 on all 31 intervals (FitCatalog.h: tailTableDegree,
// hasEvenFullTables; 1/step = 46/16 and 27/16, not powers of two), reaching
// as far as degree 7's: the interval's FMA by 1/step, six lookups, then the
// tail's branch.
// CHECK-LABEL: func.func @gelu_sigmoid_default
// CHECK: arith.constant dense<2.875000e+00> : vector<16xf32>
// CHECK-COUNT-6: act.lookup %{{.*}} : vector<16xi32> -> vector<16xf32>
// CHECK-NOT: act.lookup
// CHECK: scf.if
// CHECK: return
func.func @gelu_sigmoid_default(%x: vector<16xf32>) -> vector<16xf32> {
  %0 = act.gelu %x approximate<sigmoid> expansion<piecewise_tail> : vector<16xf32>
  return %0 : vector<16xf32>
}

// CHECK-LABEL: func.func @silu_default
// CHECK: arith.constant dense<1.687500e+00> : vector<16xf32>
// CHECK-COUNT-6: act.lookup %{{.*}} : vector<16xi32> -> vector<16xf32>
// CHECK-NOT: act.lookup
// CHECK: scf.if
// CHECK: return
func.func @silu_default(%x: vector<16xf32>) -> vector<16xf32> {
  %0 = act.silu %x expansion<piecewise_tail> : vector<16xf32>
  return %0 : vector<16xf32>
}

// A degree named on bf16 is kept: without one, bf16 results take the
// degree-4 table (bf16PiecewiseTailDegree, five lookups), with one, that
// degree's; exact GELU's tail (in the branch) reads a table of its own.
// CHECK-LABEL: func.func @gelu_bf16_degree_6
// CHECK-COUNT-7: act.lookup
// CHECK-NOT: act.lookup
// CHECK: scf.if
// CHECK: return
func.func @gelu_bf16_degree_6(%x: vector<16xbf16>) -> vector<16xbf16> {
  %0 = act.gelu %x expansion<piecewise_tail> degree(6) : vector<16xbf16>
  return %0 : vector<16xbf16>
}

// CHECK-LABEL: func.func @gelu_bf16_default
// CHECK-COUNT-5: act.lookup
// CHECK-NOT: act.lookup
// CHECK: scf.if
// CHECK: return
func.func @gelu_bf16_default(%x: vector<16xbf16>) -> vector<16xbf16> {
  %0 = act.gelu %x expansion<piecewise_tail> : vector<16xbf16>
  return %0 : vector<16xbf16>
}

// SiLU on bf16 values: its degree-5 table (six lookups), the least whose
// bf16 results are all correctly rounded.
// CHECK-LABEL: func.func @silu_bf16_default
// CHECK-COUNT-6: act.lookup
// CHECK-NOT: act.lookup
// CHECK: scf.if
// CHECK: return
func.func @silu_bf16_default(%x: vector<16xbf16>) -> vector<16xbf16> {
  %0 = act.silu %x expansion<piecewise_tail> : vector<16xbf16>
  return %0 : vector<16xbf16>
}

// Exact GELU's degree-6 table ends at 5.875, not 7 (lowDegreeTailCoefficients:
// from the interval centred on 6 its relative error grows beyond 4·2^−24):
// u clamped there, and the tail's branch for x below −5.875.
// CHECK-LABEL: func.func @gelu_degree_6
// CHECK-SAME: (%[[X:.*]]: f32)
// CHECK-DAG: %[[END:.*]] = arith.constant 5.875000e+00 : f32
// CHECK-DAG: %[[MEND:.*]] = arith.constant -5.875000e+00 : f32
// CHECK: %[[ABS:.*]] = math.absf %[[X]]
// CHECK-NEXT: %[[PAST:.*]] = arith.cmpf olt, %[[END]], %[[ABS]]
// CHECK-NEXT: arith.select %[[PAST]], %[[END]], %[[ABS]]
// CHECK-COUNT-7: act.lookup
// CHECK-NOT: act.lookup
// CHECK: arith.cmpf olt, %[[X]], %[[MEND]]
// CHECK-NEXT: scf.if
// CHECK: return
func.func @gelu_degree_6(%x: f32) -> f32 {
  %0 = act.gelu %x expansion<piecewise_tail> degree(6) : f32
  return %0 : f32
}
