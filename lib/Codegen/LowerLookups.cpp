//===- LowerLookups.cpp - act.lookup with each target's instructions -----===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//
//
// act.lookup is table[index mod N]. On x86 and AArch64 a register of table
// entries is permuted by the index lanes (vpermps, vpermi2ps, tbl); a
// scalar is a load from a constant array; anything else a tree of selects
// on the index bits. Every form takes the index's low bits only, so an
// index past the table reads the entry its low bits name, as the op says.
//
//===----------------------------------------------------------------------===//

#include "gelu/Codegen/Lookups.h"

#include "gelu/Codegen/Passes.h"
#include "gelu/Conversion/Expansions/ElementwiseBuilder.h"
#include "gelu/Dialect/Act/IR/ActOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/xxhash.h"

#include <cstring>

using namespace mlir;

namespace gelu {

#define GEN_PASS_DEF_LOWERLOOKUPS
#include "gelu/Codegen/Passes.h.inc"

LookupInstructions lookupInstructionsFor(const TargetInfo &target) {
  llvm::StringRef triple = target.triple;
  if (triple.starts_with("x86_64")) {
    if (targetHasFeature(target, "avx512f") &&
        targetHasFeature(target, "avx512vl"))
      return LookupInstructions::Avx512;
    if (targetHasFeature(target, "avx2"))
      return LookupInstructions::Avx2;
  }
  if (triple.starts_with("aarch64"))
    return LookupInstructions::Neon;
  return LookupInstructions::Selects;
}

namespace {

/// The registers one permute reads, for each kind of instruction: lanes
/// a register, entries a permute chooses from.
struct Permute {
  unsigned lanes;
  unsigned entries;
};

/// The permute for a vector of `total` lanes of `bits`-wide entries (32 or
/// 64).
std::optional<Permute> permuteOf(LookupInstructions instructions, int64_t total,
                                 unsigned bits) {
  // Lanes a register of 512, 256 and 128 bits.
  const unsigned wide = 512 / bits, half = 256 / bits, narrow = 128 / bits;
  switch (instructions) {
  case LookupInstructions::Avx512:
    // vpermi2ps / vpermi2pd: two registers of 512 bits, or of 256
    // (AVX-512VL) for a vector of fewer lanes (a 256-bit kernel).
    return total % wide == 0 ? Permute{wide, 2 * wide}
                             : Permute{half, 2 * half};
  case LookupInstructions::Avx2:
    return Permute{half, half}; // vpermps: one register of 256 bits
  case LookupInstructions::Neon:
    return Permute{narrow, 4 * narrow}; // tbl with four registers of 16 bytes
  case LookupInstructions::Selects:
    return std::nullopt;
  }
  return std::nullopt;
}

/// `values` as the elements of `type` (f32 or f64).
DenseElementsAttr denseEntries(ShapedType type, ArrayRef<double> values) {
  if (type.getElementType().isF64())
    return DenseElementsAttr::get(type, values);
  SmallVector<float> narrow(values.begin(), values.end());
  return DenseElementsAttr::get(type, ArrayRef<float>(narrow));
}

/// The entries of one register: a dense vector constant of `type` (f32 or
/// f64 lanes).
Value registerConstant(OpBuilder &b, Location loc, VectorType type,
                       ArrayRef<double> values) {
  return arith::ConstantOp::create(b, loc, denseEntries(type, values));
}

/// `value` in every lane of the integer scalar or vector `type`.
Value intSplat(OpBuilder &b, Location loc, Type type, int64_t value) {
  return emitSplatConstant(b, loc, type,
                           b.getIntegerAttr(getElementTypeOrSelf(type), value));
}

/// Whether bit `bit` of each index lane is set.
Value bitSet(OpBuilder &b, Location loc, Value index, unsigned bit) {
  Type type = index.getType();
  Value masked =
      arith::AndIOp::create(b, loc, index, intSplat(b, loc, type, 1LL << bit));
  return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, masked,
                               intSplat(b, loc, type, 0));
}

/// Picks among `parts` (a power of two of them) by the index bits from
/// `firstBit` up: a tree of selects, the lowest bit first.
Value selectTree(OpBuilder &b, Location loc, Value index, unsigned firstBit,
                 SmallVector<Value> parts) {
  for (unsigned bit = firstBit; parts.size() > 1; ++bit) {
    Value set = bitSet(b, loc, index, bit);
    SmallVector<Value> next;
    for (size_t i = 0; i < parts.size(); i += 2)
      next.push_back(
          arith::SelectOp::create(b, loc, set, parts[i + 1], parts[i]));
    parts = std::move(next);
  }
  return parts.front();
}

/// `table` repeated (or cut) to `count` entries from entry `first`.
SmallVector<double> entries(ArrayRef<double> table, size_t first,
                            size_t count) {
  SmallVector<double> out;
  for (size_t i = 0; i < count; ++i)
    out.push_back(table[(first + i) % table.size()]);
  return out;
}

/// The bytes of `values` as entries of `type` (f32 or f64) hold them.
SmallVector<uint8_t> entryBytes(FloatType type, ArrayRef<double> values) {
  SmallVector<uint8_t> bytes;
  for (double value : values) {
    uint8_t raw[8];
    size_t size = 8;
    if (type.isF64()) {
      std::memcpy(raw, &value, 8);
    } else {
      float narrow = static_cast<float>(value);
      std::memcpy(raw, &narrow, 4);
      size = 4;
    }
    bytes.append(raw, raw + size);
  }
  return bytes;
}

/// The table as a private constant array of `type` entries in the symbol
/// table `scope` (a module, or the gpu.module of a GPU kernel), one per
/// distinct table (named by a hash of its entries' bytes).
LLVM::GlobalOp tableGlobal(OpBuilder &b, Location loc, Operation *scope,
                           FloatType type, ArrayRef<double> table) {
  const std::string base =
      "__act_lookup_" +
      llvm::utohexstr(llvm::xxh3_64bits(entryBytes(type, table)), true);
  auto arrayType = LLVM::LLVMArrayType::get(type, table.size());
  DenseElementsAttr value = denseEntries(
      RankedTensorType::get({static_cast<int64_t>(table.size())}, type), table);
  std::string name = base;
  for (unsigned suffix = 1;; ++suffix) {
    Operation *existing = SymbolTable::lookupSymbolIn(scope, name);
    if (!existing)
      break;
    auto global = dyn_cast<LLVM::GlobalOp>(existing);
    if (global && global.getType() == arrayType && global.getConstant() &&
        global.getValueAttr() == value)
      return global;
    name = base + "_" + std::to_string(suffix);
  }
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(&scope->getRegion(0).front());
  return LLVM::GlobalOp::create(b, loc, arrayType, /*isConstant=*/true,
                                LLVM::Linkage::Private, name, value,
                                /*alignment=*/64);
}

struct LowerLookup : OpRewritePattern<act::LookupOp> {
  LowerLookup(MLIRContext *context, LookupInstructions instructions)
      : OpRewritePattern(context), instructions(instructions) {}

  LogicalResult matchAndRewrite(act::LookupOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    ArrayRef<double> table = op.getTable();
    Value index = op.getIndex();
    auto vectorType = dyn_cast<VectorType>(op.getType());
    auto entryType = cast<FloatType>(getElementTypeOrSelf(op.getType()));
    Type indexElement = getElementTypeOrSelf(index.getType());

    if (!vectorType) {
      Operation *scope = SymbolTable::getNearestSymbolTable(op->getParentOp());
      if (!scope || scope->getNumRegions() != 1 ||
          !scope->getRegion(0).hasOneBlock())
        return rewriter.notifyMatchFailure(op, "no symbol table to hold the "
                                               "table");
      LLVM::GlobalOp global =
          tableGlobal(rewriter, loc, scope, entryType, table);
      Value low = arith::AndIOp::create(
          rewriter, loc, index,
          intSplat(rewriter, loc, index.getType(), table.size() - 1));
      Value base = LLVM::AddressOfOp::create(rewriter, loc, global);
      Value at = LLVM::GEPOp::create(
          rewriter, loc, LLVM::LLVMPointerType::get(getContext()),
          global.getType(), base, ArrayRef<LLVM::GEPArg>{0, low},
          LLVM::GEPNoWrapFlags::inbounds);
      rewriter.replaceOpWithNewOp<LLVM::LoadOp>(op, entryType, at);
      return success();
    }

    const unsigned bits = entryType.getWidth();
    std::optional<Permute> permute;
    if (vectorType.getRank() == 1 && !vectorType.isScalable())
      permute = permuteOf(instructions, vectorType.getNumElements(), bits);
    if (!permute || vectorType.getNumElements() % permute->lanes != 0) {
      SmallVector<Value> parts;
      for (double entry : table)
        parts.push_back(
            emitSplatConstant(rewriter, loc, vectorType,
                              rewriter.getFloatAttr(entryType, entry)));
      rewriter.replaceOp(op, selectTree(rewriter, loc, index, 0, parts));
      return success();
    }

    // Register by register: each part of the table the permute reads, then
    // selects on the index bits above those it took; the registers' lanes
    // are cut out of the index and put back together with shuffles.
    const int64_t lanes = permute->lanes;
    const int64_t total = vectorType.getNumElements();
    auto laneIndex = VectorType::get({lanes}, indexElement);
    auto laneFloat = VectorType::get({lanes}, entryType);
    auto range = [](int64_t first, int64_t count) {
      SmallVector<int64_t> mask;
      for (int64_t i = first; i < first + count; ++i)
        mask.push_back(i);
      return mask;
    };
    Value result;
    for (int64_t first = 0; first < total; first += lanes) {
      Value part = index;
      if (total != lanes)
        part = vector::ShuffleOp::create(rewriter, loc, index, index,
                                         range(first, lanes));
      SmallVector<Value> blocks;
      const size_t perPermute =
          std::min<size_t>(permute->entries, table.size());
      for (size_t start = 0; start < table.size(); start += perPermute)
        blocks.push_back(permuteBlock(rewriter, loc, part, laneFloat, laneIndex,
                                      table, start, perPermute));
      Value value =
          selectTree(rewriter, loc, part, llvm::Log2_64(perPermute), blocks);
      result = first == 0
                   ? value
                   : vector::ShuffleOp::create(rewriter, loc, result, value,
                                               range(0, first + lanes));
    }
    rewriter.replaceOp(op, result);
    return success();
  }

private:
  /// A call of the intrinsic `name` returning `type`.
  static Value intrinsic(PatternRewriter &b, Location loc, Type type,
                         llvm::StringRef name, ValueRange operands) {
    return LLVM::CallIntrinsicOp::create(b, loc, type, b.getStringAttr(name),
                                         operands)
        .getResult(0);
  }

  /// A register of `laneFloat` holding the table's entries from `start`.
  static Value entriesFrom(PatternRewriter &b, Location loc,
                           VectorType laneFloat, ArrayRef<double> table,
                           size_t start) {
    return registerConstant(b, loc, laneFloat,
                            entries(table, start, laneFloat.getNumElements()));
  }

  /// table[start + (index mod 4)] for 4 f64 lanes: vpermps on the
  /// entries' halves, lane i taking halves 2k and 2k + 1 (k = index mod 4),
  /// as an i64 lane holds them: 2k·(1 + 2^32) + 2^32.
  static Value avx2PermutePairs(PatternRewriter &b, Location loc, Value index,
                                VectorType laneFloat, ArrayRef<double> table,
                                size_t start) {
    Type i64Lanes = index.getType();
    Value low =
        arith::AndIOp::create(b, loc, index, intSplat(b, loc, i64Lanes, 3));
    Value pairs = arith::AddIOp::create(
        b, loc,
        arith::MulIOp::create(b, loc, low,
                              intSplat(b, loc, i64Lanes, 0x200000002LL)),
        intSplat(b, loc, i64Lanes, 0x100000000LL));
    auto halfIndex = VectorType::get({8}, b.getI32Type());
    auto halves = VectorType::get({8}, b.getF32Type());
    auto quad = VectorType::get({4}, b.getF64Type());
    Value entriesAsHalves = vector::BitCastOp::create(
        b, loc, halves, entriesFrom(b, loc, quad, table, start));
    Value picked = intrinsic(
        b, loc, halves, "llvm.x86.avx2.permps",
        {entriesAsHalves, vector::BitCastOp::create(b, loc, halfIndex, pairs)});
    return vector::BitCastOp::create(b, loc, laneFloat, picked);
  }

  /// table[start + (index mod 2·lanes)] for one register of lanes:
  /// vpermi2ps or vpermi2pd (`name`, of the register's width) on two
  /// registers of entries.
  static Value twoRegisterPermute(PatternRewriter &b, Location loc, Value index,
                                  VectorType laneFloat, ArrayRef<double> table,
                                  size_t start, llvm::StringRef name) {
    const int64_t lanes = laneFloat.getNumElements();
    return intrinsic(b, loc, laneFloat, name,
                     {entriesFrom(b, loc, laneFloat, table, start), index,
                      entriesFrom(b, loc, laneFloat, table, start + lanes)});
  }

  /// table[start + (index mod lanes)] for one register of lanes: vpermps
  /// (AVX2's 8 f32 lanes or AVX-512's 16) or vpermpd (`name`).
  static Value oneRegisterPermute(PatternRewriter &b, Location loc, Value index,
                                  VectorType laneFloat, ArrayRef<double> table,
                                  size_t start, llvm::StringRef name) {
    return intrinsic(b, loc, laneFloat, name,
                     {entriesFrom(b, loc, laneFloat, table, start), index});
  }

  /// tbl on four registers of 16 bytes (64 bytes: 16 f32 or 8 f64
  /// entries): lane i asks for the bytes of entry index mod count, the
  /// byte offsets of its entry in each of its bytes.
  static Value neonPermute(PatternRewriter &b, Location loc, Value index,
                           VectorType laneFloat, VectorType laneIndex,
                           ArrayRef<double> table, size_t start) {
    const bool f64 = laneFloat.getElementType().isF64();
    const size_t count = f64 ? 8 : 16;
    auto bytes = VectorType::get({16}, b.getI8Type());
    SmallVector<uint8_t> raw =
        entryBytes(cast<FloatType>(laneFloat.getElementType()),
                   entries(table, start, count));
    SmallVector<Value> operands;
    for (int r = 0; r < 4; ++r) {
      SmallVector<int8_t> chunk(raw.begin() + 16 * r,
                                raw.begin() + 16 * r + 16);
      operands.push_back(arith::ConstantOp::create(
          b, loc, DenseElementsAttr::get(bytes, ArrayRef<int8_t>(chunk))));
    }
    // Entry k is bytes size·k … size·k + size − 1: the index's lane of
    // bytes is k·(size in every byte) + (0, 1, …, size − 1).
    const int64_t repeat = f64 ? 0x0808080808080808LL : 0x04040404LL;
    const int64_t offsets = f64 ? 0x0706050403020100LL : 0x03020100LL;
    Value low = arith::AndIOp::create(b, loc, index,
                                      intSplat(b, loc, laneIndex, count - 1));
    Value scaled =
        arith::MulIOp::create(b, loc, low, intSplat(b, loc, laneIndex, repeat));
    Value byteIndex = arith::AddIOp::create(
        b, loc, scaled, intSplat(b, loc, laneIndex, offsets));
    operands.push_back(vector::BitCastOp::create(b, loc, bytes, byteIndex));
    Value picked = intrinsic(b, loc, bytes, "llvm.aarch64.neon.tbl4", operands);
    return vector::BitCastOp::create(b, loc, laneFloat, picked);
  }

  /// table[start + (index mod count)] for one register of lanes, with one
  /// permute instruction.
  Value permuteBlock(PatternRewriter &b, Location loc, Value index,
                     VectorType laneFloat, VectorType laneIndex,
                     ArrayRef<double> table, size_t start, size_t count) const {
    const bool f64 = laneFloat.getElementType().isF64();
    const int64_t lanes = laneFloat.getNumElements();
    switch (instructions) {
    case LookupInstructions::Avx512: {
      const bool wide = lanes * (f64 ? 64 : 32) == 512;
      if (count <= static_cast<size_t>(lanes)) {
        llvm::StringRef name = !f64   ? (wide ? "llvm.x86.avx512.permvar.sf.512"
                                              : "llvm.x86.avx2.permps")
                               : wide ? "llvm.x86.avx512.permvar.df.512"
                                      : "llvm.x86.avx512.permvar.df.256";
        return oneRegisterPermute(b, loc, index, laneFloat, table, start, name);
      }
      llvm::StringRef name = f64 ? (wide ? "llvm.x86.avx512.vpermi2var.pd.512"
                                         : "llvm.x86.avx512.vpermi2var.pd.256")
                                 : (wide ? "llvm.x86.avx512.vpermi2var.ps.512"
                                         : "llvm.x86.avx512.vpermi2var.ps.256");
      return twoRegisterPermute(b, loc, index, laneFloat, table, start, name);
    }
    case LookupInstructions::Avx2:
      return f64 ? avx2PermutePairs(b, loc, index, laneFloat, table, start)
                 : oneRegisterPermute(b, loc, index, laneFloat, table, start,
                                      "llvm.x86.avx2.permps");
    case LookupInstructions::Neon:
      return neonPermute(b, loc, index, laneFloat, laneIndex, table, start);
    case LookupInstructions::Selects:
      break;
    }
    llvm_unreachable("selects have no permute");
  }

  LookupInstructions instructions;
};

struct LowerLookupsPass : impl::LowerLookupsBase<LowerLookupsPass> {
  using Base::Base;
  explicit LowerLookupsPass(const TargetInfo &target) : given(target) {}

  void runOnOperation() override {
    auto resolved = loweringTarget(given, target);
    if (!resolved) {
      getOperation()->emitError("act-lower-lookups: ")
          << llvm::toString(resolved.takeError());
      return signalPassFailure();
    }
    LookupInstructions instructions = *resolved
                                          ? lookupInstructionsFor(**resolved)
                                          : LookupInstructions::Selects;
    RewritePatternSet patterns(&getContext());
    populateLowerLookupsPatterns(patterns, instructions);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }

  std::optional<TargetInfo> given;
};

} // namespace

void populateLowerLookupsPatterns(RewritePatternSet &patterns,
                                  LookupInstructions instructions) {
  patterns.add<LowerLookup>(patterns.getContext(), instructions);
}

std::unique_ptr<Pass> createLowerLookupsPass(const TargetInfo &target) {
  return std::make_unique<LowerLookupsPass>(target);
}

} // namespace gelu
