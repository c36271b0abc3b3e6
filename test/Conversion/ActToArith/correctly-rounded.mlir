// RUN: gelu-opt %s -convert-act-to-arith | FileCheck %s

// The correctly rounded expansion: the f32 input widened to f64, the
// function evaluated there with IEEE operations and FMAs only (a true
// divide, no estimate), rounded once to f32, the input NaN quieted.

// Exact GELU on 16 lanes (a 512-bit kernel, where a lookup is one permute
// every 8 lanes): a vector with a lane outside 2^-100 ≤ |x| < 6.96
// evaluates exp(−x²/2)·t·Q(t) (with its divide) on every lane, any other
// the table "phi_cr_table" (13 lookups: the offsets and degree 11, no
// divide), and then, if a lane's value is within 2^-39 of a midpoint
// between two f32s (the table's error is about 2^-42), the exponential's
// form again: every input rounds correctly on either side.
// CHECK-LABEL: func.func @exact
// CHECK: arith.extf %{{.*}} : vector<16xf32> to vector<16xf64>
// CHECK: %[[ANY:.*]] = vector.reduction <or>, %{{.*}} : vector<16xi1> into i1
// CHECK: scf.if %[[ANY]] -> (vector<16xf64>)
// CHECK-NOT: act.lookup
// CHECK: math.fma {{.*}} : vector<16xf64>
// CHECK: arith.divf {{.*}} : vector<16xf64>
// CHECK: } else {
// CHECK-NOT: arith.divf
// CHECK-COUNT-13: act.lookup %{{.*}} : vector<16xi64> -> vector<16xf64>
// CHECK-NOT: act.lookup
// CHECK: arith.bitcast %{{.*}} : vector<16xf64> to vector<16xi64>
// CHECK: arith.andi
// CHECK: arith.subi
// CHECK: arith.cmpi ule
// CHECK: %[[NEAR:.*]] = vector.reduction <or>, %{{.*}} : vector<16xi1> into i1
// CHECK: scf.if %[[NEAR]] -> (vector<16xf64>)
// CHECK-NOT: act.lookup
// CHECK: arith.divf {{.*}} : vector<16xf64>
// CHECK: } else {
// CHECK-NEXT: scf.yield
// CHECK-NOT: fastmath
// CHECK: arith.ori %{{.*}}, %{{.*}} : vector<16xi32>
// CHECK: arith.cmpf une, %arg0, %arg0 : vector<16xf32>
// CHECK: arith.truncf %{{.*}} : vector<16xf64> to vector<16xf32>
// CHECK-NOT: scf.if
// CHECK: return
func.func @exact(%x: vector<16xf32>) -> vector<16xf32> {
  %0 = act.gelu %x expansion<correctly_rounded> : vector<16xf32>
  return %0 : vector<16xf32>
}

// On 8 lanes (AVX2's kernels, where a lookup costs four permutes and three
// blends) and on scalars (a GPU thread's), the exponential form alone.
// CHECK-LABEL: func.func @exact_eight_lanes
// CHECK-NOT: act.lookup
// CHECK-NOT: scf.if
// CHECK: arith.divf {{.*}} : vector<8xf64>
// CHECK-NOT: act.lookup
// CHECK-NOT: scf.if
// CHECK: return
// CHECK-LABEL: func.func @exact_scalar
// CHECK-NOT: act.lookup
// CHECK: arith.divf {{.*}} : f64
// CHECK-NOT: act.lookup
// CHECK: return
func.func @exact_eight_lanes(%x: vector<8xf32>) -> vector<8xf32> {
  %0 = act.gelu %x expansion<correctly_rounded> : vector<8xf32>
  return %0 : vector<8xf32>
}
func.func @exact_scalar(%x: f32) -> f32 {
  %0 = act.gelu %x expansion<correctly_rounded> : f32
  return %0 : f32
}

// tanh GELU has exceptional inputs (lib/Numerics/RoundingExceptions.inc):
// a vector with a lane near a rounding boundary compares its inputs with
// them (0x37b0a46f and 0xb7b0a46f, ±2.105740532e-05).
// CHECK-LABEL: func.func @tanh
// CHECK: arith.truncf %{{.*}} : vector<16xf64> to vector<16xf32>
// CHECK: vector.reduction <or>
// CHECK: scf.if
// CHECK-DAG: arith.constant dense<934323311> : vector<16xi32>
// CHECK-DAG: arith.constant dense<-1213160337> : vector<16xi32>
// CHECK: arith.cmpi eq
func.func @tanh(%x: vector<16xf32>) -> vector<16xf32> {
  %0 = act.gelu %x approximate<tanh> expansion<correctly_rounded> : vector<16xf32>
  return %0 : vector<16xf32>
}

// GELU' = Φ(x) + x·φ(x) from the f64 parts, and near its zero x0 (where the
// two cancel) d·P(d) with d = (x − hi) − lo, x0 = hi + lo; rounded once to
// f32 (its two exceptional inputs, 0x33206c99 and 0xb8d0df65, looked up by
// the vectors with a lane near a midpoint), then one f32 multiply by dy.
// CHECK-LABEL: func.func @backward
// CHECK: %[[X:.*]] = arith.extf %arg0 : vector<16xf32> to vector<16xf64>
// CHECK: arith.divf {{.*}} : vector<16xf64>
// CHECK: %[[HI:.*]] = arith.constant dense<-0.75179152469356447> : vector<16xf64>
// CHECK: %[[FROMHI:.*]] = arith.subf %[[X]], %[[HI]] : vector<16xf64>
// CHECK: %[[LO:.*]] = arith.constant dense<1.4956759177009883E-17> : vector<16xf64>
// CHECK: %[[D:.*]] = arith.subf %[[FROMHI]], %[[LO]] : vector<16xf64>
// CHECK: %[[ABS:.*]] = math.absf %[[D]] : vector<16xf64>
// CHECK: %[[NEAR:.*]] = arith.cmpf ole, %[[ABS]], %{{.*}} : vector<16xf64>
// CHECK: %[[ROOT:.*]] = arith.mulf %[[D]], %{{.*}} : vector<16xf64>
// CHECK: %[[Y:.*]] = arith.select %[[NEAR]], %[[ROOT]], %{{.*}} : vector<16xi1>, vector<16xf64>
// CHECK: %[[ROUNDED:.*]] = arith.truncf %[[Y]] : vector<16xf64> to vector<16xf32>
// CHECK: vector.reduction <or>
// CHECK: %[[OUT:.*]] = scf.if
// CHECK-DAG: arith.constant dense<857762969> : vector<16xi32>
// CHECK-DAG: arith.constant dense<-1194270875> : vector<16xi32>
// CHECK: %[[DX:.*]] = arith.mulf %[[OUT]], %arg1 : vector<16xf32>
// CHECK: return %[[DX]]
func.func @backward(%x: vector<16xf32>, %dy: vector<16xf32>) -> vector<16xf32> {
  %0 = act.gelu_backward %x, %dy expansion<correctly_rounded> : vector<16xf32>
  return %0 : vector<16xf32>
}
