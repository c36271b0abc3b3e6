//===- DoubleFits.cpp - Piecewise fits in double precision ---------------===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#include "gelu/Numerics/DoubleFits.h"

#include "MpfrSigmoid.h"

#include <mpfr.h>

#include <cmath>
#include <functional>

namespace gelu {

namespace {
constexpr mpfr_prec_t kBits = 160;

/// An MPFR number that frees itself.
struct Big {
  mpfr_t v;
  Big() { mpfr_init2(v, kBits); }
  explicit Big(double d) : Big() { mpfr_set_d(v, d, MPFR_RNDN); }
  ~Big() { mpfr_clear(v); }
  Big(const Big &) = delete;
  Big &operator=(const Big &) = delete;
};

/// out = f(w), in MPFR.
using BigFunction = std::function<void(mpfr_t out, const mpfr_t w)>;

/// out = 1/√(2π).
void invSqrtTwoPi(mpfr_t out) {
  mpfr_const_pi(out, MPFR_RNDN);
  mpfr_mul_ui(out, out, 2, MPFR_RNDN);
  mpfr_rec_sqrt(out, out, MPFR_RNDN);
}

/// out = Φ(−u) = erfc(u/√2)/2.
void phiOfNegative(mpfr_t out, const mpfr_t u) {
  Big z;
  mpfr_sqrt_ui(z.v, 2, MPFR_RNDN);
  mpfr_div(z.v, u, z.v, MPFR_RNDN);
  mpfr_erfc(out, z.v, MPFR_RNDN);
  mpfr_div_ui(out, out, 2, MPFR_RNDN);
}

/// Q(t) = Φ(−u)·exp(u²/2)/t, u = (1/t − 1)/kPhiTailScale; at t = 0
/// (u = ∞) its limit kPhiTailScale/√(2π) (Φ(−u)·exp(u²/2) ~ 1/(u√(2π))).
void phiTailTarget(mpfr_t out, const mpfr_t t) {
  if (mpfr_zero_p(t)) {
    invSqrtTwoPi(out);
    mpfr_mul_d(out, out, kPhiTailScale, MPFR_RNDN);
    return;
  }
  Big u, z, e;
  mpfr_ui_div(u.v, 1, t, MPFR_RNDN);
  mpfr_sub_ui(u.v, u.v, 1, MPFR_RNDN);
  mpfr_div_d(u.v, u.v, kPhiTailScale, MPFR_RNDN);
  // erfc(u/√2)/2 · exp(u²/2)
  mpfr_sqrt_ui(z.v, 2, MPFR_RNDN);
  mpfr_div(z.v, u.v, z.v, MPFR_RNDN);
  mpfr_erfc(out, z.v, MPFR_RNDN);
  mpfr_sqr(e.v, z.v, MPFR_RNDN);
  mpfr_exp(e.v, e.v, MPFR_RNDN);
  mpfr_mul(out, out, e.v, MPFR_RNDN);
  mpfr_div_ui(out, out, 2, MPFR_RNDN);
  mpfr_div(out, out, t, MPFR_RNDN);
}

/// GELU'(x) = Φ(x) + x·φ(x) and GELU''(x) = φ(x)·(2 − x²), in MPFR.
void geluDerivative(mpfr_t out, mpfr_t slope, const mpfr_t x) {
  Big z, density, square;
  mpfr_sqrt_ui(z.v, 2, MPFR_RNDN);
  mpfr_div(z.v, x, z.v, MPFR_RNDN);
  mpfr_neg(z.v, z.v, MPFR_RNDN);
  mpfr_erfc(out, z.v, MPFR_RNDN); // 2Φ(x)
  mpfr_div_ui(out, out, 2, MPFR_RNDN);
  mpfr_sqr(square.v, x, MPFR_RNDN);
  mpfr_div_si(density.v, square.v, -2, MPFR_RNDN);
  mpfr_exp(density.v, density.v, MPFR_RNDN);
  Big scale;
  invSqrtTwoPi(scale.v);
  mpfr_mul(density.v, density.v, scale.v, MPFR_RNDN); // φ(x)
  mpfr_fma(out, x, density.v, out, MPFR_RNDN);
  mpfr_ui_sub(slope, 2, square.v, MPFR_RNDN);
  mpfr_mul(slope, slope, density.v, MPFR_RNDN);
}

/// The zero of GELU' near −0.75, by Newton's method in MPFR.
void geluDerivativeRoot(mpfr_t root) {
  mpfr_set_d(root, kGeluDerivativeRootHi, MPFR_RNDN);
  Big value, slope;
  for (int i = 0; i < 8; ++i) {
    geluDerivative(value.v, slope.v, root);
    mpfr_div(value.v, value.v, slope.v, MPFR_RNDN);
    mpfr_sub(root, root, value.v, MPFR_RNDN);
  }
}

/// C(n, k), for the small n of a fit's degree.
unsigned long binomial(unsigned n, unsigned k) {
  unsigned long c = 1;
  for (unsigned i = 1; i <= k; ++i)
    c = c * (n - k + i) / i;
  return c;
}

/// The Chebyshev interpolant in v of f((v + offset)/scale), v in
/// [low, high], at `degree` + 1 nodes, as monomial coefficients rounded to
/// double.
std::vector<double> chebyshevMonomials(const BigFunction &f, DoublePiece piece,
                                       unsigned degree) {
  const unsigned n = degree + 1;
  Big pi;
  mpfr_const_pi(pi.v, MPFR_RNDN);
  // The angle π·a/b, a and b small integers: exact up to π's rounding.
  auto cosOfPi = [&](mpfr_t out, unsigned long a, unsigned long b) {
    mpfr_mul_ui(out, pi.v, a, MPFR_RNDN);
    mpfr_div_ui(out, out, b, MPFR_RNDN);
    mpfr_cos(out, out, MPFR_RNDN);
  };
  // v = mid + half·s, s in [−1, 1].
  Big mid(piece.low), half(piece.high);
  mpfr_add_d(mid.v, mid.v, piece.high, MPFR_RNDN);
  mpfr_div_ui(mid.v, mid.v, 2, MPFR_RNDN);
  mpfr_sub_d(half.v, half.v, piece.low, MPFR_RNDN);
  mpfr_div_ui(half.v, half.v, 2, MPFR_RNDN);
  // Values at the nodes s_k = cos(π(2k + 1)/2n).
  std::vector<Big> values(n), chebyshev(n), monomial(n);
  for (unsigned k = 0; k < n; ++k) {
    Big w;
    cosOfPi(w.v, 2 * k + 1, 2 * n);
    mpfr_mul(w.v, w.v, half.v, MPFR_RNDN);
    mpfr_add(w.v, w.v, mid.v, MPFR_RNDN);
    mpfr_add_d(w.v, w.v, piece.offset, MPFR_RNDN);
    mpfr_div_d(w.v, w.v, piece.scale, MPFR_RNDN);
    f(values[k].v, w.v);
  }
  // c_j = (2/n) Σ_k f_k cos(πj(2k + 1)/2n), c_0 halved.
  for (unsigned j = 0; j < n; ++j) {
    mpfr_set_zero(chebyshev[j].v, 1);
    for (unsigned k = 0; k < n; ++k) {
      Big c;
      cosOfPi(c.v, j * (2 * k + 1), 2 * n);
      mpfr_fma(chebyshev[j].v, c.v, values[k].v, chebyshev[j].v, MPFR_RNDN);
    }
    mpfr_mul_ui(chebyshev[j].v, chebyshev[j].v, j == 0 ? 1 : 2, MPFR_RNDN);
    mpfr_div_ui(chebyshev[j].v, chebyshev[j].v, n, MPFR_RNDN);
  }
  // T_j in monomials (T_{j+1} = 2v·T_j − T_{j−1}), accumulated.
  std::vector<std::vector<long>> t(n, std::vector<long>(n, 0));
  t[0][0] = 1;
  if (n > 1)
    t[1][1] = 1;
  for (unsigned j = 2; j < n; ++j)
    for (unsigned i = 0; i < n; ++i)
      t[j][i] = (i ? 2 * t[j - 1][i - 1] : 0) - t[j - 2][i];
  // Monomials in s, then in v: s^i = ((v − mid)/half)^i, expanded.
  for (unsigned i = 0; i < n; ++i) {
    mpfr_set_zero(monomial[i].v, 1);
    for (unsigned j = i; j < n; ++j) {
      Big term;
      mpfr_mul_si(term.v, chebyshev[j].v, t[j][i], MPFR_RNDN);
      mpfr_add(monomial[i].v, monomial[i].v, term.v, MPFR_RNDN);
    }
  }
  std::vector<Big> inV(n);
  for (Big &c : inV)
    mpfr_set_zero(c.v, 1);
  for (unsigned i = 0; i < n; ++i) {
    // a_i·(v − mid)^i/half^i = a_i/half^i · Σ_j C(i, j)·v^j·(−mid)^(i−j).
    Big scaled;
    mpfr_pow_ui(scaled.v, half.v, i, MPFR_RNDN);
    mpfr_div(scaled.v, monomial[i].v, scaled.v, MPFR_RNDN);
    for (unsigned j = 0; j <= i; ++j) {
      Big term, shift;
      mpfr_neg(shift.v, mid.v, MPFR_RNDN);
      mpfr_pow_ui(shift.v, shift.v, i - j, MPFR_RNDN);
      mpfr_mul(term.v, scaled.v, shift.v, MPFR_RNDN);
      mpfr_mul_ui(term.v, term.v, binomial(i, j), MPFR_RNDN);
      mpfr_add(inV[j].v, inV[j].v, term.v, MPFR_RNDN);
    }
  }
  std::vector<double> out;
  for (unsigned i = 0; i < n; ++i)
    out.push_back(mpfr_get_d(inV[i].v, MPFR_RNDN));
  return out;
}

/// Fits `fit`'s pieces (its name, pieces and degree set) to f and measures
/// the double evaluation.
void fitPieces(DoubleFit &fit, const BigFunction &f) {
  fit.coefficients.clear();
  fit.maxError = 0;
  for (DoublePiece piece : fit.pieces) {
    std::vector<double> c = chebyshevMonomials(f, piece, fit.degree);
    fit.coefficients.insert(fit.coefficients.end(), c.begin(), c.end());
    constexpr int kGrid = 4000;
    for (int i = 0; i <= kGrid; ++i) {
      // A double w in the piece, its v as a kernel forms it.
      double w =
          (piece.low + (piece.high - piece.low) * i / kGrid + piece.offset) /
          piece.scale;
      double v = std::fma(w, piece.scale, -piece.offset);
      double y = c.back();
      for (size_t k = c.size() - 1; k-- > 0;)
        y = std::fma(y, v, c[k]);
      Big exact, wBig(w), error;
      f(exact.v, wBig.v);
      mpfr_sub_d(error.v, exact.v, y, MPFR_RNDN);
      mpfr_div(error.v, error.v, exact.v, MPFR_RNDN);
      fit.maxError =
          std::max(fit.maxError, std::fabs(mpfr_get_d(error.v, MPFR_RNDN)));
    }
  }
}
} // namespace

double geluDerivativeRootError() {
  Big root;
  geluDerivativeRoot(root.v);
  mpfr_sub_d(root.v, root.v, kGeluDerivativeRootHi, MPFR_RNDN);
  mpfr_sub_d(root.v, root.v, kGeluDerivativeRootLo, MPFR_RNDN);
  return std::fabs(mpfr_get_d(root.v, MPFR_RNDN));
}

std::vector<DoubleFit> doubleFitCatalog() {
  std::vector<DoubleFit> fits;
  DoubleFit phi;
  phi.name = "phi_tail";
  phi.description = "Q(t) = Φ(−u)·exp(u²/2)/t, t = 1/(1 + u/2) in [1/9, 1] "
                    "(u in [0, 16]), two pieces, relative error";
  // [1/9, 5/9] and [5/9, 1]: v = 4.5·t − 1.5 and 4.5·t − 3.5, exact
  // constants.
  static_assert(kPhiTailScale == 0.5 && kPhiTailMaxU == 16.0,
                "the pieces cover t = 1/(1 + u/2) for u in [0, 16]");
  phi.pieces = {{4.5, 1.5}, {4.5, 3.5}};
  phi.degree = 17;
  fitPieces(phi, phiTailTarget);
  fits.push_back(std::move(phi));

  // The f64 kernels' (all of u ≥ 0): four pieces at degree 16 keep the fit
  // at about 1.6·2^-53 with Horner's rounding (degree 12 with eight pieces
  // is as accurate and costs a longer select chain).
  DoubleFit phi64;
  phi64.name = "phi_f64";
  phi64.description = "Q(t) = Φ(−u)·exp(u²/2)/t, t = 1/(1 + u/2) in (0, 1] "
                      "(u ≥ 0), four pieces, relative error";
  static_assert(kPhiF64PieceScale == 8.0, "four pieces of width 1/4");
  phi64.pieces = {{8, 1}, {8, 3}, {8, 5}, {8, 7}};
  phi64.degree = 16;
  fitPieces(phi64, phiTailTarget);
  fits.push_back(std::move(phi64));

  // Φ(−u) itself on pieces of 3/8, in the distance to the piece's right
  // end (DoubleFits.h). Degree 13 (kPhiF64TableDegree): the least whose
  // Horner evaluation in double stays within a couple of ULPs (the measured
  // figures for 12, 13 and 14: docs/accuracy.md). The lower degrees, on the
  // same pieces, are the rungs of absolute budgets; and the sigmoid-gated
  // functions' gates σ(−y(u)) on the same pieces up to their own degrees.
  static_assert(kPhiF64TableStep == 0.375 && kPhiF64TablePieces == 16,
                "16 pieces of width 3/8");
  for (ReferenceFunction function :
       {ReferenceFunction::GeluExact, ReferenceFunction::GeluTanh,
        ReferenceFunction::GeluSigmoid, ReferenceFunction::Silu}) {
    const bool exact = function == ReferenceFunction::GeluExact;
    BigFunction gate = phiOfNegative;
    if (!exact)
      gate = [function](mpfr_t out, const mpfr_t u) {
        Big y, tmp;
        sigmoidArgumentMpfr(function, y.v, u, tmp.v);
        mpfr_neg(y.v, y.v, MPFR_RNDN);
        sigmoidMpfr(out, y.v);
      };
    for (unsigned degree = kPhiF64TableMinDegree;
         degree <= f64TableDegree(function); ++degree) {
      DoubleFit table;
      table.name = f64GateTableFitName(function, degree);
      table.description =
          std::string(exact ? "Phi(-u)"
                            : "sigma(-y(u)), y the function's sigmoid "
                              "argument") +
          ", u in [0, 5.8125], 16 pieces of width 3/8 about k*3/8, "
          "polynomials in d = u - (k + 1/2)*3/8 in [-3/8, 0], relative error";
      for (unsigned k = 0; k < kPhiF64TablePieces; ++k)
        table.pieces.push_back(
            {1, (k + 0.5) * kPhiF64TableStep, -kPhiF64TableStep, 0});
      table.degree = degree;
      fitPieces(table, gate);
      fits.push_back(std::move(table));
    }
  }

  // The f64 table's tail: h(u) = Φ(−u)·exp(u²/2), four pieces an octave
  // of u from 4 (DoubleFits.h), in d = u − the piece's right end. Degree
  // 13 keeps it as accurate as "phi_f64" (degree 12: 2.4e-16 against
  // 1.9e-16); the first piece of each octave, the widest against its u, is
  // the hardest.
  DoubleFit tail;
  tail.name = "phi_f64_tail_table";
  tail.description = "h(u) = Phi(-u)*exp(u^2/2), u in [4, 64), 16 pieces "
                     "[4, 5), [5, 6), ... [56, 64) (four an octave), "
                     "polynomials in d = u - the piece's right end, "
                     "relative error";
  static_assert(kPhiF64TailTableStart == 4.0 && kPhiF64TailTablePieces == 16,
                "four octaves of four pieces from 4");
  for (unsigned j = 0; j < kPhiF64TailTablePieces; ++j) {
    double octave = std::ldexp(kPhiF64TailTableStart, int(j / 4));
    double low = octave * (1 + (j % 4) / 4.0);
    double high = octave * (1 + (j % 4 + 1) / 4.0);
    tail.pieces.push_back({1, high, low - high, 0});
  }
  tail.degree = 13;
  fitPieces(tail, [](mpfr_t out, const mpfr_t u) {
    Big square;
    phiOfNegative(out, u);
    mpfr_sqr(square.v, u, MPFR_RNDN);
    mpfr_div_ui(square.v, square.v, 2, MPFR_RNDN);
    mpfr_exp(square.v, square.v, MPFR_RNDN);
    mpfr_mul(out, out, square.v, MPFR_RNDN);
  });
  fits.push_back(std::move(tail));

  // The correctly rounded kernel's: pieces where round(u·(a + b·u)) = k
  // (DoubleFits.h), each widened by 2^-30 for the rounding of z, in
  // d = u − r_k (r_k = the right end rounded up to a multiple of 1/256).
  DoubleFit crTable;
  crTable.name = "phi_cr_table";
  crTable.description = "Phi(-u), u in [0, 6.96], 16 pieces k = round(u*(a + "
                        "b*u)), polynomials in d = u - r_k, r_k at the "
                        "piece's right end, relative error";
  auto uAt = [](double z) {
    const double a = kPhiCrTableLinear, b = kPhiCrTableQuadratic;
    return (std::sqrt(a * a + 4 * b * z) - a) / (2 * b);
  };
  for (unsigned k = 0; k < kPhiCrTablePieces; ++k) {
    double low = k == 0 ? 0 : uAt(k - 0.5), high = uAt(k + 0.5);
    double right = std::ceil(high * 256) / 256;
    crTable.pieces.push_back(
        {1, right, low - right - 0x1p-30, high - right + 0x1p-30});
  }
  crTable.degree = 11;
  fitPieces(crTable, phiOfNegative);
  fits.push_back(std::move(crTable));

  // GELU'(x0 + d)/d (its limit GELU''(x0) at d = 0) for |d| ≤ 1/4: the
  // correctly rounded GELU' near its zero x0, where Φ and x·φ cancel.
  DoubleFit root;
  root.name = "gelu_derivative_root";
  root.description = "P(d) = GELU'(x0 + d)/d, x0 = -0.7517915... the zero "
                     "of GELU', d in [-1/4, 1/4], relative error";
  static_assert(kGeluDerivativeRootReach == 0.25, "v = 4d");
  root.pieces = {{4, 0}};
  root.degree = 13;
  Big x0;
  geluDerivativeRoot(x0.v);
  fitPieces(root, [&](mpfr_t out, const mpfr_t d) {
    Big x, slope;
    mpfr_add(x.v, x0.v, d, MPFR_RNDN);
    geluDerivative(out, slope.v, x.v);
    if (mpfr_zero_p(d))
      mpfr_set(out, slope.v, MPFR_RNDN);
    else
      mpfr_div(out, out, d, MPFR_RNDN);
  });
  fits.push_back(std::move(root));
  return fits;
}

} // namespace gelu
