// RUN: gelu-opt %s -act-lower-to-llvm | FileCheck %s --implicit-check-not=act. --implicit-check-not=arith. --implicit-check-not=math. --implicit-check-not=llvm.call
// RUN: gelu-opt %s -act-lower-to-llvm | mlir-translate --mlir-to-llvmir | FileCheck %s --check-prefix=LLVMIR --implicit-check-not='{{call [^@]*@([^l]|l[^l]|ll[^v]|llv[^m])}}'

// The whole pipeline leaves only the LLVM dialect, which mlir-translate
// accepts, and no call: nothing depends on libm. (The implicit checks scan
// the whole output; CHECK-NOT lines before the first label scanned only
// the text before it.)

// The defaults' per-vector branch to their tails is a conditional branch.
// CHECK-LABEL: llvm.func @gelu_all
// CHECK: llvm.intr.fma
// CHECK: llvm.cond_br
// CHECK: llvm.intr.roundeven
// CHECK: llvm.select
// LLVMIR-LABEL: define <16 x float> @gelu_all
// LLVMIR: call <16 x float> @llvm.fma.v16f32
func.func @gelu_all(%x: vector<16xf32>) -> vector<16xf32> {
  %0 = act.gelu %x : vector<16xf32>
  %1 = act.gelu %0 approximate<tanh> : vector<16xf32>
  %2 = act.gelu %1 approximate<sigmoid> : vector<16xf32>
  %3 = act.silu %2 : vector<16xf32>
  %4 = act.relu %3 : vector<16xf32>
  return %4 : vector<16xf32>
}

// CHECK-LABEL: llvm.func @gelu_bf16
// CHECK-NOT: llvm.fpext
// CHECK: llvm.zext %{{.*}} : vector<8xi16> to vector<8xi32>
// CHECK: llvm.shl
// CHECK: llvm.bitcast %{{.*}} : vector<8xi32> to vector<8xf32>
// CHECK: llvm.trunc %{{.*}} : vector<8xi32> to vector<8xi16>
// CHECK: llvm.bitcast %{{.*}} : vector<8xi16> to vector<8xbf16>
// LLVMIR-LABEL: define <8 x bfloat> @gelu_bf16
func.func @gelu_bf16(%x: vector<8xbf16>) -> vector<8xbf16> {
  %0 = act.gelu %x : vector<8xbf16>
  return %0 : vector<8xbf16>
}
