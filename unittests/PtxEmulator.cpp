//===- PtxEmulator.cpp - Run a gelu-jit PTX kernel on the host ------------===//
//
// Part of gelu-jit.
//
// Built with -ffp-contract=off (CMakeLists.txt): each f32 instruction is
// one rounding, as PTX's `.rn` instructions are.
//
//===----------------------------------------------------------------------===//

#include "PtxEmulator.h"

#include "gelu/Numerics/HardwareApproximations.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/bit.h"
#include "llvm/Support/FormatVariadic.h"

#include <cmath>
#include <cstring>
#include <limits>

namespace gelu::testing {

using llvm::StringRef;

namespace {

llvm::Error fail(const llvm::Twine &message) {
  return llvm::createStringError("PTX emulator: " + message);
}

/// Splits operands at top-level commas.
llvm::SmallVector<StringRef> splitOperands(StringRef text) {
  llvm::SmallVector<StringRef> out;
  int depth = 0;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '{' || c == '[')
      ++depth;
    else if (c == '}' || c == ']')
      --depth;
    else if (c == ',' && depth == 0) {
      out.push_back(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  if (!text.slice(start, text.size()).trim().empty())
    out.push_back(text.slice(start, text.size()).trim());
  return out;
}

unsigned widthOf(StringRef type) {
  if (type == "pred")
    return 1;
  if (type.ends_with("16"))
    return 16;
  if (type.ends_with("64"))
    return 64;
  return 32;
}

uint64_t maskOf(unsigned width) {
  return width >= 64 ? ~uint64_t(0) : (uint64_t(1) << width) - 1;
}

int64_t signExtend(uint64_t v, unsigned width) {
  if (width >= 64)
    return static_cast<int64_t>(v);
  uint64_t sign = uint64_t(1) << (width - 1);
  v &= maskOf(width);
  return static_cast<int64_t>((v ^ sign) - sign);
}

float asFloat(uint64_t bits) {
  return llvm::bit_cast<float>(static_cast<uint32_t>(bits));
}
uint64_t bitsOf(float f) { return llvm::bit_cast<uint32_t>(f); }
double asDouble(uint64_t bits) { return llvm::bit_cast<double>(bits); }
uint64_t bitsOfDouble(double d) { return llvm::bit_cast<uint64_t>(d); }

float halfValue(uint64_t bits) {
  auto b = static_cast<uint16_t>(bits);
  _Float16 h;
  std::memcpy(&h, &b, 2);
  return static_cast<float>(h);
}

uint64_t halfBits(float f) {
  auto h = static_cast<_Float16>(f);
  uint16_t b;
  std::memcpy(&b, &h, 2);
  return b;
}

/// eq, ne, lt, le, gt or ge of a and b; `ok` false for another name.
template <typename T> bool relation(StringRef cmp, T a, T b, bool &ok) {
  ok = true;
  if (cmp == "eq")
    return a == b;
  if (cmp == "ne")
    return a != b;
  if (cmp == "lt")
    return a < b;
  if (cmp == "le")
    return a <= b;
  if (cmp == "gt")
    return a > b;
  if (cmp == "ge")
    return a >= b;
  ok = false;
  return false;
}

/// setp's comparison of two floating-point values (f16 values widened):
/// the ordered ones false, the unordered ones (…u) true, where one is NaN.
template <typename T> bool compareFloats(StringRef cmp, T a, T b, bool &ok) {
  ok = true;
  bool unordered = std::isnan(a) || std::isnan(b);
  if (cmp == "num")
    return !unordered;
  if (cmp == "nan")
    return unordered;
  bool orUnordered = cmp.size() == 3 && cmp.back() == 'u';
  StringRef base = orUnordered ? cmp.drop_back() : cmp;
  if (unordered)
    return orUnordered || base == "ne";
  return relation(base, a, b, ok);
}

/// setp's comparison of two integers of `type` (lo, ls, hi, hs: unsigned).
bool compareIntegers(StringRef cmp, StringRef type, uint64_t a, uint64_t b,
                     bool &ok) {
  unsigned width = widthOf(type);
  a &= maskOf(width);
  b &= maskOf(width);
  static const std::pair<StringRef, StringRef> kUnsigned[] = {
      {"lo", "lt"}, {"ls", "le"}, {"hi", "gt"}, {"hs", "ge"}};
  for (auto [name, as] : kUnsigned)
    if (cmp == name)
      return relation(as, a, b, ok);
  if (type.starts_with("s"))
    return relation(cmp, signExtend(a, width), signExtend(b, width), ok);
  return relation(cmp, a, b, ok);
}

/// An f32 or f64 instruction's arithmetic (rounded to nearest by the host,
/// as .rn asks); false for an operation it does not know.
template <typename T> bool floatArithmetic(StringRef op, T a, T b, T c, T &r) {
  if (op == "add")
    r = a + b;
  else if (op == "sub")
    r = a - b;
  else if (op == "mul")
    r = a * b;
  else if (op == "div")
    r = a / b;
  else if (op == "fma")
    r = std::fma(a, b, c);
  else if (op == "rcp")
    r = T(1) / a;
  else if (op == "sqrt")
    r = std::sqrt(a);
  else if (op == "abs")
    r = std::fabs(a); // clears the sign bit, NaN included
  else if (op == "neg")
    r = -a; // flips it, NaN included
  else if (op == "min" || op == "max") {
    // NaN gives the other operand; −0 below +0.
    if (std::isnan(a) || std::isnan(b))
      r = std::isnan(a) ? b : a;
    else if (a == b)
      r = (std::signbit(a) == (op == "min")) ? a : b;
    else
      r = (a < b) == (op == "min") ? a : b;
  } else
    return false;
  return true;
}

/// f32 to a 32-bit integer as cvt.r?i.s32.f32 does: rounded, NaN to 0,
/// saturated.
uint64_t floatToInt32(float x, StringRef rounding, bool isSigned) {
  if (std::isnan(x))
    return 0;
  double r = rounding == "rni"   ? std::nearbyint(double(x))
             : rounding == "rmi" ? std::floor(double(x))
             : rounding == "rpi" ? std::ceil(double(x))
                                 : std::trunc(double(x));
  double lo = isSigned ? -2147483648.0 : 0.0,
         hi = isSigned ? 2147483647.0 : 4294967295.0;
  r = std::min(std::max(r, lo), hi);
  return static_cast<uint64_t>(static_cast<int64_t>(r)) & 0xffffffffu;
}

} // namespace

int PtxEmulator::registerIndex(StringRef name) {
  auto [it, added] =
      registers.try_emplace(name.str(), static_cast<int>(registers.size()));
  return it->second;
}

llvm::Expected<PtxEmulator::Operand> PtxEmulator::operand(StringRef text) {
  Operand o;
  if (text.starts_with("{")) {
    o.kind = Operand::Vector;
    for (StringRef r : splitOperands(text.drop_front().drop_back()))
      o.registers.push_back(registerIndex(r));
    return o;
  }
  if (text.starts_with("[")) {
    o.kind = Operand::Memory;
    StringRef inner = text.drop_front().drop_back().trim();
    auto [base, offset] = inner.split('+');
    base = base.trim();
    if (base.starts_with("%"))
      o.reg = registerIndex(base);
    else
      o.symbol = base.str();
    if (!offset.empty() && offset.trim().getAsInteger(0, o.value))
      return fail("bad address '" + text + "'");
    return o;
  }
  static const char *specials[] = {"%tid.x", "%ntid.x", "%ctaid.x",
                                   "%nctaid.x"};
  for (int s = 0; s < 4; ++s)
    if (text == specials[s]) {
      o.kind = Operand::Special;
      o.special = s;
      return o;
    }
  if (text.starts_with("%")) {
    if (text.contains('.'))
      return fail("unknown special register '" + text + "'");
    o.kind = Operand::Register;
    o.reg = registerIndex(text);
    return o;
  }
  if (text.starts_with("0d") || text.starts_with("0D")) {
    o.kind = Operand::Immediate;
    if (text.drop_front(2).getAsInteger(16, o.value))
      return fail("bad f64 immediate '" + text + "'");
    return o;
  }
  if (text.starts_with("0f") || text.starts_with("0F")) {
    o.kind = Operand::Immediate;
    if (text.drop_front(2).getAsInteger(16, o.value))
      return fail("bad f32 immediate '" + text + "'");
    return o;
  }
  StringRef number = text;
  if (number.ends_with("U"))
    number = number.drop_back();
  int64_t signedValue;
  if (!number.getAsInteger(0, signedValue)) {
    o.kind = Operand::Immediate;
    o.value = static_cast<uint64_t>(signedValue);
    return o;
  }
  if (!number.getAsInteger(0, o.value)) {
    o.kind = Operand::Immediate;
    return o;
  }
  o.kind = Operand::Symbol;
  o.symbol = text.str();
  return o;
}

llvm::Expected<std::unique_ptr<PtxEmulator>>
PtxEmulator::parse(StringRef ptx, StringRef entry) {
  std::unique_ptr<PtxEmulator> e(new PtxEmulator());
  llvm::SmallVector<StringRef> lines;
  ptx.split(lines, '\n');
  size_t i = 0;
  // The initialised globals, then the entry's parameters.
  bool inEntry = false;
  for (; i < lines.size(); ++i) {
    StringRef line = lines[i].trim();
    if (line.starts_with(".global") && line.contains("= {")) {
      // .global .align A .b8 NAME[N] = {b, b, ...};
      StringRef declaration = line.split('=').first.trim();
      StringRef name = declaration.rsplit(' ').second.split('[').first;
      StringRef values = line.split('{').second.split('}').first;
      std::vector<uint8_t> &bytes = e->globals[name.str()];
      bool words = declaration.contains(".b32");
      for (StringRef v : splitOperands(values)) {
        uint64_t value;
        if (v.getAsInteger(0, value))
          return fail("bad initialiser in '" + line.take_front(60) + "'");
        for (int b = 0; b < (words ? 4 : 1); ++b)
          bytes.push_back(static_cast<uint8_t>(value >> (8 * b)));
      }
      // The initialiser may stop short: the rest is zeros.
      uint64_t count;
      if (declaration.split('[').second.split(']').first.getAsInteger(10,
                                                                      count))
        return fail("bad array size in '" + line.take_front(60) + "'");
      bytes.resize(std::max<size_t>(bytes.size(), count * (words ? 4 : 1)));
      continue;
    }
    if (line.contains(".entry " + entry.str() + "(")) {
      inEntry = true;
      continue;
    }
    if (inEntry && line.starts_with(".param")) {
      StringRef name = line.rsplit(' ').second.rtrim(',');
      int index = static_cast<int>(e->paramIndex.size());
      e->paramIndex[name.str()] = index;
      continue;
    }
    if (inEntry && line == "{") {
      ++i;
      break;
    }
  }
  if (!inEntry)
    return fail("no entry '" + entry + "'");
  std::vector<std::pair<size_t, std::string>> branches;
  for (; i < lines.size(); ++i) {
    StringRef line = lines[i].split("//").first.trim();
    if (line == "}")
      break;
    if (line.empty() || line.starts_with("."))
      continue;
    if (line.ends_with(":")) {
      e->labels[line.drop_back().str()] = e->code.size();
      continue;
    }
    line = line.rtrim(';').trim();
    Instruction in;
    in.text = line.str();
    if (line.starts_with("@")) {
      auto [guard, rest] = line.split(' ');
      guard = guard.drop_front();
      in.negated = guard.consume_front("!");
      in.predicate = e->registerIndex(guard);
      line = rest.trim();
    }
    size_t space = line.find_first_of(" \t");
    StringRef opcode = line.take_front(space);
    StringRef rest =
        space == StringRef::npos ? StringRef() : line.drop_front(space);
    llvm::SmallVector<StringRef> parts;
    opcode.trim().split(parts, '.');
    for (StringRef p : parts)
      in.parts.push_back(p.str());
    for (StringRef text : splitOperands(rest.trim())) {
      auto o = e->operand(text);
      if (!o)
        return o.takeError();
      in.operands.push_back(std::move(*o));
    }
    if (in.parts[0] == "bra")
      branches.push_back({e->code.size(), in.operands.at(0).symbol});
    e->code.push_back(std::move(in));
  }
  for (auto &[at, label] : branches) {
    auto it = e->labels.find(label);
    if (it == e->labels.end())
      return fail("no label '" + label + "'");
    e->code[at].target = it->second;
  }
  return std::move(e);
}

llvm::Error PtxEmulator::run(llvm::ArrayRef<uint64_t> params, uint64_t limit) {
  std::vector<uint64_t> regs(registers.size(), 0);
  auto address = [&](const Operand &o) -> uint64_t {
    uint64_t base = o.reg >= 0 ? regs[o.reg] : 0;
    if (!o.symbol.empty()) {
      auto g = globals.find(o.symbol);
      base = g == globals.end()
                 ? 0
                 : static_cast<uint64_t>(
                       reinterpret_cast<uintptr_t>(g->second.data()));
    }
    return base + o.value;
  };
  auto read = [&](const Operand &o) -> uint64_t {
    switch (o.kind) {
    case Operand::Register:
      return regs[o.reg];
    case Operand::Immediate:
      return o.value;
    case Operand::Special:
      return o.special == 1 || o.special == 3 ? 1 : 0; // one thread
    case Operand::Symbol: {
      auto g = globals.find(o.symbol);
      return g == globals.end()
                 ? 0
                 : static_cast<uint64_t>(
                       reinterpret_cast<uintptr_t>(g->second.data()));
    }
    default:
      return 0;
    }
  };
  for (size_t pc = 0, executed = 0; pc < code.size(); ++executed) {
    if (executed >= limit)
      return fail("more than " + llvm::Twine(limit) + " instructions");
    const Instruction &in = code[pc++];
    if (in.predicate >= 0 && (regs[in.predicate] != 0) == in.negated)
      continue;
    const auto &p = in.parts;
    const std::string &op = p[0];
    const StringRef type = p.back();
    const std::vector<Operand> &o = in.operands;
    auto unsupported = [&]() {
      return fail("unsupported instruction '" + in.text + "'");
    };
    auto has = [&](StringRef part) { return llvm::is_contained(p, part); };
    auto set = [&](const Operand &d, uint64_t v) {
      if (d.kind != Operand::Register)
        return false;
      regs[d.reg] = v;
      return true;
    };
    if (has("approx") || has("ftz")) {
      const std::string name = llvm::join(p, ".");
      if (approximations == Approximations::Refuse ||
          (name != "tanh.approx.f32" && name != "ex2.approx.ftz.f32" &&
           name != "rcp.approx.ftz.f32"))
        return fail("'" + in.text +
                    "' is an approximation whose bits no host computes");
      float a = asFloat(read(o.at(1)));
      ResultRange range = op == "tanh"  ? tanhApproxRange(a)
                          : op == "ex2" ? ex2ApproxRange(a)
                                        : rcpApproxRange(a);
      set(o.at(0), bitsOf(approximations == Approximations::Least ? range.lo
                                                                  : range.hi));
      continue;
    }
    if (op == "ret")
      return llvm::Error::success();
    if (op == "bra") {
      pc = in.target;
      continue;
    }
    if (op == "ld" || op == "st") {
      const bool load = op == "ld";
      const Operand &mem = load ? o.at(1) : o.at(0);
      const Operand &value = load ? o.at(0) : o.at(1);
      if (p.at(1) == "param") {
        auto it = paramIndex.find(mem.symbol);
        if (!load || it == paramIndex.end() ||
            static_cast<size_t>(it->second) >= params.size())
          return unsupported();
        set(value, params[it->second]);
        continue;
      }
      if (p.at(1) != "global")
        return unsupported();
      unsigned bytes = widthOf(type) / 8;
      auto *at =
          reinterpret_cast<uint8_t *>(static_cast<uintptr_t>(address(mem)));
      std::vector<int> lanes = value.kind == Operand::Vector
                                   ? value.registers
                                   : std::vector<int>{value.reg};
      for (size_t l = 0; l < lanes.size(); ++l) {
        uint64_t v = 0;
        if (load) {
          std::memcpy(&v, at + l * bytes, bytes);
          regs[lanes[l]] = v;
        } else {
          v = value.kind == Operand::Vector || value.reg >= 0 ? regs[lanes[l]]
                                                              : read(value);
          std::memcpy(at + l * bytes, &v, bytes);
        }
      }
      continue;
    }
    if (op == "mov") {
      unsigned width = widthOf(type);
      if (o.at(0).kind == Operand::Vector) { // unpack
        const auto &parts = o[0].registers;
        unsigned piece = width / parts.size();
        uint64_t v = read(o.at(1));
        for (size_t k = 0; k < parts.size(); ++k)
          regs[parts[k]] = (v >> (k * piece)) & maskOf(piece);
        continue;
      }
      if (o.at(1).kind == Operand::Vector) { // pack
        const auto &parts = o[1].registers;
        unsigned piece = width / parts.size();
        uint64_t v = 0;
        for (size_t k = 0; k < parts.size(); ++k)
          v |= (regs[parts[k]] & maskOf(piece)) << (k * piece);
        set(o[0], v);
        continue;
      }
      set(o[0], read(o.at(1)) & maskOf(width));
      continue;
    }
    if (op == "cvta") {
      set(o.at(0), read(o.at(1)));
      continue;
    }
    if (op == "setp") {
      StringRef cmp = p.at(1);
      uint64_t a = read(o.at(1)), b = read(o.at(2));
      bool ok, result;
      if (type == "f32")
        result = compareFloats(cmp, asFloat(a), asFloat(b), ok);
      else if (type == "f64")
        result = compareFloats(cmp, asDouble(a), asDouble(b), ok);
      else if (type == "f16")
        result = compareFloats(cmp, halfValue(a), halfValue(b), ok);
      else
        result = compareIntegers(cmp, type, a, b, ok);
      if (!ok)
        return unsupported();
      set(o.at(0), result);
      continue;
    }
    if (op == "selp") {
      set(o.at(0), regs[o.at(3).reg] ? read(o.at(1)) : read(o.at(2)));
      continue;
    }
    if (op == "cvt") {
      StringRef to = p[p.size() - 2], from = p.back();
      StringRef rounding = p.size() > 3 ? StringRef(p[1]) : StringRef();
      uint64_t a = read(o.at(1));
      uint64_t r;
      bool fromFloat = from == "f32", toFloat = to == "f32";
      if (to == "f64" && from == "f32") {
        r = bitsOfDouble(static_cast<double>(asFloat(a)));
      } else if (to == "f32" && from == "f64") {
        if (rounding != "rn")
          return unsupported();
        r = bitsOf(static_cast<float>(asDouble(a)));
      } else if (to == "f64" && from == "f64") {
        double x = asDouble(a);
        r = bitsOfDouble(rounding == "rni"   ? std::nearbyint(x)
                         : rounding == "rmi" ? std::floor(x)
                         : rounding == "rpi" ? std::ceil(x)
                                             : std::trunc(x));
      } else if (from == "f64" && (to == "s32" || to == "s64")) {
        double x = asDouble(a), y = rounding == "rni"   ? std::nearbyint(x)
                                    : rounding == "rmi" ? std::floor(x)
                                                        : std::trunc(x);
        if (std::isnan(y))
          y = 0;
        double lo = to == "s32" ? -2147483648.0 : -9223372036854775808.0;
        double hi = to == "s32" ? 2147483647.0 : 9223372036854774784.0;
        y = std::min(std::max(y, lo), hi);
        r = static_cast<uint64_t>(static_cast<int64_t>(y)) &
            maskOf(widthOf(to));
      } else if (to == "f64" && (from[0] == 's' || from[0] == 'u')) {
        unsigned width = widthOf(from);
        r = bitsOfDouble(from[0] == 's'
                             ? static_cast<double>(signExtend(a, width))
                             : static_cast<double>(a & maskOf(width)));
      } else if (to == "f16x2" && from == "f32") {
        r = (halfBits(asFloat(a)) << 16) | halfBits(asFloat(read(o.at(2))));
      } else if (to == "f16" && from == "f32") {
        r = halfBits(asFloat(a));
      } else if (toFloat && from == "f16") {
        r = bitsOf(halfValue(a));
      } else if (toFloat && fromFloat) {
        float x = asFloat(a);
        float y = rounding == "rni"   ? std::nearbyint(x)
                  : rounding == "rmi" ? std::floor(x)
                  : rounding == "rpi" ? std::ceil(x)
                  : rounding == "rzi" ? std::trunc(x)
                                      : x;
        r = bitsOf(y);
      } else if (fromFloat && (to == "s32" || to == "u32")) {
        r = floatToInt32(asFloat(a), rounding, to == "s32");
      } else if (toFloat && (from[0] == 's' || from[0] == 'u')) {
        unsigned width = widthOf(from);
        r = bitsOf(from[0] == 's' ? static_cast<float>(signExtend(a, width))
                                  : static_cast<float>(a & maskOf(width)));
      } else if ((to[0] == 's' || to[0] == 'u' || to[0] == 'b') &&
                 (from[0] == 's' || from[0] == 'u' || from[0] == 'b')) {
        unsigned fromWidth = widthOf(from), toWidth = widthOf(to);
        uint64_t v = from[0] == 's'
                         ? static_cast<uint64_t>(signExtend(a, fromWidth))
                         : a & maskOf(fromWidth);
        r = v & maskOf(toWidth);
      } else {
        return unsupported();
      }
      set(o.at(0), r);
      continue;
    }
    if (op == "bfe") {
      uint64_t a = read(o.at(1)), pos = read(o.at(2)), len = read(o.at(3));
      unsigned width = widthOf(type);
      uint64_t v = len == 0 ? 0 : (a >> pos) & maskOf(unsigned(len));
      if (type[0] == 's' && len > 0)
        v = static_cast<uint64_t>(signExtend(v, unsigned(len)));
      set(o.at(0), v & maskOf(width));
      continue;
    }
    if (op == "prmt") {
      if (p.size() != 2)
        return unsupported();
      uint64_t a = read(o.at(1)), b = read(o.at(2)), sel = read(o.at(3));
      uint64_t bytes = (a & 0xffffffffu) | ((b & 0xffffffffu) << 32);
      uint64_t r = 0;
      for (int k = 0; k < 4; ++k) {
        unsigned nibble = (sel >> (4 * k)) & 0xf;
        uint64_t byte = (bytes >> (8 * (nibble & 7))) & 0xff;
        if (nibble & 8) // sign replicate
          byte = (byte & 0x80) ? 0xff : 0;
        r |= byte << (8 * k);
      }
      set(o.at(0), r);
      continue;
    }
    if (op == "copysign" && (type == "f32" || type == "f64")) {
      // d = b with a's sign.
      uint64_t sign = type == "f32" ? 0x80000000u : uint64_t(1) << 63;
      set(o.at(0), (read(o.at(2)) & ~sign) | (read(o.at(1)) & sign));
      continue;
    }
    if (type == "f16" || type == "f32" || type == "f64") {
      // .rn or no rounding at all (abs, neg, min, max: exact anyway).
      for (size_t k = 1; k + 1 < p.size(); ++k)
        if (p[k] != "rn")
          return unsupported();
      auto operand = [&](size_t k) {
        return k < o.size() ? read(o[k]) : uint64_t(0);
      };
      bool known;
      uint64_t bits;
      if (type == "f16") {
        // add, sub, mul of two f16 values are exact in f64: one rounding,
        // to f16, as .rn asks (an FMA would not be: refused).
        double r = 0;
        known = (op == "add" || op == "sub" || op == "mul") &&
                floatArithmetic<double>(op, halfValue(operand(1)),
                                        halfValue(operand(2)), 0.0, r);
        auto h = static_cast<_Float16>(r);
        uint16_t half;
        std::memcpy(&half, &h, 2);
        bits = half;
      } else if (type == "f32") {
        float r = 0;
        known =
            floatArithmetic<float>(op, asFloat(operand(1)), asFloat(operand(2)),
                                   asFloat(operand(3)), r);
        bits = bitsOf(r);
      } else {
        double r = 0;
        known = floatArithmetic<double>(op, asDouble(operand(1)),
                                        asDouble(operand(2)),
                                        asDouble(operand(3)), r);
        bits = bitsOfDouble(r);
      }
      if (!known)
        return unsupported();
      set(o.at(0), bits);
      continue;
    }
    if (type == "pred" || type[0] == 'b' || type[0] == 's' || type[0] == 'u') {
      unsigned width = widthOf(type);
      if (op == "mul" || op == "mad") {
        const bool wide = p.at(1) == "wide";
        unsigned sourceWidth = width;
        uint64_t a = read(o.at(1)), b = read(o.at(2));
        uint64_t product;
        // A wide signed product of 32-bit sources fits in int64; the low
        // bits of any other are the unsigned product's.
        if (type[0] == 's' && wide)
          product = static_cast<uint64_t>(signExtend(a, sourceWidth) *
                                          signExtend(b, sourceWidth));
        else if (type[0] == 's')
          product = static_cast<uint64_t>(signExtend(a, sourceWidth)) *
                    static_cast<uint64_t>(signExtend(b, sourceWidth));
        else
          product = (a & maskOf(sourceWidth)) * (b & maskOf(sourceWidth));
        if (p.at(1) == "hi")
          return unsupported();
        unsigned resultWidth = wide ? 2 * width : width;
        if (op == "mad")
          product += read(o.at(3));
        set(o.at(0), product & maskOf(resultWidth));
        continue;
      }
      uint64_t a = read(o.at(1)), b = o.size() > 2 ? read(o.at(2)) : 0;
      uint64_t r;
      if (op == "add")
        r = a + b;
      else if (op == "sub")
        r = a - b;
      else if (op == "and")
        r = a & b;
      else if (op == "or")
        r = a | b;
      else if (op == "xor")
        r = a ^ b;
      else if (op == "not")
        r = ~a;
      else if (op == "shl")
        r = b >= width ? 0 : a << b;
      else if (op == "shr") {
        if (type[0] == 's')
          r = static_cast<uint64_t>(signExtend(a, width) >>
                                    std::min<uint64_t>(b, width - 1));
        else
          r = b >= width ? 0 : (a & maskOf(width)) >> b;
      } else if (op == "div" || op == "rem") {
        if ((b & maskOf(width)) == 0)
          return fail("'" + in.text + "' divides by zero");
        if (type[0] == 's') {
          int64_t sa = signExtend(a, width), sb = signExtend(b, width);
          r = static_cast<uint64_t>(op == "div" ? sa / sb : sa % sb);
        } else {
          a &= maskOf(width);
          b &= maskOf(width);
          r = op == "div" ? a / b : a % b;
        }
      } else if (op == "min" || op == "max") {
        bool less = type[0] == 's' ? signExtend(a, width) < signExtend(b, width)
                                   : (a & maskOf(width)) < (b & maskOf(width));
        r = (less == (op == "min")) ? a : b;
      } else
        return unsupported();
      set(o.at(0), r & maskOf(width));
      continue;
    }
    return unsupported();
  }
  return fail("the kernel ran past its last instruction");
}

} // namespace gelu::testing
