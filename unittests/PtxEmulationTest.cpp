//===- PtxEmulationTest.cpp - GPU kernels' PTX against the CPU's bits -----===//
//
// Part of gelu-jit.
//
// No GPU is here, but the PTX of a GPU kernel is: the PTX emulator
// (PtxEmulator.h) runs it, instruction by instruction with PTX's
// semantics, on one host thread. Every expansion of every unary op in f32,
// the 16-bit defaults and the binary and bias ops' defaults are run so on
// inputs that reach every path (the 16-byte vector loop and the scalar
// remainders, the specials, the tails' branches) and held to the CPU
// kernel of the same spec: the same bits, but for the forms whose CPU code
// divides by a reciprocal estimate (the GPU divides exactly), which are
// held to the CPU kernel's error plus half an ULP instead, as
// gelu-gpu-check holds a device. The hardware forms, whose approximations
// no host computes, run with each approximation at either end of its
// documented error and stay within their model's range
// (HardwareApproximations.h; HardwareApproximationsTest bounds the model).
// bias_gelu_backward's kernels (shared memory, barriers across a block of
// threads) are not emulated.
//
//===----------------------------------------------------------------------===//

#include "PtxEmulator.h"

#include "gelu/Codegen/GpuCodegen.h"
#include "gelu/Codegen/Target.h"
#include "gelu/Dialect/Act/IR/ExpansionCatalog.h"
#include "gelu/JIT/Jit.h"
#include "gelu/Numerics/HalfFloat.h"
#include "gelu/Numerics/HardwareApproximations.h"
#include "gelu/Numerics/Reference.h"
#include "gelu/Spec/Spec.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

using namespace gelu;
using gelu::testing::PtxEmulator;

namespace {

/// 4099 inputs (not a multiple of the vector width): the specials, a sweep
/// of [−12, 12] and random bit patterns of every magnitude.
std::vector<float> inputs() {
  std::vector<float> x = {0.0f,       -0.0f,      INFINITY,  -INFINITY,
                          NAN,        -0x1p-149f, 0x1p-149f, -1e-30f,
                          3.4e38f,    -3.4e38f,   -5.5f,     -7.0f,
                          5.0859375f, -0.75f,     1e-3f,     -65504.0f};
  std::mt19937 rng(20261204);
  std::uniform_real_distribution<float> sweep(-12.0f, 12.0f);
  while (x.size() < 3000)
    x.push_back(sweep(rng));
  while (x.size() < 4099) {
    uint32_t bits = rng();
    float f;
    std::memcpy(&f, &bits, 4);
    x.push_back(f);
  }
  return x;
}

/// The element bytes of `values` in `dtype` (16-bit: rounded to it).
std::vector<uint8_t> encode(const std::vector<float> &values, DType dtype) {
  std::vector<uint8_t> bytes(values.size() * dtypeSize(dtype));
  for (size_t i = 0; i < values.size(); ++i) {
    if (dtype == DType::F32) {
      std::memcpy(&bytes[i * 4], &values[i], 4);
    } else {
      bool isBF16 = dtype == DType::BF16;
      uint16_t h = halfFromFloatExact(roundedToHalf(values[i], isBF16), isBF16);
      std::memcpy(&bytes[i * 2], &h, 2);
    }
  }
  return bytes;
}

float decode(const std::vector<uint8_t> &bytes, DType dtype, size_t i) {
  if (dtype == DType::F32) {
    float f;
    std::memcpy(&f, &bytes[i * 4], 4);
    return f;
  }
  uint16_t h;
  std::memcpy(&h, &bytes[i * 2], 2);
  return halfToFloat(h, dtype == DType::BF16);
}

uintptr_t addressOf(std::vector<uint8_t> &v) {
  return reinterpret_cast<uintptr_t>(v.data());
}

/// What one spec's two kernels gave.
struct Outcome {
  std::vector<uint8_t> gpu, cpu;
  std::vector<float> arguments; ///< of the function, per element
  std::vector<float> factors;   ///< the result's factor, per element
};

/// Runs `spec`'s PTX in the emulator and its CPU kernel on the same
/// operands.
Outcome runBoth(KernelSpec spec) {
  Outcome outcome;
  spec.name = "k";
  spec.target = "nvptx-sm_90";
  auto target = resolveTarget(spec.target);
  EXPECT_TRUE(static_cast<bool>(target));
  auto ptx = compileToPtx(spec, *target);
  if (!ptx) {
    ADD_FAILURE() << llvm::toString(ptx.takeError());
    return outcome;
  }
  auto emulator = PtxEmulator::parse(*ptx, "k");
  if (!emulator) {
    ADD_FAILURE() << llvm::toString(emulator.takeError());
    return outcome;
  }
  const std::vector<float> values = inputs();
  const size_t n = values.size();
  std::vector<uint8_t> x = encode(values, spec.dtype);
  std::vector<float> secondValues(n);
  for (size_t i = 0; i < n; ++i)
    secondValues[i] = std::ldexp(1.0f, -static_cast<int>(i % 3)); // 1, ½, ¼
  std::vector<uint8_t> second = encode(secondValues, spec.dtype);
  const int64_t cols = 17, rows = static_cast<int64_t>(n) / cols;
  std::vector<float> biasValues(cols);
  for (int64_t c = 0; c < cols; ++c)
    biasValues[c] = 0.125f * static_cast<float>(c - 8);
  std::vector<uint8_t> bias = encode(biasValues, spec.dtype);
  outcome.gpu.assign(x.size(), 0);
  outcome.cpu.assign(x.size(), 0);
  KernelAbi abi = kernelAbiOf(spec.op);
  std::vector<uint64_t> params;
  int64_t count = static_cast<int64_t>(n);
  if (abi == KernelAbi::Unary)
    params = {addressOf(x), addressOf(outcome.gpu), uint64_t(n)};
  else if (abi == KernelAbi::Binary)
    params = {addressOf(x), addressOf(second), addressOf(outcome.gpu),
              uint64_t(n)};
  else {
    params = {addressOf(x), addressOf(bias), addressOf(outcome.gpu),
              uint64_t(rows), uint64_t(cols)};
    count = rows * cols;
  }
  if (llvm::Error err = (*emulator)->run(params)) {
    ADD_FAILURE() << spec.toJson() << ": " << llvm::toString(std::move(err));
    return outcome;
  }
  KernelSpec host = spec;
  host.target = "host";
  auto kernel = compileKernel(host);
  if (!kernel) {
    ADD_FAILURE() << llvm::toString(kernel.takeError());
    return outcome;
  }
  llvm::Error err = llvm::Error::success();
  auto call = [&](auto *element) {
    using T = std::remove_pointer_t<decltype(element)>;
    auto in = reinterpret_cast<const T *>(x.data());
    auto out = reinterpret_cast<T *>(outcome.cpu.data());
    if (abi == KernelAbi::Unary)
      return (*kernel)->run(in, out, count);
    if (abi == KernelAbi::Binary)
      return (*kernel)->runBinary(
          in, reinterpret_cast<const T *>(second.data()), out, count);
    return (*kernel)->runBias(in, reinterpret_cast<const T *>(bias.data()), out,
                              rows, cols);
  };
  err = spec.dtype == DType::F32 ? call(static_cast<float *>(nullptr))
                                 : call(static_cast<uint16_t *>(nullptr));
  if (err) {
    ADD_FAILURE() << llvm::toString(std::move(err));
    return outcome;
  }
  outcome.gpu.resize(count * dtypeSize(spec.dtype));
  outcome.cpu.resize(count * dtypeSize(spec.dtype));
  for (int64_t i = 0; i < count; ++i) {
    float a = decode(x, spec.dtype, i);
    float factor = 1.0f;
    if (abi == KernelAbi::Binary)
      factor = decode(second, spec.dtype, i);
    if (abi == KernelAbi::Bias) {
      a = a + decode(bias, spec.dtype, i % cols);
      if (spec.dtype != DType::F32)
        a = roundedToHalf(a, spec.dtype == DType::BF16);
    }
    outcome.arguments.push_back(a);
    outcome.factors.push_back(factor);
  }
  return outcome;
}

/// Whether `e`'s CPU code may divide by a reciprocal estimate (vrcp14ps and
/// a Newton step), where the GPU's divides exactly.
bool usesReciprocalEstimate(act::Expansion e) {
  return e == act::Expansion::erfc_fast || e == act::Expansion::sigmoid_fast ||
         e == act::Expansion::rational_fast ||
         e == act::Expansion::approx_tanh ||
         e == act::Expansion::approx_sigmoid;
}

/// The largest ULP error of `out` against f's reference, over the finite
/// arguments.
double maxUlp(const Outcome &o, ReferenceFunction f, DType dtype,
              const std::vector<uint8_t> &out) {
  double worst = 0;
  FloatFormat format = dtype == DType::F32   ? FloatFormat::f32()
                       : dtype == DType::F16 ? FloatFormat::f16()
                                             : FloatFormat::bf16();
  for (size_t i = 0; i < o.arguments.size(); ++i) {
    if (!std::isfinite(o.arguments[i]))
      continue;
    long double ref = evaluateReference(f, o.arguments[i]) * o.factors[i];
    worst = std::max(worst, ulpError(decode(out, dtype, i), ref, format,
                                     errorScale(f, o.arguments[i])));
  }
  return worst;
}

void expectSameBitsOrBound(const KernelSpec &spec) {
  Outcome o = runBoth(spec);
  if (o.gpu.empty())
    return;
  const size_t size = dtypeSize(spec.dtype);
  act::Expansion e = spec.effectiveExpansion();
  const bool exact = !usesReciprocalEstimate(e);
  // NaN results count as the same whatever their payload (a GPU's is
  // canonical, an x86 CPU's the input's).
  size_t differing = 0;
  for (size_t i = 0; i < o.gpu.size(); i += size) {
    float g = decode(o.gpu, spec.dtype, i / size),
          c = decode(o.cpu, spec.dtype, i / size);
    if (std::memcmp(&o.gpu[i], &o.cpu[i], size) != 0 &&
        !(std::isnan(g) && std::isnan(c))) {
      if (differing < 3 && exact)
        ADD_FAILURE() << spec.toJson() << ": f(" << o.arguments[i / size]
                      << ") is " << g << " from the PTX, " << c
                      << " from the CPU kernel";
      ++differing;
    }
  }
  if (exact) {
    EXPECT_EQ(differing, 0u) << spec.toJson();
    return;
  }
  ReferenceFunction f = spec.referenceFunction();
  double gpu = maxUlp(o, f, spec.dtype, o.gpu),
         cpu = maxUlp(o, f, spec.dtype, o.cpu);
  EXPECT_LE(gpu, cpu + 0.5)
      << spec.toJson() << " (" << differing << " results differ)";
}

/// The hardware forms' PTX, run with every approximation at the least and
/// then at the greatest result its documented error allows, stays within
/// the range their model gives (HardwareApproximations.h): the model is the
/// PTX's arithmetic, not a description of it.
TEST(PtxEmulation, HardwareFormsStayWithinTheirModelsRange) {
  const std::vector<float> values = inputs();
  for (const char *op :
       {R"({"op": "gelu", "approximate": "tanh")",
        R"({"op": "gelu", "approximate": "sigmoid")", R"({"op": "silu")"})
    for (const char *expansion : {"hw_tanh", "hw_sigmoid"})
      for (DType dtype : {DType::F32, DType::BF16}) {
        KernelSpec spec = llvm::cantFail(parseSpec(
            std::string(op) + R"(, "name": "k", "target": "nvptx-sm_90", )" +
            R"("expansion": ")" + expansion + R"(", "dtype": ")" +
            stringifyDType(dtype).str() + "\"}"));
        auto target = llvm::cantFail(resolveTarget(spec.target));
        std::string ptx = llvm::cantFail(compileToPtx(spec, target));
        auto emulator = llvm::cantFail(PtxEmulator::parse(ptx, "k"));
        std::vector<uint8_t> x = encode(values, dtype);
        const HardwareForm form = *spec.expansion == act::Expansion::hw_tanh
                                      ? HardwareForm::Tanh
                                      : HardwareForm::Sigmoid;
        for (auto end : {PtxEmulator::Approximations::Least,
                         PtxEmulator::Approximations::Greatest}) {
          emulator->approximations = end;
          std::vector<uint8_t> y(x.size());
          llvm::cantFail(emulator->run(
              {addressOf(x), addressOf(y), uint64_t(values.size())}));
          size_t outside = 0;
          for (size_t i = 0; i < values.size(); ++i) {
            ResultRange r = hardwareFormRange(spec.referenceFunction(), form,
                                              decode(x, dtype, i));
            if (dtype != DType::F32)
              r = {roundedToHalf(r.lo, true), roundedToHalf(r.hi, true)};
            float got = decode(y, dtype, i);
            bool within =
                std::isnan(r.lo) ? std::isnan(got) : r.lo <= got && got <= r.hi;
            outside += !within;
          }
          EXPECT_EQ(outside, 0u) << spec.toJson();
        }
      }
}

TEST(PtxEmulation, EveryUnaryExpansionInF32GivesTheCpuKernelsBits) {
  for (const char *op :
       {R"({"op": "gelu")", R"({"op": "gelu", "approximate": "tanh")",
        R"({"op": "gelu", "approximate": "sigmoid")", R"({"op": "silu")",
        R"({"op": "relu")"}) {
    KernelSpec base = llvm::cantFail(parseSpec(std::string(op) + "}"));
    for (act::Expansion e : cpuExpansionsFor(base.referenceFunction())) {
      KernelSpec spec = base;
      spec.expansion = e;
      expectSameBitsOrBound(spec);
    }
  }
}

TEST(PtxEmulation, SixteenBitAndTrainingDefaultsGiveTheCpuKernelsBits) {
  for (const char *text :
       {R"({"dtype": "bf16"})", R"({"dtype": "f16"})",
        R"({"op": "silu", "dtype": "bf16"})",
        R"({"approximate": "tanh", "dtype": "f16"})",
        R"({"op": "gelu_backward"})",
        R"({"op": "gelu_backward", "approximate": "tanh"})",
        R"({"op": "gelu_backward", "approximate": "sigmoid", "dtype": "bf16"})",
        R"({"op": "geglu"})", R"({"op": "swiglu", "dtype": "bf16"})",
        R"({"op": "bias_gelu"})", R"({"op": "bias_gelu", "dtype": "f16"})"})
    expectSameBitsOrBound(llvm::cantFail(parseSpec(text)));
}

} // namespace
