//===- ActDialectPlugin.cpp - The act dialect for upstream mlir-opt -------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
//   mlir-opt-22 --load-dialect-plugin=build/lib/GeluActDialectPlugin.so x.mlir
//
// parses, verifies and prints act IR with Debian's mlir-opt. The plugin
// links libgelu-jit.so, which shares libMLIR.so with mlir-opt.
//
//===----------------------------------------------------------------------===//

#include "gelu/Dialect/Act/IR/ActDialect.h"
#include "gelu/Version.h"

#include "mlir/Tools/Plugins/DialectPlugin.h"

extern "C" LLVM_ATTRIBUTE_WEAK ::mlir::DialectPluginLibraryInfo
mlirGetDialectPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "GeluActDialect", GELU_JIT_VERSION,
          [](mlir::DialectRegistry *registry) {
            registry->insert<gelu::act::ActDialect>();
          }};
}
