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
// bias_gelu_backward (its dbias reduction) and f64 have CPU kernels only.
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
};
GpuLaunchShape gpuLaunchShape(const KernelSpec &spec, int64_t n,
                              unsigned maxBlocks = 65535);

} // namespace gelu

#endif // GELU_CODEGEN_GPUCODEGEN_H
