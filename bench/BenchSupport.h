//===- BenchSupport.h - What the benchmarks share ---------------*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_BENCH_BENCHSUPPORT_H
#define GELU_BENCH_BENCHSUPPORT_H

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace gelu::bench {

/// 64-byte-aligned floats that free themselves, zeroed (so that the pages
/// are touched before any timing).
struct AlignedBuffer {
  float *data;
  explicit AlignedBuffer(size_t n)
      : data(static_cast<float *>(
            std::aligned_alloc(64, ((n * sizeof(float) + 63) / 64) * 64))) {
    std::memset(data, 0, n * sizeof(float));
  }
  ~AlignedBuffer() { std::free(data); }
  AlignedBuffer(const AlignedBuffer &) = delete;
  AlignedBuffer &operator=(const AlignedBuffer &) = delete;
};

/// The inputs the benchmarks' accuracy columns are measured on: every
/// 4096th f32 bit pattern that is finite, plus a 2^18-step grid of
/// [−20, 20], padded with zeros to a multiple of `multiple` (the anchors'
/// vector width, or a matrix's row length).
inline std::vector<float> accuracySample(size_t multiple) {
  std::vector<float> in;
  for (uint64_t bits = 0; bits < (1ull << 32); bits += 4096) {
    float x;
    uint32_t b = static_cast<uint32_t>(bits);
    std::memcpy(&x, &b, sizeof x);
    if (std::isfinite(x))
      in.push_back(x);
  }
  for (int i = 0; i <= (1 << 18); ++i)
    in.push_back(-20.0f + 40.0f * static_cast<float>(i) / (1 << 18));
  while (in.size() % multiple)
    in.push_back(0.0f);
  return in;
}

} // namespace gelu::bench

#endif // GELU_BENCH_BENCHSUPPORT_H
