//===- ActPassPlugin.cpp - gelu-jit's passes for upstream mlir-opt --------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
//   mlir-opt-22 --load-dialect-plugin=build/lib/GeluActDialectPlugin.so \
//     --load-pass-plugin=build/lib/GeluActPassPlugin.so \
//     --act-raise-activations --act-select-expansion="max-abs=1e-4" \
//     --convert-act-to-arith x.mlir
//
// registers every gelu-jit pass and pipeline in Debian's mlir-opt, with the
// JIT's tuner behind act-select-expansion, as gelu-opt does.
//
//===----------------------------------------------------------------------===//

#include "gelu/Driver/Driver.h"
#include "gelu/Version.h"

#include "mlir/Tools/Plugins/PassPlugin.h"

extern "C" LLVM_ATTRIBUTE_WEAK ::mlir::PassPluginLibraryInfo
mlirGetPassPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "GeluActPasses", GELU_JIT_VERSION,
          []() { gelu::registerActPassesAndTuner(); }};
}
