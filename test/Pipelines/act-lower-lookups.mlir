// act-lower-lookups: act.lookup with each target's instructions.
// RUN: gelu-opt %s -act-lower-lookups="target=x86-64-v4" | FileCheck %s --check-prefixes=COMMON,AVX512
// RUN: gelu-opt %s -act-lower-lookups="target=x86-64-v3" | FileCheck %s --check-prefixes=COMMON,AVX2
// RUN: gelu-opt %s -act-lower-lookups="target=aarch64" | FileCheck %s --check-prefixes=COMMON,NEON
// RUN: gelu-opt %s -act-lower-lookups | FileCheck %s --check-prefixes=COMMON,SELECTS
// RUN: not gelu-opt %s -act-lower-lookups="target=pentium9" 2>&1 | FileCheck %s --check-prefix=BADTARGET
// BADTARGET: error: act-lower-lookups: unknown target 'pentium9'

// Through the whole pipeline to machine code: the permutes survive LLVM.
// RUN: gelu-opt %s -act-lower-to-llvm="target=x86-64-v4" | mlir-translate --mlir-to-llvmir | llc -O2 | FileCheck %s --check-prefix=ASM512
// RUN: gelu-opt %s -act-lower-to-llvm="target=x86-64-v3" | mlir-translate --mlir-to-llvmir | llc -O2 | FileCheck %s --check-prefix=ASM256
// RUN: gelu-opt %s -act-lower-to-llvm="target=aarch64" | mlir-translate --mlir-to-llvmir | llc -O2 | FileCheck %s --check-prefix=ASMNEON
// The scalar form is what an NVPTX kernel (one lane a thread) gets.
// RUN: gelu-opt %s -act-lower-to-llvm | mlir-translate --mlir-to-llvmir | llc -O2 -mtriple=nvptx64-nvidia-cuda -mcpu=sm_80 | FileCheck %s --check-prefix=PTX

// A scalar: a load from a private constant array, on every target.
// COMMON: llvm.mlir.global private constant @[[TABLE:__act_lookup_[0-9a-f]+]](dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00]> : tensor<4xf32>) {addr_space = 0 : i32, alignment = 64 : i64} : !llvm.array<4 x f32>
// COMMON-NOT: llvm.mlir.global
// COMMON-LABEL: func.func @scalar
// COMMON: %[[BASE:.*]] = llvm.mlir.addressof @[[TABLE]] : !llvm.ptr
// COMMON: %[[MASK:.*]] = arith.constant 3 : i32
// COMMON: %[[LOW:.*]] = arith.andi %{{.*}}, %[[MASK]] : i32
// COMMON: %[[AT:.*]] = llvm.getelementptr inbounds %[[BASE]][0, %[[LOW]]]
// COMMON: llvm.load %[[AT]] : !llvm.ptr -> f32
// PTX: .global .align 64 .b8 __act_lookup_{{[0-9a-f]+}}[16]
// PTX-LABEL: .func {{.*}}scalar(
// PTX: and.b{{32|64}} {{.*}}, 3;
// PTX: ld.global{{.*}}.b32
// ASM512-LABEL: scalar:
// ASM512: andl $3
// ASM512: vmovss {{.*}},4), %xmm0
func.func @scalar(%i: i32) -> f32 {
  %0 = act.lookup %i [1.0, 2.0, 3.0, 4.0] : i32 -> f32
  return %0 : f32
}

// 16 lanes, 4 entries: AVX-512 repeats the table to 16 and permutes once;
// AVX2 permutes each half; NEON each quarter; elsewhere 3 selects.
// COMMON-LABEL: func.func @sixteen_lanes_four_entries
// AVX512: llvm.call_intrinsic "llvm.x86.avx512.permvar.sf.512"(%{{.*}}, %arg0) : (vector<16xf32>, vector<16xi32>) -> vector<16xf32>
// AVX512-NOT: llvm.call_intrinsic
// AVX2-COUNT-2: llvm.call_intrinsic "llvm.x86.avx2.permps"(%{{.*}}, %{{.*}}) : (vector<8xf32>, vector<8xi32>) -> vector<8xf32>
// AVX2-NOT: llvm.call_intrinsic
// NEON-COUNT-4: llvm.call_intrinsic "llvm.aarch64.neon.tbl4"
// NEON-NOT: llvm.call_intrinsic
// SELECTS-COUNT-3: arith.select
// SELECTS-NOT: arith.select
// SELECTS-NOT: llvm.call_intrinsic
// COMMON: return
// ASM512-LABEL: sixteen_lanes_four_entries:
// ASM512: vpermps {{.*}}%zmm
// ASM256-LABEL: sixteen_lanes_four_entries:
// ASM256-COUNT-2: vpermps {{.*}}%ymm
// ASMNEON-LABEL: sixteen_lanes_four_entries:
// ASMNEON-COUNT-4: tbl v{{[0-9]+}}.16b, { v{{[0-9]+}}.16b, v{{[0-9]+}}.16b, v{{[0-9]+}}.16b, v{{[0-9]+}}.16b }
func.func @sixteen_lanes_four_entries(%i: vector<16xi32>) -> vector<16xf32> {
  %0 = act.lookup %i [1.0, 2.0, 3.0, 4.0] : vector<16xi32> -> vector<16xf32>
  return %0 : vector<16xf32>
}

// 32 entries: one vpermi2ps on AVX-512; AVX2 four permutes a half and a
// select tree on bits 3 and 4.
// COMMON-LABEL: func.func @thirty_two_entries
// AVX512: llvm.call_intrinsic "llvm.x86.avx512.vpermi2var.ps.512"(%{{.*}}, %arg0, %{{.*}}) : (vector<16xf32>, vector<16xi32>, vector<16xf32>) -> vector<16xf32>
// AVX512-NOT: llvm.call_intrinsic
// AVX2-COUNT-8: llvm.call_intrinsic "llvm.x86.avx2.permps"
// NEON-COUNT-8: llvm.call_intrinsic "llvm.aarch64.neon.tbl4"
// SELECTS-COUNT-31: arith.select
// COMMON: return
// ASM512-LABEL: thirty_two_entries:
// ASM512: vperm{{[it]}}2ps {{.*}}%zmm
func.func @thirty_two_entries(%i: vector<16xi32>) -> vector<16xf32> {
  %0 = act.lookup %i [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0, 19.0, 20.0, 21.0, 22.0, 23.0, 24.0, 25.0, 26.0, 27.0, 28.0, 29.0, 30.0, 31.0] : vector<16xi32> -> vector<16xf32>
  return %0 : vector<16xf32>
}

// 64 entries on AVX-512: two vpermi2ps and a select on bit 5.
// COMMON-LABEL: func.func @sixty_four_entries
// AVX512-COUNT-2: llvm.call_intrinsic "llvm.x86.avx512.vpermi2var.ps.512"
// AVX512: arith.andi %arg0, %{{.*}} : vector<16xi32>
// AVX512: arith.select
// AVX512-NOT: arith.select
// COMMON: return
func.func @sixty_four_entries(%i: vector<16xi32>) -> vector<16xf32> {
  %0 = act.lookup %i [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0, 19.0, 20.0, 21.0, 22.0, 23.0, 24.0, 25.0, 26.0, 27.0, 28.0, 29.0, 30.0, 31.0, 32.0, 33.0, 34.0, 35.0, 36.0, 37.0, 38.0, 39.0, 40.0, 41.0, 42.0, 43.0, 44.0, 45.0, 46.0, 47.0, 48.0, 49.0, 50.0, 51.0, 52.0, 53.0, 54.0, 55.0, 56.0, 57.0, 58.0, 59.0, 60.0, 61.0, 62.0, 63.0] : vector<16xi32> -> vector<16xf32>
  return %0 : vector<16xf32>
}

// 8 lanes (a 256-bit kernel) and 32 entries: on AVX-512 two 256-bit
// vpermi2ps and a select on bit 4; AVX2 four permutes and selects on bits
// 3 and 4.
// COMMON-LABEL: func.func @eight_lanes_thirty_two_entries
// AVX512-COUNT-2: llvm.call_intrinsic "llvm.x86.avx512.vpermi2var.ps.256"(%{{.*}}, %arg0, %{{.*}}) : (vector<8xf32>, vector<8xi32>, vector<8xf32>) -> vector<8xf32>
// AVX512-NOT: llvm.call_intrinsic
// AVX512-COUNT-1: arith.select
// AVX512-NOT: arith.select
// AVX2-COUNT-4: llvm.call_intrinsic "llvm.x86.avx2.permps"
// AVX2-COUNT-3: arith.select
// AVX2-NOT: arith.select
// SELECTS-COUNT-31: arith.select
// COMMON: return
// (LLVM may widen the two to 512-bit permutes of 16 entries each.)
// ASM512-LABEL: eight_lanes_thirty_two_entries:
// ASM512-COUNT-2: vperm
// ASM512-NOT: vperm
// ASM512: ret
func.func @eight_lanes_thirty_two_entries(%i: vector<8xi32>) -> vector<8xf32> {
  %0 = act.lookup %i [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0, 18.0, 19.0, 20.0, 21.0, 22.0, 23.0, 24.0, 25.0, 26.0, 27.0, 28.0, 29.0, 30.0, 31.0] : vector<8xi32> -> vector<8xf32>
  return %0 : vector<8xf32>
}

// 8 lanes and 8 entries on AVX-512: one vpermps, as on AVX2.
// COMMON-LABEL: func.func @eight_lanes_eight_entries
// AVX512: llvm.call_intrinsic "llvm.x86.avx2.permps"(%{{.*}}, %arg0) : (vector<8xf32>, vector<8xi32>) -> vector<8xf32>
// AVX512-NOT: llvm.call_intrinsic
// AVX512-NOT: arith.select
// COMMON: return
func.func @eight_lanes_eight_entries(%i: vector<8xi32>) -> vector<8xf32> {
  %0 = act.lookup %i [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0] : vector<8xi32> -> vector<8xf32>
  return %0 : vector<8xf32>
}

// 32 lanes on AVX-512: two registers, each permuted, put back in place.
// COMMON-LABEL: func.func @two_registers
// AVX512: %[[LO:.*]] = vector.shuffle %arg0, %arg0 [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15] : vector<32xi32>, vector<32xi32>
// AVX512: %[[A:.*]] = llvm.call_intrinsic "llvm.x86.avx512.permvar.sf.512"(%{{.*}}, %[[LO]])
// AVX512: %[[HI:.*]] = vector.shuffle %arg0, %arg0 [16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31] : vector<32xi32>, vector<32xi32>
// AVX512: %[[B:.*]] = llvm.call_intrinsic "llvm.x86.avx512.permvar.sf.512"(%{{.*}}, %[[HI]])
// AVX512: vector.shuffle %[[A]], %[[B]] [0, 1, {{.*}}, 30, 31] : vector<16xf32>, vector<16xf32>
// COMMON: return
func.func @two_registers(%i: vector<32xi32>) -> vector<32xf32> {
  %0 = act.lookup %i [1.0, 2.0] : vector<32xi32> -> vector<32xf32>
  return %0 : vector<32xf32>
}

// Lanes that fill no register (5), and a 2-D vector: selects everywhere.
// COMMON-LABEL: func.func @odd_lanes
// COMMON-NOT: llvm.call_intrinsic
// COMMON-COUNT-6: arith.select
// COMMON-NOT: arith.select
// COMMON: return
func.func @odd_lanes(%i: vector<5xi32>, %j: vector<2x8xi32>) -> (vector<5xf32>, vector<2x8xf32>) {
  %0 = act.lookup %i [1.0, 2.0, 3.0, 4.0] : vector<5xi32> -> vector<5xf32>
  %1 = act.lookup %j [1.0, 2.0, 3.0, 4.0] : vector<2x8xi32> -> vector<2x8xf32>
  return %0, %1 : vector<5xf32>, vector<2x8xf32>
}

// Two lookups of one table share one array (the one above).
// COMMON-LABEL: func.func @shared_table
// COMMON: llvm.mlir.addressof @[[TABLE]] : !llvm.ptr
// COMMON-COUNT-2: llvm.load
// COMMON: return
func.func @shared_table(%i: i32, %j: i32) -> (f32, f32) {
  %0 = act.lookup %i [1.0, 2.0, 3.0, 4.0] : i32 -> f32
  %1 = act.lookup %j [1.0, 2.0, 3.0, 4.0] : i32 -> f32
  return %0, %1 : f32, f32
}

