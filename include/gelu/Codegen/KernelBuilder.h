//===- KernelBuilder.h - Wrap an act op into a buffer kernel ----*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// Builds the function that applies an activation to a buffer, with the C ABI
//   void NAME(const T *in, T *out, int64_t n)
// (two inputs for gelu_backward, geglu and swiglu:
//   void NAME(const T *x, const T *y, T *out, int64_t n))
// as a full-width vector loop (`unroll` vectors an iteration, then single
// vectors) over n − n mod W elements and one masked vector step for the
// rest: no scalar tail, no access outside [0, n). n ≤ 0 does nothing.
// in == out (in place) is allowed. With streaming stores (spec's
// `streaming_stores`; `auto`: outputs of at least kStreamingThresholdBytes
// that do not overlap an input), a masked head first brings `out` to a
// vector boundary, the body stores non-temporally, and a fence ends it.
//
// The [rows, cols] kernels run that loop (NAME_row, internal) on each row:
//   void NAME(const T *x, const T *bias, T *y, int64_t rows, int64_t cols)
//     y[r][c] = GELU(x[r][c] + bias[c])          (bias_gelu)
//   void NAME(const T *x, const T *bias, const T *dy, T *dx, float *dbias,
//             int64_t rows, int64_t cols)
//     dx[r][c] = dy[r][c]·GELU'(x[r][c] + bias[c]),
//     dbias[c] = Σ_r dx[r][c] (of the values written, summed in f32;
//     dbias is overwritten)                       (bias_gelu_backward)
// with cached stores; rows ≤ 0 or cols ≤ 0 write nothing but dbias's zeros.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_CODEGEN_KERNELBUILDER_H
#define GELU_CODEGEN_KERNELBUILDER_H

#include "gelu/Codegen/Target.h"
#include "gelu/Spec/Spec.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

namespace gelu {

/// The MLIR element type of `dtype`.
mlir::Type elementTypeOf(mlir::MLIRContext *context, DType dtype);

/// The element type a kernel of `dtype` computes in: f32 (16-bit kernels
/// round their f32 results once), f64 for f64 kernels. bias_gelu_backward
/// sums its bias gradient in it.
mlir::Type computeTypeOf(mlir::MLIRContext *context, DType dtype);

/// The act op of `spec` applied to `inputs` (scalars or vectors of one
/// type, as many as the op takes: x; x, dy; x, bias; x, bias, dy; a, b),
/// with the spec's expansion and degree if any.
mlir::Value buildActivation(mlir::OpBuilder &b, mlir::Location loc,
                            const KernelSpec &spec, mlir::ValueRange inputs);

/// Adds to `module` the kernel described by `spec`, on vectors of `lanes`
/// elements, with act ops in its body (lower them with the act pipeline).
/// `x86` selects the x86 fence after streaming stores. Fails with a message
/// for a dtype that has no expansion yet.
llvm::Expected<mlir::func::FuncOp>
buildElementwiseKernel(mlir::ModuleOp module, const KernelSpec &spec,
                       unsigned lanes, bool x86);

/// A module holding the kernel of `spec` for `target`, with act ops.
llvm::Expected<mlir::OwningOpRef<mlir::ModuleOp>>
buildKernelModule(mlir::MLIRContext &context, const KernelSpec &spec,
                  const TargetInfo &target);

} // namespace gelu

#endif // GELU_CODEGEN_KERNELBUILDER_H
