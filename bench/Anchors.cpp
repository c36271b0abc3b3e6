//===- Anchors.cpp - The GELU kernels gelu-jit is measured against --------===//
//
// Part of gelu-jit.
//
// Compiled with -O3 -march=native so that Eigen's packet math uses the
// widest vectors of this CPU, as a user building Eigen code would.
//
//===----------------------------------------------------------------------===//

#include "Anchors.h"

#include <Eigen/Core>
#include <immintrin.h>
#include <oneapi/dnnl/dnnl.h>
#include <sleef.h>
#include <unsupported/Eigen/SpecialFunctions>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <tuple>

extern "C" {
// glibc's libmvec (x86_64 vector ABI names).
__m512 _ZGVeN16v_erff(__m512);
__m256 _ZGVdN8v_erff(__m256);
__m512 _ZGVeN16v_tanhf(__m512);
__m256 _ZGVdN8v_tanhf(__m256);
// oneDNN's OpenMP runtime: the benchmark is single-threaded.
void omp_set_num_threads(int);
}

namespace gelu::bench {

namespace {

constexpr float kSqrtHalf = 0.70710678118654752f;
constexpr float kTanhC = 0.79788456080286536f; // √(2/π)
constexpr float kTanhCubic = 0.044715f;

using ArrayMap = Eigen::Map<Eigen::ArrayXf>;
using ConstArrayMap = Eigen::Map<const Eigen::ArrayXf>;

void eigenErf(const float *in, float *out, int64_t n) {
  ConstArrayMap x(in, n);
  ArrayMap y(out, n);
  y = 0.5f * x * (1.0f + (x * kSqrtHalf).erf());
}

/// Exact GELU in double with Eigen's erf, rounded to f32: the obvious way
/// to f32 results better than f32 arithmetic gives (1024 at a time).
void eigenErfDouble(const float *in, float *out, int64_t n) {
  constexpr int64_t kChunk = 1024;
  Eigen::Array<double, kChunk, 1> x;
  for (int64_t begin = 0; begin < n; begin += kChunk) {
    int64_t m = std::min(kChunk, n - begin);
    for (int64_t i = 0; i < m; ++i)
      x[i] = in[begin + i];
    Eigen::Array<double, kChunk, 1> y =
        0.5 * x * (1.0 + (x * 0.70710678118654752440).erf());
    for (int64_t i = 0; i < m; ++i)
      out[begin + i] = static_cast<float>(y[i]);
  }
}

/// Exact GELU in double with glibc's scalar erfc, rounded to f32.
void glibcErfcDouble(const float *in, float *out, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    double x = in[i];
    out[i] =
        static_cast<float>(0.5 * x * std::erfc(-x * 0.70710678118654752440));
  }
}

/// x·σ(s·x) with Eigen's logistic: SiLU (s = 1) and the sigmoid GELU.
template <int ScaleThousandths>
void eigenLogistic(const float *in, float *out, int64_t n) {
  ConstArrayMap x(in, n);
  ArrayMap y(out, n);
  y = x * (x * (ScaleThousandths / 1000.0f)).logistic();
}

void eigenTanh(const float *in, float *out, int64_t n) {
  ConstArrayMap x(in, n);
  ArrayMap y(out, n);
  y = 0.5f * x * (1.0f + (kTanhC * (x + kTanhCubic * x.cube())).tanh());
}

/// 0.5·x·(1 + f(g(x))) over 16- or 8-lane vectors, f a vector math call.
template <int Lanes> struct Vec;
template <> struct Vec<16> {
  using T = __m512;
  static T load(const float *p) { return _mm512_loadu_ps(p); }
  static void store(float *p, T v) { _mm512_storeu_ps(p, v); }
  static T splat(float c) { return _mm512_set1_ps(c); }
  static T mul(T a, T b) { return _mm512_mul_ps(a, b); }
  static T fma(T a, T b, T c) { return _mm512_fmadd_ps(a, b, c); }
  static T div(T a, T b) { return _mm512_div_ps(a, b); }
  static T add(T a, T b) { return _mm512_add_ps(a, b); }
};
template <> struct Vec<8> {
  using T = __m256;
  static T load(const float *p) { return _mm256_loadu_ps(p); }
  static void store(float *p, T v) { _mm256_storeu_ps(p, v); }
  static T splat(float c) { return _mm256_set1_ps(c); }
  static T mul(T a, T b) { return _mm256_mul_ps(a, b); }
  static T fma(T a, T b, T c) { return _mm256_fmadd_ps(a, b, c); }
  static T div(T a, T b) { return _mm256_div_ps(a, b); }
  static T add(T a, T b) { return _mm256_add_ps(a, b); }
};

template <int Lanes, typename Vec<Lanes>::T (*Erf)(typename Vec<Lanes>::T)>
void erfGelu(const float *in, float *out, int64_t n) {
  using V = Vec<Lanes>;
  for (int64_t i = 0; i < n; i += Lanes) {
    auto x = V::load(in + i);
    auto h = V::mul(x, V::splat(0.5f));
    auto e = Erf(V::mul(x, V::splat(kSqrtHalf)));
    V::store(out + i, V::fma(h, e, h));
  }
}

template <int Lanes, typename Vec<Lanes>::T (*Tanh)(typename Vec<Lanes>::T)>
void tanhGelu(const float *in, float *out, int64_t n) {
  using V = Vec<Lanes>;
  for (int64_t i = 0; i < n; i += Lanes) {
    auto x = V::load(in + i);
    auto x2 = V::mul(x, x);
    auto u = V::mul(V::mul(x, V::splat(kTanhC)),
                    V::fma(x2, V::splat(kTanhCubic), V::splat(1.0f)));
    auto h = V::mul(x, V::splat(0.5f));
    V::store(out + i, V::fma(h, Tanh(u), h));
  }
}

/// x·σ(s·x) = x / (1 + e^(−s·x)), the hand-written loop a user would write
/// around a vector exp (e^(−s·x) overflows to inf below −88/s: x/inf = −0).
template <int Lanes, typename Vec<Lanes>::T (*Exp)(typename Vec<Lanes>::T),
          int ScaleThousandths>
void expLogistic(const float *in, float *out, int64_t n) {
  using V = Vec<Lanes>;
  for (int64_t i = 0; i < n; i += Lanes) {
    auto x = V::load(in + i);
    auto e = Exp(V::mul(x, V::splat(-ScaleThousandths / 1000.0f)));
    V::store(out + i, V::div(x, V::add(V::splat(1.0f), e)));
  }
}

// Sleef declares its functions `const`, which GCC keeps in their type: wrap
// them so they fit the templates' function-pointer parameter.
__m512 sleefErf16(__m512 x) { return Sleef_erff16_u10avx512f(x); }
__m256 sleefErf8(__m256 x) { return Sleef_erff8_u10avx2(x); }
__m512 sleefTanh16(__m512 x) { return Sleef_tanhf16_u10avx512f(x); }
__m256 sleefTanh8(__m256 x) { return Sleef_tanhf8_u10avx2(x); }
__m512 sleefExp16(__m512 x) { return Sleef_expf16_u10avx512f(x); }
__m256 sleefExp8(__m256 x) { return Sleef_expf8_u10avx2(x); }

void copy(const float *in, float *out, int64_t n) {
  std::memcpy(out, in, static_cast<size_t>(n) * sizeof(float));
}

/// oneDNN's eltwise forward-inference primitive, one per length, with its
/// memory objects re-pointed at each call's buffers.
class OneDnnEltwise {
public:
  explicit OneDnnEltwise(dnnl_alg_kind_t algorithm, float alpha = 0.f)
      : algorithm(algorithm), alpha(alpha) {
    omp_set_num_threads(1);
    check(dnnl_engine_create(&engine, dnnl_cpu, 0), "engine");
    check(dnnl_stream_create(&stream, engine, dnnl_stream_default_flags),
          "stream");
  }
  void operator()(const float *in, float *out, int64_t n) {
    Primitive &p = primitiveFor(n);
    check(dnnl_memory_set_data_handle(p.src, const_cast<float *>(in)), "src");
    check(dnnl_memory_set_data_handle(p.dst, out), "dst");
    dnnl_exec_arg_t args[] = {{DNNL_ARG_SRC, p.src}, {DNNL_ARG_DST, p.dst}};
    check(dnnl_primitive_execute(p.primitive, stream, 2, args), "execute");
    check(dnnl_stream_wait(stream), "wait");
  }

private:
  struct Primitive {
    dnnl_primitive_t primitive = nullptr;
    dnnl_memory_t src = nullptr, dst = nullptr;
  };
  static void check(dnnl_status_t status, const char *what) {
    if (status != dnnl_success) {
      std::fprintf(stderr, "gelu-bench: oneDNN %s failed (status %d)\n", what,
                   static_cast<int>(status));
      std::exit(1);
    }
  }
  Primitive &primitiveFor(int64_t n) {
    Primitive &p = primitives[n];
    if (p.primitive)
      return p;
    dnnl_dims_t dims = {n};
    dnnl_memory_desc_t md;
    check(dnnl_memory_desc_init_by_tag(&md, 1, dims, dnnl_f32, dnnl_a), "md");
    dnnl_eltwise_desc_t desc;
    check(dnnl_eltwise_forward_desc_init(&desc, dnnl_forward_inference,
                                         algorithm, &md, alpha, 0.f),
          "eltwise desc");
    dnnl_primitive_desc_t pd;
    check(dnnl_primitive_desc_create(&pd, &desc, nullptr, engine, nullptr),
          "primitive desc");
    check(dnnl_primitive_create(&p.primitive, pd), "primitive");
    dnnl_primitive_desc_destroy(pd);
    check(dnnl_memory_create(&p.src, &md, engine, DNNL_MEMORY_NONE), "mem");
    check(dnnl_memory_create(&p.dst, &md, engine, DNNL_MEMORY_NONE), "mem");
    return p;
  }
  dnnl_alg_kind_t algorithm;
  float alpha;
  dnnl_engine_t engine = nullptr;
  dnnl_stream_t stream = nullptr;
  std::map<int64_t, Primitive> primitives;
};

} // namespace

std::vector<Implementation> anchors() {
  std::vector<Implementation> list;
  const bool avx512 = __builtin_cpu_supports("avx512f");
  auto add = [&](std::string name, Family family,
                 std::function<void(const float *, float *, int64_t)> run) {
    list.push_back({std::move(name), family, /*ours=*/false, std::move(run)});
  };
  add("memcpy", Family::Copy, copy);
  add("Eigen 3.4 erf", Family::ExactGelu, eigenErf);
  add("Eigen 3.4 erf in double", Family::ExactGelu, eigenErfDouble);
  add("glibc erfc in double (scalar)", Family::ExactGelu, glibcErfcDouble);
  if (avx512) {
    add("libmvec erff (AVX-512)", Family::ExactGelu,
        erfGelu<16, _ZGVeN16v_erff>);
    add("Sleef erff_u10 (AVX-512)", Family::ExactGelu, erfGelu<16, sleefErf16>);
  }
  add("libmvec erff (AVX2)", Family::ExactGelu, erfGelu<8, _ZGVdN8v_erff>);
  add("Sleef erff_u10 (AVX2)", Family::ExactGelu, erfGelu<8, sleefErf8>);
  auto erfDnn = std::make_shared<OneDnnEltwise>(dnnl_eltwise_gelu_erf);
  add("oneDNN 2.6 gelu_erf", Family::ExactGelu,
      [erfDnn](const float *in, float *out, int64_t n) {
        (*erfDnn)(in, out, n);
      });

  add("Eigen 3.4 tanh", Family::TanhGelu, eigenTanh);
  if (avx512)
    add("Sleef tanhf_u10 (AVX-512)", Family::TanhGelu,
        tanhGelu<16, sleefTanh16>);
  add("Sleef tanhf_u10 (AVX2)", Family::TanhGelu, tanhGelu<8, sleefTanh8>);
  if (avx512)
    add("libmvec tanhf (AVX-512)", Family::TanhGelu,
        tanhGelu<16, _ZGVeN16v_tanhf>);
  auto tanhDnn = std::make_shared<OneDnnEltwise>(dnnl_eltwise_gelu_tanh);
  add("oneDNN 2.6 gelu_tanh", Family::TanhGelu,
      [tanhDnn](const float *in, float *out, int64_t n) {
        (*tanhDnn)(in, out, n);
      });

  // x·σ(s·x): the sigmoid GELU (s = 1.702) and SiLU (s = 1).
  for (auto [family, what, scale] :
       {std::tuple{Family::SigmoidGelu, "sigmoid GELU", 1.702f},
        std::tuple{Family::Silu, "SiLU", 1.0f}}) {
    bool silu = family == Family::Silu;
    add(std::string("Eigen 3.4 logistic ") + what, family,
        silu ? eigenLogistic<1000> : eigenLogistic<1702>);
    if (avx512)
      add(std::string("Sleef expf_u10 (AVX-512) ") + what, family,
          silu ? expLogistic<16, sleefExp16, 1000>
               : expLogistic<16, sleefExp16, 1702>);
    add(std::string("Sleef expf_u10 (AVX2) ") + what, family,
        silu ? expLogistic<8, sleefExp8, 1000>
             : expLogistic<8, sleefExp8, 1702>);
    auto swish = std::make_shared<OneDnnEltwise>(dnnl_eltwise_swish, scale);
    add(std::string("oneDNN 2.6 swish ") + what, family,
        [swish](const float *in, float *out, int64_t n) {
          (*swish)(in, out, n);
        });
  }
  return list;
}

} // namespace gelu::bench
