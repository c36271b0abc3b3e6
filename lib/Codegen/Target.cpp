//===- Target.cpp - What a kernel is compiled for ------------------------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Codegen/Target.h"

#include "gelu/Spec/Spec.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

#include <mutex>

namespace gelu {

static void initializeTargets() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    llvm::InitializeNativeTargetAsmParser();
  });
}

static TargetInfo hostTarget() {
  TargetInfo target;
  target.triple = llvm::sys::getProcessTriple();
  target.cpu = llvm::sys::getHostCPUName().str();
  llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
  std::string list;
  for (const auto &feature : features) {
    if (!list.empty())
      list += ",";
    list += (feature.second ? "+" : "-") + feature.first().str();
  }
  target.features = list;
  auto has = [&](llvm::StringRef name) {
    auto it = features.find(name);
    return it != features.end() && it->second;
  };
  if (has("avx512f"))
    target.vectorBits = 512;
  else if (has("avx2") || has("avx"))
    target.vectorBits = 256;
  else
    target.vectorBits = 128;
  return target;
}

/// The x86-64 micro-architecture levels: code for every CPU of the level.
/// `required` are the features this process's CPU needs to run it.
struct X86Level {
  llvm::StringRef name;
  unsigned vectorBits;
  llvm::StringRef required[5];
};
static const X86Level kX86Levels[] = {
    {"x86-64-v3", 256, {"avx2", "fma", "f16c", "bmi2", "avx"}},
    {"x86-64-v4", 512, {"avx512f", "avx512bw", "avx512dq", "avx512vl", "fma"}},
};

std::string firstMissingFeature(llvm::StringRef name,
                                const llvm::StringMap<bool> &cpuFeatures) {
  for (const X86Level &level : kX86Levels) {
    if (name != level.name)
      continue;
    for (llvm::StringRef feature : level.required) {
      auto it = cpuFeatures.find(feature);
      if (it == cpuFeatures.end() || !it->second)
        return feature.str();
    }
  }
  return "";
}

llvm::Expected<TargetInfo> resolveTarget(llvm::StringRef name) {
  // Reading the CPU's features takes microseconds: once per process.
  static const TargetInfo host = hostTarget();
  if (name == "host")
    return host;
  for (const X86Level &level : kX86Levels) {
    if (name != level.name)
      continue;
    TargetInfo target;
    target.triple = host.triple;
    target.cpu = level.name.str();
    target.vectorBits = level.vectorBits;
    if (!llvm::Triple(host.triple).isX86()) {
      // Emitted for x86 from another host: never run here.
      target.triple = "x86_64-unknown-linux-gnu";
      target.missingHostFeature = "an x86-64 CPU";
      return target;
    }
    target.missingHostFeature =
        firstMissingFeature(name, llvm::sys::getHostCPUFeatures());
    return target;
  }
  std::string expected;
  for (llvm::StringRef known : targetNames())
    expected += (expected.empty() ? "'" : ", '") + known.str() + "'";
  return llvm::createStringError("unknown target '" + name + "'; expected " +
                                 expected);
}

llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createTargetMachine(const TargetInfo &target) {
  initializeTargets();
  llvm::Triple triple(target.triple);
  std::string error;
  const llvm::Target *llvmTarget =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!llvmTarget)
    return llvm::createStringError("no LLVM target for '" + target.triple +
                                   "': " + error);
  llvm::TargetOptions options;
  std::unique_ptr<llvm::TargetMachine> machine(llvmTarget->createTargetMachine(
      triple, target.cpu, target.features, options, llvm::Reloc::PIC_,
      std::nullopt, llvm::CodeGenOptLevel::Aggressive));
  if (!machine)
    return llvm::createStringError("cannot create a target machine for '" +
                                   target.triple + "'");
  return machine;
}

} // namespace gelu
