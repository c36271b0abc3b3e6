//===- TrainingAnchors.cpp - oneDNN and plain loops for gelu-train-bench -===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "TrainingAnchors.h"

#include "oneapi/dnnl/dnnl.hpp"

#include <map>
#include <omp.h>
#include <tuple>

namespace gelu::bench {

void addBias(const float *x, const float *bias, float *out, int64_t rows,
             int64_t cols) {
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c)
      out[r * cols + c] = x[r * cols + c] + bias[c];
}

void multiplyInPlace(float *out, const float *y, int64_t n) {
  for (int64_t i = 0; i < n; ++i)
    out[i] *= y[i];
}

void columnSums(const float *m, float *dbias, int64_t rows, int64_t cols) {
  for (int64_t c = 0; c < cols; ++c)
    dbias[c] = 0;
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c)
      dbias[c] += m[r * cols + c];
}

using namespace dnnl;
using tag = memory::format_tag;
using dt = memory::data_type;

struct OneDnnTraining::Impl {
  engine eng{engine::kind::cpu, 0};
  stream strm{eng};
  /// Primitives by (kind, rows, cols).
  std::map<std::tuple<int, int64_t, int64_t>, primitive> made;

  memory::desc matrix(const TrainingBuffers &b) {
    return memory::desc({b.rows, b.cols}, dt::f32, tag::ab);
  }
  memory::desc row(const TrainingBuffers &b) {
    return memory::desc({1, b.cols}, dt::f32, tag::ab);
  }
  memory wrap(const memory::desc &md, const float *p) {
    return memory(md, eng, const_cast<float *>(p));
  }
  template <typename Make>
  primitive &get(int kind, const TrainingBuffers &b, Make make) {
    auto key = std::make_tuple(kind, b.rows, b.cols);
    auto it = made.find(key);
    if (it == made.end())
      it = made.emplace(key, make()).first;
    return it->second;
  }
  primitive makeEltwiseBackward(const TrainingBuffers &b, algorithm alg) {
    memory::desc md = matrix(b);
    eltwise_forward::primitive_desc forward(
        {prop_kind::forward_training, alg, md, 0.f, 0.f}, eng);
    return eltwise_backward(
        eltwise_backward::primitive_desc({alg, md, md, 0.f, 0.f}, eng,
                                         forward));
  }
};

OneDnnTraining::OneDnnTraining() : impl(std::make_unique<Impl>()) {
  omp_set_num_threads(1);
}
OneDnnTraining::~OneDnnTraining() = default;

void OneDnnTraining::geluBackward(const TrainingBuffers &b, bool tanh) {
  algorithm alg =
      tanh ? algorithm::eltwise_gelu_tanh : algorithm::eltwise_gelu_erf;
  primitive &p = impl->get(tanh ? 1 : 0, b, [&] {
    return impl->makeEltwiseBackward(b, alg);
  });
  memory::desc md = impl->matrix(b);
  p.execute(impl->strm, {{DNNL_ARG_SRC, impl->wrap(md, b.x)},
                         {DNNL_ARG_DIFF_DST, impl->wrap(md, b.y)},
                         {DNNL_ARG_DIFF_SRC, impl->wrap(md, b.out)}});
  impl->strm.wait();
}

void OneDnnTraining::biasGelu(const TrainingBuffers &b) {
  memory::desc md = impl->matrix(b), bias = impl->row(b);
  primitive &p = impl->get(2, b, [&] {
    post_ops ops;
    ops.append_eltwise(1.f, algorithm::eltwise_gelu_erf, 0.f, 0.f);
    primitive_attr attr;
    attr.set_post_ops(ops);
    return binary(binary::primitive_desc(
        {algorithm::binary_add, md, bias, md}, attr, impl->eng));
  });
  p.execute(impl->strm, {{DNNL_ARG_SRC_0, impl->wrap(md, b.x)},
                         {DNNL_ARG_SRC_1, impl->wrap(bias, b.bias)},
                         {DNNL_ARG_DST, impl->wrap(md, b.out)}});
  impl->strm.wait();
}

void OneDnnTraining::biasGeluBackward(const TrainingBuffers &b) {
  memory::desc md = impl->matrix(b), bias = impl->row(b);
  primitive &add = impl->get(3, b, [&] {
    return binary(binary::primitive_desc(
        {algorithm::binary_add, md, bias, md}, impl->eng));
  });
  primitive &backward = impl->get(0, b, [&] {
    return impl->makeEltwiseBackward(b, algorithm::eltwise_gelu_erf);
  });
  primitive &sum = impl->get(4, b, [&] {
    return reduction(reduction::primitive_desc(
        {algorithm::reduction_sum, md, bias, 0.f, 0.f}, impl->eng));
  });
  // z = x + bias goes to out, then dx = dy·GELU'(z) over it, in place.
  memory out = impl->wrap(md, b.out);
  add.execute(impl->strm, {{DNNL_ARG_SRC_0, impl->wrap(md, b.x)},
                           {DNNL_ARG_SRC_1, impl->wrap(bias, b.bias)},
                           {DNNL_ARG_DST, out}});
  backward.execute(impl->strm, {{DNNL_ARG_SRC, out},
                                {DNNL_ARG_DIFF_DST, impl->wrap(md, b.y)},
                                {DNNL_ARG_DIFF_SRC, out}});
  sum.execute(impl->strm,
              {{DNNL_ARG_SRC, out}, {DNNL_ARG_DST, impl->wrap(bias, b.dbias)}});
  impl->strm.wait();
}

void OneDnnTraining::gated(const TrainingBuffers &b, bool silu) {
  memory::desc md = impl->matrix(b);
  algorithm alg = silu ? algorithm::eltwise_swish : algorithm::eltwise_gelu_erf;
  primitive &act = impl->get(silu ? 5 : 6, b, [&] {
    return eltwise_forward(eltwise_forward::primitive_desc(
        {prop_kind::forward_inference, alg, md, silu ? 1.f : 0.f, 0.f},
        impl->eng));
  });
  primitive &mul = impl->get(7, b, [&] {
    return binary(binary::primitive_desc(
        {algorithm::binary_mul, md, md, md}, impl->eng));
  });
  memory out = impl->wrap(md, b.out);
  act.execute(impl->strm,
              {{DNNL_ARG_SRC, impl->wrap(md, b.x)}, {DNNL_ARG_DST, out}});
  mul.execute(impl->strm, {{DNNL_ARG_SRC_0, out},
                           {DNNL_ARG_SRC_1, impl->wrap(md, b.y)},
                           {DNNL_ARG_DST, out}});
  impl->strm.wait();
}

} // namespace gelu::bench
