//===- Version.cpp - The version of the library linked in ----------------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Version.h"

const char *gelu::libraryVersion() { return GELU_JIT_VERSION; }
