// RUN: gelu-opt %s -convert-act-to-arith -canonicalize -cse | FileCheck %s
// RUN: gelu-opt %s -convert-act-to-arith | FileCheck %s --check-prefix=NOLIBM --implicit-check-not='act.{{(gelu|silu|relu)}}' --implicit-check-not=math.erf --implicit-check-not=math.exp --implicit-check-not=math.tanh --implicit-check-not=call

// Every act op is expanded into arith/math with a direct LLVM lowering: no
// activation op is left (act.lookup, the tables of the piecewise forms,
// stays for act-lower-lookups), no math.erf/exp/tanh (they would become libm calls) is left
// anywhere in the file (the implicit checks scan all of it; the positive
// line makes an empty output fail).
// NOLIBM: math.fma

// Exact GELU by default: piecewise_tail. u = |x| clamped to 7 and scaled
// by 4 (exact); its interval k = round(4u) by the 1.5·2^23 shifter (the
// bits of 4u + shifter, one FMA, are the index) and v = 4u − k (one FMA,
// exact); eight coefficients looked up
// by k and summed by Horner's rule in v: q = Φ(−u). x ≤ 0 gives x·q, x > 0
// x − x·q in one FMA. Where a lane is below −7, and only then, the tail
// replaces those lanes: x·S(u)·e^(−u²/2), S(u) = Φ(−u)·e^(u²/2) from a
// second table (degree 4: five lookups, on intervals of 1/2: u scaled by
// 2) and −u²/2 as an exact product; no divide.
// CHECK-LABEL: func.func @gelu_exact
// CHECK-SAME: (%[[X:.*]]: vector<16xf32>)
// CHECK: %[[ABS:.*]] = math.absf %[[X]]
// CHECK: %[[U:.*]] = arith.select %{{.*}}, %{{.*}}, %[[ABS]]
// CHECK-NEXT: %[[SHIFTED:.*]] = math.fma %[[U]], %[[SCALE:.*]], %[[SHIFTER:.*]] : vector<16xf32>
// CHECK-NEXT: %[[MK:.*]] = arith.subf %[[SHIFTER]], %[[SHIFTED]]
// CHECK-NEXT: %[[V:.*]] = math.fma %[[U]], %[[SCALE]], %[[MK]]
// CHECK-NEXT: %[[INDEX:.*]] = arith.bitcast %[[SHIFTED]] : vector<16xf32> to vector<16xi32>
// CHECK-NEXT: %[[C7:.*]] = act.lookup %[[INDEX]] [{{.*}}] : vector<16xi32> -> vector<16xf32>
// CHECK-NEXT: %[[C6:.*]] = act.lookup %[[INDEX]]
// CHECK-NEXT: math.fma %[[C7]], %[[V]], %[[C6]]
// CHECK-COUNT-6: act.lookup %[[INDEX]]
// The last coefficient of interval 0 is Φ(0) = 1/2.
// CHECK-SAME: [5.000000e-01,
// CHECK-NEXT: %[[Q:.*]] = math.fma %{{.*}}, %[[V]], %{{.*}}
// Both signs in one FMA: (x < 0 ? −0 : x) − u·q.
// CHECK-NEXT: %[[LT:.*]] = arith.cmpf olt, %[[X]], %{{.*}}
// CHECK-NEXT: %[[BASE:.*]] = arith.select %[[LT]], %{{.*}}, %[[X]]
// CHECK-NEXT: %[[NU:.*]] = arith.negf %[[U]]
// CHECK-NEXT: %[[FAST:.*]] = math.fma %[[NU]], %[[Q]], %[[BASE]]
// CHECK-NEXT: %[[BELOW:.*]] = arith.cmpf olt, %[[X]], %{{.*}}
// CHECK-NEXT: %[[ANY:.*]] = vector.reduction <or>, %[[BELOW]] : vector<16xi1> into i1
// CHECK-NEXT: %[[R:.*]] = scf.if %[[ANY]] -> (vector<16xf32>) {
// CHECK-NOT: arith.divf
// CHECK: %[[TU:.*]] = arith.select %{{.*}}, %{{.*}}, %{{.*}} : vector<16xi1>, vector<16xf32>
// CHECK-NEXT: math.fma %[[TU]], %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK-COUNT-5: act.lookup
// CHECK-NOT: act.lookup
// CHECK: %[[HALF:.*]] = arith.mulf %[[TU]], %{{.*}} : vector<16xf32>
// CHECK-NEXT: %[[SQ:.*]] = arith.mulf %[[HALF]], %[[TU]] : vector<16xf32>
// CHECK-NEXT: %[[NSQ:.*]] = arith.negf %[[SQ]]
// CHECK-NEXT: math.fma %[[HALF]], %[[TU]], %[[NSQ]]
// CHECK: math.roundeven
// CHECK-NOT: arith.divf
// CHECK: %[[TAIL:.*]] = arith.select %[[BELOW]], %{{.*}}, %[[FAST]]
// CHECK-NEXT: scf.yield %[[TAIL]]
// CHECK-NEXT: } else {
// CHECK-NEXT: scf.yield %[[FAST]]
// CHECK-NEXT: }
// CHECK-NEXT: return %[[R]]
func.func @gelu_exact(%x: vector<16xf32>) -> vector<16xf32> {
  %0 = act.gelu %x : vector<16xf32>
  return %0 : vector<16xf32>
}

// piecewise at a degree: degree + 1 lookups, no branch, no select for
// below the table: u is clamped a step past it (31 intervals of 1/6.5 up
// to 4.615, clamped at 32/6.5), where the tables' padding is zeros, so
// q = 0 from half a step past the table on. The ladder's degrees' step is
// the one that errs least (FitCatalog.h), here not a power of two. Their
// polynomials are expanded in u (Polynomials.h: isExpandedPiecewise): the
// shifter's FMA gives the index, and Horner's rule runs in u itself.
// CHECK-LABEL: func.func @gelu_piecewise_d2
// CHECK-DAG: %[[MZ:.*]] = arith.constant -0.000000e+00 : f32
// CHECK-DAG: %[[SHIFTER:.*]] = arith.constant 0x4B400000 : f32
// CHECK-DAG: %[[CLAMP:.*]] = arith.constant 4.76923084 : f32
// CHECK-DAG: %[[SCALE:.*]] = arith.constant 6.500000e+00 : f32
// CHECK: %[[U:.*]] = arith.select %{{.*}}, %[[CLAMP]], %{{.*}} : f32
// CHECK-NEXT: %[[SHIFTED:.*]] = math.fma %[[U]], %[[SCALE]], %[[SHIFTER]] : f32
// CHECK-NEXT: %[[K:.*]] = arith.bitcast %[[SHIFTED]] : f32 to i32
// CHECK-NEXT: %[[C2:.*]] = act.lookup %[[K]]
// CHECK-NEXT: %[[C1:.*]] = act.lookup %[[K]]
// CHECK-NEXT: %[[P:.*]] = math.fma %[[C2]], %[[U]], %[[C1]] : f32
// The table: 31 intervals, then one zero to 32 entries.
// CHECK-NEXT: %[[C0:.*]] = act.lookup %[[K]] [{{[0-9.]*}}e-01, {{([^,]*, ){30}0}}.000000e+00] : i32 -> f32
// CHECK-NEXT: %[[Q:.*]] = math.fma %[[P]], %[[U]], %[[C0]] : f32
// CHECK-NOT: act.lookup
// CHECK-NOT: scf.if
// CHECK: %[[BASE:.*]] = arith.select %{{.*}}, %[[MZ]], %{{.*}} : f32
// CHECK-NEXT: %[[NU:.*]] = arith.negf %[[U]]
// CHECK-NEXT: %[[Y:.*]] = math.fma %[[NU]], %[[Q]], %[[BASE]] : f32
// CHECK-NEXT: return %[[Y]]
func.func @gelu_piecewise_d2(%x: f32) -> f32 {
  %0 = act.gelu %x expansion<piecewise> degree(2) : f32
  return %0 : f32
}

// Degree 1: two lookups, one FMA, on 31 intervals of 16/129 up to 3.72,
// u clamped at 32·16/129: from 3.78 on, where x·Φ(x) is under 3e-4, the
// intervals' own error, q = 0.
// CHECK-LABEL: func.func @gelu_piecewise_d1
// CHECK-DAG: %[[CLAMP:.*]] = arith.constant 3.84496117 : f32
// CHECK-DAG: %[[SCALE:.*]] = arith.constant 8.062500e+00 : f32
// CHECK: %[[U:.*]] = arith.select %{{.*}}, %[[CLAMP]], %{{.*}} : f32
// CHECK-NEXT: math.fma %[[U]], %[[SCALE]], %{{.*}} : f32
// CHECK-COUNT-2: act.lookup %{{.*}} [{{([^,]*, ){31}0}}.000000e+00] : i32 -> f32
// CHECK-NOT: act.lookup
// CHECK-NOT: scf.if
// CHECK: arith.cmpf olt, %{{.*}}, %{{.*}} : f32
// CHECK-NEXT: arith.select
// CHECK-NEXT: arith.negf
// CHECK-NEXT: math.fma
// CHECK-NEXT: return
func.func @gelu_piecewise_d1(%x: f32) -> f32 {
  %0 = act.gelu %x expansion<piecewise> degree(1) : f32
  return %0 : f32
}

// Exact GELU in the erfc form (the default before piecewise_tail). Away
// from 0: t = 1/(1 + a|x|) with its residual, the exact square x·x as a two-product (mulf, then fma with the
// negated product), exp(−x²/2 + P(t)) scaled by 2^k built from exponent
// bits, and a select between the x ≤ 0 and x > 0 forms. Near 0 (and not
// ±0), h + h·erf(x/√2) with h = x/2.
// CHECK-LABEL: func.func @gelu_erfc
// CHECK-SAME: (%[[X:.*]]: vector<16xf32>)
// CHECK: %[[NEG:.*]] = arith.cmpf ole, %[[X]], %{{.*}} : vector<16xf32>
// CHECK: %[[ABS:.*]] = math.absf %[[X]]
// CHECK: arith.divf
// CHECK: %[[SQ:.*]] = arith.mulf %[[AX:.*]], %[[AX]] : vector<16xf32>
// CHECK: %[[NSQ:.*]] = arith.negf %[[SQ]]
// CHECK: math.fma %[[AX]], %[[AX]], %[[NSQ]]
// CHECK: math.roundeven
// CHECK: arith.shli %{{.*}} : vector<16xi32>
// CHECK: arith.bitcast %{{.*}} : vector<16xi32> to vector<16xf32>
// x > 0: x − x·m as one FMA; x ≤ 0: m itself.
// CHECK: %[[POS:.*]] = math.fma %{{.*}}, %[[M:.*]], %[[X]] : vector<16xf32>
// CHECK-NEXT: %[[ERFC:.*]] = arith.select %[[NEG]], %[[M]], %[[POS]] : vector<16xi1>, vector<16xf32>
// CHECK: %[[NEAR:.*]] = math.fma %[[H:.*]], %{{.*}}, %[[H]] : vector<16xf32>
// CHECK-NEXT: %[[SMALL:.*]] = arith.cmpf ole, %[[ABS]], %{{.*}} : vector<16xf32>
// ±0 and ±2^-149 (whose half rounds to zero) stay with the erfc form.
// CHECK-NEXT: %[[NOTTINY:.*]] = arith.cmpf olt, %{{.*}}, %[[ABS]] : vector<16xf32>
// CHECK-NEXT: %[[USE:.*]] = arith.andi %[[SMALL]], %[[NOTTINY]] : vector<16xi1>
// CHECK-NEXT: %[[R:.*]] = arith.select %[[USE]], %[[NEAR]], %[[ERFC]] : vector<16xi1>, vector<16xf32>
// CHECK-NEXT: return %[[R]]
func.func @gelu_erfc(%x: vector<16xf32>) -> vector<16xf32> {
  %0 = act.gelu %x expansion<erfc> : vector<16xf32>
  return %0 : vector<16xf32>
}

// The tanh form as x·σ(2u): one exp of −|2u|, one reciprocal, no tanh.
// CHECK-LABEL: func.func @gelu_tanh
// CHECK: math.absf
// CHECK: math.roundeven
// CHECK: arith.divf
// CHECK: arith.select
func.func @gelu_tanh(%x: f32) -> f32 {
  %0 = act.gelu %x approximate<tanh> expansion<sigmoid> : f32
  return %0 : f32
}

// The sigmoid form multiplies by 1.702 split in two parts (double-float).
// CHECK-LABEL: func.func @gelu_sigmoid
// CHECK-DAG: arith.constant 1.702000e+00 : f32
// CHECK-DAG: arith.constant -2.19345093E-8 : f32
// CHECK: math.roundeven
// CHECK: arith.divf
func.func @gelu_sigmoid(%x: f32) -> f32 {
  %0 = act.gelu %x approximate<sigmoid> expansion<sigmoid> : f32
  return %0 : f32
}

// CHECK-LABEL: func.func @silu
// CHECK: math.roundeven
// CHECK: arith.divf
// CHECK: arith.select
func.func @silu(%x: vector<8xf32>) -> vector<8xf32> {
  %0 = act.silu %x expansion<sigmoid> : vector<8xf32>
  return %0 : vector<8xf32>
}

// The default SiLU: piecewise_tail, its table of degree 5 on 31 intervals
// (six lookups). Its tail, below −17.78, is x·e·(1 − e) with e = e^x ≤
// 2^−25: an exponential and no divide.
// CHECK-LABEL: func.func @silu_default
// CHECK-COUNT-6: act.lookup
// CHECK-NOT: act.lookup
// CHECK: vector.reduction <or>
// CHECK: scf.if
// CHECK: math.roundeven
// CHECK-NOT: arith.divf
// CHECK: scf.yield
func.func @silu_default(%x: vector<8xf32>) -> vector<8xf32> {
  %0 = act.silu %x : vector<8xf32>
  return %0 : vector<8xf32>
}

// ReLU: x ≤ 0 (ordered, so NaN stays NaN) selects +0.
// CHECK-LABEL: func.func @relu
// CHECK-SAME: (%[[X:.*]]: vector<4xf32>)
// CHECK: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<4xf32>
// CHECK: %[[LE:.*]] = arith.cmpf ole, %[[X]], %[[ZERO]] : vector<4xf32>
// CHECK: %[[R:.*]] = arith.select %[[LE]], %[[ZERO]], %[[X]]
// CHECK: return %[[R]]
func.func @relu(%x: vector<4xf32>) -> vector<4xf32> {
  %0 = act.relu %x : vector<4xf32>
  return %0 : vector<4xf32>
}

// 16-bit I/O computes in f32. bf16 is widened in integer arithmetic (an
// arith.extf lets LLVM narrow compares back to bfloat, which CPUs without
// AVX512-BF16 convert with __truncsfbf2 calls) and rounded once by
// arith.truncf, which act-lower-bf16-rounding lowers for the target.
// CHECK-LABEL: func.func @gelu_bf16
// CHECK-SAME: (%[[X:.*]]: vector<32xbf16>)
// CHECK-NOT: arith.extf
// CHECK: %[[XI:.*]] = arith.bitcast %[[X]] : vector<32xbf16> to vector<32xi16>
// CHECK: %[[XW:.*]] = arith.extui %[[XI]] : vector<32xi16> to vector<32xi32>
// CHECK: %[[XH:.*]] = arith.shli %[[XW]], %{{.*}} : vector<32xi32>
// CHECK: %[[WIDE:.*]] = arith.bitcast %[[XH]] : vector<32xi32> to vector<32xf32>
// The table at degree 4 (bf16PiecewiseTailDegree): five coefficients, not
// the f32 kernel's eight; then the tail's branch.
// CHECK-COUNT-5: act.lookup
// CHECK-NOT: act.lookup
// CHECK: %[[Y:.*]] = scf.if
// CHECK: %[[R:.*]] = arith.truncf %[[Y]] : vector<32xf32> to vector<32xbf16>
// CHECK-NEXT: return %[[R]]
func.func @gelu_bf16(%x: vector<32xbf16>) -> vector<32xbf16> {
  %0 = act.gelu %x : vector<32xbf16>
  return %0 : vector<32xbf16>
}

// CHECK-LABEL: func.func @silu_f16
// CHECK: arith.extf %{{.*}} : f16 to f32
// CHECK: arith.truncf %{{.*}} : f32 to f16
func.func @silu_f16(%x: f16) -> f16 {
  %0 = act.silu %x : f16
  return %0 : f16
}

// Tensors, dynamic shapes included, become linalg.generic over scalars.
// CHECK-LABEL: func.func @gelu_tensor
// CHECK: linalg.generic
// CHECK: ^bb0(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK: math.absf %[[IN]] : f32
// CHECK: linalg.yield
func.func @gelu_tensor(%x: tensor<4x?xf32>) -> tensor<4x?xf32> {
  %0 = act.gelu %x : tensor<4x?xf32>
  return %0 : tensor<4x?xf32>
}

// erfc_fast: the same forms without the residual correction, and t by a
// reciprocal estimate (arcp), which the backend turns into rcp + Newton.
// CHECK-LABEL: func.func @gelu_erfc_fast
// CHECK: arith.divf %{{.*}}, %{{.*}} fastmath<ninf,arcp> : vector<16xf32>
// CHECK-NOT: arith.divf
// CHECK: return
func.func @gelu_erfc_fast(%x: vector<16xf32>) -> vector<16xf32> {
  %0 = act.gelu %x expansion<erfc_fast> : vector<16xf32>
  return %0 : vector<16xf32>
}

// sigmoid_fast: no double-float argument (no 1.702 low part), an arcp
// reciprocal.
// CHECK-LABEL: func.func @gelu_sigmoid_fast
// CHECK-NOT: -2.19345093E-8
// CHECK: arith.divf %{{.*}}, %{{.*}} fastmath<ninf,arcp> : f32
// CHECK: return
func.func @gelu_sigmoid_fast(%x: f32) -> f32 {
  %0 = act.gelu %x approximate<sigmoid> expansion<sigmoid_fast> : f32
  return %0 : f32
}

// The tanh spelling: 0.5·x·(1 + tanh u), tanh as (1 − e)/(1 + e).
// CHECK-LABEL: func.func @gelu_tanh_spelling
// CHECK: %[[NUM:.*]] = arith.subf %[[ONE:cst[_0-9]*]], %[[E:[0-9]+]] : f32
// CHECK-NEXT: %[[DEN:.*]] = arith.addf %[[E]], %[[ONE]] : f32
// CHECK-NEXT: arith.divf %[[NUM]], %[[DEN]] : f32
// CHECK: return
func.func @gelu_tanh_spelling(%x: f32) -> f32 {
  %0 = act.gelu %x approximate<tanh> expansion<tanh> : f32
  return %0 : f32
}

// approx_tanh on exact GELU computes the tanh-form GELU, in its cheapest
// spelling (as sigmoid_fast of approximate<tanh>).
// CHECK-LABEL: func.func @gelu_tanh_form
// CHECK-DAG: arith.constant 1.59576917 : f32
// CHECK: arith.divf %{{.*}}, %{{.*}} fastmath<ninf,arcp> : f32
// CHECK: return
func.func @gelu_tanh_form(%x: f32) -> f32 {
  %0 = act.gelu %x expansion<approx_tanh> : f32
  return %0 : f32
}

// The direct rational form: x/2 + x·(x·P(x²)/Q(x²)) on x clamped to
// [−5.5, 5.5] (degrees 6 and 5: 11 FMAs and a true divide); from where the
// fit nears Φ's limits (5.17 at degree 6), x above and −0 below; the sign of
// x on the result (Numerics/Invariants.h).
// CHECK-LABEL: func.func @gelu_rational
// CHECK-DAG: %[[NEGZERO:.*]] = arith.constant dense<-0.000000e+00>
// CHECK-DAG: %[[ZERO:.*]] = arith.constant dense<0.000000e+00>
// CHECK-DAG: %[[HALF:.*]] = arith.constant dense<5.000000e-01>
// CHECK-DAG: %[[HI:.*]] = arith.constant dense<5.1{{[0-9]+}}>
// CHECK-DAG: %[[LO:.*]] = arith.constant dense<-5.1{{[0-9]+}}>
// CHECK: %[[W:.*]] = arith.mulf %[[XC:.*]], %[[XC]]
// CHECK-COUNT-11: math.fma {{.*}}, %[[W]], 
// CHECK: %[[R:.*]] = arith.divf %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK: %[[XR:.*]] = math.fma %[[XC]], %[[R]], %[[ZERO]]
// CHECK: %[[H:.*]] = arith.mulf %arg0, %[[HALF]]
// CHECK: %[[Y:.*]] = math.fma %arg0, %[[XR]], %[[H]]
// CHECK: %[[ABOVE:.*]] = arith.cmpf olt, %[[HI]], %arg0
// CHECK: %[[YHI:.*]] = arith.select %[[ABOVE]], %arg0, %[[Y]]
// CHECK: %[[BELOW:.*]] = arith.cmpf olt, %arg0, %[[LO]]
// CHECK: %[[YLO:.*]] = arith.select %[[BELOW]], %[[NEGZERO]], %[[YHI]]
// CHECK-NEXT: %[[OUT:.*]] = math.copysign %[[YLO]], %arg0
// CHECK-NEXT: return %[[OUT]]
func.func @gelu_rational(%x: vector<16xf32>) -> vector<16xf32> {
  %0 = act.gelu %x expansion<rational> : vector<16xf32>
  return %0 : vector<16xf32>
}

// A lower degree: degrees 3 and 2 (5 FMAs), and x itself from where the
// coarser fit nears 1 (earlier than at degree 6).
// CHECK-LABEL: func.func @gelu_rational_degree3
// CHECK-DAG: %[[HI:.*]] = arith.constant dense<4.{{[0-9]+}}>
// CHECK: %[[W:.*]] = arith.mulf %[[XC:.*]], %[[XC]]
// CHECK-COUNT-5: math.fma {{.*}}, %[[W]],
// CHECK-NOT: math.fma {{.*}}, %[[W]],
// CHECK: %[[R:.*]] = arith.divf
// CHECK: %[[Y:.*]] = math.fma %arg0
// CHECK: %[[ABOVE:.*]] = arith.cmpf olt, %[[HI]], %arg0
// CHECK: arith.select %[[ABOVE]], %arg0, %[[Y]]
// CHECK: return
func.func @gelu_rational_degree3(%x: vector<16xf32>) -> vector<16xf32> {
  %0 = act.gelu %x expansion<rational> degree(3) : vector<16xf32>
  return %0 : vector<16xf32>
}

// rational_fast: the same fit, 1/Q as a reciprocal estimate (arcp), and x
// itself from where the fit nears 1 (a wider margin for the estimate).
// CHECK-LABEL: func.func @gelu_rational_fast
// CHECK-DAG: %[[HI:.*]] = arith.constant 5.{{[0-9]+}} : f32
// CHECK: %[[RCP:.*]] = arith.divf %{{.*}}, %{{.*}} fastmath<ninf,arcp> : f32
// CHECK: arith.mulf %{{.*}}, %[[RCP]]
// CHECK: %[[Y:.*]] = math.fma %arg0
// CHECK: %[[ABOVE:.*]] = arith.cmpf olt, %[[HI]], %arg0
// CHECK: arith.select %[[ABOVE]], %arg0, %[[Y]]
// CHECK-NOT: arith.divf
// CHECK: return
func.func @gelu_rational_fast(%x: f32) -> f32 {
  %0 = act.gelu %x expansion<rational_fast> : f32
  return %0 : f32
}

// The erf form, literally 0.5·x·(1 + erf(x/√2)), erf(z) = z·P(z²)/Q(z²) on z
// clamped to [−4, 4]; from where the fit nears 1, x above and −0 below.
// CHECK-LABEL: func.func @gelu_erf
// CHECK-DAG: %[[LO:.*]] = arith.constant -5.{{[0-9]+}} : f32
// CHECK-DAG: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK-DAG: %[[HALF:.*]] = arith.constant 5.000000e-01 : f32
// CHECK: %[[Z:.*]] = arith.mulf %arg0, %{{.*}} : f32
// CHECK: arith.cmpf olt, %[[Z]]
// CHECK: %[[Q:.*]] = arith.divf
// CHECK: %[[ERF:.*]] = arith.mulf %{{.*}}, %[[Q]]
// CHECK: %[[H:.*]] = arith.mulf %arg0, %[[HALF]]
// CHECK: %[[ONEPLUS:.*]] = arith.addf %[[ERF]], %[[ONE]]
// CHECK: %[[Y:.*]] = arith.mulf %[[H]], %[[ONEPLUS]]
// CHECK: %[[ABOVE:.*]] = arith.cmpf olt, %{{.*}}, %arg0
// CHECK: %[[YHI:.*]] = arith.select %[[ABOVE]], %arg0, %[[Y]]
// CHECK: %[[BELOW:.*]] = arith.cmpf olt, %arg0, %[[LO]]
// CHECK: %[[YLO:.*]] = arith.select %[[BELOW]], %{{.*}}, %[[YHI]]
// CHECK: math.copysign %[[YLO]], %arg0
func.func @gelu_erf(%x: f32) -> f32 {
  %0 = act.gelu %x expansion<erf> : f32
  return %0 : f32
}

// Ops outside act are left alone.
// CHECK-LABEL: func.func @untouched
// CHECK: %[[S:.*]] = arith.addf
// CHECK-NEXT: return %[[S]]
func.func @untouched(%x: f32) -> f32 {
  %0 = arith.addf %x, %x : f32
  return %0 : f32
}
