// RUN: gelu-opt %s -convert-act-to-arith -canonicalize -cse | FileCheck %s

// The gates' table-free `polynomial` form: (x < 0 ? −0 : x) − v·(R − v)·s(v),
// v = min(|x|, R): no lookup, no branch; the product is 0 from R on, so x
// above, −0 below. Degree 4 is s of degree 2 (two FMAs) on R = 3.75 for
// exact GELU (FitCatalog.h); 8 operations with the base and the final FMA.
// s's constant term is 1/(2R), 2/15, so that x·g(x) is x/2 near 0.
// CHECK-LABEL: func.func @gelu_polynomial_d4
// CHECK-SAME: (%[[X:.*]]: f32)
// CHECK-DAG: %[[R:.*]] = arith.constant 3.750000e+00 : f32
// CHECK-DAG: %[[S0:.*]] = arith.constant 0.13333334 : f32
// CHECK-DAG: %[[MZ:.*]] = arith.constant -0.000000e+00 : f32
// CHECK: %[[ABS:.*]] = math.absf %[[X]]
// CHECK: %[[ABOVE:.*]] = arith.cmpf olt, %{{.*}}, %[[ABS]]
// CHECK-NEXT: %[[V:.*]] = arith.select %[[ABOVE]], %{{.*}}, %[[ABS]]
// CHECK: %[[S1:.*]] = math.fma %{{.*}}, %[[V]], %{{.*}}
// CHECK: %[[S:.*]] = math.fma %[[S1]], %[[V]], %[[S0]]
// CHECK-NEXT: %[[W:.*]] = arith.subf %[[R]], %[[V]]
// CHECK-NEXT: %[[M:.*]] = arith.mulf %[[V]], %[[W]]
// CHECK: %[[NEG:.*]] = arith.cmpf olt, %[[X]], %[[MZ]]
// CHECK-NEXT: %[[BASE:.*]] = arith.select %[[NEG]], %[[MZ]], %[[X]]
// CHECK-NEXT: %[[NM:.*]] = arith.negf %[[M]]
// CHECK-NEXT: %[[Y:.*]] = math.fma %[[NM]], %[[S]], %[[BASE]]
// CHECK-NEXT: return %[[Y]]
// CHECK-NOT: act.lookup
func.func @gelu_polynomial_d4(%x: f32) -> f32 {
  %0 = act.gelu %x expansion<polynomial> degree(4) : f32
  return %0 : f32
}

// Each gate has its own fit and R: SiLU's default degree, 6 (s of degree
// 4: four FMAs), reaches R = 7.1875, where x·σ(−x) is 5.4e-3.
// CHECK-LABEL: func.func @silu_polynomial
// CHECK-DAG: arith.constant dense<7.187500e+00> : vector<16xf32>
// CHECK-COUNT-4: math.fma
// CHECK-NEXT: arith.subf
// CHECK-NEXT: arith.mulf
// CHECK-NOT: act.lookup
// CHECK-NOT: scf.if
// CHECK: return
func.func @silu_polynomial(%x: vector<16xf32>) -> vector<16xf32> {
  %0 = act.silu %x expansion<polynomial> : vector<16xf32>
  return %0 : vector<16xf32>
}

// Tanh GELU's degree 3 (s linear) on R = 2.4375.
// CHECK-LABEL: func.func @gelu_tanh_polynomial_d3
// CHECK-DAG: arith.constant 2.437500e+00 : f32
// CHECK-COUNT-1: math.fma
// CHECK-NEXT: arith.subf
// CHECK-NEXT: arith.mulf
// CHECK: return
func.func @gelu_tanh_polynomial_d3(%x: f32) -> f32 {
  %0 = act.gelu %x approximate<tanh> expansion<polynomial> degree(3) : f32
  return %0 : f32
}

// The derivatives' form: GELU'(x) = 1/2 + v·p(v²), v = x clamped to
// [−R, R]; degree 4 is p of degree 4 (four FMAs) on R = 3.3125 for exact
// GELU', then the FMA with 1/2 and the product with dy: no lookup, no
// select past the clamp (R·p(R²) = 1/2, so the form is 1 and 0 there).
// CHECK-LABEL: func.func @gelu_backward_polynomial_d4
// CHECK-SAME: (%[[X:.*]]: f32, %[[DY:.*]]: f32)
// CHECK-DAG: %[[HALF:.*]] = arith.constant 5.000000e-01 : f32
// CHECK-DAG: %[[R:.*]] = arith.constant 3.312500e+00 : f32
// CHECK-DAG: %[[MR:.*]] = arith.constant -3.312500e+00 : f32
// CHECK: %[[BELOW:.*]] = arith.cmpf olt, %[[X]], %[[MR]]
// CHECK-NEXT: %[[LO:.*]] = arith.select %[[BELOW]], %[[MR]], %[[X]]
// CHECK-NEXT: %[[ABOVE:.*]] = arith.cmpf olt, %[[R]], %[[LO]]
// CHECK-NEXT: %[[V:.*]] = arith.select %[[ABOVE]], %[[R]], %[[LO]]
// CHECK-NEXT: %[[W:.*]] = arith.mulf %[[V]], %[[V]]
// CHECK-NEXT: math.fma %{{.*}}, %[[W]]
// CHECK-NEXT: math.fma %{{.*}}, %[[W]]
// CHECK-NEXT: math.fma %{{.*}}, %[[W]]
// CHECK-NEXT: %[[P:.*]] = math.fma %{{.*}}, %[[W]]
// CHECK-NEXT: %[[D:.*]] = math.fma %[[V]], %[[P]], %[[HALF]]
// CHECK-NEXT: %[[DX:.*]] = arith.mulf %[[D]], %[[DY]]
// CHECK-NEXT: return %[[DX]]
func.func @gelu_backward_polynomial_d4(%x: f32, %dy: f32) -> f32 {
  %0 = act.gelu_backward %x, %dy expansion<polynomial> degree(4) : f32
  return %0 : f32
}

// Each derivative has its own fit: the sigmoid GELU's default degree, 6,
// on R = 4.
// CHECK-LABEL: func.func @gelu_sigmoid_backward_polynomial
// CHECK-DAG: arith.constant dense<4.000000e+00> : vector<8xf32>
// CHECK: arith.mulf
// CHECK-COUNT-7: math.fma
// CHECK-NEXT: arith.mulf
// CHECK-NOT: act.lookup
// CHECK: return
func.func @gelu_sigmoid_backward_polynomial(%x: vector<8xf32>, %dy: vector<8xf32>) -> vector<8xf32> {
  %0 = act.gelu_backward %x, %dy approximate<sigmoid> expansion<polynomial> : vector<8xf32>
  return %0 : vector<8xf32>
}
