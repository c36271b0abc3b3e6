//===- ActInterfaces.td - Interfaces of the act dialect ----*- tablegen -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_DIALECT_ACT_IR_ACTINTERFACES_TD
#define GELU_DIALECT_ACT_IR_ACTINTERFACES_TD

include "mlir/IR/OpBase.td"

def Act_ActivationOpInterface : OpInterface<"ActivationOpInterface"> {
  let cppNamespace = "::gelu::act";
  let description = [{
    An activation applied element by element: family(x + bias) · factor
    (OpFacts.h). What every pass, the kernel builder and the spec need of an
    op, so that none of them switches on op kinds; the facts come from the
    op's ODS class (Act_ActivationOp), the rest from its attributes. One
    verifier checks the expansion and degree of every act op.
  }];

  let methods = [
    StaticInterfaceMethod<"The op's facts: kind, family, operand roles.",
      "::gelu::act::OpFacts", "getFacts">,
    InterfaceMethod<"The GELU that `approximate` names (`none` for the ops "
      "that apply no GELU).",
      "::gelu::act::Approximate", "getApproximate", (ins), [{}], [{
        return ::gelu::act::Approximate::none;
      }]>,
    InterfaceMethod<"The expansion named on the op, if any.",
      "std::optional<::gelu::act::Expansion>", "getExpansion">,
    InterfaceMethod<"The fit's degree named on the op, if any.",
      "std::optional<uint32_t>", "getDegree">,
    InterfaceMethod<"The function applied to x + bias.",
      "::gelu::ReferenceFunction", "getReferenceFunction", (ins), [{}], [{
        return ConcreteOp::getFacts().referenceFunction(
            $_op.getApproximate());
      }]>,
    InterfaceMethod<"The expansions the op accepts, its accurate default "
      "first (on f64 elements, the one f64 form).",
      "::llvm::ArrayRef<::gelu::act::Expansion>", "getAcceptedExpansions",
      (ins), [{}], [{
        ::gelu::ReferenceFunction function = $_op.getReferenceFunction();
        return ::mlir::getElementTypeOrSelf($_op->getResult(0).getType())
                       .isF64()
                   ? ::gelu::f64ExpansionsFor(function)
                   : ::gelu::expansionsFor(function);
      }]>,
    InterfaceMethod<"The expansion that computes the op: the named one, "
      "else the accurate default.",
      "::gelu::act::Expansion", "getEffectiveExpansion", (ins), [{}], [{
        return $_op.getExpansion().value_or(
            $_op.getAcceptedExpansions().front());
      }]>,
    InterfaceMethod<"The operand the bias is added to and the activation "
      "applied to.",
      "::mlir::Value", "getActivationInput", (ins), [{}], [{
        return $_op->getOperand(0);
      }]>,
    InterfaceMethod<"The operand added to the input first, or null.",
      "::mlir::Value", "getBiasOperand", (ins), [{}], [{
        int index = ConcreteOp::getFacts().bias;
        return index < 0 ? ::mlir::Value() : $_op->getOperand(index);
      }]>,
    InterfaceMethod<"The operand the activation is multiplied by, or null.",
      "::mlir::Value", "getFactorOperand", (ins), [{}], [{
        int index = ConcreteOp::getFacts().factor;
        return index < 0 ? ::mlir::Value() : $_op->getOperand(index);
      }]>,
  ];

  let verify = [{
    return ::gelu::act::verifyActivationOp(
        ::mlir::cast<::gelu::act::ActivationOpInterface>($_op));
  }];
}

#endif // GELU_DIALECT_ACT_IR_ACTINTERFACES_TD
