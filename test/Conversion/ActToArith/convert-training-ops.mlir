// RUN: gelu-opt %s -convert-act-to-arith -canonicalize -cse | FileCheck %s
// RUN: gelu-opt %s -convert-act-to-arith | FileCheck %s --check-prefix=NOLIBM --implicit-check-not='act.{{(gelu|silu|relu|bias_gelu|geglu|swiglu)}}' --implicit-check-not=math.erf --implicit-check-not=math.exp --implicit-check-not=call

// The training and gated ops expand like act.gelu, with the second operand
// folded in: no activation op (act.lookup stays for act-lower-lookups), no
// libm call is left (anywhere: implicit checks;
// an empty output fails the positive line).
// NOLIBM: math.fma

// dy·GELU'(x), GELU' by default piecewise_tail: q(u) = GELU'(−u) as
// (u − u0)·R(u), R of degree 6 from seven table lookups (rootTableDegree),
// u0 = hi + lo the zero of q; q for x ≤ 0, 1 − q in one FMA above; below
// the table, for the vectors that have such a lane, the Gaussian tail (S
// from exact GELU's tail table times one exponential, scaled by two
// powers of two built from exponent bits). Then one multiply by dy, which
// is the result.
// CHECK-LABEL: func.func @gelu_backward
// CHECK-SAME: (%[[X:.*]]: vector<8xf32>, %[[DY:.*]]: vector<8xf32>)
// CHECK: %[[ABS:.*]] = math.absf %[[X]]
// CHECK: %[[U:.*]] = arith.select %{{.*}}, %{{.*}}, %[[ABS]]
// CHECK-COUNT-7: act.lookup
// CHECK-NOT: act.lookup
// CHECK: %[[R:.*]] = math.fma %{{.*}}, %{{.*}}, %{{.*}} : vector<8xf32>
// CHECK-NEXT: %[[OFFSET:.*]] = arith.subf %[[U]], %{{.*}} : vector<8xf32>
// CHECK-NEXT: %[[FACTOR:.*]] = arith.subf %[[OFFSET]], %{{.*}} : vector<8xf32>
// CHECK-NEXT: %[[Q:.*]] = arith.mulf %[[FACTOR]], %[[R]] : vector<8xf32>
// CHECK-NEXT: %[[NEGFACTOR:.*]] = arith.negf %[[FACTOR]]
// CHECK-NEXT: %[[ONEMINUSQ:.*]] = math.fma %[[NEGFACTOR]], %[[R]], %{{.*}}
// CHECK-NEXT: %[[LE:.*]] = arith.cmpf ole, %[[X]], %{{.*}}
// CHECK-NEXT: arith.select %[[LE]], %[[Q]], %[[ONEMINUSQ]]
// CHECK: vector.reduction <or>
// CHECK-NEXT: %[[G:.*]] = scf.if
// CHECK-COUNT-2: arith.shli
// CHECK: } else {
// CHECK: %[[DX:.*]] = arith.mulf %[[G]], %[[DY]] : vector<8xf32>
// CHECK-NEXT: return %[[DX]]
func.func @gelu_backward(%x: vector<8xf32>, %dy: vector<8xf32>) -> vector<8xf32> {
  %0 = act.gelu_backward %x, %dy : vector<8xf32>
  return %0 : vector<8xf32>
}

// tanh GELU': its root-factored table is degree 7 (eight lookups); below
// it, for the vectors that have such a lane, e^y·(1 + x·y') with y = 2u as
// a pair: one exponential, its two power-of-two scales last, no divide.
// CHECK-LABEL: func.func @gelu_backward_tanh
// CHECK-COUNT-8: act.lookup
// CHECK-NOT: act.lookup
// CHECK: scf.if
// CHECK-NOT: arith.divf
// CHECK: math.roundeven
// CHECK-NOT: arith.divf
// CHECK-COUNT-2: arith.shli
// CHECK-NOT: arith.divf
// CHECK: } else {
func.func @gelu_backward_tanh(%x: vector<8xf32>, %dy: vector<8xf32>) -> vector<8xf32> {
  %0 = act.gelu_backward %x, %dy approximate<tanh> : vector<8xf32>
  return %0 : vector<8xf32>
}

// sigmoid GELU': degree 6 (seven lookups), and the same tail with
// y = 1.702x as a pair.
// CHECK-LABEL: func.func @gelu_backward_sigmoid
// CHECK-COUNT-7: act.lookup
// CHECK-NOT: act.lookup
// CHECK: scf.if
// CHECK-NOT: arith.divf
// CHECK: math.roundeven
// CHECK-NOT: arith.divf
// CHECK-COUNT-2: arith.shli
// CHECK-NOT: arith.divf
// CHECK: } else {
func.func @gelu_backward_sigmoid(%x: vector<8xf32>, %dy: vector<8xf32>) -> vector<8xf32> {
  %0 = act.gelu_backward %x, %dy approximate<sigmoid> : vector<8xf32>
  return %0 : vector<8xf32>
}

// GELU' from its piecewise table at a degree: u clamped a step past the
// table (31 intervals of 1/6.5 up to 4.615: 32/6.5), where the table's zero entry gives q = 0 — 0 below, 1
// above — so q for x ≤ 0, 1 − q above, with no compare against the table's
// ends; then the multiply by dy.
// CHECK-LABEL: func.func @gelu_backward_piecewise_d2
// CHECK-SAME: (%[[X:.*]]: f32, %[[DY:.*]]: f32)
// CHECK-DAG: %[[CLAMP:.*]] = arith.constant 4.76923084 : f32
// CHECK: %[[ABS:.*]] = math.absf %[[X]]
// CHECK-NEXT: %[[ABOVE:.*]] = arith.cmpf olt, %[[CLAMP]], %[[ABS]]
// CHECK-NEXT: arith.select %[[ABOVE]], %[[CLAMP]], %[[ABS]]
// CHECK-COUNT-3: act.lookup %{{.*}} [{{([^,]*, ){31}0}}.000000e+00] : i32 -> f32
// CHECK-NOT: act.lookup
// CHECK: %[[Q:.*]] = math.fma
// CHECK-NEXT: %[[ONEMINUSQ:.*]] = arith.subf %{{.*}}, %[[Q]]
// CHECK-NEXT: %[[LE:.*]] = arith.cmpf ole, %[[X]], %{{.*}}
// CHECK-NEXT: %[[G:.*]] = arith.select %[[LE]], %[[Q]], %[[ONEMINUSQ]]
// CHECK-NEXT: %[[DX:.*]] = arith.mulf %[[G]], %[[DY]]
// CHECK-NEXT: return %[[DX]]
func.func @gelu_backward_piecewise_d2(%x: f32, %dy: f32) -> f32 {
  %0 = act.gelu_backward %x, %dy expansion<piecewise> degree(2) : f32
  return %0 : f32
}

// bf16: both operands extended (in integer arithmetic: their bits are the
// high half of the f32), the sum rounded to bf16 (arith.truncf, round to
// nearest even) and extended again, as arith.addf in bf16 would leave it,
// before the GELU; the result rounded once at the end. No arith.extf of
// bf16: LLVM would narrow compares back to bfloat.
// CHECK-LABEL: func.func @bias_gelu_bf16
// CHECK-SAME: (%[[X:.*]]: vector<8xbf16>, %[[B:.*]]: vector<8xbf16>)
// CHECK-NOT: arith.extf
// CHECK-DAG: %[[XI:.*]] = arith.bitcast %[[X]] : vector<8xbf16> to vector<8xi16>
// CHECK-DAG: %[[BI:.*]] = arith.bitcast %[[B]] : vector<8xbf16> to vector<8xi16>
// CHECK: %[[S:.*]] = arith.addf %{{.*}}, %{{.*}} : vector<8xf32>
// CHECK: %[[SB:.*]] = arith.truncf %[[S]] : vector<8xf32> to vector<8xbf16>
// CHECK: %[[SI:.*]] = arith.bitcast %[[SB]] : vector<8xbf16> to vector<8xi16>
// CHECK: %[[SW:.*]] = arith.extui %[[SI]] : vector<8xi16> to vector<8xi32>
// CHECK: %[[SH:.*]] = arith.shli %[[SW]]
// CHECK: %[[Z:.*]] = arith.bitcast %[[SH]] : vector<8xi32> to vector<8xf32>
// CHECK: arith.cmpf olt, %[[Z]]
// CHECK: %[[Y:.*]] = arith.truncf %{{.*}} : vector<8xf32> to vector<8xbf16>
// CHECK-NEXT: return %[[Y]]
func.func @bias_gelu_bf16(%x: vector<8xbf16>, %b: vector<8xbf16>) -> vector<8xbf16> {
  %0 = act.bias_gelu %x, %b : vector<8xbf16>
  return %0 : vector<8xbf16>
}

// f32: the sum needs no rounding step.
// CHECK-LABEL: func.func @bias_gelu_backward_f32
// CHECK-SAME: (%[[X:.*]]: f32, %[[B:.*]]: f32, %[[DY:.*]]: f32)
// CHECK: %[[Z:.*]] = arith.addf %[[X]], %[[B]] : f32
// CHECK-NOT: arith.bitcast %[[Z]]
// CHECK: %[[DX:.*]] = arith.mulf %{{.*}}, %[[DY]] : f32
// CHECK-NEXT: return %[[DX]]
func.func @bias_gelu_backward_f32(%x: f32, %b: f32, %dy: f32) -> f32 {
  %0 = act.bias_gelu_backward %x, %b, %dy : f32
  return %0 : f32
}

// GELU(gate)·up, f16: product in f32, one truncf.
// CHECK-LABEL: func.func @geglu_f16
// CHECK-SAME: (%[[A:.*]]: vector<4xf16>, %[[U:.*]]: vector<4xf16>)
// CHECK: %[[UF:.*]] = arith.extf %[[U]] : vector<4xf16> to vector<4xf32>
// CHECK: %[[P:.*]] = arith.mulf %{{.*}}, %[[UF]] : vector<4xf32>
// CHECK-NEXT: %[[Y:.*]] = arith.truncf %[[P]] : vector<4xf32> to vector<4xf16>
// CHECK-NEXT: return %[[Y]]
func.func @geglu_f16(%a: vector<4xf16>, %u: vector<4xf16>) -> vector<4xf16> {
  %0 = act.geglu %a, %u approximate<tanh> : vector<4xf16>
  return %0 : vector<4xf16>
}

// SiLU(gate)·up.
// CHECK-LABEL: func.func @swiglu
// CHECK-SAME: (%[[A:.*]]: f32, %[[U:.*]]: f32)
// CHECK: %[[P:.*]] = arith.mulf %{{.*}}, %[[U]] : f32
// CHECK-NEXT: return %[[P]]
func.func @swiglu(%a: f32, %u: f32) -> f32 {
  %0 = act.swiglu %a, %u : f32
  return %0 : f32
}

// Tensors go through linalg.generic over scalar ops, as act.gelu does.
// CHECK-LABEL: func.func @geglu_tensor
// CHECK: linalg.generic
// CHECK: arith.mulf
// CHECK: linalg.yield
func.func @geglu_tensor(%a: tensor<?xf32>, %u: tensor<?xf32>) -> tensor<?xf32> {
  %0 = act.geglu %a, %u : tensor<?xf32>
  return %0 : tensor<?xf32>
}
