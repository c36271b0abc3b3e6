//===- TrainingAnchors.h - What a user calls instead of the fused kernels -===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// The anchors of gelu-train-bench, as a user would call them from C++:
// oneDNN 2.6's eltwise backward (gelu_erf, gelu_tanh), its binary add with
// a broadcast bias and an eltwise post-op (its fused bias+GELU), binary,
// eltwise and reduction primitives chained for the others; and the plain
// loops (-O3 -march=native) that run a fused kernel's other parts when its
// activation is gelu-jit's own unfused kernel.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_BENCH_TRAININGANCHORS_H
#define GELU_BENCH_TRAININGANCHORS_H

#include <cstdint>
#include <functional>
#include <memory>

namespace gelu::bench {

/// The buffers every training benchmark reads and writes: [rows, cols]
/// matrices x, y (dy, or the gate's other half b), out; per-column bias and
/// dbias (f32).
struct TrainingBuffers {
  const float *x;
  const float *y;
  const float *bias;
  float *out;
  float *dbias;
  int64_t rows;
  int64_t cols;
  int64_t size() const { return rows * cols; }
};

using TrainingRun = std::function<void(const TrainingBuffers &)>;

/// out[r][c] = x[r][c] + bias[c].
void addBias(const float *x, const float *bias, float *out, int64_t rows,
             int64_t cols);
/// out[i] *= y[i].
void multiplyInPlace(float *out, const float *y, int64_t n);
/// dbias[c] = Σ_r m[r][c].
void columnSums(const float *m, float *dbias, int64_t rows, int64_t cols);

/// oneDNN 2.6 (one thread), primitives made once per shape.
class OneDnnTraining {
public:
  OneDnnTraining();
  ~OneDnnTraining();
  /// dx = dy·GELU'(x): eltwise_backward, gelu_erf (tanh = false) or
  /// gelu_tanh.
  void geluBackward(const TrainingBuffers &b, bool tanh);
  /// out = GELU(x + bias): binary add with an eltwise gelu_erf post-op.
  void biasGelu(const TrainingBuffers &b);
  /// out = dy·GELU'(x + bias), dbias = column sums: binary add, eltwise
  /// backward, reduction (sum over rows).
  void biasGeluBackward(const TrainingBuffers &b);
  /// out = act(x)·y: eltwise (gelu_erf, or swish with α = 1) and binary mul.
  void gated(const TrainingBuffers &b, bool silu);

private:
  struct Impl;
  std::unique_ptr<Impl> impl;
};

} // namespace gelu::bench

#endif // GELU_BENCH_TRAININGANCHORS_H
