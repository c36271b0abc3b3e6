//===- RaiseActivations.cpp - GELU and SiLU decompositions to act ops -----===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// A root (arith.mulf, or arith.divf for x/(1 + exp(−y))) is split into the
// factors of its product. Exactly one factor must be a gate α + β·F(arg),
// F one of erf, erfc, tanh and σ (1/(1 + exp(w))); the others, and arg,
// are read as polynomials of degree ≤ 3 in x, the value at the leaves of
// arg (constants folded, products, sums and powers expanded). erfc and σ
// are rewritten through erf and σ's symmetries, the odd functions given a
// positive argument, and the result compared with each activation's
// coefficients within the tolerance. Nothing is assumed about how the
// frontend grouped the product or spelled a constant.
//
//===----------------------------------------------------------------------===//

#include "gelu/Transforms/Passes.h"

#include "gelu/Dialect/Act/IR/ActOps.h"
#include "gelu/Numerics/Reference.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/Support/Debug.h"
#include "llvm/Support/FormatVariadic.h"

#include <array>
#include <cmath>
#include <optional>

#define DEBUG_TYPE "act-raise-activations"

namespace gelu {
#define GEN_PASS_DEF_ACTRAISEACTIVATIONS
#include "gelu/Transforms/Passes.h.inc"
} // namespace gelu

using namespace mlir;
using namespace gelu;

namespace {

/// The attribute a raised op carries: the spelling it replaced.
constexpr llvm::StringLiteral kRaisedAttr = "act.raised";

/// The reasons of a root that is not shaped like an activation at all (no
/// remark is made for those).
constexpr llvm::StringLiteral kNoGate = "no erf, erfc, tanh or sigmoid factor";
constexpr llvm::StringLiteral kNoSigmoidDivisor =
    "a division whose divisor is not 1 + exp(...)";

/// The coefficients of the activations: 1/√2 of erf's argument, √(2/π) of
/// the tanh form's (its 0.044715 and the sigmoid form's 1.702 are named in
/// Numerics/Reference.h).
const double kSqrt2OverPi = std::sqrt(2.0 / M_PI);
constexpr double kTanhCubic = tanhFormCubic<double>();
constexpr double kSigmoidGeluScale = sigmoidFormScale<double>();

/// c[0] + c[1]·x + c[2]·x² + c[3]·x³.
using Cubic = std::array<double, 4>;

/// The transcendental factor of an activation's product.
enum class Function { Erf, Erfc, Tanh, Sigmoid };

llvm::StringRef nameOf(Function function) {
  switch (function) {
  case Function::Erf:
    return "erf";
  case Function::Erfc:
    return "erfc";
  case Function::Tanh:
    return "tanh";
  case Function::Sigmoid:
    return "sigmoid";
  }
  llvm_unreachable("unknown function");
}

/// α + β·F(arg); for σ matched as 1/(1 + exp(w)), arg is w negated.
struct Gate {
  Function function;
  Value arg;
  bool negatedArg = false;
  double alpha = 0, beta = 1;
};

/// What a root was raised to.
struct Raise {
  Value x;
  bool silu = false;
  act::Approximate approximate = act::Approximate::none;
  std::string spelling;
};

/// A coefficient, 4 significant digits.
std::string number(double value) {
  return llvm::formatv("{0}", llvm::format("%.4g", value)).str();
}

/// "0.7979*x + 0.03568*x^3" (ASCII: it goes into an attribute).
std::string cubicString(const Cubic &c) {
  std::string out;
  const char *powers[] = {"", "*x", "*x^2", "*x^3"};
  for (int i = 0; i < 4; ++i) {
    if (c[i] == 0)
      continue;
    if (!out.empty())
      out += c[i] < 0 ? " - " : " + ";
    else if (c[i] < 0)
      out += "-";
    const double magnitude = std::fabs(c[i]);
    out += i > 0 && magnitude == 1 ? std::string(powers[i] + 1)
                                   : number(magnitude) + powers[i];
  }
  return out.empty() ? "0" : out;
}

/// p*x*(alpha + beta*F(arg)), trivial terms left out.
std::string productString(double p, double alpha, double beta,
                          llvm::StringRef function, const std::string &arg) {
  std::string gate = (function + "(" + arg + ")").str();
  if (beta != 1)
    gate = number(beta) + "*" + gate;
  if (alpha != 0)
    gate = "(" + number(alpha) + " + " + gate + ")";
  return (p == 1 ? std::string("x") : number(p) + "*x") + "*" + gate;
}

/// The ops cubic() reads through (but extf, which it also takes): those
/// whose operands make up a polynomial.
bool isPolynomialStep(Operation *op) {
  return isa<arith::MulFOp, arith::AddFOp, arith::SubFOp, arith::DivFOp,
             arith::NegFOp, math::FPowIOp, math::PowFOp>(op);
}

/// Reads one candidate root. Every op it reads (but constants and x's own
/// definition) is put in `chain`, whose single use is checked at the end.
class ChainMatcher {
public:
  explicit ChainMatcher(double tolerance) : tolerance(tolerance) {}

  /// Why the last match failed.
  std::string reason;

  std::optional<Raise> match(Operation *root) {
    reason.clear();
    chain.clear();
    SmallVector<Value> factors;
    std::optional<Gate> gate;
    if (auto div = dyn_cast<arith::DivFOp>(root)) {
      // num / (1 + exp(w)) = num·σ(−w).
      std::optional<Value> w = onePlusExp(div.getRhs());
      if (!w)
        return fail(kNoSigmoidDivisor.str());
      gate = Gate{Function::Sigmoid, *w, /*negatedArg=*/true};
      collectFactors(div.getLhs(), factors);
    } else {
      collectFactors(root->getResult(0), factors, /*isRoot=*/true);
    }
    // The gate factor: the one that matches α + β·F(arg).
    std::optional<size_t> gateIndex;
    for (size_t i = 0; i < factors.size(); ++i) {
      if (constant(factors[i]))
        continue;
      std::optional<Gate> found = matchGate(factors[i]);
      if (!found)
        continue;
      if (gate)
        return fail("a product of two transcendental factors");
      gate = found;
      gateIndex = i;
    }
    if (!gate)
      return fail(kNoGate.str());
    if (gateIndex)
      factors.erase(factors.begin() + *gateIndex);

    // x: the subexpression of the argument that makes the whole a
    // polynomial in it (the argument itself, then its operands, outermost
    // first: for erf((a + b)·c), x is a + b, not a). Each try starts from
    // the ops read so far; the reason kept is that of the try that got
    // furthest.
    const llvm::SmallPtrSet<Operation *, 16> gateChain = chain;
    int furthest = -1;
    std::string why;
    for (Value candidate : candidates(gate->arg)) {
      chain = gateChain;
      reason.clear();
      int reached = 0;
      std::optional<Raise> raised =
          tryX(root, *gate, factors, candidate, reached);
      if (raised)
        return raised;
      if (reached > furthest) {
        furthest = reached;
        why = reason;
      }
    }
    return fail(furthest < 0 ? ("the argument of " + nameOf(gate->function) +
                                " is a constant")
                                   .str()
                             : why);
  }

private:
  /// The match with `candidate` as x; `reached` says how far it got (1:
  /// the argument, 2: the factors, 3: the coefficients).
  std::optional<Raise> tryX(Operation *root, const Gate &gate,
                            ArrayRef<Value> factors, Value candidate,
                            int &reached) {
    x = candidate;
    std::optional<Cubic> arg = cubic(gate.arg);
    if (!arg)
      return fail(("the argument of " + nameOf(gate.function) +
                   " is not a polynomial of degree <= 3 in one value")
                      .str());
    reached = 1;
    if (gate.negatedArg)
      for (double &c : *arg)
        c = -c;
    Cubic product = {1, 0, 0, 0};
    for (Value factor : factors) {
      std::optional<Cubic> term = cubic(factor);
      if (!term)
        return fail("a factor is neither the gate nor a polynomial in the "
                    "gate's argument");
      std::optional<Cubic> next = multiply(product, *term);
      if (!next)
        return fail("the factors beside the gate are of degree > 3 in x");
      product = *next;
    }
    reached = 2;
    std::optional<Raise> raised = classify(gate, *arg, product);
    if (!raised)
      return std::nullopt;
    reached = 3;
    for (Operation *op : chain)
      if (op != root && !op->hasOneUse())
        return fail(("an intermediate value (" + op->getName().getStringRef() +
                     ") has other uses: it is computed anyway")
                        .str());
    raised->x = candidate;
    return raised;
  }

  /// The non-constant subexpressions of `arg`, outermost first.
  SmallVector<Value> candidates(Value arg) const {
    SmallVector<Value> out;
    SmallVector<Value> work = {arg};
    while (!work.empty() && out.size() < 64) {
      Value v = work.front();
      work.erase(work.begin());
      if (constant(v) || llvm::is_contained(out, v))
        continue;
      out.push_back(v);
      Operation *op = v.getDefiningOp();
      if (op && isPolynomialStep(op))
        for (Value operand : op->getOperands())
          work.push_back(operand);
    }
    return out;
  }

  std::optional<Raise> fail(std::string why) {
    reason = std::move(why);
    return std::nullopt;
  }

  bool near(double got, double want) const {
    return std::fabs(got - want) <= tolerance * std::fabs(want);
  }

  /// Whether `c` is want[1]·x + want[3]·x³ (the even terms within the
  /// tolerance of the leading one).
  bool oddCubicNear(const Cubic &c, double linear, double cubicTerm) const {
    const double scale = std::fabs(linear);
    return near(c[1], linear) &&
           (cubicTerm == 0 ? std::fabs(c[3]) <= tolerance * scale
                           : near(c[3], cubicTerm)) &&
           std::fabs(c[0]) <= tolerance * scale &&
           std::fabs(c[2]) <= tolerance * scale;
  }

  std::optional<Raise> classify(Gate gate, Cubic arg, const Cubic &product) {
    // P must be p·x.
    const double p = product[1];
    if (p == 0 || std::fabs(product[0]) > tolerance * std::fabs(p) ||
        std::fabs(product[2]) > tolerance * std::fabs(p) ||
        std::fabs(product[3]) > tolerance * std::fabs(p))
      return fail("the factors beside the gate are " + cubicString(product) +
                  ", not a multiple of x");
    const std::string spelling = productString(
        p, gate.alpha, gate.beta, nameOf(gate.function), cubicString(arg));
    // erfc(z) = 1 − erf(z); σ(−z) = 1 − σ(z); erf and tanh are odd: the
    // argument made positive.
    if (gate.function == Function::Erfc) {
      gate.function = Function::Erf;
      gate.alpha += gate.beta;
      gate.beta = -gate.beta;
    }
    if (arg[1] < 0) {
      for (double &c : arg)
        c = -c;
      if (gate.function == Function::Sigmoid)
        gate.alpha += gate.beta;
      gate.beta = -gate.beta;
    }
    const double alpha = p * gate.alpha, beta = p * gate.beta;
    Raise raise;
    raise.spelling = spelling;
    auto halfTimesOnePlus = [&](llvm::StringRef name) -> bool {
      if (near(alpha, 0.5) && near(beta, 0.5))
        return true;
      reason = "the product is " +
               productString(p, gate.alpha, gate.beta, name, "...") +
               " after normalising, not 0.5*x*(1 + " + name.str() + "(...))";
      return false;
    };
    switch (gate.function) {
    case Function::Erf:
      if (!oddCubicNear(arg, M_SQRT1_2, 0))
        return fail("erf's argument is " + cubicString(arg) +
                    ", not x/sqrt(2) (0.7071*x)");
      if (!halfTimesOnePlus("erf"))
        return std::nullopt;
      raise.approximate = act::Approximate::none;
      return raise;
    case Function::Tanh:
      if (!oddCubicNear(arg, kSqrt2OverPi, kSqrt2OverPi * kTanhCubic))
        return fail("tanh's argument is " + cubicString(arg) +
                    ", not sqrt(2/pi)*(x + 0.044715*x^3)");
      if (!halfTimesOnePlus("tanh"))
        return std::nullopt;
      raise.approximate = act::Approximate::tanh;
      return raise;
    case Function::Sigmoid:
      if (std::fabs(alpha) > tolerance * std::fabs(beta) || !near(beta, 1))
        return fail("the product is " +
                    productString(p, gate.alpha, gate.beta, "sigmoid", "...") +
                    " after normalising, not x*sigmoid(...)");
      if (oddCubicNear(arg, 1, 0)) {
        raise.silu = true;
        return raise;
      }
      if (oddCubicNear(arg, kSigmoidGeluScale, 0)) {
        raise.approximate = act::Approximate::sigmoid;
        return raise;
      }
      if (oddCubicNear(arg, 2 * kSqrt2OverPi, 2 * kSqrt2OverPi * kTanhCubic)) {
        raise.approximate = act::Approximate::tanh;
        return raise;
      }
      return fail("sigmoid's argument is " + cubicString(arg) +
                  ", not x (SiLU), 1.702*x (sigmoid GELU) or "
                  "2*sqrt(2/pi)*(x + 0.044715*x^3) (tanh GELU)");
    case Function::Erfc:
      break;
    }
    llvm_unreachable("erfc was rewritten as erf");
  }

  /// The factors of a product of arith.mulf (through those with one use;
  /// the root's own result whatever its uses).
  void collectFactors(Value v, SmallVectorImpl<Value> &factors,
                      bool isRoot = false) {
    auto mul = v.getDefiningOp<arith::MulFOp>();
    if (mul && (isRoot || mul->hasOneUse())) {
      chain.insert(mul);
      collectFactors(mul.getLhs(), factors);
      collectFactors(mul.getRhs(), factors);
      return;
    }
    factors.push_back(v);
  }

  /// w if v is 1 + exp(w).
  std::optional<Value> onePlusExp(Value v) {
    auto add = v.getDefiningOp<arith::AddFOp>();
    if (!add)
      return std::nullopt;
    for (auto [one, other] : {std::pair(add.getLhs(), add.getRhs()),
                              std::pair(add.getRhs(), add.getLhs())}) {
      std::optional<double> c = constant(one);
      auto exp = other.getDefiningOp<math::ExpOp>();
      if (c && near(*c, 1) && exp) {
        chain.insert(add);
        chain.insert(exp);
        return exp.getOperand();
      }
    }
    return std::nullopt;
  }

  /// F(arg) for F a transcendental of an activation.
  std::optional<Gate> function(Value v) {
    Operation *op = v.getDefiningOp();
    if (!op)
      return std::nullopt;
    std::optional<Gate> gate;
    if (auto erf = dyn_cast<math::ErfOp>(op))
      gate = Gate{Function::Erf, erf.getOperand()};
    else if (auto erfc = dyn_cast<math::ErfcOp>(op))
      gate = Gate{Function::Erfc, erfc.getOperand()};
    else if (auto tanh = dyn_cast<math::TanhOp>(op))
      gate = Gate{Function::Tanh, tanh.getOperand()};
    else if (auto div = dyn_cast<arith::DivFOp>(op)) {
      // 1 / (1 + exp(w)) = σ(−w).
      std::optional<double> one = constant(div.getLhs());
      if (!one || !near(*one, 1))
        return std::nullopt;
      std::optional<Value> w = onePlusExp(div.getRhs());
      if (!w)
        return std::nullopt;
      gate = Gate{Function::Sigmoid, *w, /*negatedArg=*/true};
    }
    if (gate)
      chain.insert(op);
    return gate;
  }

  /// β·F(arg): F, c·F, F·c, −F.
  std::optional<Gate> term(Value v) {
    if (std::optional<Gate> gate = function(v))
      return gate;
    Operation *op = v.getDefiningOp();
    if (auto neg = dyn_cast_or_null<arith::NegFOp>(op)) {
      std::optional<Gate> gate = function(neg.getOperand());
      if (gate) {
        chain.insert(neg);
        gate->beta = -gate->beta;
      }
      return gate;
    }
    if (auto mul = dyn_cast_or_null<arith::MulFOp>(op)) {
      for (auto [c, f] : {std::pair(mul.getLhs(), mul.getRhs()),
                          std::pair(mul.getRhs(), mul.getLhs())}) {
        std::optional<double> scale = constant(c);
        if (!scale)
          continue;
        std::optional<Gate> gate = function(f);
        if (gate) {
          chain.insert(mul);
          gate->beta *= *scale;
        }
        return gate;
      }
    }
    return std::nullopt;
  }

  /// α + β·F(arg): a term, or a constant plus or minus one.
  std::optional<Gate> matchGate(Value v) {
    if (std::optional<Gate> gate = term(v))
      return gate;
    Operation *op = v.getDefiningOp();
    if (!op || !isa<arith::AddFOp, arith::SubFOp>(op))
      return std::nullopt;
    const bool subtract = isa<arith::SubFOp>(op);
    Value lhs = op->getOperand(0), rhs = op->getOperand(1);
    for (auto [c, t, constantFirst] :
         {std::tuple(lhs, rhs, true), std::tuple(rhs, lhs, false)}) {
      std::optional<double> alpha = constant(c);
      if (!alpha)
        continue;
      std::optional<Gate> gate = term(t);
      if (!gate)
        return std::nullopt;
      chain.insert(op);
      // c + t, t + c, c − t, t − c.
      gate->alpha = subtract && !constantFirst ? -*alpha : *alpha;
      if (subtract && constantFirst)
        gate->beta = -gate->beta;
      return gate;
    }
    return std::nullopt;
  }

  /// Whether v is x (or an extension of x's source: the frontend may have
  /// extended a 16-bit x twice).
  bool isX(Value v) const {
    if (v == x)
      return true;
    auto a = v.getDefiningOp<arith::ExtFOp>();
    auto b = x.getDefiningOp<arith::ExtFOp>();
    return a && b && a.getIn() == b.getIn() && a.getType() == b.getType();
  }

  /// v's value if it is made of constants alone.
  std::optional<double> constant(Value v, int depth = 0) const {
    Operation *op = v.getDefiningOp();
    if (!op || depth > 16)
      return std::nullopt;
    if (auto c = dyn_cast<arith::ConstantOp>(op)) {
      Attribute value = c.getValue();
      if (auto f = dyn_cast<FloatAttr>(value))
        return f.getValueAsDouble();
      if (auto dense = dyn_cast<DenseFPElementsAttr>(value))
        if (dense.isSplat())
          return dense.getSplatValue<APFloat>().convertToDouble();
      return std::nullopt;
    }
    auto operand = [&](unsigned i) {
      return constant(op->getOperand(i), depth + 1);
    };
    if (isa<arith::ExtFOp, arith::TruncFOp, vector::BroadcastOp>(op))
      return operand(0);
    if (isa<math::SqrtOp>(op))
      if (std::optional<double> a = operand(0))
        return std::sqrt(*a);
    if (isa<math::RsqrtOp>(op))
      if (std::optional<double> a = operand(0))
        return 1 / std::sqrt(*a);
    if (isa<arith::NegFOp>(op))
      if (std::optional<double> a = operand(0))
        return -*a;
    if (isa<arith::MulFOp, arith::DivFOp, arith::AddFOp, arith::SubFOp>(op)) {
      std::optional<double> a = operand(0), b = operand(1);
      if (!a || !b)
        return std::nullopt;
      if (isa<arith::MulFOp>(op))
        return *a * *b;
      if (isa<arith::DivFOp>(op))
        return *a / *b;
      if (isa<arith::AddFOp>(op))
        return *a + *b;
      return *a - *b;
    }
    return std::nullopt;
  }

  static std::optional<Cubic> multiply(const Cubic &a, const Cubic &b) {
    Cubic out = {0, 0, 0, 0};
    for (int i = 0; i < 4; ++i)
      for (int j = 0; j < 4; ++j) {
        if (a[i] == 0 || b[j] == 0)
          continue;
        if (i + j > 3)
          return std::nullopt;
        out[i + j] += a[i] * b[j];
      }
    return out;
  }

  /// The integer or float constant exponent of a power, if it is 1, 2 or 3.
  std::optional<int> smallExponent(Value v) const {
    if (auto c = v.getDefiningOp<arith::ConstantOp>())
      if (auto i = dyn_cast<IntegerAttr>(c.getValue()))
        if (i.getInt() >= 1 && i.getInt() <= 3)
          return static_cast<int>(i.getInt());
    if (std::optional<double> f = constant(v))
      if (*f == 1 || *f == 2 || *f == 3)
        return static_cast<int>(*f);
    return std::nullopt;
  }

  /// v as a polynomial of degree ≤ 3 in x.
  std::optional<Cubic> cubic(Value v, int depth = 0) {
    if (depth > 32)
      return std::nullopt;
    if (isX(v))
      return Cubic{0, 1, 0, 0};
    if (std::optional<double> c = constant(v))
      return Cubic{*c, 0, 0, 0};
    Operation *op = v.getDefiningOp();
    if (!op)
      return std::nullopt;
    auto operand = [&](unsigned i) {
      return cubic(op->getOperand(i), depth + 1);
    };
    std::optional<Cubic> result;
    if (isa<arith::MulFOp>(op)) {
      std::optional<Cubic> a = operand(0), b = operand(1);
      if (a && b)
        result = multiply(*a, *b);
    } else if (isa<arith::AddFOp, arith::SubFOp>(op)) {
      std::optional<Cubic> a = operand(0), b = operand(1);
      if (a && b) {
        const double sign = isa<arith::SubFOp>(op) ? -1 : 1;
        result = Cubic{};
        for (int i = 0; i < 4; ++i)
          (*result)[i] = (*a)[i] + sign * (*b)[i];
      }
    } else if (isa<arith::NegFOp>(op)) {
      result = operand(0);
      if (result)
        for (double &c : *result)
          c = -c;
    } else if (auto div = dyn_cast<arith::DivFOp>(op)) {
      std::optional<double> divisor = constant(div.getRhs());
      result = operand(0);
      if (result && divisor && *divisor != 0)
        for (double &c : *result)
          c /= *divisor;
      else
        result = std::nullopt;
    } else if (isa<math::FPowIOp, math::PowFOp>(op)) {
      std::optional<int> n = smallExponent(op->getOperand(1));
      std::optional<Cubic> base = operand(0);
      if (n && base) {
        result = Cubic{1, 0, 0, 0};
        for (int i = 0; i < *n && result; ++i)
          result = multiply(*result, *base);
      }
    } else if (isa<arith::ExtFOp>(op)) {
      result = operand(0);
    }
    if (result)
      chain.insert(op);
    return result;
  }

  double tolerance;
  Value x;
  llvm::SmallPtrSet<Operation *, 16> chain;
};

/// Whether a root's type can hold an act op computed in f32 or below.
bool raisableType(Type type) {
  Type element = getElementTypeOrSelf(type);
  if (!element.isF16() && !element.isBF16() && !element.isF32())
    return false;
  if (auto shaped = dyn_cast<ShapedType>(type))
    return isa<VectorType>(type) || shaped.hasRank();
  return true;
}

/// Replaces `root` with the act op of `raise`; a 16-bit x extended to f32
/// whose result is truncated back gives the op on the 16-bit type.
void rewrite(PatternRewriter &rewriter, Operation *root, const Raise &raise) {
  Operation *replaced = root;
  Value input = raise.x;
  Type type = root->getResult(0).getType();
  if (auto ext = raise.x.getDefiningOp<arith::ExtFOp>())
    if (root->hasOneUse())
      if (auto trunc = dyn_cast<arith::TruncFOp>(*root->user_begin()))
        if (trunc.getType() == ext.getIn().getType()) {
          replaced = trunc;
          input = ext.getIn();
          type = trunc.getType();
        }
  rewriter.setInsertionPoint(replaced);
  Operation *op;
  if (raise.silu)
    op = act::SiluOp::create(rewriter, root->getLoc(), type, input,
                             act::ExpansionAttr(), IntegerAttr());
  else
    op = act::GeluOp::create(
        rewriter, root->getLoc(), type, input,
        act::ApproximateAttr::get(rewriter.getContext(), raise.approximate),
        act::ExpansionAttr(), IntegerAttr());
  op->setAttr(kRaisedAttr, rewriter.getStringAttr(raise.spelling));
  rewriter.replaceOp(replaced, op->getResults());
}

template <typename RootOp> struct RaiseActivation : OpRewritePattern<RootOp> {
  RaiseActivation(MLIRContext *context, double tolerance)
      : OpRewritePattern<RootOp>(context), tolerance(tolerance) {}

  LogicalResult matchAndRewrite(RootOp root,
                                PatternRewriter &rewriter) const override {
    if (!raisableType(root.getType()))
      return rewriter.notifyMatchFailure(root, "not an f16, bf16 or f32 "
                                               "scalar, vector or ranked "
                                               "tensor");
    ChainMatcher matcher(tolerance);
    std::optional<Raise> raise = matcher.match(root);
    if (!raise) {
      LLVM_DEBUG(llvm::dbgs() << "act-raise-activations: not raised ("
                              << matcher.reason << "): " << root << "\n");
      return rewriter.notifyMatchFailure(root, matcher.reason);
    }
    rewrite(rewriter, root, *raise);
    return success();
  }

  double tolerance;
};

struct ActRaiseActivationsPass
    : gelu::impl::ActRaiseActivationsBase<ActRaiseActivationsPass> {
  using Base::Base;

  void runOnOperation() override {
    if (!(tolerance > 0 && tolerance < 0.5)) {
      getOperation()->emitError()
          << "act-raise-activations: tolerance is " << number(tolerance)
          << "; it must be in (0, 0.5) (relative; the default 2^-7 covers "
             "constants rounded to bf16)";
      return signalPassFailure();
    }
    RewritePatternSet patterns(&getContext());
    populateActRaiseActivationsPatterns(patterns, tolerance);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
    if (!remarks)
      return;
    // Once each, after the rewrites: what was raised, and the near misses
    // (a product with an activation's transcendental factor that did not
    // match; not the inner products of a larger one).
    getOperation()->walk([&](Operation *op) {
      if (auto raised = op->getAttrOfType<StringAttr>(kRaisedAttr)) {
        op->emitRemark() << "raised to " << op->getName() << ": "
                         << raised.getValue();
        return;
      }
      if (!isa<arith::MulFOp, arith::DivFOp>(op) ||
          !raisableType(op->getResult(0).getType()))
        return;
      if (op->hasOneUse() && isa<arith::MulFOp>(*op->user_begin()))
        return;
      ChainMatcher matcher(tolerance);
      if (matcher.match(op))
        return;
      if (matcher.reason == kNoGate || matcher.reason == kNoSigmoidDivisor)
        return; // not activation-shaped
      op->emitRemark() << "not raised: " << matcher.reason;
    });
  }
};

} // namespace

void gelu::populateActRaiseActivationsPatterns(RewritePatternSet &patterns,
                                               double tolerance) {
  patterns.add<RaiseActivation<arith::MulFOp>, RaiseActivation<arith::DivFOp>>(
      patterns.getContext(), tolerance);
}
