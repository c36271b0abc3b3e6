//===- CAPITest.cpp - The C API beside the C++ API ------------------------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// What the C test (CAPI/capi_test.c) cannot see from C: that the C API's
// cached compiles and the C++ API's KernelCache are one cache, and that a
// handle's kernel is the C++ kernel it wraps.
//
//===----------------------------------------------------------------------===//

#include "gelu-c/gelu.h"

#include "gelu/JIT/KernelCache.h"

#include "gtest/gtest.h"

namespace {

TEST(CAPI, SharesTheKernelCacheWithCxx) {
  // C first, then C++: the C++ request is a hit on the C handle's kernel.
  const char *json = R"({"op": "gelu", "approximate": "sigmoid",
                         "name": "capi_shared_a"})";
  gelu_error *error = nullptr;
  gelu_kernel *handle = gelu_compile_cached(json, &error);
  ASSERT_NE(handle, nullptr) << gelu_error_message(error);
  gelu::KernelCache &cache = gelu::KernelCache::global();
  const size_t hits = cache.hits();
  auto kernel = cache.get(llvm::StringRef(json));
  ASSERT_TRUE(static_cast<bool>(kernel)) << llvm::toString(kernel.takeError());
  EXPECT_EQ(cache.hits(), hits + 1);
  EXPECT_EQ((*kernel)->address(), gelu_kernel_entry(handle));
  gelu_kernel_destroy(handle);

  // C++ first, then C.
  const char *other = R"({"op": "silu", "name": "capi_shared_b"})";
  auto first = cache.get(llvm::StringRef(other));
  ASSERT_TRUE(static_cast<bool>(first)) << llvm::toString(first.takeError());
  gelu_kernel *second = gelu_compile_cached(other, nullptr);
  ASSERT_NE(second, nullptr);
  EXPECT_EQ((*first)->address(), gelu_kernel_entry(second));
  gelu_kernel_destroy(second);

  // An uncached compile is a kernel of its own.
  gelu_kernel *own = gelu_compile(other, nullptr);
  ASSERT_NE(own, nullptr);
  EXPECT_NE((*first)->address(), gelu_kernel_entry(own));
  gelu_kernel_destroy(own);
}

TEST(CAPI, TheHandleDescribesItsCxxKernel) {
  gelu_kernel *handle =
      gelu_compile(R"({"op": "bias_gelu_backward", "dtype": "bf16",
                       "approximate": "tanh", "threads": 3})",
                   nullptr);
  ASSERT_NE(handle, nullptr);
  EXPECT_STREQ(gelu_kernel_op(handle), "bias_gelu_backward");
  EXPECT_EQ(gelu_kernel_abi(handle), GELU_ABI_BIAS_BACKWARD);
  EXPECT_EQ(gelu_kernel_dtype(handle), GELU_ELEMENT_BF16);
  EXPECT_EQ(gelu_kernel_threads(handle), 3u);
  auto spec = gelu::parseSpec(gelu_kernel_spec_json(handle));
  ASSERT_TRUE(static_cast<bool>(spec)) << llvm::toString(spec.takeError());
  EXPECT_EQ(spec->approximate, gelu::act::Approximate::tanh);
  EXPECT_EQ(spec->name, "bias_gelu_backward_tanh_bf16");
  gelu_kernel_destroy(handle);
}

} // namespace
