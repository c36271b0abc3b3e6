//===- GpuCodegen.h - GPU kernels: MLIR, NVVM and PTX -----------*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// The GPU form of a spec's kernel, built in MLIR's gpu dialect:
//
//   gpu.module @gelu_kernels {
//     gpu.func @NAME(%in: !llvm.ptr<1>, %out: !llvm.ptr<1>, %n: i64) kernel
//   }
//
// with the parameters of the op's ABI (KernelAbi): (in, out, n) for gelu,
// silu and relu; (x, y, out, n) for gelu_backward (x, dy → dx), geglu and
// swiglu (a, b → out); (x, bias, y, rows, cols) for bias_gelu. A
// grid-stride loop over 16-byte vectors (4 f32 or 8 f16/bf16 values: one
// ld.global.v4 / st.global.v4 a buffer, thread and step), then the
// n mod W last elements one a thread; when a buffer is not 16-byte aligned
// (or, for bias_gelu, when cols is not a multiple of W), every element goes
// the scalar way. bias_gelu carries each step's column along the loop (no
// 64-bit remainder a step). Any grid covers any n (launch with
// gpuLaunchShape). The act op is lowered as on the CPU (no libdevice
// call), then gpu, arith, math, vector and cf ops go to LLVM and NVVM in
// one conversion, and the NVPTX backend writes PTX for the target's sm.
// bias_gelu_backward is two kernels (below: dx and the partial sums of
// dbias, then their sum); f64 has CPU kernels only.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_CODEGEN_GPUCODEGEN_H
#define GELU_CODEGEN_GPUCODEGEN_H

#include "gelu/Codegen/Target.h"
#include "gelu/Spec/Spec.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

namespace gelu {

/// The name of the gpu.module holding the kernel.
constexpr const char *kGpuModuleName = "gelu_kernels";

/// A module holding the gpu.module with `spec`'s kernel (act ops inside).
llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>>
buildGpuKernelModule(mlir::MLIRContext &context, const KernelSpec &spec);

/// Lowers `module` (from buildGpuKernelModule) in place: the gpu.module's
/// contents become LLVM-dialect functions with NVVM intrinsics, moved to
/// the top level, ready for translation to LLVM IR.
llvm::Error lowerGpuKernelToNVVM(mlir::ModuleOp module);

/// The PTX of `spec` for an NVPTX `target`.
llvm::Expected<std::string> compileToPtx(const KernelSpec &spec,
                                         const TargetInfo &target);

/// The threads a block and blocks a grid for n elements (rows·cols for
/// bias_gelu): 256-thread blocks, enough blocks for one 16-byte vector a
/// thread, at most `maxBlocks` (the grid-stride loop does the rest).
struct GpuLaunchShape {
  unsigned blockThreads = 256;
  unsigned gridBlocks = 1;
  /// The second dimension (bias_gelu_backward's first kernel alone).
  unsigned blockThreadsY = 1;
  unsigned gridBlocksY = 1;
};
GpuLaunchShape gpuLaunchShape(const KernelSpec &spec, int64_t n,
                              unsigned maxBlocks = 65535);

/// bias_gelu_backward on a GPU is two kernels in one PTX module:
///
///   NAME(x, bias, dy, dx, partial, rows, cols)
///   NAME_dbias(partial, dbias, groups, cols)
///
/// The first writes dx and, for each of gridDim.y groups of rows, the sums
/// of its rows' dx by column into partial[group·cols + c] (f32 device
/// memory of gridDim.y·cols floats); the second adds each column's
/// partial sums in group order into dbias. Both orders are fixed by the
/// launch shape (gpuBiasBackwardShape), not by scheduling: the same call
/// gives the same bits. Its blocks are kGpuReduceColumns × kGpuReduceRows
/// threads, summing in shared memory.
constexpr int64_t kGpuReduceColumns = 32;
constexpr int64_t kGpuReduceRows = 8;
/// About as many blocks as the first kernel is launched with (the groups
/// of rows fill what the column tiles leave).
constexpr int64_t kGpuReduceBlocks = 2048;

/// The name of bias_gelu_backward's second kernel.
std::string gpuDbiasKernelName(llvm::StringRef name);

/// The first kernel's launch shape for rows × cols; `vectorised` when x,
/// bias, dy and dx are 16-byte aligned and cols a multiple of the 16-byte
/// vector's lanes (the kernel's own test). Its gridBlocksY groups are the
/// partial sums' rows. The second kernel: gpuLaunchShape over cols.
GpuLaunchShape gpuBiasBackwardShape(const KernelSpec &spec, int64_t rows,
                                    int64_t cols, bool vectorised);

} // namespace gelu

#endif // GELU_CODEGEN_GPUCODEGEN_H
