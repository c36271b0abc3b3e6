//===- HalfFloat.cpp - Decoding 16-bit floats ----------------------------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Numerics/HalfFloat.h"

#include <cmath>
#include <cstring>
#include <limits>

namespace gelu {

float bf16ToFloat(uint16_t bits) {
  uint32_t wide = static_cast<uint32_t>(bits) << 16;
  float f;
  std::memcpy(&f, &wide, sizeof f);
  return f;
}

float f16ToFloat(uint16_t bits) {
  int sign = bits >> 15, exponent = (bits >> 10) & 0x1f,
      mantissa = bits & 0x3ff;
  float magnitude;
  if (exponent == 0)
    magnitude = std::ldexp(static_cast<float>(mantissa), -24);
  else if (exponent == 31)
    magnitude = mantissa ? std::numeric_limits<float>::quiet_NaN()
                         : std::numeric_limits<float>::infinity();
  else
    magnitude = std::ldexp(static_cast<float>(mantissa | 0x400), exponent - 25);
  return sign ? -magnitude : magnitude;
}

uint16_t bf16FromFloatExact(float x) {
  uint32_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  return static_cast<uint16_t>(bits >> 16);
}

uint16_t f16FromFloatExact(float x) {
  uint16_t sign = std::signbit(x) ? 0x8000 : 0;
  float a = std::fabs(x);
  if (std::isnan(x))
    return 0x7e00;
  if (a >= 65520.0f)
    return sign | 0x7c00;
  if (a < std::ldexp(1.0f, -14)) // subnormal or zero: a multiple of 2^-24
    return sign | static_cast<uint16_t>(std::ldexp(a, 24));
  int exponent;
  float m = std::frexp(a, &exponent); // a = m·2^e, m in [0.5, 1)
  auto mantissa = static_cast<uint16_t>(std::ldexp(m, 11)) & 0x3ff;
  return sign | static_cast<uint16_t>((exponent + 14) << 10) | mantissa;
}

float halfToFloat(uint16_t bits, bool isBF16) {
  return isBF16 ? bf16ToFloat(bits) : f16ToFloat(bits);
}

uint16_t halfFromFloatExact(float x, bool isBF16) {
  return isBF16 ? bf16FromFloatExact(x) : f16FromFloatExact(x);
}

float roundedToHalf(float x, bool isBF16) {
  if (!isBF16)
    return static_cast<float>(static_cast<_Float16>(x));
  uint32_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  if (std::isnan(x))
    // Quiet, as the kernels make it: a payload in the low half alone
    // would be lost by the truncation to bf16, leaving infinity.
    bits = (bits | 0x00400000u) & 0xffff0000u;
  else
    bits = (bits + 0x7fffu + ((bits >> 16) & 1u)) & 0xffff0000u;
  float y;
  std::memcpy(&y, &bits, sizeof y);
  return y;
}

} // namespace gelu
