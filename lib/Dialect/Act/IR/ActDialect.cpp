//===- ActDialect.cpp - The act dialect ----------------------------------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Dialect/Act/IR/ActDialect.h"
#include "gelu/Dialect/Act/IR/ActOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "mlir/Transforms/InliningUtils.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace gelu::act;

#include "gelu/Dialect/Act/IR/ActDialect.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "gelu/Dialect/Act/IR/ActAttrs.cpp.inc"

namespace {
/// Every act op is pure and has no region: a call of a function made of
/// them (convert-act-to-arith's outlined expansions, whose tables stay
/// act.lookup until act-lower-lookups) may be inlined anywhere.
struct ActInlinerInterface : public DialectInlinerInterface {
  using DialectInlinerInterface::DialectInlinerInterface;
  bool isLegalToInline(Operation *, Region *, bool, IRMapping &) const final {
    return true;
  }
};
} // namespace

void ActDialect::initialize() {
  addInterfaces<ActInlinerInterface>();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "gelu/Dialect/Act/IR/ActAttrs.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "gelu/Dialect/Act/IR/ActOps.cpp.inc"
      >();
}
