//===- gelu-gpu-check.cpp - GPU kernels: accuracy and bandwidth ----------===//
//
// Part of gelu-jit.
//
//   gelu-gpu-check [--elements N] [spec.json ...]
//
// On a machine with an NVIDIA GPU and its driver: compiles each spec (by
// default exact GELU f32, its rational form, exact GELU bf16 and the tanh
// GELU) for this GPU's sm, runs it on N elements (default 2^28) spread over
// [-12, 12] with the special values at the front, checks every 16th result
// against the long-double reference by region, and times the kernel
// against a device-to-device copy of the same bytes (the best of 5 runs
// each, CUDA events). Prints one summary table. scripts/gpu-check.sh
// builds and runs it. Exits 1 when there is no GPU, saying why.
//
//===----------------------------------------------------------------------===//

#include "gelu/JIT/GpuRuntime.h"
#include "gelu/JIT/Measurement.h"
#include "gelu/Numerics/ErrorMaxima.h"
#include "gelu/Numerics/HalfFloat.h"
#include "gelu/Version.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
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
                                 cl::desc("Elements per kernel (default 2^28)"),
                                 cl::init(int64_t(1) << 28),
                                 cl::cat(checkCategory));

namespace {

constexpr int kRepeats = 5;
constexpr int64_t kCheckStride = 16;

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
    std::memcpy(&bytes[i * 4], &x, 4);
  }
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

/// Every kCheckStride-th finite result against the reference, by region,
/// on all cores.
RegionErrors check(const KernelSpec &spec, const std::vector<uint8_t> &in,
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
        float x = decode(in, spec.dtype, i);
        if (std::isfinite(x))
          addToRegions(partial[w].data(), x, decode(out, spec.dtype, i),
                       evaluateReference(f, x), format);
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

/// f(NaN), f(±inf), f(±0) as the kernel computed them.
std::string specialsOf(const KernelSpec &spec, const std::vector<uint8_t> &in,
                       const std::vector<uint8_t> &out, int64_t n) {
  const float wanted[] = {NAN, INFINITY, -INFINITY, 0.0f, -0.0f};
  const char *names[] = {"NaN", "+inf", "-inf", "+0", "-0"};
  std::string text;
  for (int k = 0; k < 5; ++k) {
    for (int64_t i = 0; i < std::min<int64_t>(n, 1 << 16); ++i) {
      float x = decode(in, spec.dtype, i);
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
    for (const char *json :
         {R"({"name": "gelu_f32"})",
          R"({"name": "gelu_rational_f32", "expansion": "rational"})",
          R"({"name": "gelu_bf16", "dtype": "bf16"})",
          R"({"name": "gelu_tanh_f32", "approximate": "tanh"})"})
      specs.push_back(cantFail(parseSpec(json)));

  const int64_t n = elements;
  outs() << "GPU target " << *target << ", " << n << " elements a kernel, "
         << "every " << kCheckStride << "th result checked\n\n";
  outs() << "| kernel | max ULP " << gelu::regionNameList(" / ", 3)
         << " | max abs | "
            "specials | kernel GB/s | copy GB/s | × copy |\n"
            "|---|---|---|---|---|---|---|\n";
  sources.resize(specs.size());
  for (size_t i = 0; i < specs.size(); ++i) {
    KernelSpec spec = specs[i];
    spec.target = *target;
    auto kernel = GpuKernel::compile(spec);
    if (!kernel)
      return fail(inSpecSource(kernel.takeError(), sources[i]));
    uint64_t bytes = static_cast<uint64_t>(n) * dtypeSize(spec.dtype);
    std::vector<uint8_t> in = makeInput(spec.dtype, n), out(bytes);
    auto inBuffer = GpuBuffer::allocate(bytes);
    if (!inBuffer)
      return fail(inBuffer.takeError());
    auto outBuffer = GpuBuffer::allocate(bytes);
    if (!outBuffer)
      return fail(outBuffer.takeError());
    if (Error err = (*inBuffer)->copyFromHost(in.data(), bytes))
      return fail(std::move(err));
    double kernelMs = HUGE_VAL, copyMs = HUGE_VAL;
    for (int r = 0; r < kRepeats; ++r) {
      auto ms = (*kernel)->runTimed((*inBuffer)->address(),
                                    (*outBuffer)->address(), n);
      if (!ms)
        return fail(ms.takeError());
      kernelMs = std::min(kernelMs, *ms);
    }
    if (Error err = (*outBuffer)->copyToHost(out.data(), bytes))
      return fail(std::move(err));
    for (int r = 0; r < kRepeats; ++r) {
      auto ms = timeDeviceCopy(**inBuffer, **outBuffer, bytes);
      if (!ms)
        return fail(ms.takeError());
      copyMs = std::min(copyMs, *ms);
    }
    RegionErrors error = check((*kernel)->spec(), in, out, n);
    // Bytes read and written, per second.
    double kernelGBs = 2.0 * bytes / (kernelMs * 1e-3) / 1e9;
    double copyGBs = 2.0 * bytes / (copyMs * 1e-3) / 1e9;
    outs() << "| " << spec.name << " (" << stringifyDType(spec.dtype) << ") | "
           << format("%.3g / %.3g / %.3g", error[0].maxUlp, error[1].maxUlp,
                     error[2].maxUlp)
           << " | " << format("%.2g", error[kOverallRegion].maxAbs) << " | "
           << specialsOf(spec, in, out, n) << " | " << format("%.0f", kernelGBs)
           << " | " << format("%.0f", copyGBs) << " | "
           << format("%.2f", kernelGBs / copyGBs) << " |\n";
    outs().flush();
  }
  return 0;
}
