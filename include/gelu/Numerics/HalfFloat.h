//===- HalfFloat.h - Decoding 16-bit floats ---------------------*- C++ -*-===//
//
// Part of gelu-jit. Host-side conversions for checking f16/bf16 kernels,
// which take and return raw 16-bit encodings.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_NUMERICS_HALFFLOAT_H
#define GELU_NUMERICS_HALFFLOAT_H

#include <cstdint>

namespace gelu {

/// The value of a bf16 encoding (exact).
float bf16ToFloat(uint16_t bits);
/// The value of an IEEE binary16 encoding (exact).
float f16ToFloat(uint16_t bits);
/// The bf16 encoding of x, truncated (exact for values that came from bf16).
uint16_t bf16FromFloatExact(float x);
/// The f16 encoding of x, truncated (exact for values that came from f16;
/// NaN, ±inf and ±0 keep their meaning and sign).
uint16_t f16FromFloatExact(float x);

/// The value of a 16-bit encoding: bf16 if `isBF16`, else f16.
float halfToFloat(uint16_t bits, bool isBF16);
/// The encoding of x (exact for values from that format): bf16 or f16.
uint16_t halfFromFloatExact(float x, bool isBF16);
/// x rounded to nearest even in bf16 or f16, as the kernels round their
/// f32 results, and widened back (a NaN stays a NaN, quieted; the sign of
/// zero kept).
float roundedToHalf(float x, bool isBF16);

} // namespace gelu

#endif // GELU_NUMERICS_HALFFLOAT_H
