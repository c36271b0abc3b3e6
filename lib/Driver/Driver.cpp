//===- Driver.cpp - Compile a spec to a file -----------------------------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Driver/Driver.h"

#include "gelu/Codegen/GpuCodegen.h"
#include "gelu/Codegen/KernelBuilder.h"
#include "gelu/Codegen/LLVMEmission.h"
#include "gelu/Codegen/Pipelines.h"
#include "gelu/Conversion/Passes.h"
#include "gelu/JIT/Tuner.h"
#include "gelu/Support/Output.h"

#include "gelu/Version.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Linker/Linker.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

using namespace mlir;

namespace gelu {

/// `requested` with its choices made: tuned (on this CPU, or with the cost
/// model for a target it cannot run), or as given. `report`, if not null,
/// receives the tuner's report (or, for a spec without choices, its
/// measured error and speed where the target runs here).
static llvm::Expected<KernelSpec> resolveChoices(const KernelSpec &requested,
                                                 TuningReport *report) {
  if (needsTuning(requested)) {
    auto tuned = tuneSpec(requested);
    if (!tuned) {
      if (!report)
        return tuned.takeError();
      // The report of what was tried, for the caller to write.
      return llvm::handleErrors(
          tuned.takeError(),
          [&](std::unique_ptr<TuningFailure> failure) -> llvm::Error {
            *report = failure->report();
            return llvm::Error(std::move(failure));
          });
    }
    if (report)
      *report = tuned->report;
    return tuned->report.chosen;
  }
  if (report) {
    // Measured on the kernel itself where this CPU can run it.
    std::unique_ptr<Kernel> kernel;
    auto target = resolveTarget(requested.target);
    if (target && target->missingHostFeature.empty()) {
      auto compiled = compileKernel(requested);
      if (!compiled)
        return compiled.takeError();
      kernel = std::move(*compiled);
    }
    if (!target)
      llvm::consumeError(target.takeError());
    *report = describeUntuned(requested, kernel.get());
  }
  return requested;
}

/// Writes optimised LLVM module `module` as `kind`: LLVM IR, assembly or an
/// object.
static llvm::Error emitModule(llvm::Module &module,
                              llvm::TargetMachine &machine, EmitKind kind,
                              llvm::raw_pwrite_stream &os) {
  if (kind == EmitKind::LlvmIR) {
    module.print(os, nullptr);
    return llvm::Error::success();
  }
  return emitMachineCode(module, machine,
                         kind == EmitKind::Object
                             ? llvm::CodeGenFileType::ObjectFile
                             : llvm::CodeGenFileType::AssemblyFile,
                         os);
}

/// Writes the `kind` form of `spec`, whose choices are made.
static llvm::Error emitResolved(const KernelSpec &spec, EmitKind kind,
                                llvm::raw_pwrite_stream &os) {
  auto target = resolveTarget(spec.target);
  if (!target)
    return target.takeError();
  bool gpu = target->isGpu();
  if (gpu && kind == EmitKind::Object)
    return llvm::createStringError(
        "target '" + spec.target +
        "' is a GPU: emit its PTX (--emit=ptx), which the CUDA driver loads "
        "(gelu::GpuKernel)");
  if (!gpu && kind == EmitKind::Ptx)
    return llvm::createStringError("--emit=ptx needs an NVIDIA GPU target "
                                   "(nvptx-sm_80, ...), not '" +
                                   spec.target + "'");
  if (gpu && (kind == EmitKind::Ptx || kind == EmitKind::Assembly)) {
    auto ptx = compileToPtx(spec, *target);
    if (!ptx)
      return ptx.takeError();
    os << *ptx;
    return llvm::Error::success();
  }
  std::unique_ptr<MLIRContext> context = createKernelContext();
  auto module = gpu ? buildGpuKernelModule(*context, spec)
                    : buildKernelModule(*context, spec, *target);
  if (!module)
    return module.takeError();
  if (kind == EmitKind::Mlir) {
    (*module)->print(os);
    return llvm::Error::success();
  }
  if (llvm::Error err = gpu ? lowerGpuKernelToNVVM(**module)
                            : lowerActToLLVM(**module, &*target))
    return err;
  if (kind == EmitKind::LlvmDialect) {
    (*module)->print(os);
    return llvm::Error::success();
  }

  auto machine = createTargetMachine(*target);
  if (!machine)
    return machine.takeError();
  llvm::LLVMContext llvmContext;
  auto llvmModule =
      translateAndOptimize(**module, llvmContext, *target, **machine);
  if (!llvmModule)
    return llvmModule.takeError();
  return emitModule(**llvmModule, **machine, kind, os);
}

llvm::Error compileSpec(const KernelSpec &requested, EmitKind kind,
                        llvm::raw_pwrite_stream &os, TuningReport *report) {
  if (kind == EmitKind::Shared || kind == EmitKind::Header)
    return llvm::createStringError(
        "--emit=shared and --emit=header write files: use compileSpecFileTo");
  auto resolved = resolveChoices(requested, report);
  if (!resolved)
    return resolved.takeError();
  return emitResolved(*resolved, kind, os);
}

//===----------------------------------------------------------------------===//
// Libraries: several kernels in one object, shared library and header (or,
// for a GPU, one PTX module)
//===----------------------------------------------------------------------===//

/// The one target of the kernels of a library or PTX module.
static llvm::Expected<TargetInfo> oneTarget(llvm::ArrayRef<KernelSpec> specs,
                                            llvm::StringRef what) {
  for (const KernelSpec &spec : specs)
    if (spec.target != specs.front().target)
      return llvm::createStringError(
          "the kernels of one " + what + " need one target: '" +
          specs.front().name + "' has '" + specs.front().target + "', '" +
          spec.name + "' has '" + spec.target + "'");
  return resolveTarget(specs.front().target);
}

/// The one CPU target of the kernels of a library.
static llvm::Expected<TargetInfo>
libraryTarget(llvm::ArrayRef<KernelSpec> specs) {
  auto target = oneTarget(specs, "library");
  if (!target)
    return target.takeError();
  if (target->isGpu())
    return llvm::createStringError(
        "target '" + specs.front().target +
        "' is a GPU: its kernels are PTX that the CUDA driver loads "
        "(--emit=ptx, gelu::GpuKernel); there is no object, shared library "
        "or C header for them");
  return target;
}

/// Every kernel of `specs` (choices made) in one module, emitted as `kind`
/// (LLVM IR, assembly or an object; for a GPU, PTX). A spec's error names
/// its source (`sources`, one a spec: inSpecSource).
static llvm::Error emitLibrary(llvm::ArrayRef<KernelSpec> specs,
                               llvm::ArrayRef<std::string> sources,
                               EmitKind kind, llvm::raw_pwrite_stream &os) {
  if (specs.size() == 1)
    return inSpecSource(emitResolved(specs.front(), kind, os), sources.front());
  // A GPU list is one PTX module, each kernel an entry of its name (and
  // bias_gelu_backward's second, gpuDbiasKernelName).
  auto target =
      oneTarget(specs, kind == EmitKind::Ptx ? "PTX module" : "library");
  if (!target)
    return inSpecSource(target.takeError(), sources.front());
  const bool gpu = target->isGpu();
  if (gpu ? kind != EmitKind::Ptx && kind != EmitKind::Assembly &&
                kind != EmitKind::LlvmIR
          : kind != EmitKind::LlvmIR && kind != EmitKind::Assembly &&
                kind != EmitKind::Object)
    return llvm::createStringError(
        "a list of " + llvm::Twine(specs.size()) + " kernels is emitted " +
        (gpu ? "for a GPU as one PTX module (--emit=ptx) or LLVM IR"
             : "as one object (--emit=obj), shared library (--emit=shared), "
               "header (--emit=header), LLVM IR or assembly") +
        "; --emit=mlir and llvm-dialect take one kernel" +
        (gpu ? "" : ", --emit=ptx a GPU target"));
  // bias_gelu_backward's second GPU kernel has a name of its own.
  for (size_t i = 0; gpu && i < specs.size(); ++i) {
    if (kernelAbiOf(specs[i].op) != KernelAbi::BiasBackward)
      continue;
    std::string second = gpuDbiasKernelName(specs[i].name);
    for (size_t j = 0; j < specs.size(); ++j)
      if (specs[j].name == second)
        return llvm::createStringError(
            "kernel '" + second + "' (" + sources[j] +
            ") has the name of the second kernel of bias_gelu_backward '" +
            specs[i].name + "' (" + sources[i] +
            "): one PTX module needs one name per kernel");
  }
  auto machine = createTargetMachine(*target);
  if (!machine)
    return machine.takeError();
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> library;
  for (size_t i = 0; i < specs.size(); ++i) {
    const KernelSpec &spec = specs[i];
    std::unique_ptr<MLIRContext> context = createKernelContext();
    auto module = gpu ? buildGpuKernelModule(*context, spec)
                      : buildKernelModule(*context, spec, *target);
    if (!module)
      return inSpecSource(module.takeError(), sources[i]);
    if (llvm::Error err = gpu ? lowerGpuKernelToNVVM(**module)
                              : lowerActToLLVM(**module, &*target))
      return err;
    auto llvmModule =
        translateAndOptimize(**module, llvmContext, *target, **machine);
    if (!llvmModule)
      return llvmModule.takeError();
    if (!library) {
      library = std::move(*llvmModule);
      continue;
    }
    // Names are unique (parseSpecList); the internal helpers are renamed
    // where two kernels' would clash.
    if (llvm::Linker::linkModules(*library, std::move(*llvmModule)))
      return llvm::createStringError("cannot link kernel '" + spec.name +
                                     "' into the library");
  }
  return emitModule(*library, **machine, kind, os);
}

/// `object` linked into a shared library (cc -shared, -z defs: nothing may
/// stay undefined), returned as bytes.
static llvm::Expected<std::string> linkShared(llvm::StringRef object,
                                              const TargetInfo &target) {
  if (!llvm::Triple(target.triple).isX86() ||
      !llvm::Triple(llvm::sys::getProcessTriple()).isX86())
    return llvm::createStringError(
        "--emit=shared links with this machine's cc, which makes x86-64 "
        "libraries only; for '" +
        target.triple +
        "' emit an object (--emit=obj) and link it with that "
        "target's toolchain");
  auto cc = llvm::sys::findProgramByName("cc");
  if (!cc)
    return llvm::createStringError(
        "--emit=shared needs a C compiler driver to link ('cc' is not on "
        "PATH: apt-get install gcc), or emit an object (--emit=obj)");
  llvm::SmallString<128> objectPath, libraryPath;
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("gelu-kernels", "o", objectPath))
    return llvm::createStringError(ec, "cannot create a temporary file: " +
                                           ec.message());
  llvm::FileRemover removeObject(objectPath);
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("gelu-kernels", "so", libraryPath))
    return llvm::createStringError(ec, "cannot create a temporary file: " +
                                           ec.message());
  llvm::FileRemover removeLibrary(libraryPath);
  if (llvm::Error err = writeOutputFile(objectPath, object, /*binary=*/true))
    return std::move(err);
  std::string message;
  llvm::StringRef args[] = {*cc,  "-shared",   "-Wl,-z,defs",
                            "-o", libraryPath, objectPath};
  int status =
      llvm::sys::ExecuteAndWait(*cc, args, std::nullopt, {}, 0, 0, &message);
  if (status != 0)
    return llvm::createStringError(
        "linking the shared library with '" + *cc + "' failed (status " +
        llvm::Twine(status) + (message.empty() ? "" : ": " + message) + ")");
  auto bytes = llvm::MemoryBuffer::getFile(libraryPath, /*IsText=*/false);
  if (!bytes)
    return llvm::createStringError(bytes.getError(),
                                   "cannot read the linked library: " +
                                       bytes.getError().message());
  return (*bytes)->getBuffer().str();
}

/// The C element type of a kernel's buffers.
static llvm::StringRef cElementType(DType dtype) {
  switch (dtype) {
  case DType::F32:
    return "float";
  case DType::F64:
    return "double";
  case DType::F16:
  case DType::BF16:
    return "uint16_t";
  }
  llvm_unreachable("unknown dtype");
}

/// The prototype of `spec`'s kernel and what its arguments mean.
static void writePrototype(llvm::raw_ostream &os, const KernelSpec &spec) {
  std::string t = cElementType(spec.dtype).str();
  llvm::StringRef name = spec.name;
  switch (kernelAbiOf(spec.op)) {
  case KernelAbi::Unary:
    os << " * Reads in[0..n), writes out[0..n); in == out is allowed; n <= 0 "
          "does nothing.\n */\n"
       << "void " << name << "(const " << t << " *in, " << t
       << " *out, int64_t n);\n";
    return;
  case KernelAbi::Binary: {
    bool backward =
        act::opFacts(spec.op).family == act::ActivationFamily::GeluDerivative;
    llvm::StringRef a = backward ? "x" : "a", b = backward ? "dy" : "b",
                    out = backward ? "dx" : "out";
    os << " * Reads " << a << "[0..n) and " << b << "[0..n), writes " << out
       << "[0..n); n <= 0 does nothing.\n */\n"
       << "void " << name << "(const " << t << " *" << a << ", const " << t
       << " *" << b << ", " << t << " *" << out << ", int64_t n);\n";
    return;
  }
  case KernelAbi::Bias:
    os << " * x and y are [rows, cols], row-major; bias has cols elements, "
          "added to every row.\n */\n"
       << "void " << name << "(const " << t << " *x, const " << t << " *bias, "
       << t << " *y, int64_t rows, int64_t cols);\n";
    return;
  case KernelAbi::BiasBackward: {
    // The bias gradient is summed in f32 (f64 for f64 kernels).
    llvm::StringRef sum = spec.dtype == DType::F64 ? "double" : "float";
    os << " * x, dy and dx are [rows, cols], row-major; bias has cols "
          "elements; dbias\n * (cols "
       << sum << "s) is overwritten with the column sums of dx.\n */\n"
       << "void " << name << "(const " << t << " *x, const " << t
       << " *bias, const " << t << " *dy, " << t << " *dx, " << sum
       << " *dbias, int64_t rows, int64_t cols);\n";
    return;
  }
  }
  llvm_unreachable("unknown ABI");
}

/// A C and C++ header declaring every kernel of `specs` (choices made,
/// `requested` as the user wrote them).
static std::string headerFor(llvm::ArrayRef<KernelSpec> requested,
                             llvm::ArrayRef<KernelSpec> specs,
                             llvm::StringRef headerPath) {
  std::string guard = "GELU_KERNELS_";
  llvm::StringRef stem =
      headerPath == "-" ? "" : llvm::sys::path::stem(headerPath);
  for (char c : stem)
    guard += llvm::isAlnum(c) ? llvm::toUpper(c) : '_';
  guard += "_H";
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "/* Generated by gelu-opt (gelu-jit " GELU_JIT_VERSION
        ", LLVM " GELU_JIT_LLVM_VERSION ") for target '"
     << specs.front().target << "'; do not edit.\n"
     << " *\n"
     << " * Each kernel is a plain C function of the object or shared "
        "library built with\n"
     << " * this header. Buffers may have any alignment of their element "
        "type; outputs\n"
     << " * are written in [0, n) and nowhere else. f16 and bf16 values are "
        "their bit\n"
     << " * patterns (uint16_t); results are rounded once to them.\n"
     << " */\n"
     << "#ifndef " << guard << "\n#define " << guard << "\n\n"
     << "#include <stdint.h>\n\n"
     << "#define GELU_KERNELS_GELU_JIT_VERSION \"" GELU_JIT_VERSION "\"\n\n"
     << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n";
  for (size_t i = 0; i < specs.size(); ++i) {
    const KernelSpec &spec = specs[i];
    os << "\n/* " << spec.name << ": " << act::stringifyOpKind(spec.op) << ", "
       << stringifyDType(spec.dtype) << ".\n"
       << " * Requested: " << requested[i].toJson() << "\n"
       << " * Built:     " << spec.toJson() << "\n";
    writePrototype(os, spec);
  }
  os << "\n#ifdef __cplusplus\n} /* extern \"C\" */\n#endif\n\n"
     << "#endif /* " << guard << " */\n";
  return text;
}

llvm::Error compileSpecFileTo(llvm::StringRef specPath, EmitKind kind,
                              llvm::StringRef outputPath,
                              llvm::StringRef reportPath,
                              llvm::StringRef headerPath) {
  if (kind == EmitKind::Shared && outputPath == "-")
    return llvm::createStringError(
        "--emit=shared writes a file: name it with -o");
  auto requested = readSpecListFile(specPath);
  if (!requested)
    return requested.takeError();
  // Where each spec's errors are placed, as parseSpecList names them.
  std::vector<std::string> sources;
  for (size_t i = 0; i < requested->size(); ++i)
    sources.push_back(requested->size() > 1
                          ? (specPath + "[" + llvm::Twine(i) + "]").str()
                          : specPath.str());
  // Choices first (tuning, once per kernel), then everything into memory,
  // so that a failure leaves no file behind.
  std::vector<KernelSpec> specs;
  std::string reports;
  // The reports so far: one object, or a list for a list of specs.
  auto writeReports = [&] {
    std::string text =
        requested->size() > 1 ? "[\n" + reports + "\n]" : reports;
    return writeOutputFile(reportPath, text + "\n", /*binary=*/false);
  };
  for (size_t i = 0; i < requested->size(); ++i) {
    TuningReport report;
    auto resolved =
        resolveChoices((*requested)[i], reportPath.empty() ? nullptr : &report);
    if (!reportPath.empty() && (resolved || !report.failure.empty()))
      reports += (reports.empty() ? "" : ",\n") + report.toJson();
    if (!resolved) {
      llvm::Error err = inSpecSource(resolved.takeError(), sources[i]);
      // A tuning that built nothing still writes its report: the
      // candidates it tried are what the user needs then (no object).
      if (report.failure.empty() || reportPath.empty())
        return err;
      return llvm::joinErrors(std::move(err), writeReports());
    }
    specs.push_back(std::move(*resolved));
  }

  // A header and a shared library need one CPU target for all kernels.
  std::optional<TargetInfo> target;
  if (kind == EmitKind::Header || kind == EmitKind::Shared ||
      !headerPath.empty()) {
    auto resolved = libraryTarget(specs);
    if (!resolved)
      return inSpecSource(resolved.takeError(), sources.front());
    target = std::move(*resolved);
  }
  std::string header;
  if (kind == EmitKind::Header || !headerPath.empty())
    header = headerFor(*requested, specs,
                       kind == EmitKind::Header ? outputPath : headerPath);
  std::string bytes;
  if (kind == EmitKind::Header) {
    bytes = header;
  } else {
    llvm::SmallString<0> buffer;
    llvm::raw_svector_ostream os(buffer);
    EmitKind emitted = kind == EmitKind::Shared ? EmitKind::Object : kind;
    if (llvm::Error err = emitLibrary(specs, sources, emitted, os))
      return err;
    bytes = buffer.str().str();
    if (kind == EmitKind::Shared) {
      auto linked = linkShared(bytes, *target);
      if (!linked)
        return linked.takeError();
      bytes = std::move(*linked);
    }
  }
  if (!reportPath.empty())
    if (llvm::Error err = writeReports())
      return err;
  if (!headerPath.empty() && kind != EmitKind::Header)
    if (llvm::Error err = writeOutputFile(headerPath, header, /*binary=*/false))
      return err;
  return writeOutputFile(outputPath, bytes,
                         kind == EmitKind::Object || kind == EmitKind::Shared);
}

ExpansionDecider tunerExpansionDecider() {
  return [](const KernelSpec &spec) -> llvm::Expected<ExpansionChoice> {
    auto tuned = tuneSpec(spec);
    if (!tuned)
      return tuned.takeError();
    return ExpansionChoice{*tuned->report.chosen.expansion,
                           tuned->report.chosen.degree.value_or(0)};
  };
}

void registerActPassesAndTuner() {
  registerConversionPasses();
  registerTransformsPasses();
  setExpansionDecider(tunerExpansionDecider());
  registerActPipelines();
}

} // namespace gelu
