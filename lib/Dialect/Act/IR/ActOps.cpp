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

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/bit.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"

#include <array>
#include <cmath>
#include <type_traits>

using namespace mlir;
using namespace gelu::act;

#include "gelu/Dialect/Act/IR/ActInterfaces.cpp.inc"

// act.lookup's table (the op's custom<LookupTable> directive).

/// `[e0, e1, ...]`, each entry as few digits as read back as it (the
/// short scientific form where that is exact, else 17 significant digits;
/// NaN and infinities as their bits, which the parser takes for an f64).
static void printLookupTable(OpAsmPrinter &printer, Operation *,
                             DenseF64ArrayAttr table) {
  raw_ostream &os = printer.getStream();
  os << '[';
  llvm::interleaveComma(table.asArrayRef(), os, [&](double entry) {
    if (!std::isfinite(entry)) {
      os << llvm::format_hex(llvm::bit_cast<uint64_t>(entry), 18);
      return;
    }
    std::string text = llvm::formatv("{0:e}", entry).str();
    if (std::strtod(text.c_str(), nullptr) != entry)
      text = llvm::formatv("{0:e16}", entry).str();
    os << text;
  });
  os << ']';
}

static ParseResult parseLookupTable(OpAsmParser &parser,
                                    DenseF64ArrayAttr &table) {
  SmallVector<double> entries;
  if (parser.parseCommaSeparatedList(
          OpAsmParser::Delimiter::Square, [&]() -> ParseResult {
            return parser.parseFloat(entries.emplace_back());
          }))
    return failure();
  table = parser.getBuilder().getDenseF64ArrayAttr(entries);
  return success();
}

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
  Type element = getElementTypeOrSelf(op->getResult(0).getType());
  if (expansion && gelu::roundsF32Only(*expansion) && !element.isF32())
    return op->emitOpError("expansion '")
           << stringifyExpansion(*expansion)
           << "' rounds f32 results; this op's element type is " << element;
  std::optional<uint32_t> degree = op.getDegree();
  if (!degree)
    return success();
  const bool f64 = element.isF64();
  llvm::ArrayRef<unsigned> degrees;
  if (expansion)
    degrees = gelu::degreesOf(function, *expansion, f64);
  // piecewise_tail: lower degrees for some functions (named in the
  // message, from degreesOf), none for the others.
  if (expansion && degrees.empty() && *expansion == Expansion::piecewise_tail) {
    llvm::SmallVector<llvm::StringRef> below, onF64;
    for (auto other = gelu::ReferenceFunction::GeluExact;
         other <= gelu::ReferenceFunction::GeluSigmoidDerivative;
         other = gelu::ReferenceFunction(int(other) + 1)) {
      if (!gelu::degreesOf(other, *expansion, /*f64=*/false).empty())
        below.push_back(gelu::stringifyReferenceFunction(other));
      if (!gelu::degreesOf(other, *expansion, /*f64=*/true).empty())
        onF64.push_back(gelu::stringifyReferenceFunction(other));
    }
    return op->emitOpError("expansion '")
           << stringifyExpansion(*expansion) << "' of "
           << gelu::stringifyReferenceFunction(function)
           << (f64 ? " on f64" : "")
           << " has one table: no degree (lower degrees exist for "
           << llvm::join(below, ", ") << " below f64, for "
           << llvm::join(onF64, ", ") << " on f64)";
  }
  if (degrees.empty())
    return op->emitOpError("degree needs an expansion that has degrees "
                           "('rational', 'rational_fast', 'piecewise', "
                           "'piecewise_graded', 'polynomial' or a gate's "
                           "'piecewise_tail')");
  if (!llvm::is_contained(degrees, *degree))
    return op->emitOpError("expansion '")
           << stringifyExpansion(*expansion) << "' has no degree " << *degree
           << "; expected " << gelu::listDegrees(function, *expansion, f64);
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
  Type entry = getElementTypeOrSelf(getResult().getType());
  Type index = getElementTypeOrSelf(getIndex().getType());
  if (index.getIntOrFloatBitWidth() != entry.getIntOrFloatBitWidth())
    return emitOpError("index ")
           << getIndex().getType() << " and result " << getResult().getType()
           << " differ in width: the index is i32 for f32 entries and i64 "
              "for f64";
  if (entry.isF32())
    for (auto [k, value] : llvm::enumerate(getTable()))
      if (!std::isnan(value) &&
          static_cast<double>(static_cast<float>(value)) != value)
        return emitOpError("has entry ")
               << k << " (" << value
               << ") that is not an f32 value, in a table of f32 entries";
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
