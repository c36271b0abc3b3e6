/*===- same_bits.c - A kernel's results as one hash -----------------------===*
 *
 * Part of gelu-jit.
 *
 * Runs KERNEL (f32 in, f32 out) on every 4099th f32 encoding, every bf16
 * and every f16 value as an f32, and prints an FNV-1a hash of the result
 * bits and their count: two targets whose kernels give the same bits print
 * the same line. With -DBACKWARD, KERNEL is a gelu_backward kernel
 * (x, dy, dx): dy takes every value of a grid of 977 from -2 to 2, and the
 * results are dy times GELU'(x).
 *
 *===----------------------------------------------------------------------===*/

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef BACKWARD
void KERNEL(const float *in, const float *dy, float *out, int64_t n);
#else
void KERNEL(const float *in, float *out, int64_t n);
#endif

static float from_bits(uint32_t bits) {
  float f;
  memcpy(&f, &bits, sizeof f);
  return f;
}

/* An IEEE half's bits as the f32 of the same value. */
static float from_half(uint32_t h) {
  uint32_t sign = (h & 0x8000u) << 16, exponent = (h >> 10) & 0x1f,
           mantissa = h & 0x3ff;
  if (exponent == 0x1f)
    return from_bits(sign | 0x7f800000u | (mantissa << 13));
  if (exponent == 0) { /* zero or subnormal: mantissa · 2^-24 */
    float m = (float)mantissa * from_bits(0x33800000u);
    return sign ? -m : m;
  }
  return from_bits(sign | ((exponent + 112) << 23) | (mantissa << 13));
}

int main(void) {
  size_t n = 0, capacity = ((size_t)1 << 32) / 4099 + 2 * 65536 + 1;
  float *in = malloc(capacity * sizeof *in),
        *out = malloc(capacity * sizeof *out);
  if (!in || !out)
    return 1;
  for (uint64_t bits = 0; bits < ((uint64_t)1 << 32); bits += 4099)
    in[n++] = from_bits((uint32_t)bits);
  for (uint32_t h = 0; h < 65536; ++h) {
    in[n++] = from_bits(h << 16);
    in[n++] = from_half(h);
  }
#ifdef BACKWARD
  float *dy = malloc(capacity * sizeof *dy);
  if (!dy)
    return 1;
  for (size_t i = 0; i < n; ++i)
    dy[i] = (float)(i % 977) / 244.0f - 2.0f;
  KERNEL(in, dy, out, (int64_t)n);
  free(dy);
#else
  KERNEL(in, out, (int64_t)n);
#endif
  uint64_t hash = 14695981039346656037ull;
  for (size_t i = 0; i < n; ++i) {
    uint32_t bits;
    memcpy(&bits, &out[i], sizeof bits);
    for (int b = 0; b < 4; ++b) {
      hash ^= (bits >> (8 * b)) & 0xff;
      hash *= 1099511628211ull;
    }
  }
  printf("%016llx over %zu results\n", (unsigned long long)hash, n);
  free(in);
  free(out);
  return 0;
}
