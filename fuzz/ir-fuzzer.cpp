//===- ir-fuzzer.cpp - libFuzzer target: IR through every act pass -------===//
//
// Part of gelu-jit.
//
// Any text goes to the MLIR parser in a kernel context (act, func, arith,
// math, vector, tensor, linalg, scf, LLVM). When it parses and verifies,
// it goes through every act pass: act-select-expansion (cost model, with a
// tuning cache in a temporary file so that repeated decisions are cheap),
// convert-act-to-arith, act-fuse-bias-gelu and then the whole
// act-lower-to-llvm pipeline. Passes
// may fail with diagnostics; nothing may crash. Where a pass succeeds, its
// result must hold (a failed property aborts, which libFuzzer reports as
// a crash): the module verifies; act-select-expansion run again changes
// nothing; convert-act-to-arith leaves no activation (only act.lookup, which
// the pipeline lowers) and the pipeline no act op; the
// pipeline's output is the LLVM dialect alone; and where act-fuse-bias-gelu
// fused, the fused and the unfused module, both lowered and JIT-compiled,
// compute the same bits (any NaN for a NaN) on sample inputs in every
// public function that takes and returns f32, f16 or bf16 scalars or 1-D
// vectors and computes on floats alone (no loops, calls, memory, integers
// or fast-math flags, whose poison could differ between two compiles).
//
//===----------------------------------------------------------------------===//

#include "gelu/Codegen/Pipelines.h"
#include "gelu/Conversion/Passes.h"
#include "gelu/Dialect/Act/IR/ActOps.h"
#include "gelu/Driver/Driver.h"
#include "gelu/Numerics/HalfFloat.h"
#include "gelu/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

/// Aborts, saying which property broke (libFuzzer keeps the input).
[[noreturn]] void broken(const char *property, mlir::ModuleOp module) {
  std::string text;
  llvm::raw_string_ostream os(text);
  module->print(os);
  std::fprintf(stderr, "ir-fuzzer: property broken: %s\n%s\n", property,
               text.c_str());
  std::abort();
}

std::string printed(mlir::ModuleOp module) {
  std::string text;
  llvm::raw_string_ostream os(text);
  module->print(os);
  return text;
}

bool hasActivation(mlir::ModuleOp module) {
  bool found = false;
  module->walk([&](gelu::act::ActivationOpInterface) { found = true; });
  return found;
}

/// Whether every op but the module itself is in the LLVM dialect.
bool onlyLLVM(mlir::ModuleOp module) {
  bool only = true;
  module->walk([&](mlir::Operation *op) {
    if (op != module.getOperation() &&
        op->getName().getDialectNamespace() !=
            mlir::LLVM::LLVMDialect::getDialectNamespace())
      only = false;
  });
  return only;
}

//===----------------------------------------------------------------------===//
// Fused against unfused
//===----------------------------------------------------------------------===//

/// An f32, f16 or bf16 scalar or 1-D vector of up to 64 lanes: what a
/// function may take and return to be called with sample inputs.
struct Value16or32 {
  unsigned lanes = 0, bytes = 0; // bytes a lane
  bool isBF16 = false;
};

std::optional<Value16or32> callableType(mlir::Type type) {
  Value16or32 value{1};
  if (auto vector = llvm::dyn_cast<mlir::VectorType>(type)) {
    if (vector.getRank() != 1 || vector.isScalable() ||
        vector.getNumElements() > 64)
      return std::nullopt;
    value.lanes = static_cast<unsigned>(vector.getNumElements());
    type = vector.getElementType();
  }
  if (type.isF32())
    value.bytes = 4;
  else if (type.isF16() || type.isBF16())
    value.bytes = 2, value.isBF16 = type.isBF16();
  else
    return std::nullopt;
  return value;
}

bool isFloatValueType(mlir::Type type) {
  return llvm::isa<mlir::FloatType>(mlir::getElementTypeOrSelf(type)) &&
         (!llvm::isa<mlir::ShapedType>(type) ||
          llvm::isa<mlir::VectorType>(type));
}

/// A public function of one block whose ops all compute on floats without
/// memory, loops or calls, and whose arguments and result can be passed:
/// its signature; nullopt for any other.
struct Callable {
  std::string name;
  std::vector<Value16or32> arguments;
  Value16or32 result;
};

std::optional<Callable> callable(mlir::func::FuncOp func) {
  if (func.isDeclaration() || func.isPrivate() ||
      !func.getBody().hasOneBlock() || func.getNumResults() != 1 ||
      func.getNumArguments() > 8)
    return std::nullopt;
  Callable c{func.getSymName().str(), {}, {}};
  for (mlir::Type type : func.getArgumentTypes()) {
    auto value = callableType(type);
    if (!value)
      return std::nullopt;
    c.arguments.push_back(*value);
  }
  auto result = callableType(func.getResultTypes().front());
  if (!result)
    return std::nullopt;
  c.result = *result;
  for (mlir::Operation &op : func.getBody().front()) {
    if (llvm::isa<mlir::func::ReturnOp>(op))
      continue;
    llvm::StringRef dialect = op.getName().getDialectNamespace();
    if ((dialect != "arith" && dialect != "math" && dialect != "act" &&
         dialect != "vector") ||
        op.getNumRegions() != 0 || !mlir::isMemoryEffectFree(&op) ||
        !llvm::all_of(op.getOperandTypes(), isFloatValueType) ||
        !llvm::all_of(op.getResultTypes(), isFloatValueType))
      return std::nullopt;
  }
  return c;
}

/// Inputs where the activations bend, flush, saturate or propagate.
constexpr float kSamples[] = {0.0f,
                              -0.0f,
                              0.5f,
                              -0.5f,
                              1.0f,
                              -1.0f,
                              1.5f,
                              -2.25f,
                              3.0f,
                              -3.5f,
                              5.5f,
                              -6.0f,
                              10.0f,
                              -12.5f,
                              1e-3f,
                              -1e-3f,
                              1e-40f,
                              -1e-40f,
                              80.0f,
                              -80.0f,
                              3e38f,
                              -3e38f,
                              65504,
                              -65504,
                              __builtin_inff(),
                              -__builtin_inff(),
                              __builtin_nanf("")};
constexpr unsigned kRounds = 4;

/// The JIT of a lowered module; null when it does not compile (e.g. a libm
/// symbol this process lacks), which the caller skips.
std::unique_ptr<mlir::ExecutionEngine> jit(mlir::ModuleOp module) {
  mlir::ExecutionEngineOptions options;
  options.enableGDBNotificationListener = false;
  options.enablePerfNotificationListener = false;
  auto engine = mlir::ExecutionEngine::create(module, options);
  if (!engine) {
    llvm::consumeError(engine.takeError());
    return nullptr;
  }
  return std::move(*engine);
}

/// Runs `c` on round `round` of the samples; false if it cannot be called.
bool call(mlir::ExecutionEngine &engine, const Callable &c, unsigned round,
          std::vector<uint8_t> &result) {
  struct alignas(64) Slot {
    uint8_t bytes[256];
  };
  std::vector<Slot> slots(c.arguments.size() + 1);
  llvm::SmallVector<void *> pointers;
  for (size_t a = 0; a < c.arguments.size(); ++a) {
    const Value16or32 &v = c.arguments[a];
    for (unsigned lane = 0; lane < v.lanes; ++lane) {
      float x = kSamples[(round * 7 + a * 3 + lane) % std::size(kSamples)];
      uint8_t *at = slots[a].bytes + lane * v.bytes;
      if (v.bytes == 4) {
        std::memcpy(at, &x, 4);
      } else {
        uint16_t h = gelu::halfFromFloatExact(x, v.isBF16);
        std::memcpy(at, &h, 2);
      }
    }
    pointers.push_back(slots[a].bytes);
  }
  pointers.push_back(slots.back().bytes);
  if (llvm::Error err = engine.invokePacked(c.name, pointers)) {
    llvm::consumeError(std::move(err));
    return false;
  }
  const uint8_t *out = slots.back().bytes;
  result.assign(out, out + c.result.lanes * c.result.bytes);
  return true;
}

float laneValue(const std::vector<uint8_t> &bytes, const Value16or32 &v,
                unsigned lane) {
  if (v.bytes == 4) {
    float x;
    std::memcpy(&x, bytes.data() + lane * 4, 4);
    return x;
  }
  uint16_t h;
  std::memcpy(&h, bytes.data() + lane * 2, 2);
  return gelu::halfToFloat(h, v.isBF16);
}

/// `fused` is `unfused` after act-fuse-bias-gelu, both lowered to LLVM.
void compareFusedWithUnfused(const std::vector<Callable> &callables,
                             mlir::ModuleOp unfused, mlir::ModuleOp fused,
                             const std::string &source) {
  if (callables.empty())
    return;
  auto before = jit(unfused), after = jit(fused);
  if (!before || !after)
    return;
  for (const Callable &c : callables)
    for (unsigned round = 0; round < kRounds; ++round) {
      std::vector<uint8_t> want, got;
      if (!call(*before, c, round, want) || !call(*after, c, round, got))
        break;
      for (unsigned lane = 0; lane < c.result.lanes; ++lane) {
        float w = laneValue(want, c.result, lane),
              g = laneValue(got, c.result, lane);
        bool same = std::isnan(w)
                        ? std::isnan(g)
                        : std::memcmp(want.data() + lane * c.result.bytes,
                                      got.data() + lane * c.result.bytes,
                                      c.result.bytes) == 0;
        if (!same) {
          std::fprintf(stderr,
                       "ir-fuzzer: property broken: act-fuse-bias-gelu keeps "
                       "every result: @%s, round %u, lane %u: %.9g unfused, "
                       "%.9g fused\n%s\n",
                       c.name.c_str(), round, lane, w, g, source.c_str());
          std::abort();
        }
      }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // Inputs beyond a few KiB only make the parser slower.
  if (size > 4096)
    return 0;
  static const bool once = [] {
    // A cache of this process's own, removed (with its lock file) at exit.
    static const std::string cache =
        "/tmp/gelu-ir-fuzzer-" + std::to_string(::getpid()) + "-tuning.json";
    ::setenv("GELU_JIT_TUNING_CACHE", cache.c_str(), 1);
    std::atexit([] {
      std::remove(cache.c_str());
      std::remove((cache + ".lock").c_str());
    });
    gelu::setExpansionDecider(gelu::tunerExpansionDecider());
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    return true;
  }();
  (void)once;
  std::unique_ptr<mlir::MLIRContext> context = gelu::createKernelContext();
  mlir::ScopedDiagnosticHandler quiet(
      context.get(), [](mlir::Diagnostic &) { return mlir::success(); });
  // MLIR's lexer reads up to a terminating NUL (as files are loaded by
  // MemoryBuffer): the fuzzer's bytes are not terminated, a string is.
  std::string text(reinterpret_cast<const char *>(data), size);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceString<mlir::ModuleOp>(text, context.get());
  if (!module || mlir::failed(mlir::verify(*module)))
    return 0;
  // Each pass on its own copy, then the whole pipeline.
  {
    mlir::OwningOpRef<mlir::ModuleOp> copy = module->clone();
    mlir::PassManager pm(context.get());
    gelu::ActSelectExpansionOptions options;
    options.maxAbs = 1e-2;
    options.ranking = "cost_model";
    pm.addPass(gelu::createActSelectExpansion(options));
    if (mlir::succeeded(pm.run(*copy))) {
      if (mlir::failed(mlir::verify(*copy)))
        broken("act-select-expansion's output verifies", *copy);
      // Every op now names its expansion: a second run changes nothing.
      std::string once = printed(*copy);
      if (mlir::failed(pm.run(*copy)) || printed(*copy) != once)
        broken("act-select-expansion is idempotent", *copy);
    }
  }
  {
    mlir::OwningOpRef<mlir::ModuleOp> copy = module->clone();
    mlir::PassManager pm(context.get());
    pm.addPass(gelu::createConvertActToArith());
    if (mlir::succeeded(pm.run(*copy))) {
      if (mlir::failed(mlir::verify(*copy)))
        broken("convert-act-to-arith's output verifies", *copy);
      if (hasActivation(*copy))
        broken("convert-act-to-arith leaves no act activation (act.lookup "
               "it may leave)",
               *copy);
    }
  }
  // The fusion, then the pipeline on what it made.
  mlir::OwningOpRef<mlir::ModuleOp> unfused = module->clone();
  const std::string source = printed(*module);
  bool fusedSome = false;
  {
    mlir::PassManager pm(context.get());
    pm.addPass(gelu::createActFuseBiasGelu());
    if (mlir::succeeded(pm.run(*module))) {
      if (mlir::failed(mlir::verify(*module)))
        broken("act-fuse-bias-gelu's output verifies", *module);
      fusedSome = printed(*module) != source;
    }
  }
  if (llvm::Error err = gelu::lowerActToLLVM(*module)) {
    llvm::consumeError(std::move(err));
    return 0;
  }
  if (mlir::failed(mlir::verify(*module)))
    broken("act-lower-to-llvm's output verifies", *module);
  if (!onlyLLVM(*module))
    broken("act-lower-to-llvm leaves the LLVM dialect alone", *module);
  // Fast-math flags allow an addf a different result (the fusion rounds
  // the sum as a plain addf does): those modules are not compared.
  if (!fusedSome || llvm::StringRef(source).contains("fastmath"))
    return 0;
  std::vector<Callable> callables;
  unfused->walk([&](mlir::func::FuncOp func) {
    if (func->getParentOp() == unfused->getOperation())
      if (auto c = callable(func))
        callables.push_back(std::move(*c));
  });
  if (llvm::Error err = gelu::lowerActToLLVM(*unfused)) {
    llvm::consumeError(std::move(err));
    return 0;
  }
  compareFusedWithUnfused(callables, *unfused, *module, source);
  return 0;
}
