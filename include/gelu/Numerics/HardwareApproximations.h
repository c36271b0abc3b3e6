//===- HardwareApproximations.h - The GPU's hardware forms ------*- C++ -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// Two forms of the x·σ(y) functions (tanh GELU, sigmoid GELU, SiLU) are
// made for NVIDIA GPUs alone, on the special-function unit's instructions:
//
//  - HardwareForm::Tanh (the `hw_tanh` expansion): σ(y) = ½ + ½·tanh(y/2)
//    by `tanh.approx.f32` (sm_75 and later);
//  - HardwareForm::Sigmoid (`hw_sigmoid`): σ(y) = 1/(1 + 2^(−y·log2 e)) by
//    `ex2.approx.ftz.f32` and `rcp.approx.ftz.f32`, in the form that never
//    overflows (e = 2^(−|y|·log2 e), q = e/(1 + e), σ = q for y ≤ 0 and
//    1 − q above).
//
// NVIDIA documents those instructions by their maximum error alone (PTX ISA,
// "Floating Point Instructions": tanh, ex2, rcp), so no host can compute
// their bits. What the host can do is below: every f32 operation of the
// form exactly as the PTX does it (round to nearest, no contraction: the GPU
// kernels' operations all carry `.rn`), and each approximation as every value
// its documented error allows. The form's result is monotone in each
// approximation's (the sigmoid form's e enters q twice, as e and through
// 1/(1 + e): its bound pairs their ends crosswise), so the ends of what
// those allow bound every result the device can give. The tuner takes its errors from these bounds
// ("estimated": not a measurement), gelu-gpu-check holds a device's results
// to them, and docs/accuracy.md states them.
//
// This header also names the forms' constants, which the expansions emit.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_NUMERICS_HARDWAREAPPROXIMATIONS_H
#define GELU_NUMERICS_HARDWAREAPPROXIMATIONS_H

#include "gelu/Numerics/Reference.h"

namespace gelu {

enum class HardwareForm {
  Tanh,    ///< tanh.approx.f32
  Sigmoid, ///< ex2.approx.ftz.f32 and rcp.approx.ftz.f32
};

/// The documented maximum errors (PTX ISA 9.7.3, for .f32): tanh's relative
/// error over the whole range; ex2's distance from the correctly rounded
/// result and rcp's from the exact one, in ULPs.
inline constexpr double kTanhApproxMaxRelError = 0x1p-11;
inline constexpr double kEx2ApproxMaxUlps = 2;
inline constexpr double kRcpApproxMaxUlps = 1;

/// Whether `f` has the hardware forms: the x·σ(y) functions (not their
/// derivatives, not exact GELU, which is no such function).
bool hasHardwareForms(ReferenceFunction f);

/// Where the Tanh form stops computing: for |x| > this, the result is x
/// (x > 0) or −0 (x < 0). tanh.approx's error, relative to tanh, is an
/// absolute error of up to 2^-12·|x| in x·σ(y) where σ is near 0 or 1, so
/// the form's error grows with |x|; past the cutoff it is |f(−|x|)|, which
/// falls. Each cutoff is where the two meet (|f(−c)| ≈ 2^-12·c): tanh GELU
/// 3.6, sigmoid GELU 4.9, SiLU 8.3.
double hardwareTanhCutoff(ReferenceFunction f);

/// y of x·σ(y) in f32 operations, times `scale` (1, or ½ for the Tanh
/// form's tanh(y/2), folded into the constants: exact): tanh GELU's
/// 2u = x·(c₁ + c₃·x²) (x², then one FMA, then a product), sigmoid GELU's
/// 1.702·x, SiLU's x (½·x). The constants, for the expansions to emit.
struct SigmoidArgument {
  float linear; ///< c₁, or sigmoid GELU's scale, or SiLU's 1 (times scale)
  float cubic;  ///< c₃ (tanh GELU only; 0 otherwise)
};
SigmoidArgument sigmoidArgument(ReferenceFunction f, float scale);

/// −log₂ e in f32: the Sigmoid form's 2^(−|y|·log₂ e).
float negativeLog2E();

/// Every result the form can give for the f32 input x, by its documented
/// maximum errors: the least and the greatest (equal where no
/// approximation's error reaches the result, as at ±0, ±inf, past the
/// cutoffs and for NaN, which gives NaN for both).
struct ResultRange {
  float lo, hi;
};
ResultRange hardwareFormRange(ReferenceFunction f, HardwareForm form, float x);

/// What each instruction may give for its operand by its documented error:
/// tanh.approx.f32 (±0, ±inf and NaN exactly as documented); ex2.approx
/// .ftz.f32 of w ≤ 0, within 2.5 ULP of 2^w, subnormal inputs and results
/// flushed; rcp.approx.ftz.f32 of d ≥ 1, within one ULP of 1/d. The model
/// above is made of these; the PTX emulator of the tests runs the forms'
/// PTX at their ends.
ResultRange tanhApproxRange(float a);
ResultRange ex2ApproxRange(float w);
ResultRange rcpApproxRange(float d);

} // namespace gelu

#endif // GELU_NUMERICS_HARDWAREAPPROXIMATIONS_H
