// RUN: gelu-opt %s -act-raise-activations | FileCheck %s
// RUN: gelu-opt %s -act-raise-activations="remarks=true" -verify-diagnostics -o /dev/null
// RUN: gelu-opt %s -act-raise-activations -act-fuse-bias-gelu | FileCheck %s --check-prefix=FUSED

// The spellings frameworks emit for GELU and SiLU, each raised to its act
// op; then the near misses, which must stay as they are (with a remark that
// says why when remarks=true).

// torch-mlir's exact GELU: x·0.5·(1 + erf(x·1/√2)).
// CHECK-LABEL: func.func @erf_torch
// CHECK-NEXT: %[[Y:.*]] = act.gelu %arg0 {act.raised = "0.5*x*(1 + erf(0.7071*x))"} : f32
// CHECK-NEXT: return %[[Y]]
func.func @erf_torch(%x: f32) -> f32 {
  %half = arith.constant 0.5 : f32
  %one = arith.constant 1.0 : f32
  %r = arith.constant 0.70710678 : f32
  %h = arith.mulf %x, %half : f32
  %s = arith.mulf %x, %r : f32
  %e = math.erf %s : f32
  %p = arith.addf %e, %one : f32
  // expected-remark @below {{raised to act.gelu: 0.5*x*(1 + erf(0.7071*x))}}
  %y = arith.mulf %h, %p : f32
  return %y : f32
}

// x/√2 as a division, the product grouped the other way.
// CHECK-LABEL: func.func @erf_divided
// CHECK-NEXT: act.gelu %arg0 {act.raised = "x*(0.5 + 0.5*erf(0.7071*x))"} : vector<16xf32>
func.func @erf_divided(%x: vector<16xf32>) -> vector<16xf32> {
  %half = arith.constant dense<0.5> : vector<16xf32>
  %sqrt2 = arith.constant dense<1.41421356> : vector<16xf32>
  %s = arith.divf %x, %sqrt2 : vector<16xf32>
  %e = math.erf %s : vector<16xf32>
  %he = arith.mulf %e, %half : vector<16xf32>
  %p = arith.addf %half, %he : vector<16xf32>
  // expected-remark @below {{raised to act.gelu: x*(0.5 + 0.5*erf(0.7071*x))}}
  %y = arith.mulf %x, %p : vector<16xf32>
  return %y : vector<16xf32>
}

// JAX's exact GELU: x/2·erfc(−x/√2), on a tensor.
// CHECK-LABEL: func.func @erfc_jax
// CHECK-NEXT: act.gelu %arg0 {act.raised = "0.5*x*erfc(-0.7071*x)"} : tensor<4x8xf32>
func.func @erfc_jax(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %two = arith.constant dense<2.0> : tensor<4x8xf32>
  %r = arith.constant dense<-0.70710678> : tensor<4x8xf32>
  %h = arith.divf %x, %two : tensor<4x8xf32>
  %a = arith.mulf %x, %r : tensor<4x8xf32>
  %e = math.erfc %a : tensor<4x8xf32>
  // expected-remark @below {{raised to act.gelu: 0.5*x*erfc(-0.7071*x)}}
  %y = arith.mulf %h, %e : tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// f16 computed in f32: the op on f16 replaces the truncation.
// CHECK-LABEL: func.func @erf_f16_through_f32
// CHECK-NEXT: %[[Y:.*]] = act.gelu %arg0 {act.raised = "0.5*x*(1 + erf(0.7071*x))"} : f16
// CHECK-NEXT: return %[[Y]] : f16
func.func @erf_f16_through_f32(%x16: f16) -> f16 {
  %half = arith.constant 0.5 : f32
  %one = arith.constant 1.0 : f32
  %r = arith.constant 0.70710678 : f32
  %x = arith.extf %x16 : f16 to f32
  %h = arith.mulf %x, %half : f32
  %s = arith.mulf %x, %r : f32
  %e = math.erf %s : f32
  %p = arith.addf %e, %one : f32
  // expected-remark @below {{raised to act.gelu: 0.5*x*(1 + erf(0.7071*x))}}
  %y = arith.mulf %h, %p : f32
  %y16 = arith.truncf %y : f32 to f16
  return %y16 : f16
}

// bf16 throughout: its constants rounded to bf16 are within the tolerance.
// CHECK-LABEL: func.func @tanh_bf16
// CHECK-NEXT: act.gelu %arg0 approximate<tanh> {act.raised = "0.5*x*(1 + tanh(0.7969*x + 0.0356*x^3))"} : vector<8xbf16>
func.func @tanh_bf16(%x: vector<8xbf16>) -> vector<8xbf16> {
  %half = arith.constant dense<0.5> : vector<8xbf16>
  %one = arith.constant dense<1.0> : vector<8xbf16>
  %k = arith.constant dense<0.796875> : vector<8xbf16>
  %c = arith.constant dense<0.044677734> : vector<8xbf16>
  %x2 = arith.mulf %x, %x : vector<8xbf16>
  %x3 = arith.mulf %x2, %x : vector<8xbf16>
  %a = arith.mulf %c, %x3 : vector<8xbf16>
  %b = arith.addf %x, %a : vector<8xbf16>
  %u = arith.mulf %k, %b : vector<8xbf16>
  %t = math.tanh %u : vector<8xbf16>
  %p = arith.addf %one, %t : vector<8xbf16>
  %h = arith.mulf %half, %x : vector<8xbf16>
  // expected-remark @below {{raised to act.gelu: 0.5*x*(1 + tanh(0.7969*x + 0.0356*x^3))}}
  %y = arith.mulf %h, %p : vector<8xbf16>
  return %y : vector<8xbf16>
}

// PyTorch's tanh GELU with math.fpowi and √(2/π) computed.
// CHECK-LABEL: func.func @tanh_fpowi_computed_constant
// CHECK-NEXT: act.gelu %arg0 approximate<tanh> {act.raised = "0.5*x*(1 + tanh(0.7979*x + 0.03568*x^3))"} : f32
func.func @tanh_fpowi_computed_constant(%x: f32) -> f32 {
  %half = arith.constant 0.5 : f32
  %one = arith.constant 1.0 : f32
  %two = arith.constant 2.0 : f32
  %pi = arith.constant 3.14159265 : f32
  %c = arith.constant 0.044715 : f32
  %three = arith.constant 3 : i32
  %q = arith.divf %two, %pi : f32
  %k = math.sqrt %q : f32
  %x3 = math.fpowi %x, %three : f32, i32
  %a = arith.mulf %x3, %c : f32
  %b = arith.addf %a, %x : f32
  %u = arith.mulf %b, %k : f32
  %t = math.tanh %u : f32
  %p = arith.addf %t, %one : f32
  %xp = arith.mulf %x, %p : f32
  // expected-remark @below {{raised to act.gelu: 0.5*x*(1 + tanh(0.7979*x + 0.03568*x^3))}}
  %y = arith.mulf %xp, %half : f32
  return %y : f32
}

// math.powf, 0.044715 multiplied out, x·(0.5 + 0.5·tanh).
// CHECK-LABEL: func.func @tanh_powf_expanded
// CHECK-NEXT: act.gelu %arg0 approximate<tanh> {act.raised = "x*(0.5 + 0.5*tanh(0.7979*x + 0.03568*x^3))"} : f32
func.func @tanh_powf_expanded(%x: f32) -> f32 {
  %half = arith.constant 0.5 : f32
  %k = arith.constant 0.7978845608 : f32
  %kc = arith.constant 0.0356774081 : f32
  %three = arith.constant 3.0 : f32
  %x3 = math.powf %x, %three : f32
  %a = arith.mulf %kc, %x3 : f32
  %b = arith.mulf %k, %x : f32
  %u = arith.addf %b, %a : f32
  %t = math.tanh %u : f32
  %ht = arith.mulf %half, %t : f32
  %p = arith.addf %ht, %half : f32
  // expected-remark @below {{raised to act.gelu: x*(0.5 + 0.5*tanh(0.7979*x + 0.03568*x^3))}}
  %y = arith.mulf %x, %p : f32
  return %y : f32
}

// The tanh GELU as x·σ(2u).
// CHECK-LABEL: func.func @tanh_as_sigmoid
// CHECK-NEXT: act.gelu %arg0 approximate<tanh> {act.raised = "x*sigmoid(1.596*x + 0.07135*x^3)"} : f32
func.func @tanh_as_sigmoid(%x: f32) -> f32 {
  %one = arith.constant 1.0 : f32
  %k = arith.constant -1.5957691216 : f32
  %c = arith.constant 0.044715 : f32
  %x2 = arith.mulf %x, %x : f32
  %cx2 = arith.mulf %c, %x2 : f32
  %inner = arith.addf %one, %cx2 : f32
  %poly = arith.mulf %x, %inner : f32
  %w = arith.mulf %k, %poly : f32
  %e = math.exp %w : f32
  %d = arith.addf %e, %one : f32
  %s = arith.divf %one, %d : f32
  // expected-remark @below {{raised to act.gelu: x*sigmoid(1.596*x + 0.07135*x^3)}}
  %y = arith.mulf %x, %s : f32
  return %y : f32
}

// The sigmoid GELU, x·σ(1.702x), −1.702 folded into the multiplication.
// CHECK-LABEL: func.func @sigmoid_gelu
// CHECK-NEXT: act.gelu %arg0 approximate<sigmoid> {act.raised = "x*sigmoid(1.702*x)"} : vector<4xf32>
func.func @sigmoid_gelu(%x: vector<4xf32>) -> vector<4xf32> {
  %one = arith.constant dense<1.0> : vector<4xf32>
  %m = arith.constant dense<-1.702> : vector<4xf32>
  %w = arith.mulf %x, %m : vector<4xf32>
  %e = math.exp %w : vector<4xf32>
  %d = arith.addf %one, %e : vector<4xf32>
  %s = arith.divf %one, %d : vector<4xf32>
  // expected-remark @below {{raised to act.gelu: x*sigmoid(1.702*x)}}
  %y = arith.mulf %s, %x : vector<4xf32>
  return %y : vector<4xf32>
}

// SiLU: x·σ(x) with arith.negf, and x/(1 + exp(−x)).
// CHECK-LABEL: func.func @silu_times_sigmoid
// CHECK-NEXT: act.silu %arg0 {act.raised = "x*sigmoid(x)"} : f32
func.func @silu_times_sigmoid(%x: f32) -> f32 {
  %one = arith.constant 1.0 : f32
  %n = arith.negf %x : f32
  %e = math.exp %n : f32
  %d = arith.addf %e, %one : f32
  %s = arith.divf %one, %d : f32
  // expected-remark @below {{raised to act.silu: x*sigmoid(x)}}
  %y = arith.mulf %x, %s : f32
  return %y : f32
}

// CHECK-LABEL: func.func @silu_divided
// CHECK-NEXT: act.silu %arg0 {act.raised = "x*sigmoid(x)"} : vector<8xf32>
func.func @silu_divided(%x: vector<8xf32>) -> vector<8xf32> {
  %one = arith.constant dense<1.0> : vector<8xf32>
  %n = arith.negf %x : vector<8xf32>
  %e = math.exp %n : vector<8xf32>
  %d = arith.addf %one, %e : vector<8xf32>
  // expected-remark @below {{raised to act.silu: x*sigmoid(x)}}
  %y = arith.divf %x, %d : vector<8xf32>
  return %y : vector<8xf32>
}

// A linalg-on-tensors MLP block as torch-mlir writes it: the matmul, then
// one generic with the bias add and the decomposed GELU. The GELU is
// raised inside the body, and act-fuse-bias-gelu takes the add.
// CHECK-LABEL: func.func @mlp_block
// CHECK: linalg.matmul
// CHECK: linalg.generic
// CHECK: ^bb0(%[[IN:.*]]: f32, %[[B:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: %[[S:.*]] = arith.addf %[[IN]], %[[B]] : f32
// CHECK-NEXT: %[[G:.*]] = act.gelu %[[S]] {act.raised = "0.5*x*(1 + erf(0.7071*x))"} : f32
// CHECK-NEXT: linalg.yield %[[G]] : f32
// FUSED-LABEL: func.func @mlp_block
// FUSED: ^bb0(%[[IN:.*]]: f32, %[[B:.*]]: f32, %{{.*}}: f32):
// FUSED-NEXT: %[[G:.*]] = act.bias_gelu %[[IN]], %[[B]] {act.raised = "0.5*x*(1 + erf(0.7071*x))"} : f32
// FUSED-NEXT: linalg.yield %[[G]] : f32
func.func @mlp_block(%a: tensor<8x256xf32>, %w: tensor<256x1024xf32>,
                     %bias: tensor<1024xf32>) -> tensor<8x1024xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<8x1024xf32>
  %init = linalg.fill ins(%zero : f32) outs(%empty : tensor<8x1024xf32>) -> tensor<8x1024xf32>
  %mm = linalg.matmul ins(%a, %w : tensor<8x256xf32>, tensor<256x1024xf32>) outs(%init : tensor<8x1024xf32>) -> tensor<8x1024xf32>
  %out = linalg.generic {
      indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (i, j)>],
      iterator_types = ["parallel", "parallel"]}
      ins(%mm, %bias : tensor<8x1024xf32>, tensor<1024xf32>) outs(%empty : tensor<8x1024xf32>) {
  ^bb0(%in: f32, %b: f32, %o: f32):
    %half = arith.constant 0.5 : f32
    %one = arith.constant 1.0 : f32
    %r = arith.constant 0.70710678 : f32
    %x = arith.addf %in, %b : f32
    %s = arith.mulf %x, %r : f32
    %e = math.erf %s : f32
    %p = arith.addf %e, %one : f32
    %h = arith.mulf %x, %half : f32
    // expected-remark @below {{raised to act.gelu: 0.5*x*(1 + erf(0.7071*x))}}
    %y = arith.mulf %h, %p : f32
    linalg.yield %y : f32
  } -> tensor<8x1024xf32>
  return %out : tensor<8x1024xf32>
}

// ---- Near misses: not raised.

// 0.45 for 0.5.
// CHECK-LABEL: func.func @miss_wrong_constant
// CHECK-NOT: act.
// CHECK: math.erf
func.func @miss_wrong_constant(%x: f32) -> f32 {
  %c = arith.constant 0.45 : f32
  %one = arith.constant 1.0 : f32
  %r = arith.constant 0.70710678 : f32
  %h = arith.mulf %x, %c : f32
  %s = arith.mulf %x, %r : f32
  %e = math.erf %s : f32
  %p = arith.addf %e, %one : f32
  // expected-remark @below {{not raised: the product is 0.45*x*(1 + erf(...)) after normalising, not 0.5*x*(1 + erf(...))}}
  %y = arith.mulf %h, %p : f32
  return %y : f32
}

// The factor 0.5 missing.
// CHECK-LABEL: func.func @miss_missing_factor
// CHECK-NOT: act.
// CHECK: math.erf
func.func @miss_missing_factor(%x: f32) -> f32 {
  %one = arith.constant 1.0 : f32
  %r = arith.constant 0.70710678 : f32
  %s = arith.mulf %x, %r : f32
  %e = math.erf %s : f32
  %p = arith.addf %e, %one : f32
  // expected-remark @below {{not raised: the product is x*(1 + erf(...)) after normalising, not 0.5*x*(1 + erf(...))}}
  %y = arith.mulf %x, %p : f32
  return %y : f32
}

// erf's value is used elsewhere.
// CHECK-LABEL: func.func @miss_other_use
// CHECK-NOT: act.
// CHECK: math.erf
func.func @miss_other_use(%x: f32) -> (f32, f32) {
  %half = arith.constant 0.5 : f32
  %one = arith.constant 1.0 : f32
  %r = arith.constant 0.70710678 : f32
  %h = arith.mulf %x, %half : f32
  %s = arith.mulf %x, %r : f32
  %e = math.erf %s : f32
  %p = arith.addf %e, %one : f32
  // expected-remark @below {{not raised: an intermediate value (math.erf) has other uses: it is computed anyway}}
  %y = arith.mulf %h, %p : f32
  return %y, %e : f32, f32
}

// erf of another value than the one multiplied.
// CHECK-LABEL: func.func @miss_other_value
// CHECK-NOT: act.
// CHECK: math.erf
func.func @miss_other_value(%x: f32, %z: f32) -> f32 {
  %half = arith.constant 0.5 : f32
  %one = arith.constant 1.0 : f32
  %r = arith.constant 0.70710678 : f32
  %h = arith.mulf %x, %half : f32
  %s = arith.mulf %z, %r : f32
  %e = math.erf %s : f32
  %p = arith.addf %e, %one : f32
  // expected-remark @below {{not raised: a factor is neither the gate nor a polynomial in the gate's argument}}
  %y = arith.mulf %h, %p : f32
  return %y : f32
}

// erf's argument scaled wrong (x/2 for x/√2).
// CHECK-LABEL: func.func @miss_erf_argument
// CHECK-NOT: act.
// CHECK: math.erf
func.func @miss_erf_argument(%x: f32) -> f32 {
  %half = arith.constant 0.5 : f32
  %one = arith.constant 1.0 : f32
  %h = arith.mulf %x, %half : f32
  %s = arith.mulf %x, %half : f32
  %e = math.erf %s : f32
  %p = arith.addf %e, %one : f32
  // expected-remark @below {{not raised: erf's argument is 0.5*x, not x/sqrt(2) (0.7071*x)}}
  %y = arith.mulf %h, %p : f32
  return %y : f32
}

// tanh with 0.05 for 0.044715.
// CHECK-LABEL: func.func @miss_tanh_cubic
// CHECK-NOT: act.
// CHECK: math.tanh
func.func @miss_tanh_cubic(%x: f32) -> f32 {
  %half = arith.constant 0.5 : f32
  %one = arith.constant 1.0 : f32
  %k = arith.constant 0.7978845608 : f32
  %c = arith.constant 0.05 : f32
  %x2 = arith.mulf %x, %x : f32
  %x3 = arith.mulf %x2, %x : f32
  %a = arith.mulf %c, %x3 : f32
  %b = arith.addf %x, %a : f32
  %u = arith.mulf %k, %b : f32
  %t = math.tanh %u : f32
  %p = arith.addf %one, %t : f32
  %h = arith.mulf %half, %x : f32
  // expected-remark @below {{not raised: tanh's argument is 0.7979*x + 0.03989*x^3, not sqrt(2/pi)*(x + 0.044715*x^3)}}
  %y = arith.mulf %h, %p : f32
  return %y : f32
}

// σ(1.5x): neither SiLU nor a GELU.
// CHECK-LABEL: func.func @miss_sigmoid_scale
// CHECK-NOT: act.
// CHECK: math.exp
func.func @miss_sigmoid_scale(%x: f32) -> f32 {
  %one = arith.constant 1.0 : f32
  %m = arith.constant -1.5 : f32
  %w = arith.mulf %x, %m : f32
  %e = math.exp %w : f32
  %d = arith.addf %one, %e : f32
  // expected-remark @below {{not raised: sigmoid's argument is 1.5*x, not x (SiLU), 1.702*x (sigmoid GELU) or 2*sqrt(2/pi)*(x + 0.044715*x^3) (tanh GELU)}}
  %y = arith.divf %x, %d : f32
  return %y : f32
}

// f64: no f64 expansion to lower to; left alone, without a remark.
// CHECK-LABEL: func.func @f64_left_alone
// CHECK-NOT: act.
// CHECK: math.erf
func.func @f64_left_alone(%x: f64) -> f64 {
  %half = arith.constant 0.5 : f64
  %one = arith.constant 1.0 : f64
  %r = arith.constant 0.70710678118654752 : f64
  %h = arith.mulf %x, %half : f64
  %s = arith.mulf %x, %r : f64
  %e = math.erf %s : f64
  %p = arith.addf %e, %one : f64
  %y = arith.mulf %h, %p : f64
  return %y : f64
}
