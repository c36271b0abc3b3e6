//===- ActDialect.td - The act dialect definition ----------*- tablegen -*-===//
//
// Part of gelu-jit. The `act` dialect describes neural-network activation
// functions by their meaning, independent of how they are computed.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_DIALECT_ACT_IR_ACTDIALECT_TD
#define GELU_DIALECT_ACT_IR_ACTDIALECT_TD

include "mlir/IR/DialectBase.td"

def Act_Dialect : Dialect {
  let name = "act";
  let cppNamespace = "::gelu::act";
  let summary = "Activation functions of neural networks (GELU, SiLU, ReLU, ...)";
  let description = [{
    The `act` dialect describes activation functions by their *reference
    function*: what the op means mathematically. How an op is computed (which
    expansion, polynomial degree, clamp range) is decided by lowering passes
    such as `convert-act-to-arith`; an op's semantics never depend on it.

    All ops are elementwise and pure. They accept `f16`, `bf16`, `f32` and
    `f64` scalars, vectors of them, and ranked tensors of them.
  }];
  let useDefaultAttributePrinterParser = 1;
}

#endif // GELU_DIALECT_ACT_IR_ACTDIALECT_TD
