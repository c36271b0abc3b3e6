// RUN: gelu-opt %s -convert-act-to-arith -canonicalize -cse | FileCheck %s --implicit-check-not=math.exp --implicit-check-not=math.tanh

// The direct rational forms of tanh GELU, sigmoid GELU and SiLU: each is
// x·g(x) with g − 1/2 odd, computed as x/2 + x·(x·P(x²)/Q(x²)) with the
// gate's own fit (FitCatalog.cpp), on x clamped to where the gate rounds to
// 1 in f32 (σ's argument 17.5: |x| ≤ 17.5 for SiLU, 10.28 for sigmoid
// GELU, 5.085 for tanh GELU); from where the fit nears the gate's limits,
// x above and −0 below; the sign of x on the result. No exponential.

// SiLU at the default degree 6: 11 FMAs in w = x² and a divide.
// CHECK-LABEL: func.func @silu_rational
// CHECK-DAG: %[[NEGZERO:.*]] = arith.constant dense<-0.000000e+00>
// CHECK-DAG: %[[LIMIT:.*]] = arith.constant dense<15.{{[0-9]+}}>
// CHECK-DAG: %[[NEGLIMIT:.*]] = arith.constant dense<-15.{{[0-9]+}}>
// CHECK-DAG: %[[CLAMP:.*]] = arith.constant dense<1.750000e+01>
// CHECK-DAG: %[[NEGCLAMP:.*]] = arith.constant dense<-1.750000e+01>
// CHECK: arith.cmpf olt, %arg0, %[[NEGCLAMP]]
// CHECK: arith.cmpf olt, %[[CLAMP]]
// CHECK: %[[W:.*]] = arith.mulf %[[XC:.*]], %[[XC]]
// CHECK-COUNT-11: math.fma {{.*}}, %[[W]],
// CHECK: %[[R:.*]] = arith.divf
// CHECK: %[[XR:.*]] = math.fma %[[XC]], %[[R]]
// CHECK: %[[Y:.*]] = math.fma %arg0, %[[XR]]
// CHECK: %[[ABOVE:.*]] = arith.cmpf olt, %[[LIMIT]], %arg0
// CHECK: %[[YHI:.*]] = arith.select %[[ABOVE]], %arg0, %[[Y]]
// CHECK: %[[BELOW:.*]] = arith.cmpf olt, %arg0, %[[NEGLIMIT]]
// CHECK: %[[YLO:.*]] = arith.select %[[BELOW]], %[[NEGZERO]], %[[YHI]]
// CHECK-NEXT: %[[OUT:.*]] = math.copysign %[[YLO]], %arg0
// CHECK-NEXT: return %[[OUT]]
func.func @silu_rational(%x: vector<16xf32>) -> vector<16xf32> {
  %0 = act.silu %x expansion<rational> : vector<16xf32>
  return %0 : vector<16xf32>
}

// Tanh GELU, rational_fast at degree 4: 7 FMAs, 1/Q as a reciprocal
// estimate (arcp), no true divide; the limit comes earlier (4.35).
// CHECK-LABEL: func.func @gelu_tanh_rational_fast
// CHECK-DAG: %[[LIMIT:.*]] = arith.constant 4.3{{[0-9]+}} : f32
// CHECK-DAG: %[[CLAMP:.*]] = arith.constant 5.08{{[0-9]+}} : f32
// CHECK: %[[W:.*]] = arith.mulf
// CHECK-COUNT-7: math.fma {{.*}}, %[[W]],
// CHECK-NOT: math.fma {{.*}}, %[[W]],
// CHECK: %[[RCP:.*]] = arith.divf %{{.*}}, %{{.*}} fastmath<ninf,arcp> : f32
// CHECK: arith.mulf %{{.*}}, %[[RCP]]
// CHECK-NOT: arith.divf
// CHECK: arith.cmpf olt, %[[LIMIT]], %arg0
// CHECK: math.copysign
// CHECK: return
func.func @gelu_tanh_rational_fast(%x: f32) -> f32 {
  %0 = act.gelu %x approximate<tanh> expansion<rational_fast> degree(4) : f32
  return %0 : f32
}

// Sigmoid GELU at degree 3: 5 FMAs and a divide, clamped at 10.28.
// CHECK-LABEL: func.func @gelu_sigmoid_rational
// CHECK-DAG: %[[CLAMP:.*]] = arith.constant 10.28{{[0-9]+}} : f32
// CHECK: %[[W:.*]] = arith.mulf
// CHECK-COUNT-5: math.fma {{.*}}, %[[W]],
// CHECK-NOT: math.fma {{.*}}, %[[W]],
// CHECK: arith.divf
// CHECK: math.copysign
// CHECK: return
func.func @gelu_sigmoid_rational(%x: f32) -> f32 {
  %0 = act.gelu %x approximate<sigmoid> expansion<rational> degree(3) : f32
  return %0 : f32
}

// SwiGLU takes SiLU's forms and degrees, then multiplies by `up`.
// CHECK-LABEL: func.func @swiglu_rational
// CHECK: %[[W:.*]] = arith.mulf
// CHECK-COUNT-9: math.fma {{.*}}, %[[W]],
// CHECK-NOT: math.fma {{.*}}, %[[W]],
// CHECK: arith.divf
// CHECK: %[[S:.*]] = math.copysign
// CHECK-NEXT: %[[OUT:.*]] = arith.mulf %[[S]], %arg1
// CHECK-NEXT: return %[[OUT]]
func.func @swiglu_rational(%g: vector<8xf32>, %u: vector<8xf32>) -> vector<8xf32> {
  %0 = act.swiglu %g, %u expansion<rational> degree(5) : vector<8xf32>
  return %0 : vector<8xf32>
}
