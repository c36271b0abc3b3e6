// An MLP block as torch-mlir writes it in linalg on tensors: a matmul, then
// one linalg.generic with the bias add and GELU decomposed through
// math.erf. main runs it on small constants, compares the result with
// GELU(a·w + b) computed in double (SciPy's erfc), and prints the largest
// error, whether it is within 1e-4, and whether every negative input gave
// a result of negative sign. The README's pipeline raises, tunes, lowers
// and runs it (test/Pipelines/raise-mlp-block-e2e.mlir checks the output).
func.func @mlp_block(%a: tensor<2x4xf32>, %w: tensor<4x8xf32>,
                     %bias: tensor<8xf32>) -> tensor<2x8xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<2x8xf32>
  %init = linalg.fill ins(%zero : f32) outs(%empty : tensor<2x8xf32>) -> tensor<2x8xf32>
  %mm = linalg.matmul ins(%a, %w : tensor<2x4xf32>, tensor<4x8xf32>)
                      outs(%init : tensor<2x8xf32>) -> tensor<2x8xf32>
  %out = linalg.generic {
      indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>,
                       affine_map<(i, j) -> (i, j)>],
      iterator_types = ["parallel", "parallel"]}
      ins(%mm, %bias : tensor<2x8xf32>, tensor<8xf32>)
      outs(%empty : tensor<2x8xf32>) {
  ^bb0(%in: f32, %b: f32, %o: f32):
    %half = arith.constant 0.5 : f32
    %one = arith.constant 1.0 : f32
    %r = arith.constant 0.70710678 : f32
    %x = arith.addf %in, %b : f32
    %s = arith.mulf %x, %r : f32
    %e = math.erf %s : f32
    %p = arith.addf %e, %one : f32
    %h = arith.mulf %x, %half : f32
    %y = arith.mulf %h, %p : f32
    linalg.yield %y : f32
  } -> tensor<2x8xf32>
  return %out : tensor<2x8xf32>
}

func.func @main() {
  %a = arith.constant dense<[[1.0, -2.0, 0.5, 3.0], [-1.5, 0.25, -4.0, 2.0]]> : tensor<2x4xf32>
  %w = arith.constant dense<[[0.5, -1.0, 0.25, 2.0, -0.5, 1.0, 0.0, -2.0],
                             [1.0, 0.5, -0.25, 1.0, 2.0, -1.0, 0.5, 0.0],
                             [-0.5, 1.5, 1.0, -1.0, 0.25, 0.5, -2.0, 1.0],
                             [0.25, -0.5, 0.5, 0.0, 1.0, -0.25, 1.5, -1.0]]> : tensor<4x8xf32>
  %b = arith.constant dense<[0.1, -0.2, 0.3, -0.4, 0.5, -0.6, 0.7, -8.0]> : tensor<8xf32>
  // GELU(a·w + b) in double (SciPy's erfc), and a·w + b.
  %want = arith.constant dense<[
      [-1.656541129e-01, -4.687165419e-03, 3.046510181e+00, -1.656541125e-01,
       -1.669385837e-01, 1.845438510e+00, 3.197801147e+00, -4.665705374e-35],
      [2.062484718e+00, -6.899894894e-08, -2.673075961e-03, 6.819868322e-01,
       2.741805651e+00, -2.993940409e-06, 1.182499999e+01, -2.101725532e-27]]> : tensor<2x8xf32>
  %z = arith.constant dense<[[-0.9, -2.95, 3.05, -0.9, -0.875, 1.9, 3.2, -12.5],
                             [2.1, -5.575, -3.1375, 0.85, 2.75, -4.85, 11.825, -11.0]]> : tensor<2x8xf32>
  %y = call @mlp_block(%a, %w, %b)
      : (tensor<2x4xf32>, tensor<4x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>

  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c8 = arith.constant 8 : index
  %budget = arith.constant 1.0e-4 : f32
  %fzero = arith.constant 0.0 : f32
  %true = arith.constant true
  %ok:3 = scf.for %i = %c0 to %c2 step %c1 iter_args(%within = %true, %signs = %true, %worst = %fzero) -> (i1, i1, f32) {
    %row:3 = scf.for %j = %c0 to %c8 step %c1 iter_args(%in = %within, %sg = %signs, %wr = %worst) -> (i1, i1, f32) {
      %got = tensor.extract %y[%i, %j] : tensor<2x8xf32>
      %ref = tensor.extract %want[%i, %j] : tensor<2x8xf32>
      %arg = tensor.extract %z[%i, %j] : tensor<2x8xf32>
      %d = arith.subf %got, %ref : f32
      %ad = math.absf %d : f32
      %close = arith.cmpf ole, %ad, %budget : f32
      %in2 = arith.andi %in, %close : i1
      // x < 0 must give a result whose sign bit is set (≤ −0).
      %neg = arith.cmpf olt, %arg, %fzero : f32
      %bits = arith.bitcast %got : f32 to i32
      %zero32 = arith.constant 0 : i32
      %signbit = arith.cmpi slt, %bits, %zero32 : i32
      %notneg = arith.xori %neg, %true : i1
      %fine = arith.ori %notneg, %signbit : i1
      %sg2 = arith.andi %sg, %fine : i1
      %wr2 = arith.maximumf %wr, %ad : f32
      scf.yield %in2, %sg2, %wr2 : i1, i1, f32
    }
    scf.yield %row#0, %row#1, %row#2 : i1, i1, f32
  }
  vector.print str "largest error: "
  vector.print %ok#2 : f32
  vector.print str "within the budget: "
  vector.print %ok#0 : i1
  vector.print str "negative inputs, negative results: "
  vector.print %ok#1 : i1
  return
}
