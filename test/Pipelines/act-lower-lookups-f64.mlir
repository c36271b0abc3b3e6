// act-lower-lookups on f64 tables (i64 indices): each target's instructions.
// RUN: gelu-opt %s -act-lower-lookups="target=x86-64-v4" | FileCheck %s --check-prefixes=COMMON,AVX512
// RUN: gelu-opt %s -act-lower-lookups="target=x86-64-v3" | FileCheck %s --check-prefixes=COMMON,AVX2
// RUN: gelu-opt %s -act-lower-lookups="target=aarch64" | FileCheck %s --check-prefixes=COMMON,NEON
// RUN: gelu-opt %s -act-lower-lookups | FileCheck %s --check-prefixes=COMMON,SELECTS

// Through the whole pipeline to machine code.
// RUN: gelu-opt %s -act-lower-to-llvm="target=x86-64-v4" | mlir-translate --mlir-to-llvmir | llc -O2 | FileCheck %s --check-prefix=ASM512
// RUN: gelu-opt %s -act-lower-to-llvm="target=x86-64-v3" | mlir-translate --mlir-to-llvmir | llc -O2 | FileCheck %s --check-prefix=ASM256
// RUN: gelu-opt %s -act-lower-to-llvm="target=aarch64" | mlir-translate --mlir-to-llvmir | llc -O2 | FileCheck %s --check-prefix=ASMNEON
// RUN: gelu-opt %s -act-lower-to-llvm | mlir-translate --mlir-to-llvmir | llc -O2 -mtriple=nvptx64-nvidia-cuda -mcpu=sm_80 | FileCheck %s --check-prefix=PTX

// A scalar: a load from a private constant array of doubles.
// COMMON: llvm.mlir.global private constant @[[TABLE:__act_lookup_[0-9a-f]+]](dense<[1.000000e-01, 2.000000e-01, 3.000000e-01, 4.000000e-01]> : tensor<4xf64>) {addr_space = 0 : i32, alignment = 64 : i64} : !llvm.array<4 x f64>
// COMMON-LABEL: func.func @scalar
// COMMON: %[[BASE:.*]] = llvm.mlir.addressof @[[TABLE]] : !llvm.ptr
// COMMON: %[[MASK:.*]] = arith.constant 3 : i64
// COMMON: %[[LOW:.*]] = arith.andi %{{.*}}, %[[MASK]] : i64
// COMMON: %[[AT:.*]] = llvm.getelementptr inbounds %[[BASE]][0, %[[LOW]]]
// COMMON: llvm.load %[[AT]] : !llvm.ptr -> f64
// ASM512-LABEL: scalar:
// ASM512: vmovsd {{.*}}(,%rdi,8), %xmm0
// PTX: .global .align 64 .b8 __act_lookup_{{[0-9a-f]+}}[32]
// PTX-LABEL: .func {{.*}}scalar(
// PTX: and.b64 {{.*}}, 3;
// PTX: ld.global{{.*}}.b64
func.func @scalar(%i: i64) -> f64 {
  %0 = act.lookup %i [0.1, 0.2, 0.3, 0.4] : i64 -> f64
  return %0 : f64
}

// 8 lanes, 16 entries: AVX-512 permutes two registers once (vpermi2pd);
// AVX2 permutes the halves of four entries at a time (vpermps, which LLVM
// may spell vpermd), four
// times a register of 4 lanes, and selects; NEON takes 8 entries a tbl, 2
// lanes a register; elsewhere 15 selects.
// COMMON-LABEL: func.func @eight_lanes_sixteen_entries
// AVX512: llvm.call_intrinsic "llvm.x86.avx512.vpermi2var.pd.512"(%{{.*}}, %arg0, %{{.*}}) : (vector<8xf64>, vector<8xi64>, vector<8xf64>) -> vector<8xf64>
// AVX512-NOT: llvm.call_intrinsic
// AVX512-NOT: arith.select
// AVX2: %[[LOW:.*]] = arith.andi %{{.*}}, %{{.*}} : vector<4xi64>
// AVX2: %[[TWICE:.*]] = arith.muli %[[LOW]], %{{.*}} : vector<4xi64>
// AVX2: %[[PAIRS:.*]] = arith.addi %[[TWICE]], %{{.*}} : vector<4xi64>
// AVX2: %[[HALVES:.*]] = vector.bitcast %[[PAIRS]] : vector<4xi64> to vector<8xi32>
// AVX2: %[[PICKED:.*]] = llvm.call_intrinsic "llvm.x86.avx2.permps"(%{{.*}}, %[[HALVES]]) : (vector<8xf32>, vector<8xi32>) -> vector<8xf32>
// AVX2: vector.bitcast %[[PICKED]] : vector<8xf32> to vector<4xf64>
// AVX2-COUNT-7: llvm.call_intrinsic "llvm.x86.avx2.permps"
// AVX2-NOT: llvm.call_intrinsic
// NEON-COUNT-8: llvm.call_intrinsic "llvm.aarch64.neon.tbl4"
// NEON-NOT: llvm.call_intrinsic
// SELECTS-COUNT-15: arith.select
// SELECTS-NOT: arith.select
// SELECTS-NOT: llvm.call_intrinsic
// COMMON: return
// ASM512-LABEL: eight_lanes_sixteen_entries:
// ASM512: vperm{{[it]}}2pd {{.*}}%zmm
// ASM512-NOT: vperm
// ASM512: ret
// ASM256-LABEL: eight_lanes_sixteen_entries:
// ASM256-COUNT-8: vperm{{d|ps}} {{.*}}%ymm
// ASM256-NOT: vperm
// ASM256: ret
// ASMNEON-LABEL: eight_lanes_sixteen_entries:
// ASMNEON-COUNT-8: tbl v{{[0-9]+}}.16b, { v{{[0-9]+}}.16b, v{{[0-9]+}}.16b, v{{[0-9]+}}.16b, v{{[0-9]+}}.16b }
// ASMNEON-NOT: tbl
// ASMNEON: ret
func.func @eight_lanes_sixteen_entries(%i: vector<8xi64>) -> vector<8xf64> {
  %0 = act.lookup %i [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0] : vector<8xi64> -> vector<8xf64>
  return %0 : vector<8xf64>
}

// 8 lanes, 8 entries on AVX-512: one vpermpd.
// COMMON-LABEL: func.func @eight_lanes_eight_entries
// AVX512: llvm.call_intrinsic "llvm.x86.avx512.permvar.df.512"(%{{.*}}, %arg0) : (vector<8xf64>, vector<8xi64>) -> vector<8xf64>
// AVX512-NOT: llvm.call_intrinsic
// COMMON: return
// ASM512-LABEL: eight_lanes_eight_entries:
// ASM512: vpermpd {{.*}}%zmm
// ASM512-NOT: vperm
// ASM512: ret
func.func @eight_lanes_eight_entries(%i: vector<8xi64>) -> vector<8xf64> {
  %0 = act.lookup %i [0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5] : vector<8xi64> -> vector<8xf64>
  return %0 : vector<8xf64>
}

// 4 lanes (a 256-bit kernel) on AVX-512: vpermpd and vpermi2pd on ymm.
// COMMON-LABEL: func.func @four_lanes
// AVX512: llvm.call_intrinsic "llvm.x86.avx512.permvar.df.256"(%{{.*}}, %arg0) : (vector<4xf64>, vector<4xi64>) -> vector<4xf64>
// AVX512: llvm.call_intrinsic "llvm.x86.avx512.vpermi2var.pd.256"(%{{.*}}, %arg1, %{{.*}}) : (vector<4xf64>, vector<4xi64>, vector<4xf64>) -> vector<4xf64>
// AVX512-NOT: llvm.call_intrinsic
// AVX2-COUNT-3: llvm.call_intrinsic "llvm.x86.avx2.permps"
// AVX2-NOT: llvm.call_intrinsic
// COMMON: return
func.func @four_lanes(%i: vector<4xi64>, %j: vector<4xi64>) -> (vector<4xf64>, vector<4xf64>) {
  %0 = act.lookup %i [0.5, 1.5, 2.5, 3.5] : vector<4xi64> -> vector<4xf64>
  %1 = act.lookup %j [0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5] : vector<4xi64> -> vector<4xf64>
  return %0, %1 : vector<4xf64>, vector<4xf64>
}
