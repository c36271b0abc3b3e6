// act-lower-bf16-rounding: f32 to bf16 with each target's instructions.
// RUN: gelu-opt %s -act-lower-bf16-rounding="target=znver4" | FileCheck %s --check-prefixes=COMMON,NATIVE
// RUN: gelu-opt %s -act-lower-bf16-rounding="target=sapphirerapids" | FileCheck %s --check-prefixes=COMMON,NATIVE
// RUN: gelu-opt %s -act-lower-bf16-rounding="target=x86-64-v4" | FileCheck %s --check-prefixes=COMMON,INTEGER
// RUN: gelu-opt %s -act-lower-bf16-rounding="target=x86-64-v3" | FileCheck %s --check-prefixes=COMMON,INTEGER
// RUN: gelu-opt %s -act-lower-bf16-rounding="target=aarch64" | FileCheck %s --check-prefixes=COMMON,INTEGER
// RUN: gelu-opt %s -act-lower-bf16-rounding | FileCheck %s --check-prefixes=COMMON,INTEGER
// RUN: not gelu-opt %s -act-lower-bf16-rounding="target=pentium9" 2>&1 | FileCheck %s --check-prefix=BADTARGET
// BADTARGET: error: act-lower-bf16-rounding: unknown target 'pentium9'

// Through the whole pipeline to machine code: one vcvtneps2bf16 a 16 lanes
// where the CPU has it, integer arithmetic elsewhere; never a call.
// RUN: gelu-opt %s -act-lower-to-llvm="target=znver4" | mlir-translate --mlir-to-llvmir | llc -O2 -mcpu=znver4 | FileCheck %s --check-prefix=ASMNATIVE
// RUN: gelu-opt %s -act-lower-to-llvm="target=x86-64-v3" | mlir-translate --mlir-to-llvmir | llc -O2 -mcpu=x86-64-v3 | FileCheck %s --check-prefix=ASMINTEGER

// A vector: on AVX512-BF16 the rounding is LLVM's fptrunc, and the vectors
// with a subnormal lane (which vcvtneps2bf16 flushes to zero) take the
// integer rounding in a branch; elsewhere integer arithmetic alone: the bits
// plus 0x7fff plus the lowest kept bit, a NaN quietened, the high half.
// COMMON-LABEL: func.func @vector
// COMMON-SAME: (%[[X:.*]]: vector<32xf32>)
// COMMON-NOT: arith.truncf
// NATIVE: %[[NATIVE:.*]] = llvm.fptrunc %[[X]] : vector<32xf32> to vector<32xbf16>
// NATIVE: %[[SUB:.*]] = "llvm.intr.is.fpclass"(%[[X]]) <{bit = 144 : i32}> : (vector<32xf32>) -> vector<32xi1>
// NATIVE: %[[ANY:.*]] = vector.reduction <or>, %[[SUB]] : vector<32xi1> into i1
// NATIVE: %[[R:.*]] = scf.if %[[ANY]] -> (vector<32xbf16>) {
// NATIVE: %[[EXACT:.*]] = arith.bitcast %{{.*}} : vector<32xi16> to vector<32xbf16>
// NATIVE: %[[MERGED:.*]] = arith.select %[[SUB]], %[[EXACT]], %[[NATIVE]]
// NATIVE: scf.yield %[[MERGED]]
// NATIVE: } else {
// NATIVE: scf.yield %[[NATIVE]]
// NATIVE: return %[[R]]
// INTEGER-NOT: llvm.fptrunc
// INTEGER-DAG: %[[HALFULP:.*]] = arith.constant dense<32767> : vector<32xi32>
// INTEGER-DAG: %[[QUIETBIT:.*]] = arith.constant dense<4194304> : vector<32xi32>
// INTEGER: %[[BITS:.*]] = arith.bitcast %[[X]] : vector<32xf32> to vector<32xi32>
// INTEGER: %[[LOW:.*]] = arith.shrui %[[BITS]]
// INTEGER: %[[KEPT:.*]] = arith.andi %[[LOW]]
// INTEGER: %[[BIAS:.*]] = arith.addi {{.*}}%[[KEPT]]{{.*}}%[[HALFULP]]
// INTEGER: %[[ROUNDED:.*]] = arith.addi %[[BITS]], %[[BIAS]]
// INTEGER: %[[NAN:.*]] = arith.cmpf uno, %[[X]], %[[X]]
// INTEGER: %[[QUIET:.*]] = arith.ori %[[BITS]], %[[QUIETBIT]]
// INTEGER: %[[CHOSEN:.*]] = arith.select %[[NAN]], %[[QUIET]], %[[ROUNDED]]
// INTEGER: %[[HIGH:.*]] = arith.shrui %[[CHOSEN]]
// INTEGER: %[[HALF:.*]] = arith.trunci %[[HIGH]] : vector<32xi32> to vector<32xi16>
// INTEGER: %[[R:.*]] = arith.bitcast %[[HALF]] : vector<32xi16> to vector<32xbf16>
// INTEGER-NOT: scf.if
// INTEGER: return %[[R]]
// ASMNATIVE-LABEL: vector:
// ASMNATIVE-COUNT-2: vcvtneps2bf16 %zmm
// ASMNATIVE-NOT: call
// ASMNATIVE: ret
// ASMINTEGER-LABEL: vector:
// ASMINTEGER-NOT: call
// ASMINTEGER: vpsrld $16
// ASMINTEGER-NOT: call
// ASMINTEGER: ret
func.func @vector(%x: vector<32xf32>) -> vector<32xbf16> {
  %0 = arith.truncf %x : vector<32xf32> to vector<32xbf16>
  return %0 : vector<32xbf16>
}

// 16 lanes (a kernel's vector on AVX-512): the subnormal lanes found by one
// vfpclassps (LLVM's is.fpclass would take three integer operations).
// COMMON-LABEL: func.func @sixteen_lanes
// COMMON-SAME: (%[[X:.*]]: vector<16xf32>)
// NATIVE-DAG: %[[DENORMAL:.*]] = arith.constant 32 : i32
// NATIVE-DAG: %[[NATIVE16:.*]] = llvm.fptrunc %[[X]] : vector<16xf32> to vector<16xbf16>
// NATIVE: %[[SUB:.*]] = llvm.call_intrinsic "llvm.x86.avx512.fpclass.ps.512"(%[[X]], %[[DENORMAL]]) : (vector<16xf32>, i32) -> vector<16xi1>
// NATIVE: vector.reduction <or>, %[[SUB]] : vector<16xi1> into i1
// INTEGER-NOT: llvm.call_intrinsic
// INTEGER: arith.trunci %{{.*}} : vector<16xi32> to vector<16xi16>
// ASMNATIVE-LABEL: sixteen_lanes:
// ASMNATIVE: vcvtneps2bf16 %zmm{{[0-9]+}}, %ymm
// ASMNATIVE: vfpclassps $32, %zmm{{[0-9]+}}, %k
// ASMNATIVE-NOT: call
// ASMNATIVE: ret
func.func @sixteen_lanes(%x: vector<16xf32>) -> vector<16xbf16> {
  %0 = arith.truncf %x : vector<16xf32> to vector<16xbf16>
  return %0 : vector<16xbf16>
}

// A scalar: the same, its own lane the only one (no reduction).
// COMMON-LABEL: func.func @scalar
// COMMON-SAME: (%[[X:.*]]: f32)
// NATIVE: %[[NATIVE:.*]] = llvm.fptrunc %[[X]] : f32 to bf16
// NATIVE: %[[SUB:.*]] = "llvm.intr.is.fpclass"(%[[X]]) <{bit = 144 : i32}> : (f32) -> i1
// NATIVE-NOT: vector.reduction
// NATIVE: scf.if %[[SUB]] -> (bf16)
// INTEGER: arith.bitcast %[[X]] : f32 to i32
// INTEGER: arith.trunci %{{.*}} : i32 to i16
// INTEGER: arith.bitcast %{{.*}} : i16 to bf16
// ASMNATIVE-LABEL: scalar:
// ASMNATIVE-NOT: call
// ASMNATIVE: ret
// ASMINTEGER-LABEL: scalar:
// ASMINTEGER-NOT: call
// ASMINTEGER: ret
func.func @scalar(%x: f32) -> bf16 {
  %0 = arith.truncf %x : f32 to bf16
  return %0 : bf16
}

// Other truncations are not this pass's: to f16, and to bf16 with another
// rounding mode.
// COMMON-LABEL: func.func @others
// COMMON: arith.truncf %{{.*}} : vector<8xf32> to vector<8xf16>
// COMMON: arith.truncf %{{.*}} toward_zero : vector<8xf32> to vector<8xbf16>
func.func @others(%x: vector<8xf32>) -> (vector<8xf16>, vector<8xbf16>) {
  %0 = arith.truncf %x : vector<8xf32> to vector<8xf16>
  %1 = arith.truncf %x toward_zero : vector<8xf32> to vector<8xbf16>
  return %0, %1 : vector<8xf16>, vector<8xbf16>
}
