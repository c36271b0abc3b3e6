//===- jit_training.cpp - The training kernels from the JIT API -----------===//
//
// Part of gelu-jit.
//
//   gelu-jit-training-demo [rows cols]
//
// A transformer MLP's GELU around a matmul, in training: JIT-compiles
// bias_gelu (forward) and bias_gelu_backward (dx and the bias gradient in
// one pass), runs them on a [rows, cols] bf16 activation through the
// checked calls, and compares with a long-double reference: the forward
// values, dx, and dbias against the column sums of dx.
//
//===----------------------------------------------------------------------===//

#include "gelu/JIT/Jit.h"
#include "gelu/Numerics/HalfFloat.h"
#include "gelu/Numerics/Reference.h"

#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

namespace {

/// f32 to bf16, round to nearest even (finite inputs).
uint16_t toBF16(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, 4);
  bits += 0x7fffu + ((bits >> 16) & 1u);
  return static_cast<uint16_t>(bits >> 16);
}

template <typename T> T orExit(llvm::Expected<T> value) {
  if (!value) {
    llvm::errs() << "error: " << llvm::toString(value.takeError()) << "\n";
    std::exit(1);
  }
  return std::move(*value);
}

void orExit(llvm::Error err) {
  if (err) {
    llvm::errs() << "error: " << llvm::toString(std::move(err)) << "\n";
    std::exit(1);
  }
}

} // namespace

int main(int argc, char **argv) {
  int64_t rows = 64, cols = 768;
  if (argc == 3) {
    rows = std::atoll(argv[1]);
    cols = std::atoll(argv[2]);
  } else if (argc != 1) {
    std::fprintf(stderr, "usage: %s [rows cols]\n", argv[0]);
    return 1;
  }
  auto forward = orExit(
      gelu::compileKernelFromJson(R"({"op": "bias_gelu", "dtype": "bf16"})"));
  auto backward = orExit(gelu::compileKernelFromJson(
      R"({"op": "bias_gelu_backward", "dtype": "bf16"})"));
  std::printf("compiled %s and %s in %.1f + %.1f ms\n",
              forward->spec().name.c_str(), backward->spec().name.c_str(),
              forward->compileSeconds() * 1e3,
              backward->compileSeconds() * 1e3);

  // The matmul output x, the bias, and the gradient arriving from above.
  std::mt19937 rng(7);
  std::normal_distribution<float> normal(0.0f, 2.0f);
  std::vector<gelu::BFloat16> x(rows * cols), dy(rows * cols), bias(cols),
      y(rows * cols), dx(rows * cols);
  for (int64_t i = 0; i < rows * cols; ++i) {
    x[i].bits = toBF16(normal(rng));
    dy[i].bits = toBF16(normal(rng) / 4);
  }
  for (int64_t c = 0; c < cols; ++c)
    bias[c].bits = toBF16(normal(rng) / 2);
  std::vector<float> dbias(cols);

  // Checked calls: wrong sizes, overlaps or types come back as errors.
  orExit(forward->runBias(x.data(), bias.data(), y.data(), rows, cols));
  orExit(backward->runBiasBackward(x.data(), bias.data(), dy.data(), dx.data(),
                                   dbias.data(), rows, cols));

  // Against the long-double reference at z = x + bias rounded to bf16.
  auto value = [](gelu::BFloat16 v) { return gelu::bf16ToFloat(v.bits); };
  double worstY = 0, worstDx = 0, worstDbias = 0;
  for (int64_t c = 0; c < cols; ++c) {
    double sum = 0;
    for (int64_t r = 0; r < rows; ++r) {
      int64_t i = r * cols + c;
      float z = gelu::bf16ToFloat(toBF16(value(x[i]) + value(bias[c])));
      long double refY = gelu::evaluateReference(
          gelu::ReferenceFunction::GeluExact, z);
      long double refDx =
          value(dy[i]) * gelu::evaluateReference(
                             gelu::ReferenceFunction::GeluExactDerivative, z);
      long double scale =
          std::fabs(value(dy[i])) *
          gelu::errorScale(gelu::ReferenceFunction::GeluExactDerivative, z);
      worstY = std::max(worstY, gelu::ulpError(value(y[i]), refY,
                                               gelu::FloatFormat::bf16()));
      worstDx = std::max(worstDx,
                         gelu::ulpError(value(dx[i]), refDx,
                                        gelu::FloatFormat::bf16(), scale));
      sum += value(dx[i]);
    }
    worstDbias = std::max(worstDbias, std::fabs(dbias[c] - sum));
  }
  std::printf("[%lld, %lld] bf16: y = GELU(x + bias) within %.3f ULP, "
              "dx within %.3f ULP, dbias within %.2g of the column sums of "
              "dx\n",
              static_cast<long long>(rows), static_cast<long long>(cols),
              worstY, worstDx, worstDbias);
  return worstY <= 0.51 && worstDx <= 0.51 && worstDbias < 1e-3 ? 0 : 1;
}
