//===- Target.cpp - What a kernel is compiled for ------------------------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Codegen/Target.h"

#include "gelu/Spec/Spec.h"
#include "gelu/Support/Quote.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"
#include "llvm/TargetParser/X86TargetParser.h"

#include <cstring>
#include <mutex>

namespace gelu {

static void initializeTargets() {
  static std::once_flag once;
  std::call_once(once, [] {
    // Every target LLVM was built with: kernels are emitted for others
    // than the host (AArch64) as well.
    llvm::InitializeAllTargetInfos();
    llvm::InitializeAllTargets();
    llvm::InitializeAllTargetMCs();
    llvm::InitializeAllAsmPrinters();
    llvm::InitializeAllAsmParsers();
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

/// Whether `feature` is one that the generated code may use: the vector
/// and arithmetic extensions beyond SSE, which every CPU with AVX has. (A
/// CPU's other features, like pku or sgx, do not decide whether its kernels
/// run here.)
static bool isCodegenFeature(llvm::StringRef feature) {
  return feature.starts_with("avx") || feature == "fma" || feature == "f16c";
}

/// The features of the x86 CPU (or level) `cpu` that the code may use,
/// with those they imply (LLVM lists avx512vl but not the avx512f it
/// implies); none for a name that is not an x86 CPU.
static std::vector<std::string> codegenFeaturesOf(llvm::StringRef cpu) {
  llvm::SmallVector<llvm::StringRef> listed;
  std::vector<std::string> used;
  if (!llvm::is_contained(x86CpuNames(), cpu))
    return used;
  llvm::X86::getFeaturesForCPU(cpu, listed, /*NeedPlus=*/false);
  llvm::StringMap<bool> all;
  for (llvm::StringRef feature : listed) {
    all[feature] = true;
    llvm::X86::updateImpliedFeatures(feature, true, all);
  }
  for (const auto &feature : all)
    if (feature.second && isCodegenFeature(feature.first()))
      used.push_back(feature.first().str());
  llvm::sort(used);
  return used;
}

std::string firstMissingFeature(llvm::StringRef name,
                                const llvm::StringMap<bool> &cpuFeatures) {
  // The defining features first, so the message names the one that
  // matters ("avx512f", not "avx512cd").
  llvm::SmallVector<llvm::StringRef> needed = {"avx512f", "avx2", "fma"};
  std::vector<std::string> features = codegenFeaturesOf(name);
  needed.erase(llvm::remove_if(needed,
                               [&](llvm::StringRef f) {
                                 return !llvm::is_contained(features, f.str());
                               }),
               needed.end());
  for (const std::string &feature : features)
    needed.push_back(feature);
  for (llvm::StringRef feature : needed) {
    auto it = cpuFeatures.find(feature);
    if (it == cpuFeatures.end() || !it->second)
      return feature.str();
  }
  return "";
}

/// ARMv8-A with NEON: every AArch64 Linux machine.
static TargetInfo aarch64Target(const TargetInfo &host) {
  TargetInfo target;
  target.triple = "aarch64-unknown-linux-gnu";
  target.cpu = "generic";
  target.features = "+neon,+fp-armv8";
  target.vectorBits = 128;
  target.reciprocalSteps = 2;
  if (!llvm::Triple(host.triple).isAArch64())
    target.missingHostFeature = "an AArch64 CPU";
  return target;
}

llvm::Expected<TargetInfo> resolveTarget(llvm::StringRef name) {
  // Reading the CPU's features takes microseconds: once per process.
  static const TargetInfo host = hostTarget();
  if (name == "host")
    return host;
  if (name == "aarch64")
    return aarch64Target(host);
  if (llvm::is_contained(nvptxTargetNames(), name)) {
    TargetInfo target;
    target.triple = "nvptx64-nvidia-cuda";
    target.cpu = name.drop_front(std::strlen("nvptx-")).str();
    target.vectorBits = 128; // ld.global.v4 / st.global.v4
    target.missingHostFeature =
        "an NVIDIA GPU (load its PTX with gelu::GpuKernel)";
    return target;
  }
  if (!isKnownTarget(name))
    return llvm::make_error<SpecFieldError>(
        "/target",
        "unknown target '" + bounded(name) +
            "'; expected 'host', 'x86-64-v3', 'x86-64-v4' or an x86-64 CPU");
  std::vector<std::string> features = codegenFeaturesOf(name);
  if (!llvm::is_contained(features, "fma") ||
      !llvm::is_contained(features, "avx2"))
    return llvm::make_error<SpecFieldError>(
        "/target", "target '" + name.str() +
                       "' lacks AVX2 and FMA, which the kernels need "
                       "(x86-64-v3 and later CPUs have them)");
  TargetInfo target;
  target.triple = host.triple;
  target.cpu = name.str();
  target.vectorBits = llvm::is_contained(features, "avx512f") ? 512 : 256;
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

llvm::Expected<TargetInfo> resolvePassTarget(llvm::StringRef name) {
  auto resolved = resolveTarget(name);
  if (!resolved)
    return withoutSpecField(resolved.takeError());
  return resolved;
}

llvm::Expected<std::optional<TargetInfo>>
loweringTarget(const std::optional<TargetInfo> &given, llvm::StringRef option) {
  if (given)
    return given;
  if (option.empty())
    return std::nullopt;
  auto resolved = resolvePassTarget(option);
  if (!resolved)
    return resolved.takeError();
  return std::optional<TargetInfo>(std::move(*resolved));
}

bool targetHasFeature(const TargetInfo &target, llvm::StringRef feature) {
  llvm::SmallVector<llvm::StringRef> listed;
  llvm::StringRef(target.features).split(listed, ',', -1, false);
  for (llvm::StringRef entry : listed)
    if (entry.drop_front() == feature)
      return entry.front() == '+';
  return llvm::is_contained(codegenFeaturesOf(target.cpu), feature.str());
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

llvm::Error checkVectorBits(unsigned vectorBits, const TargetInfo &target,
                            llvm::StringRef targetName) {
  if (vectorBits <= target.vectorBits)
    return llvm::Error::success();
  return llvm::make_error<SpecFieldError>(
      "/vector_bits", ("vector_bits " + llvm::Twine(vectorBits) +
                       " is wider than the " + llvm::Twine(target.vectorBits) +
                       "-bit vectors of target '" + targetName + "'")
                          .str());
}

} // namespace gelu
