//===- ActOps.cpp - Operations of the act dialect ------------------------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Dialect/Act/IR/ActOps.h"

#include "gelu/Dialect/Act/IR/ExpansionCatalog.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/TypeUtilities.h"

#include <array>
#include <type_traits>

using namespace mlir;
using namespace gelu::act;

#include "gelu/Dialect/Act/IR/ActInterfaces.cpp.inc"

#define GET_OP_CLASSES
#include "gelu/Dialect/Act/IR/ActOps.cpp.inc"

LogicalResult gelu::act::verifyActivationOp(ActivationOpInterface op) {
  gelu::ReferenceFunction function = op.getReferenceFunction();
  std::optional<Expansion> expansion = op.getExpansion();
  llvm::ArrayRef<Expansion> accepted = op.getAcceptedExpansions();
  if (expansion && !llvm::is_contained(accepted, *expansion)) {
    if (llvm::is_contained(gelu::expansionsFor(function), *expansion))
      return op->emitOpError("expansion '")
             << stringifyExpansion(*expansion) << "' has no f64 form; on f64, "
             << gelu::stringifyReferenceFunction(function) << " has "
             << gelu::listExpansions(accepted);
    return op->emitOpError("expansion '")
           << stringifyExpansion(*expansion) << "' does not compute "
           << gelu::stringifyReferenceFunction(function) << "; expected "
           << gelu::listExpansions(accepted);
  }
  if (expansion && gelu::roundsF32Only(*expansion) &&
      !getElementTypeOrSelf(op->getResult(0).getType()).isF32())
    return op->emitOpError("expansion '")
           << stringifyExpansion(*expansion)
           << "' rounds f32 results; this op's element type is "
           << getElementTypeOrSelf(op->getResult(0).getType());
  std::optional<uint32_t> degree = op.getDegree();
  if (!degree)
    return success();
  if (!expansion || gelu::degreesOf(*expansion).empty())
    return op->emitOpError("degree needs an expansion that has degrees "
                           "('rational', 'rational_fast' or 'piecewise')");
  if (!llvm::is_contained(gelu::degreesOf(*expansion), *degree))
    return op->emitOpError("expansion '")
           << stringifyExpansion(*expansion) << "' has no degree " << *degree
           << "; expected " << gelu::listDegrees(*expansion);
  return success();
}

//===----------------------------------------------------------------------===//
// act.lookup
//===----------------------------------------------------------------------===//

LogicalResult LookupOp::verify() {
  size_t size = getTable().size();
  if (size < 2 || size > 64 || !llvm::isPowerOf2_64(size))
    return emitOpError("has a table of ")
           << size << " entries; expected a power of two from 2 to 64";
  auto indexShape = dyn_cast<VectorType>(getIndex().getType());
  auto resultShape = dyn_cast<VectorType>(getResult().getType());
  if (static_cast<bool>(indexShape) != static_cast<bool>(resultShape) ||
      (indexShape && indexShape.getShape() != resultShape.getShape()))
    return emitOpError("index ")
           << getIndex().getType() << " and result " << getResult().getType()
           << " differ in shape: one entry per index";
  return success();
}

//===----------------------------------------------------------------------===//
// Op facts
//===----------------------------------------------------------------------===//

namespace {
constexpr size_t kNumOpKinds = getMaxEnumValForOpKind() + 1;

/// Whether Op is an activation (its ODS class gives its facts); act.lookup
/// and other building blocks are not.
template <typename Op, typename = void>
struct IsActivation : std::false_type {};
template <typename Op>
struct IsActivation<Op, std::void_t<decltype(Op::getFacts())>>
    : std::true_type {};

template <typename Op>
constexpr void addFacts(std::array<OpFacts, kNumOpKinds> &table) {
  if constexpr (IsActivation<Op>::value)
    table[static_cast<size_t>(Op::getFacts().kind)] = Op::getFacts();
}

/// The facts of every activation op of the dialect, indexed by kind.
template <typename... Ops>
constexpr std::array<OpFacts, kNumOpKinds> collectFacts() {
  static_assert((size_t(IsActivation<Ops>::value) + ... + 0) == kNumOpKinds,
                "every act activation has an OpKind case and every case an "
                "op");
  std::array<OpFacts, kNumOpKinds> table{};
  (addFacts<Ops>(table), ...);
  return table;
}

constexpr std::array<OpFacts, kNumOpKinds> kOpFacts = collectFacts<
#define GET_OP_LIST
#include "gelu/Dialect/Act/IR/ActOps.cpp.inc"
    >();

/// Whether each op has its own kind and its operand roles fit its
/// operands.
constexpr bool factsAreConsistent() {
  for (size_t i = 0; i < kNumOpKinds; ++i) {
    const OpFacts &facts = kOpFacts[i];
    if (static_cast<size_t>(facts.kind) != i)
      return false;
    if (facts.bias == 0 || facts.factor == 0 ||
        (facts.bias > 0 && facts.bias == facts.factor))
      return false;
  }
  return true;
}
static_assert(factsAreConsistent(),
              "two act ops share an OpKind, or an operand has two roles");

constexpr std::array<OpKind, kNumOpKinds> collectKinds() {
  std::array<OpKind, kNumOpKinds> kinds{};
  for (size_t i = 0; i < kNumOpKinds; ++i)
    kinds[i] = static_cast<OpKind>(i);
  return kinds;
}
constexpr std::array<OpKind, kNumOpKinds> kOpKinds = collectKinds();
} // namespace

const OpFacts &gelu::act::opFacts(OpKind kind) {
  return kOpFacts[static_cast<size_t>(kind)];
}

llvm::ArrayRef<OpKind> gelu::act::allOpKinds() { return kOpKinds; }
