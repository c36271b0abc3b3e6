// RUN: gelu-opt %s -act-select-expansion="max-abs=1e-5 ranking=cost_model" | FileCheck %s --check-prefix=ABS
// RUN: gelu-opt %s -act-select-expansion="max-ulp=10 ranking=cost_model" | FileCheck %s --check-prefix=ULP
// RUN: gelu-opt %s -act-select-expansion | FileCheck %s --check-prefix=DEFAULT

// The training and gated ops are tuned like act.gelu: a budget on a
// backward op bounds GELU', on a fused or gated op its activation.

// An absolute budget: the cheapest fit that meets 1e-5 by the cost model:
// the even cubic tables of GELU' for the backward ops (9.8e-7; the even
// quadratic's 3e-5 misses, and the graded quadratic, 7.4e-6, costs as
// much: the even tables' polynomials are expanded in u, the graded ones'
// in t, one product more, and the tie goes to the even table, first in
// the catalog), the quadratic of GELU (7.1e-6) and the cubic of SiLU (for
// SwiGLU: 3e-6; the quadratic's 4.4e-5 and the graded one's 1.5e-5 miss)
// for the others.
// ABS-LABEL: func.func @training
// ABS: act.gelu_backward %{{.*}}, %{{.*}} expansion<piecewise> degree(3) : vector<16xf32>
// ABS: act.bias_gelu_backward %{{.*}}, %{{.*}}, %{{.*}} expansion<piecewise> degree(3) : vector<16xf32>
// ABS: act.bias_gelu %{{.*}}, %{{.*}} expansion<piecewise> degree(2) : vector<16xf32>
// ABS: act.geglu %{{.*}}, %{{.*}} expansion<piecewise> degree(2) : vector<16xf32>
// ABS: act.swiglu %{{.*}}, %{{.*}} expansion<piecewise> degree(3) : vector<16xf32>
// ABS: act.gelu_backward %{{.*}}, %{{.*}} approximate<tanh> expansion<piecewise> degree(3) : vector<16xf32>

// A ULP budget on every input: only the tail-accurate forms hold it (the
// backward ops' from tables fitted through GELU''s zero, which have one
// degree; exact GELU's with its degree-6 table, within 10 ULP for a
// lookup and an FMA fewer; SiLU's own table is degree 5 on all 31
// intervals, with no lower degree).
// ULP-LABEL: func.func @training
// ULP: act.gelu_backward %{{.*}}, %{{.*}} expansion<piecewise_tail> : vector<16xf32>
// ULP: act.bias_gelu_backward %{{.*}}, %{{.*}}, %{{.*}} expansion<piecewise_tail> : vector<16xf32>
// ULP: act.bias_gelu %{{.*}}, %{{.*}} expansion<piecewise_tail> degree(6) : vector<16xf32>
// ULP: act.geglu %{{.*}}, %{{.*}} expansion<piecewise_tail> degree(6) : vector<16xf32>
// ULP: act.swiglu %{{.*}}, %{{.*}} expansion<piecewise_tail> : vector<16xf32>
// ULP: act.gelu_backward %{{.*}}, %{{.*}} approximate<tanh> expansion<piecewise_tail> : vector<16xf32>

// DEFAULT-LABEL: func.func @training
// DEFAULT: act.gelu_backward %{{.*}}, %{{.*}} expansion<piecewise_tail> : vector<16xf32>
// DEFAULT: act.swiglu %{{.*}}, %{{.*}} expansion<piecewise_tail> : vector<16xf32>
// DEFAULT: act.gelu_backward %{{.*}}, %{{.*}} approximate<tanh> expansion<piecewise_tail> : vector<16xf32>
func.func @training(%x: vector<16xf32>, %y: vector<16xf32>, %b: vector<16xf32>)
    -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>,
        vector<16xf32>, vector<16xf32>) {
  %0 = act.gelu_backward %x, %y : vector<16xf32>
  %1 = act.bias_gelu_backward %x, %b, %y : vector<16xf32>
  %2 = act.bias_gelu %x, %b : vector<16xf32>
  %3 = act.geglu %x, %y : vector<16xf32>
  %4 = act.swiglu %x, %y : vector<16xf32>
  %5 = act.gelu_backward %x, %y approximate<tanh> : vector<16xf32>
  return %0, %1, %2, %3, %4, %5 : vector<16xf32>, vector<16xf32>,
      vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>
}
