//===- gelu-gpu-check.cpp - GPU kernels: accuracy and bandwidth ----------===//
//
// Part of gelu-jit.
//
//   gelu-gpu-check [--elements N] [--json F] [--markdown F] [spec.json ...]
//
// On a machine with an NVIDIA GPU and its driver: compiles each spec (by
// default every op — the GELUs, SiLU, ReLU, the three GELUs', GEGLU,
// SwiGLU, bias-GELU and its backward — in f32, f16 and bf16, at its
// accurate default, and the f32 ones at a max_abs 1e-3 budget too, and
// the hardware forms hw_tanh and hw_sigmoid of tanh and sigmoid GELU and
// SiLU in f32 and bf16) for
// this GPU's sm, runs it on N elements (default 2^26) spread over [-12,
// 12] with the special values at the front (every encoding in turn for
// f16/bf16; the second operand of a binary op, and dy, 1/4, 1/2 or 1; a
// bias small multiples of 1/8 over 1024 columns), checks every 16th result
// against the long-double reference by region, compares every result with
// the CPU kernel of the same spec on the same inputs (a hardware form's,
// which no CPU computes, with the range its instructions' documented
// maximum errors allow: Numerics/HardwareApproximations.h), checks
// bias_gelu_backward's dbias against a sum in double of the dx written,
// and times the kernel against a device-to-device copy (the best of 5 runs
// each, CUDA events; GB/s counts the bytes each reads and writes). Prints
// one table, and writes it as JSON and markdown where asked.
// scripts/gpu-check.sh builds and runs it. Exits 1 when there is no GPU,
// saying why, and 2 when a device result breaks its bound: its max ULP
// error, by region, more than 0.5 above the CPU kernel's on the same
// inputs, a hardware form's result outside its range, or a dbias further
// from the sum than rows·2^-24·Σ|dx| (what any order of f32 additions
// keeps).
//
//===----------------------------------------------------------------------===//

#include "gelu/Dialect/Act/IR/ExpansionCatalog.h"
#include "gelu/JIT/GpuRuntime.h"
#include "gelu/JIT/Jit.h"
#include "gelu/JIT/Measurement.h"
#include "gelu/Numerics/ErrorMaxima.h"
#include "gelu/Numerics/HalfFloat.h"
#include "gelu/Numerics/HardwareApproximations.h"
#include "gelu/Support/Json.h"
#include "gelu/Support/Output.h"
#include "gelu/Version.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstring>
#include <thread>
#include <vector>

using namespace gelu;
using namespace llvm;

static cl::OptionCategory checkCategory("gelu-gpu-check options");
static cl::list<std::string> specFiles(cl::Positional,
                                       cl::desc("[spec.json ...]"),
                                       cl::cat(checkCategory));
static cl::opt<int64_t> elements("elements",
                                 cl::desc("Elements per kernel (default 2^26)"),
                                 cl::init(int64_t(1) << 26),
                                 cl::cat(checkCategory));
static cl::opt<std::string> jsonFile("json",
                                     cl::desc("Write the results as JSON"),
                                     cl::value_desc("file"),
                                     cl::cat(checkCategory));
static cl::opt<std::string>
    markdownFile("markdown", cl::desc("Write the table as markdown"),
                 cl::value_desc("file"), cl::cat(checkCategory));

namespace {

constexpr int kRepeats = 5;
constexpr int64_t kCheckStride = 16;
/// bias_gelu's rows are this wide (whole 16-byte vectors in every dtype).
constexpr int64_t kBiasColumns = 1024;
/// A device result breaks its bound when its max ULP error in a region is
/// this much above the CPU kernel's on the same inputs.
constexpr double kUlpMargin = 0.5;

/// The bytes of x in `dtype` (x exact in it).
void encode(std::vector<uint8_t> &bytes, DType dtype, int64_t i, float x) {
  if (dtype == DType::F32) {
    std::memcpy(&bytes[i * 4], &x, 4);
    return;
  }
  uint16_t h = halfFromFloatExact(x, dtype == DType::BF16);
  std::memcpy(&bytes[i * 2], &h, 2);
}

/// The inputs: for f32, the special values, then a grid of [-12, 12]; for
/// f16 and bf16, every encoding in turn (each one about n / 65536 times).
std::vector<uint8_t> makeInput(DType dtype, int64_t n) {
  unsigned size = dtypeSize(dtype);
  std::vector<uint8_t> bytes(static_cast<size_t>(n) * size);
  const float specials[] = {NAN, INFINITY, -INFINITY, 0.0f, -0.0f, 1e-40f};
  for (int64_t i = 0; i < n; ++i) {
    if (size == 2) {
      auto bits = static_cast<uint16_t>(i & 0xffff);
      std::memcpy(&bytes[i * 2], &bits, 2);
      continue;
    }
    float x =
        i < 6 ? specials[i]
              : -12.0f + 24.0f * static_cast<float>(i) / static_cast<float>(n);
    encode(bytes, dtype, i, x);
  }
  return bytes;
}

/// A binary op's second operand: 1/4, 1/2, 1 in turn (the product exact
/// but for f32 subnormals, and never overflowing, even at f16's largest x).
std::vector<uint8_t> makeFactors(DType dtype, int64_t n) {
  std::vector<uint8_t> bytes(static_cast<size_t>(n) * dtypeSize(dtype));
  const float factors[] = {0.25f, 0.5f, 1.0f};
  for (int64_t i = 0; i < n; ++i)
    encode(bytes, dtype, i, factors[(i / 5) % 3]);
  return bytes;
}

/// A bias row: multiples of 1/8 in [-3/8, 3/8].
std::vector<uint8_t> makeBias(DType dtype, int64_t cols) {
  std::vector<uint8_t> bytes(static_cast<size_t>(cols) * dtypeSize(dtype));
  for (int64_t c = 0; c < cols; ++c)
    encode(bytes, dtype, c, static_cast<float>(c % 7 - 3) / 8);
  return bytes;
}

float decode(const std::vector<uint8_t> &bytes, DType dtype, int64_t i) {
  if (dtype == DType::F32) {
    float x;
    std::memcpy(&x, &bytes[i * 4], 4);
    return x;
  }
  uint16_t h;
  std::memcpy(&h, &bytes[i * 2], 2);
  return halfToFloat(h, dtype == DType::BF16);
}

/// x rounded to `dtype` (to nearest, ties to even), as a float.
float roundTo(DType dtype, float x) {
  return dtype == DType::F32 ? x : roundedToHalf(x, dtype == DType::BF16);
}

/// One kernel's operands on the host: x, then y (binary ops) or a bias row,
/// then dy (bias_gelu_backward).
struct Operands {
  std::vector<uint8_t> x, second, third;
  int64_t rows = 0, cols = 0;
};

/// The function's argument at element i, and the factor of its result.
std::pair<float, float> argumentOf(const KernelSpec &spec, const Operands &in,
                                   int64_t i) {
  float x = decode(in.x, spec.dtype, i);
  switch (kernelAbiOf(spec.op)) {
  case KernelAbi::Binary:
    return {x, decode(in.second, spec.dtype, i)};
  case KernelAbi::Bias:
  case KernelAbi::BiasBackward:
    // The sum rounded to the dtype, as the kernel rounds it.
    return {roundTo(spec.dtype, x + decode(in.second, spec.dtype, i % in.cols)),
            in.third.empty() ? 1.0f : decode(in.third, spec.dtype, i)};
  default:
    return {x, 1.0f};
  }
}

/// Every kCheckStride-th finite result against the reference, by region,
/// on all cores.
RegionErrors check(const KernelSpec &spec, const Operands &in,
                   const std::vector<uint8_t> &out, int64_t n) {
  unsigned workers = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::array<ErrorMaxima, kReportRegions>> partial(workers);
  std::vector<std::thread> threads;
  ReferenceFunction f = spec.referenceFunction();
  FloatFormat format = floatFormatOf(spec.dtype);
  for (unsigned w = 0; w < workers; ++w)
    threads.emplace_back([&, w] {
      for (int64_t i = w * kCheckStride; i < n;
           i += int64_t(workers) * kCheckStride) {
        auto [x, factor] = argumentOf(spec, in, i);
        if (std::isfinite(x))
          addToRegions(partial[w].data(), x, decode(out, spec.dtype, i),
                       evaluateReference(f, x) * factor, format);
      }
    });
  for (std::thread &t : threads)
    t.join();
  RegionErrors total;
  for (auto &p : partial)
    for (int r = 0; r < kReportRegions; ++r)
      total[r].merge(p[r]);
  return total;
}

/// f(NaN), f(±inf), f(±0) as the kernel computed them (unary ops).
std::string specialsOf(const KernelSpec &spec, const Operands &in,
                       const std::vector<uint8_t> &out, int64_t n) {
  if (kernelAbiOf(spec.op) != KernelAbi::Unary)
    return "–";
  const float wanted[] = {NAN, INFINITY, -INFINITY, 0.0f, -0.0f};
  const char *names[] = {"NaN", "+inf", "-inf", "+0", "-0"};
  std::string text;
  for (int k = 0; k < 5; ++k) {
    for (int64_t i = 0; i < std::min<int64_t>(n, 1 << 16); ++i) {
      float x = decode(in.x, spec.dtype, i);
      bool same =
          std::isnan(wanted[k])
              ? std::isnan(x)
              : x == wanted[k] && std::signbit(x) == std::signbit(wanted[k]);
      if (!same)
        continue;
      float y = decode(out, spec.dtype, i);
      text += std::string(k ? " " : "") + names[k] + "→" +
              (std::isnan(y) ? std::string("NaN")
               : y == 0      ? std::string(std::signbit(y) ? "-0" : "+0")
                             : std::to_string(y));
      break;
    }
  }
  return text;
}

/// A hardware form's results against their bound: the bound's error by
/// region (the worse end of each checked input), and how many device
/// results fall outside the range that NVIDIA's documented maximum errors
/// allow (every result).
struct HardwareBound {
  RegionErrors bound;
  uint64_t outside = 0;
};

HardwareBound checkHardwareBound(const KernelSpec &spec, const Operands &in,
                                 const std::vector<uint8_t> &out, int64_t n) {
  const HardwareForm form = *spec.expansion == act::Expansion::hw_tanh
                                ? HardwareForm::Tanh
                                : HardwareForm::Sigmoid;
  const ReferenceFunction f = spec.referenceFunction();
  const FloatFormat format = floatFormatOf(spec.dtype);
  unsigned workers = std::max(1u, std::thread::hardware_concurrency());
  std::vector<HardwareBound> partial(workers);
  std::vector<std::thread> threads;
  for (unsigned w = 0; w < workers; ++w)
    threads.emplace_back([&, w] {
      HardwareBound &mine = partial[w];
      for (int64_t i = w; i < n; i += workers) {
        auto [x, factor] = argumentOf(spec, in, i);
        ResultRange r = hardwareFormRange(f, form, x);
        // The factor's product is one more rounding, monotone in the
        // result; then the dtype's.
        float lo = roundTo(spec.dtype, r.lo * factor),
              hi = roundTo(spec.dtype, r.hi * factor);
        if (hi < lo)
          std::swap(lo, hi);
        float y = decode(out, spec.dtype, i);
        bool within = std::isnan(lo) ? std::isnan(y) : lo <= y && y <= hi;
        mine.outside += !within;
        if (i % kCheckStride == 0 && std::isfinite(x)) {
          long double ref = evaluateReference(f, x) * factor;
          bool loWorse = std::fabs(lo - ref) > std::fabs(hi - ref);
          addToRegions(mine.bound.data(), x, loWorse ? lo : hi, ref, format);
        }
      }
    });
  for (std::thread &t : threads)
    t.join();
  HardwareBound total;
  for (HardwareBound &p : partial) {
    total.outside += p.outside;
    for (int r = 0; r < kReportRegions; ++r)
      total.bound[r].merge(p.bound[r]);
  }
  return total;
}

/// A kernel's outputs on the host: its results, and bias_gelu_backward's
/// dbias.
struct Outputs {
  std::vector<uint8_t> out;
  std::vector<float> dbias;
};

/// The CPU kernel of `spec` (the GPU kernel's choices, host target) on
/// the same operands.
Expected<Outputs> runOnCpu(KernelSpec spec, const Operands &in, int64_t n) {
  spec.target = "host";
  auto kernel = compileKernel(spec);
  if (!kernel)
    return kernel.takeError();
  Outputs outputs;
  std::vector<uint8_t> &out = outputs.out;
  out.resize(in.x.size());
  outputs.dbias.resize(in.third.empty() ? 0 : in.cols);
  auto call = [&](auto *element) -> Error {
    using T = std::remove_pointer_t<decltype(element)>;
    auto x = reinterpret_cast<const T *>(in.x.data());
    auto second = reinterpret_cast<const T *>(in.second.data());
    auto y = reinterpret_cast<T *>(out.data());
    switch (kernelAbiOf(spec.op)) {
    case KernelAbi::Unary:
      return (*kernel)->run(x, y, n);
    case KernelAbi::Binary:
      return (*kernel)->runBinary(x, second, y, n);
    case KernelAbi::Bias:
      return (*kernel)->runBias(x, second, y, in.rows, in.cols);
    case KernelAbi::BiasBackward:
      return (*kernel)->runBiasBackward(
          x, second, reinterpret_cast<const T *>(in.third.data()), y,
          outputs.dbias.data(), in.rows, in.cols);
    }
    return createStringError("unknown kernel ABI");
  };
  Error err = spec.dtype == DType::F32 ? call(static_cast<float *>(nullptr))
                                       : call(static_cast<uint16_t *>(nullptr));
  if (err)
    return std::move(err);
  return outputs;
}

/// dbias against the sums of the dx written, in double: the largest
/// |dbias[c] − Σ_r dx| / (2^-24·Σ_r |dx|) over the columns. Any order of
/// f32 additions stays within rows (the recursive summation's bound).
double dbiasError(DType dtype, const std::vector<uint8_t> &dx,
                  const std::vector<float> &dbias, int64_t rows, int64_t cols) {
  double worst = 0;
  for (int64_t c = 0; c < cols; ++c) {
    double sum = 0, magnitude = 0;
    for (int64_t r = 0; r < rows; ++r) {
      double v = decode(dx, dtype, r * cols + c);
      if (!std::isfinite(v))
        continue;
      sum += v;
      magnitude += std::fabs(v);
    }
    if (std::isfinite(dbias[c]) && magnitude > 0)
      worst = std::max(worst, std::fabs(dbias[c] - sum) /
                                  (std::ldexp(1.0, -24) * magnitude));
  }
  return worst;
}

/// One kernel's results.
struct Result {
  std::string name;
  DType dtype;
  std::string expansion;
  RegionErrors device, host;
  uint64_t differing = 0; ///< results whose bits differ from the CPU's
  std::string specials;
  double kernelGBs = 0, copyGBs = 0;
  /// bias_gelu_backward: dbiasError of the device's and of the CPU's
  /// (negative for other ops).
  double dbiasDevice = -1, dbiasHost = -1;
  bool withinBound = true;
};

/// Runs `spec` on the GPU and the CPU and measures it.
Expected<Result> measure(const KernelSpec &spec, int64_t n) {
  auto kernel = GpuKernel::compile(spec);
  if (!kernel)
    return kernel.takeError();
  const KernelSpec &chosen = (*kernel)->spec();
  const KernelAbi abi = kernelAbiOf(chosen.op);
  const uint64_t bytes = static_cast<uint64_t>(n) * dtypeSize(chosen.dtype);
  Operands in;
  in.x = makeInput(chosen.dtype, n);
  if (abi == KernelAbi::Binary)
    in.second = makeFactors(chosen.dtype, n);
  const bool backward = abi == KernelAbi::BiasBackward;
  if (abi == KernelAbi::Bias || backward) {
    in.cols = kBiasColumns;
    in.rows = n / kBiasColumns;
    if (in.rows * in.cols != n)
      return createStringError(act::stringifyOpKind(chosen.op) +
                               " needs --elements a multiple of " +
                               Twine(kBiasColumns));
    in.second = makeBias(chosen.dtype, in.cols);
  }
  if (backward)
    in.third = makeFactors(chosen.dtype, n);
  auto x = GpuBuffer::allocate(bytes);
  if (!x)
    return x.takeError();
  auto out = GpuBuffer::allocate(bytes);
  if (!out)
    return out.takeError();
  if (Error err = (*x)->copyFromHost(in.x.data(), bytes))
    return std::move(err);
  std::unique_ptr<GpuBuffer> second;
  if (!in.second.empty()) {
    auto buffer = GpuBuffer::allocate(in.second.size());
    if (!buffer)
      return buffer.takeError();
    second = std::move(*buffer);
    if (Error err = second->copyFromHost(in.second.data(), in.second.size()))
      return std::move(err);
  }
  std::unique_ptr<GpuBuffer> third, dbias;
  if (backward) {
    auto dyBuffer = GpuBuffer::allocate(bytes);
    if (!dyBuffer)
      return dyBuffer.takeError();
    third = std::move(*dyBuffer);
    if (Error err = third->copyFromHost(in.third.data(), bytes))
      return std::move(err);
    auto dbiasBuffer = GpuBuffer::allocate(in.cols * 4);
    if (!dbiasBuffer)
      return dbiasBuffer.takeError();
    dbias = std::move(*dbiasBuffer);
  }
  auto launch = [&]() -> Error {
    switch (abi) {
    case KernelAbi::Unary:
      return (*kernel)->run((*x)->address(), (*out)->address(), n);
    case KernelAbi::Binary:
      return (*kernel)->runBinary((*x)->address(), second->address(),
                                  (*out)->address(), n);
    case KernelAbi::Bias:
      return (*kernel)->runBias((*x)->address(), second->address(),
                                (*out)->address(), in.rows, in.cols);
    case KernelAbi::BiasBackward:
      return (*kernel)->runBiasBackward((*x)->address(), second->address(),
                                        third->address(), (*out)->address(),
                                        dbias->address(), in.rows, in.cols);
    }
    return createStringError("unknown kernel ABI");
  };
  double kernelMs = HUGE_VAL, copyMs = HUGE_VAL;
  for (int r = 0; r < kRepeats; ++r) {
    auto ms = timeOnGpu(launch);
    if (!ms)
      return ms.takeError();
    kernelMs = std::min(kernelMs, *ms);
  }
  std::vector<uint8_t> got(bytes);
  if (Error err = (*out)->copyToHost(got.data(), bytes))
    return std::move(err);
  std::vector<float> gotDbias(backward ? in.cols : 0);
  if (backward)
    if (Error err = dbias->copyToHost(gotDbias.data(), in.cols * 4))
      return std::move(err);
  for (int r = 0; r < kRepeats; ++r) {
    auto ms = timeDeviceCopy(**x, **out, bytes);
    if (!ms)
      return ms.takeError();
    copyMs = std::min(copyMs, *ms);
  }
  Result result;
  // Bytes read and written per second: the kernel's (its inputs and its
  // output) and the copy's (its source and destination).
  const int buffers = abi == KernelAbi::Binary || backward ? 3 : 2;
  result.kernelGBs = buffers * double(bytes) / (kernelMs * 1e-3) / 1e9;
  result.copyGBs = 2.0 * bytes / (copyMs * 1e-3) / 1e9;
  result.name = spec.name;
  result.dtype = chosen.dtype;
  result.expansion = chosen.expansion
                         ? act::stringifyExpansion(*chosen.expansion).str()
                         : "default";
  result.device = check(chosen, in, got, n);
  result.specials = specialsOf(chosen, in, got, n);
  if (chosen.expansion && usesHardwareApproximations(*chosen.expansion)) {
    // No CPU computes the GPU's approximations: the device's results
    // against the range their documented errors allow.
    HardwareBound bound = checkHardwareBound(chosen, in, got, n);
    result.expansion += " (bound)";
    result.host = bound.bound;
    result.differing = bound.outside;
    result.withinBound = bound.outside == 0;
    return result;
  }
  auto expected = runOnCpu(chosen, in, n);
  if (!expected)
    return expected.takeError();
  result.host = check(chosen, in, expected->out, n);
  for (uint64_t i = 0; i < bytes; i += dtypeSize(chosen.dtype))
    result.differing +=
        std::memcmp(&got[i], &expected->out[i], dtypeSize(chosen.dtype)) != 0;
  if (backward) {
    result.dbiasDevice =
        dbiasError(chosen.dtype, got, gotDbias, in.rows, in.cols);
    result.dbiasHost = dbiasError(chosen.dtype, expected->out, expected->dbias,
                                  in.rows, in.cols);
    if (result.dbiasDevice > double(in.rows))
      result.withinBound = false;
  }
  for (int r = 0; r < kReportRegions; ++r)
    if (result.device[r].maxUlp > result.host[r].maxUlp + kUlpMargin)
      result.withinBound = false;
  return result;
}

/// printf's rendering of `values` by `pattern`.
template <typename... Values>
std::string printed(const char *pattern, Values... values) {
  std::string text;
  raw_string_ostream(text) << format(pattern, values...);
  return text;
}

/// The default kernels: every op with a GPU kernel in each dtype at its
/// accurate default, and the f32 ones at a max_abs 1e-3 budget too; the
/// hardware forms of tanh and sigmoid GELU and SiLU in f32 and bf16.
std::vector<KernelSpec> defaultSpecs() {
  const char *ops[][2] = {
      {"gelu", "none"},          {"gelu", "tanh"},
      {"gelu", "sigmoid"},       {"silu", "none"},
      {"relu", "none"},          {"gelu_backward", "none"},
      {"gelu_backward", "tanh"}, {"gelu_backward", "sigmoid"},
      {"geglu", "none"},         {"swiglu", "none"},
      {"bias_gelu", "none"},     {"bias_gelu_backward", "none"}};
  std::vector<KernelSpec> specs;
  for (const char *dtype : {"f32", "f16", "bf16"})
    for (auto [op, approximate] : ops)
      for (bool fast : {false, true}) {
        if (fast && (std::strcmp(dtype, "f32") || !std::strcmp(op, "relu")))
          continue;
        Json spec = Json::object();
        std::string name =
            std::string(op) +
            (std::strcmp(approximate, "none") ? std::string("_") + approximate
                                              : std::string()) +
            "_" + dtype + (fast ? "_abs1em3" : "");
        spec["name"] = name;
        spec["op"] = op;
        spec["dtype"] = dtype;
        if (std::strcmp(approximate, "none"))
          spec["approximate"] = approximate;
        if (fast)
          spec["budget"]["max_abs"] = 1e-3;
        specs.push_back(cantFail(parseSpec(dumpJson(spec))));
      }
  // The hardware forms of the x·σ(y) functions, in f32 and bf16.
  const char *gated[][2] = {
      {"gelu", "tanh"}, {"gelu", "sigmoid"}, {"silu", "none"}};
  for (const char *dtype : {"f32", "bf16"})
    for (auto [op, approximate] : gated)
      for (const char *expansion : {"hw_tanh", "hw_sigmoid"}) {
        Json spec = Json::object();
        spec["name"] =
            std::string(op) +
            (std::strcmp(approximate, "none") ? std::string("_") + approximate
                                              : std::string()) +
            "_" + dtype + "_" + expansion;
        spec["op"] = op;
        spec["approximate"] = approximate;
        spec["dtype"] = dtype;
        spec["expansion"] = expansion;
        spec["target"] = "nvptx-sm_90"; // the GPU's own, when run
        specs.push_back(cantFail(parseSpec(dumpJson(spec))));
      }
  return specs;
}

} // namespace

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(checkCategory);
  gelu::setVersionPrinter();
  cl::ParseCommandLineOptions(argc, argv,
                              "gelu-gpu-check: GPU kernels' accuracy and "
                              "bandwidth\n");
  auto fail = [](Error err) {
    WithColor::error(errs(), "gelu-gpu-check")
        << toString(std::move(err)) << "\n";
    return 1;
  };
  auto target = gpuTargetName();
  if (!target)
    return fail(target.takeError());

  std::vector<KernelSpec> specs;
  std::vector<std::string> sources; // the file of each spec ("": built in)
  for (const std::string &file : specFiles) {
    auto spec = readSpecFile(file);
    if (!spec)
      return fail(spec.takeError());
    specs.push_back(*spec);
    sources.push_back(file);
  }
  if (specs.empty())
    specs = defaultSpecs();
  sources.resize(specs.size());

  const int64_t n = elements;
  // The table, printed a row at a time and kept for --markdown.
  std::string markdown;
  auto emit = [&](const std::string &text) {
    markdown += text;
    outs() << text;
    outs().flush();
  };
  emit(formatv("GPU target {0}, {1} elements a kernel, every {2}th result "
               "checked\n\n",
               *target, n, kCheckStride)
           .str());
  emit("| kernel | expansion | device max ULP " +
       gelu::regionNameList(" / ", 3) +
       " | host max ULP | results ≠ host | max abs | specials | dbias error "
       "device / host | kernel GB/s | copy GB/s | × copy |\n"
       "|---|---|---|---|---|---|---|---|---|---|---|\n");
  Json rows = Json::array();
  bool allWithin = true;
  for (size_t i = 0; i < specs.size(); ++i) {
    KernelSpec spec = specs[i];
    spec.target = *target;
    auto result = measure(spec, n);
    if (!result)
      return fail(inSpecSource(result.takeError(), sources[i]));
    const Result &r = *result;
    allWithin &= r.withinBound;
    auto ulps = [](const RegionErrors &e) {
      return printed("%.3g / %.3g / %.3g", e[0].maxUlp, e[1].maxUlp,
                     e[2].maxUlp);
    };
    emit("| " + r.name + " | " + r.expansion + " | " + ulps(r.device) +
         (r.withinBound ? "" : " **(above the host's)**") + " | " +
         ulps(r.host) + " | " + std::to_string(r.differing) + " | " +
         printed("%.2g", r.device[kOverallRegion].maxAbs) + " | " + r.specials +
         " | " +
         (r.dbiasDevice < 0
              ? std::string("–")
              : printed("%.3g / %.3g", r.dbiasDevice, r.dbiasHost)) +
         " | " +
         printed("%.0f | %.0f | %.2f", r.kernelGBs, r.copyGBs,
                 r.kernelGBs / r.copyGBs) +
         " |\n");
    Json row = Json::object();
    row["name"] = r.name;
    row["dtype"] = stringifyDType(r.dtype);
    row["expansion"] = r.expansion;
    for (int k = 0; k < kReportRegions; ++k) {
      row["device_max_ulp"][kRegionKeys[k]] = r.device[k].maxUlp;
      row["host_max_ulp"][kRegionKeys[k]] = r.host[k].maxUlp;
    }
    row["results_differing_from_host"] = r.differing;
    row["max_abs"] = r.device[kOverallRegion].maxAbs;
    row["specials"] = r.specials;
    if (r.dbiasDevice >= 0) {
      row["dbias_error_device"] = r.dbiasDevice;
      row["dbias_error_host"] = r.dbiasHost;
    }
    row["kernel_gb_per_s"] = r.kernelGBs;
    row["copy_gb_per_s"] = r.copyGBs;
    row["within_bound"] = r.withinBound;
    rows.push_back(row);
  }
  if (!jsonFile.empty()) {
    Json document = Json::object();
    document["target"] = *target;
    document["elements"] = n;
    document["kernels"] = rows;
    if (Error err = writeOutputFile(jsonFile, dumpJson(document, 2) + "\n"))
      return fail(std::move(err));
  }
  if (!markdownFile.empty())
    if (Error err = writeOutputFile(markdownFile, markdown))
      return fail(std::move(err));
  if (!allWithin) {
    WithColor::error(errs(), "gelu-gpu-check")
        << "a device result is more than " << kUlpMargin
        << " ULP above the CPU kernel's error in some region, outside its "
           "hardware form's bound, or a dbias beyond its bound (table "
           "above)\n";
    return 2;
  }
  return 0;
}
