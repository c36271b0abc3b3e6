//===- KernelBuilder.cpp - Wrap an act op into a buffer kernel -----------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Codegen/KernelBuilder.h"

#include "gelu/Dialect/Act/IR/ActOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Builders.h"

using namespace mlir;

namespace gelu {

static Type elementTypeOf(MLIRContext *ctx, DType dtype) {
  switch (dtype) {
  case DType::F16:
    return Float16Type::get(ctx);
  case DType::BF16:
    return BFloat16Type::get(ctx);
  case DType::F32:
    return Float32Type::get(ctx);
  case DType::F64:
    return Float64Type::get(ctx);
  }
  llvm_unreachable("unknown dtype");
}

/// The act op of `spec` applied to `x`, with the spec's expansion if any.
static Value buildActivation(OpBuilder &b, Location loc, const KernelSpec &spec,
                             Value x) {
  MLIRContext *ctx = b.getContext();
  act::ExpansionAttr expansion =
      spec.expansion ? act::ExpansionAttr::get(ctx, *spec.expansion)
                     : act::ExpansionAttr();
  switch (spec.op) {
  case KernelOp::Gelu:
    return act::GeluOp::create(
        b, loc, x, act::ApproximateAttr::get(ctx, spec.approximate), expansion);
  case KernelOp::Silu:
    return act::SiluOp::create(b, loc, x, expansion);
  case KernelOp::Relu:
    return act::ReluOp::create(b, loc, x, expansion);
  }
  llvm_unreachable("unknown op");
}

namespace {
/// Emits one vector step of the kernel at element offset `offset`.
struct VectorStep {
  const KernelSpec &spec;
  Value in, out;
  VectorType vectorType;
  unsigned alignment;

  void emit(OpBuilder &b, Location loc, Value offset, Value mask) const {
    auto ptrType = LLVM::LLVMPointerType::get(b.getContext());
    Type element = vectorType.getElementType();
    auto address = [&](Value base) {
      return LLVM::GEPOp::create(b, loc, ptrType, element, base,
                                 ValueRange{offset},
                                 LLVM::GEPNoWrapFlags::inbounds);
    };
    Value src = address(in), dst = address(out);
    Value x;
    if (mask) {
      // Lanes past n read as zero and are never stored.
      Value zeros = arith::ConstantOp::create(
          b, loc, DenseElementsAttr::get(vectorType, b.getZeroAttr(element)));
      x = LLVM::MaskedLoadOp::create(b, loc, vectorType, src, mask, zeros,
                                     b.getI32IntegerAttr(alignment),
                                     /*nontemporal=*/nullptr);
    } else {
      x = LLVM::LoadOp::create(b, loc, vectorType, src, alignment);
    }
    Value y = buildActivation(b, loc, spec, x);
    if (mask)
      LLVM::MaskedStoreOp::create(b, loc, y, dst, mask,
                                  b.getI32IntegerAttr(alignment));
    else
      LLVM::StoreOp::create(b, loc, y, dst, alignment);
  }
};
} // namespace

llvm::Expected<func::FuncOp> buildElementwiseKernel(ModuleOp module,
                                                    const KernelSpec &spec,
                                                    unsigned lanes) {
  if (spec.dtype == DType::F64)
    return llvm::createStringError(
        "dtype 'f64' is not supported yet: kernels exist for f32, f16 and "
        "bf16");
  if (module.lookupSymbol(spec.name))
    return llvm::createStringError("the module already defines '" + spec.name +
                                   "'");
  MLIRContext *ctx = module.getContext();
  Location loc = NameLoc::get(StringAttr::get(ctx, spec.name));
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());

  auto ptrType = LLVM::LLVMPointerType::get(ctx);
  Type i64 = b.getI64Type();
  auto function = func::FuncOp::create(
      b, loc, spec.name, b.getFunctionType({ptrType, ptrType, i64}, {}));
  // `in` may equal `out` (in place), so neither is noalias.
  function.setArgAttr(0, LLVM::LLVMDialect::getReadonlyAttrName(),
                      b.getUnitAttr());
  function.setArgAttr(0, LLVM::LLVMDialect::getNoCaptureAttrName(),
                      b.getUnitAttr());
  function.setArgAttr(1, LLVM::LLVMDialect::getNoCaptureAttrName(),
                      b.getUnitAttr());
  Block *entry = function.addEntryBlock();
  b.setInsertionPointToStart(entry);

  Type element = elementTypeOf(ctx, spec.dtype);
  VectorStep step{spec, entry->getArgument(0), entry->getArgument(1),
                  VectorType::get({lanes}, element), dtypeSize(spec.dtype)};

  auto i64Constant = [&](int64_t v) -> Value {
    return arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(v));
  };
  Value zero = i64Constant(0);
  Value width = i64Constant(lanes);
  Value n = arith::MaxSIOp::create(b, loc, entry->getArgument(2), zero);
  Value tail = arith::RemUIOp::create(b, loc, n, width);
  Value full = arith::SubIOp::create(b, loc, n, tail);

  scf::ForOp::create(b, loc, zero, full, width, ValueRange{},
                     [&](OpBuilder &nb, Location l, Value i, ValueRange) {
                       step.emit(nb, l, i, /*mask=*/nullptr);
                       scf::YieldOp::create(nb, l);
                     });

  Value hasTail =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, tail, zero);
  scf::IfOp::create(b, loc, hasTail, [&](OpBuilder &nb, Location l) {
    Value count = arith::IndexCastOp::create(nb, l, nb.getIndexType(), tail);
    Value mask = vector::CreateMaskOp::create(
        nb, l, VectorType::get({lanes}, nb.getI1Type()), ValueRange{count});
    step.emit(nb, l, full, mask);
    scf::YieldOp::create(nb, l);
  });
  func::ReturnOp::create(b, loc);
  return function;
}

llvm::Expected<OwningOpRef<ModuleOp>>
buildKernelModule(MLIRContext &context, const KernelSpec &spec,
                  const TargetInfo &target) {
  OwningOpRef<ModuleOp> module = ModuleOp::create(UnknownLoc::get(&context));
  auto kernel = buildElementwiseKernel(*module, spec,
                                       target.lanes(dtypeSize(spec.dtype)));
  if (!kernel)
    return kernel.takeError();
  return module;
}

} // namespace gelu
