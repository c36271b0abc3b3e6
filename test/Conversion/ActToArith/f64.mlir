// RUN: gelu-opt %s -convert-act-to-arith | FileCheck %s

// f64 ops are computed in f64 (never narrowed to f32). Exact GELU's
// default (piecewise_tail) looks up its table "phi_f64_table": the piece
// k = round(|x|/(3/8)) by the shifter 1.5·2^52, d = |x| − its right end,
// 14 coefficients, Horner's rule, base − |x|·q; a vector with a lane at or
// past 5.8125 takes its tail in a branch: exp(−x²/2)·h(u) with x² as an
// exact pair (an FMA gives its low part), h from the table
// "phi_f64_tail_table" at u's exponent and first two mantissa bits (bits
// 50 and up), no divide. Sigmoid GELU and SiLU: their gates' tables on the
// same pieces (below); tanh GELU from exp(−|y|) and 1/(1 + e); ReLU a
// select. The element type of every value stays f64.

// CHECK-LABEL: func.func @gelu
// CHECK-NOT: f32
// CHECK: %[[AX:.*]] = math.absf %arg0 : vector<8xf64>
// CHECK: %[[SHIFTED:.*]] = math.fma %[[AX]], %{{.*}}, %{{.*}} : vector<8xf64>
// CHECK: %[[K:.*]] = arith.bitcast %[[SHIFTED]] : vector<8xf64> to vector<8xi64>
// CHECK: %[[OFFSET:.*]] = act.lookup %[[K]] [1.875000e-01, 5.625000e-01, {{.*}}, 5.812500e+00] : vector<8xi64> -> vector<8xf64>
// CHECK: %[[D:.*]] = arith.subf %[[AX]], %[[OFFSET]] : vector<8xf64>
// CHECK-COUNT-14: act.lookup %[[K]]
// CHECK-NOT: act.lookup
// CHECK: %[[TAIL:.*]] = arith.cmpf ole, %{{.*}}, %{{.*}} : vector<8xf64>
// CHECK: %[[ANY:.*]] = vector.reduction <or>, %[[TAIL]] : vector<8xi1> into i1
// CHECK: scf.if %[[ANY]] -> (vector<8xf64>)
// CHECK-NOT: arith.divf
// CHECK: %[[SQ:.*]] = arith.mulf %{{.*}}, %{{.*}} : vector<8xf64>
// CHECK: %[[NSQ:.*]] = arith.negf %[[SQ]] : vector<8xf64>
// CHECK: math.fma %{{.*}}, %{{.*}}, %[[NSQ]] : vector<8xf64>
// CHECK: %[[BITS:.*]] = arith.bitcast %{{.*}} : vector<8xf64> to vector<8xi64>
// CHECK: %[[FIFTY:.*]] = arith.constant dense<50> : vector<8xi64>
// CHECK: %[[PIECE:.*]] = arith.shrsi %[[BITS]], %[[FIFTY]] : vector<8xi64>
// CHECK-COUNT-15: act.lookup %[[PIECE]]
// CHECK-NOT: act.lookup
// CHECK-NOT: arith.divf
// CHECK-NOT: f32
// CHECK: return %{{.*}} : vector<8xf64>
func.func @gelu(%x: vector<8xf64>) -> vector<8xf64> {
  %0 = act.gelu %x : vector<8xf64>
  return %0 : vector<8xf64>
}

// A lower degree (absolute budgets' rungs): the same pieces, 6 coefficients
// of degree 5 looked up, the same tail (its 15 lookups).
// CHECK-LABEL: func.func @gelu_table_degree_5
// CHECK-NOT: f32
// CHECK: %[[AX:.*]] = math.absf %arg0 : vector<8xf64>
// CHECK: %[[SHIFTED:.*]] = math.fma %[[AX]], %{{.*}}, %{{.*}} : vector<8xf64>
// CHECK: %[[K:.*]] = arith.bitcast %[[SHIFTED]] : vector<8xf64> to vector<8xi64>
// CHECK: act.lookup %[[K]] [1.875000e-01, 5.625000e-01, {{.*}}, 5.812500e+00] : vector<8xi64> -> vector<8xf64>
// CHECK-COUNT-6: act.lookup %[[K]]
// CHECK-NOT: act.lookup
// CHECK: scf.if %{{.*}} -> (vector<8xf64>)
// CHECK: %[[BITS:.*]] = arith.bitcast %{{.*}} : vector<8xf64> to vector<8xi64>
// CHECK: %[[PIECE:.*]] = arith.shrsi %[[BITS]], %{{.*}} : vector<8xi64>
// CHECK-COUNT-15: act.lookup %[[PIECE]]
// CHECK-NOT: act.lookup
// CHECK: return %{{.*}} : vector<8xf64>
func.func @gelu_table_degree_5(%x: vector<8xf64>) -> vector<8xf64> {
  %0 = act.gelu %x expansion<piecewise_tail> degree(5) : vector<8xf64>
  return %0 : vector<8xf64>
}

// The `erfc` form: exp(−x²/2)·t·Q(t), a true divide for t, and Q the
// four-piece fit "phi_f64": on 8 lanes (a 512-bit register) looked up at
// floor(4t) in an 8-entry table (entries 4 to 7 repeat piece 3), on fewer
// chosen by compares of 8t with 2, 4 and 6.
// CHECK-LABEL: func.func @gelu_erfc_eight_lanes
// CHECK-NOT: scf.if
// CHECK: arith.divf %{{.*}} : vector<8xf64>
// CHECK: %[[P:.*]] = math.floor %{{.*}} : vector<8xf64>
// CHECK: %[[PS:.*]] = arith.addf %[[P]], %{{.*}} : vector<8xf64>
// CHECK: %[[PK:.*]] = arith.bitcast %[[PS]] : vector<8xf64> to vector<8xi64>
// CHECK: act.lookup %[[PK]] [1.000000e+00, 3.000000e+00, 5.000000e+00, 7.000000e+00, 7.000000e+00, 7.000000e+00, 7.000000e+00, 7.000000e+00] : vector<8xi64> -> vector<8xf64>
// CHECK-COUNT-17: act.lookup %[[PK]]
// CHECK-NOT: act.lookup
// CHECK: return %{{.*}} : vector<8xf64>
func.func @gelu_erfc_eight_lanes(%x: vector<8xf64>) -> vector<8xf64> {
  %0 = act.gelu %x expansion<erfc> : vector<8xf64>
  return %0 : vector<8xf64>
}

// On 4 lanes (AVX2's register) the four pieces are chosen by selects.
// CHECK-LABEL: func.func @gelu_erfc_four_lanes
// CHECK-NOT: act.lookup
// CHECK: arith.divf %{{.*}} : vector<4xf64>
// CHECK-DAG: %[[TWO:.*]] = arith.constant dense<2.000000e+00> : vector<4xf64>
// CHECK-DAG: %[[FOUR:.*]] = arith.constant dense<4.000000e+00> : vector<4xf64>
// CHECK-DAG: %[[SIX:.*]] = arith.constant dense<6.000000e+00> : vector<4xf64>
// CHECK-DAG: arith.cmpf ole, %[[TWO]], %{{.*}} : vector<4xf64>
// CHECK-DAG: arith.cmpf ole, %[[FOUR]], %{{.*}} : vector<4xf64>
// CHECK-DAG: arith.cmpf ole, %[[SIX]], %{{.*}} : vector<4xf64>
// CHECK-NOT: act.lookup
// CHECK: return %{{.*}} : vector<4xf64>
func.func @gelu_erfc_four_lanes(%x: vector<4xf64>) -> vector<4xf64> {
  %0 = act.gelu %x expansion<erfc> : vector<4xf64>
  return %0 : vector<4xf64>
}

// The named `erfc` expansion is the branch's form on every input: no
// table, no branch.
// CHECK-LABEL: func.func @gelu_erfc
// CHECK-NOT: f32
// CHECK-NOT: act.lookup
// CHECK-NOT: scf.if
// CHECK: arith.divf %{{.*}} : f64
// CHECK-NOT: scf.if
// CHECK: return %{{.*}} : f64
func.func @gelu_erfc(%x: f64) -> f64 {
  %0 = act.gelu %x expansion<erfc> : f64
  return %0 : f64
}

// SiLU's default is its gate's table of degree 10 on the same pieces (the
// piece's right end and 11 coefficients looked up), its `sigmoid` form
// (exp(−|y|), 1/(1 + e)) past 5.8125 in the branch.
// CHECK-LABEL: func.func @silu
// CHECK-NOT: f32
// CHECK: %[[SHIFTED:.*]] = math.fma %{{.*}}, %{{.*}}, %{{.*}} : vector<8xf64>
// CHECK: %[[K:.*]] = arith.bitcast %[[SHIFTED]] : vector<8xf64> to vector<8xi64>
// CHECK: act.lookup %[[K]] [1.875000e-01, 5.625000e-01, {{.*}}, 5.812500e+00] : vector<8xi64> -> vector<8xf64>
// CHECK-COUNT-11: act.lookup %[[K]]
// CHECK-NOT: act.lookup
// CHECK: scf.if %{{.*}} -> (vector<8xf64>)
// CHECK: math.roundeven %{{.*}} : vector<8xf64>
// CHECK: arith.divf %{{.*}} : vector<8xf64>
// CHECK-NOT: f32
// CHECK: return %{{.*}} : vector<8xf64>
func.func @silu(%x: vector<8xf64>) -> vector<8xf64> {
  %0 = act.silu %x : vector<8xf64>
  return %0 : vector<8xf64>
}

// Sigmoid GELU's: degree 12, 13 coefficients.
// CHECK-LABEL: func.func @gelu_sigmoid
// CHECK: %[[K:.*]] = arith.bitcast %{{.*}} : vector<8xf64> to vector<8xi64>
// CHECK: act.lookup %[[K]] [1.875000e-01, 5.625000e-01, {{.*}}, 5.812500e+00] : vector<8xi64> -> vector<8xf64>
// CHECK-COUNT-13: act.lookup %[[K]]
// CHECK-NOT: act.lookup
// CHECK: scf.if %{{.*}} -> (vector<8xf64>)
// CHECK: arith.divf %{{.*}} : vector<8xf64>
// CHECK: return %{{.*}} : vector<8xf64>
func.func @gelu_sigmoid(%x: vector<8xf64>) -> vector<8xf64> {
  %0 = act.gelu %x approximate<sigmoid> : vector<8xf64>
  return %0 : vector<8xf64>
}

// Tanh GELU's default stays its `sigmoid` form: no table, no branch.
// CHECK-LABEL: func.func @gelu_tanh
// CHECK-NOT: act.lookup
// CHECK-NOT: scf.if
// CHECK: arith.divf %{{.*}} : vector<8xf64>
// CHECK-NOT: act.lookup
// CHECK: return %{{.*}} : vector<8xf64>
func.func @gelu_tanh(%x: vector<8xf64>) -> vector<8xf64> {
  %0 = act.gelu %x approximate<tanh> : vector<8xf64>
  return %0 : vector<8xf64>
}

// Its gate's table, named: degree 13 by default, or a lower degree.
// CHECK-LABEL: func.func @gelu_tanh_table
// CHECK: %[[K:.*]] = arith.bitcast %{{.*}} : vector<8xf64> to vector<8xi64>
// CHECK: act.lookup %[[K]] [1.875000e-01, 5.625000e-01, {{.*}}, 5.812500e+00] : vector<8xi64> -> vector<8xf64>
// CHECK-COUNT-9: act.lookup %[[K]]
// CHECK-NOT: act.lookup
// CHECK: scf.if %{{.*}} -> (vector<8xf64>)
// CHECK: return %{{.*}} : vector<8xf64>
func.func @gelu_tanh_table(%x: vector<8xf64>) -> vector<8xf64> {
  %0 = act.gelu %x approximate<tanh> expansion<piecewise_tail> degree(8) : vector<8xf64>
  return %0 : vector<8xf64>
}

// The tanh form's derivative, dy·GELU'(x).
// CHECK-LABEL: func.func @gelu_backward_tanh
// CHECK-NOT: f32
// CHECK: arith.divf %{{.*}} : f64
// CHECK: %[[R:.*]] = arith.mulf %{{.*}}, %arg1 : f64
// CHECK-NEXT: return %[[R]] : f64
func.func @gelu_backward_tanh(%x: f64, %dy: f64) -> f64 {
  %0 = act.gelu_backward %x, %dy {approximate = #act.approximate<tanh>} : f64
  return %0 : f64
}

// Tensors go through linalg, as for the other element types.
// CHECK-LABEL: func.func @relu_tensor
// CHECK: linalg.generic
// CHECK: arith.cmpf ole, %{{.*}}, %{{.*}} : f64
// CHECK: arith.select %{{.*}} : f64
func.func @relu_tensor(%x: tensor<?xf64>) -> tensor<?xf64> {
  %0 = act.relu %x : tensor<?xf64>
  return %0 : tensor<?xf64>
}
