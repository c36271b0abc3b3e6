//===- Anchors.h - The GELU kernels gelu-jit is measured against -*- C++
//-*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// Each anchor is what a user would call instead of gelu-jit, as Debian ships
// it: Eigen 3.4's erf, tanh and logistic, Sleef's erff/tanhf/expf (u10,
// AVX-512 and AVX2), glibc's libmvec, oneDNN 2.6's eltwise gelu_erf,
// gelu_tanh and swish (x·σ(αx): SiLU at α = 1, the sigmoid GELU at 1.702),
// and memcpy as the memory-bound floor. All take f32 buffers whose length is a multiple of
// 16 (the benchmark sizes are).
//
//===----------------------------------------------------------------------===//

#ifndef GELU_BENCH_ANCHORS_H
#define GELU_BENCH_ANCHORS_H

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace gelu::bench {

/// What an implementation computes, so that it is compared with its peers
/// and measured against the right reference.
enum class Family { ExactGelu, TanhGelu, SigmoidGelu, Silu, Copy };

struct Implementation {
  std::string name;
  Family family;
  /// Ours (gelu-jit) or an anchor.
  bool ours;
  std::function<void(const float *in, float *out, int64_t n)> run;
};

/// Every anchor this build has; the ones needing an ISA this CPU lacks
/// (AVX-512 variants on an AVX2 machine) are left out.
std::vector<Implementation> anchors();

} // namespace gelu::bench

#endif // GELU_BENCH_ANCHORS_H
