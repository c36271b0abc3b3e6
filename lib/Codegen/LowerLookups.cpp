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

/// The permute for a vector of `total` lanes.
std::optional<Permute> permuteOf(LookupInstructions instructions,
                                 int64_t total) {
  switch (instructions) {
  case LookupInstructions::Avx512:
    // vpermi2ps: two registers of 16 lanes, or of 8 (AVX-512VL) for a
    // vector of 8k lanes (a 256-bit kernel).
    return total % 16 == 0 ? Permute{16, 32} : Permute{8, 16};
  case LookupInstructions::Avx2:
    return Permute{8, 8};
  case LookupInstructions::Neon:
    return Permute{4, 16}; // tbl with four registers of 16 bytes
  case LookupInstructions::Selects:
    return std::nullopt;
  }
  return std::nullopt;
}

/// The entries of one register: a dense vector constant.
Value registerConstant(OpBuilder &b, Location loc, VectorType type,
                       ArrayRef<float> values) {
  return arith::ConstantOp::create(b, loc,
                                   DenseElementsAttr::get(type, values));
}

/// `value` in every lane of the i32 scalar or vector `type`.
Value i32Splat(OpBuilder &b, Location loc, Type type, int32_t value) {
  return emitSplatConstant(b, loc, type, b.getI32IntegerAttr(value));
}

/// Whether bit `bit` of each index lane is set.
Value bitSet(OpBuilder &b, Location loc, Value index, unsigned bit) {
  Type type = index.getType();
  Value masked =
      arith::AndIOp::create(b, loc, index, i32Splat(b, loc, type, 1 << bit));
  return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, masked,
                               i32Splat(b, loc, type, 0));
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
SmallVector<float> entries(ArrayRef<float> table, size_t first, size_t count) {
  SmallVector<float> out;
  for (size_t i = 0; i < count; ++i)
    out.push_back(table[(first + i) % table.size()]);
  return out;
}

/// The table as a private constant array of the symbol table `scope` (a
/// module, or the gpu.module of a GPU kernel), one per distinct table
/// (named by a hash of its entries).
LLVM::GlobalOp tableGlobal(OpBuilder &b, Location loc, Operation *scope,
                           ArrayRef<float> table) {
  llvm::ArrayRef<uint8_t> bytes(reinterpret_cast<const uint8_t *>(table.data()),
                                table.size() * 4);
  const std::string base =
      "__act_lookup_" + llvm::utohexstr(llvm::xxh3_64bits(bytes), true);
  auto arrayType = LLVM::LLVMArrayType::get(b.getF32Type(), table.size());
  auto value = DenseElementsAttr::get(
      RankedTensorType::get({static_cast<int64_t>(table.size())},
                            b.getF32Type()),
      table);
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
    ArrayRef<float> table = op.getTable();
    Value index = op.getIndex();
    auto vectorType = dyn_cast<VectorType>(op.getType());

    if (!vectorType) {
      Operation *scope = SymbolTable::getNearestSymbolTable(op->getParentOp());
      if (!scope || scope->getNumRegions() != 1 ||
          !scope->getRegion(0).hasOneBlock())
        return rewriter.notifyMatchFailure(op, "no symbol table to hold the "
                                               "table");
      LLVM::GlobalOp global = tableGlobal(rewriter, loc, scope, table);
      Value low = arith::AndIOp::create(
          rewriter, loc, index,
          i32Splat(rewriter, loc, index.getType(), table.size() - 1));
      Value base = LLVM::AddressOfOp::create(rewriter, loc, global);
      Value at = LLVM::GEPOp::create(
          rewriter, loc, LLVM::LLVMPointerType::get(getContext()),
          global.getType(), base, ArrayRef<LLVM::GEPArg>{0, low},
          LLVM::GEPNoWrapFlags::inbounds);
      rewriter.replaceOpWithNewOp<LLVM::LoadOp>(op, rewriter.getF32Type(), at);
      return success();
    }

    std::optional<Permute> permute;
    if (vectorType.getRank() == 1 && !vectorType.isScalable())
      permute = permuteOf(instructions, vectorType.getNumElements());
    if (!permute || vectorType.getNumElements() % permute->lanes != 0) {
      SmallVector<Value> parts;
      for (float entry : table)
        parts.push_back(emitSplatConstant(rewriter, loc, vectorType,
                                          rewriter.getF32FloatAttr(entry)));
      rewriter.replaceOp(op, selectTree(rewriter, loc, index, 0, parts));
      return success();
    }

    // Register by register: each part of the table the permute reads, then
    // selects on the index bits above those it took; the registers' lanes
    // are cut out of the index and put back together with shuffles.
    const int64_t lanes = permute->lanes;
    const int64_t total = vectorType.getNumElements();
    auto laneIndex = VectorType::get({lanes}, rewriter.getI32Type());
    auto laneFloat = VectorType::get({lanes}, rewriter.getF32Type());
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
  /// table[start + (index mod 8)] for 8 lanes: vpermps.
  static Value avx2Permute(PatternRewriter &b, Location loc, Value index,
                           VectorType laneFloat, ArrayRef<float> table,
                           size_t start) {
    return LLVM::CallIntrinsicOp::create(
               b, loc, laneFloat, b.getStringAttr("llvm.x86.avx2.permps"),
               ValueRange{registerConstant(b, loc, laneFloat,
                                           entries(table, start, 8)),
                          index})
        .getResult(0);
  }

  /// table[start + (index mod 2·lanes)] for one register of lanes:
  /// vpermi2ps (`intrinsic`, of the register's width) on two registers of
  /// entries.
  static Value twoRegisterPermute(PatternRewriter &b, Location loc, Value index,
                                  VectorType laneFloat, ArrayRef<float> table,
                                  size_t start, llvm::StringRef intrinsic) {
    const int64_t lanes = laneFloat.getNumElements();
    return LLVM::CallIntrinsicOp::create(
               b, loc, laneFloat, b.getStringAttr(intrinsic),
               ValueRange{
                   registerConstant(b, loc, laneFloat,
                                    entries(table, start, lanes)),
                   index,
                   registerConstant(b, loc, laneFloat,
                                    entries(table, start + lanes, lanes))})
        .getResult(0);
  }

  /// table[start + (index mod count)] for one register of lanes, with one
  /// permute instruction.
  Value permuteBlock(PatternRewriter &b, Location loc, Value index,
                     VectorType laneFloat, VectorType laneIndex,
                     ArrayRef<float> table, size_t start, size_t count) const {
    switch (instructions) {
    case LookupInstructions::Avx512: {
      if (laneFloat.getNumElements() == 8) {
        if (count <= 8)
          return avx2Permute(b, loc, index, laneFloat, table, start);
        return twoRegisterPermute(b, loc, index, laneFloat, table, start,
                                  "llvm.x86.avx512.vpermi2var.ps.256");
      }
      if (count <= 16)
        return LLVM::CallIntrinsicOp::create(
                   b, loc, laneFloat,
                   b.getStringAttr("llvm.x86.avx512.permvar.sf.512"),
                   ValueRange{registerConstant(b, loc, laneFloat,
                                               entries(table, start, 16)),
                              index})
            .getResult(0);
      return twoRegisterPermute(b, loc, index, laneFloat, table, start,
                                "llvm.x86.avx512.vpermi2var.ps.512");
    }
    case LookupInstructions::Avx2:
      return avx2Permute(b, loc, index, laneFloat, table, start);
    case LookupInstructions::Neon: {
      // tbl picks bytes: entry k is bytes 4k … 4k + 3 of four registers
      // (16 entries); lane i asks for 4·(index mod 16) + {0, 1, 2, 3}.
      auto bytes = VectorType::get({16}, b.getI8Type());
      SmallVector<float> block = entries(table, start, 16);
      SmallVector<Value> operands;
      for (int r = 0; r < 4; ++r) {
        SmallVector<int8_t> raw(16);
        std::memcpy(raw.data(), block.data() + 4 * r, 16);
        operands.push_back(arith::ConstantOp::create(
            b, loc, DenseElementsAttr::get(bytes, ArrayRef<int8_t>(raw))));
      }
      Value low =
          arith::AndIOp::create(b, loc, index, i32Splat(b, loc, laneIndex, 15));
      Value scaled = arith::MulIOp::create(
          b, loc, low, i32Splat(b, loc, laneIndex, 0x04040404));
      Value byteIndex = arith::AddIOp::create(
          b, loc, scaled, i32Splat(b, loc, laneIndex, 0x03020100));
      operands.push_back(vector::BitCastOp::create(b, loc, bytes, byteIndex));
      Value picked = LLVM::CallIntrinsicOp::create(
                         b, loc, bytes,
                         b.getStringAttr("llvm.aarch64.neon.tbl4"), operands)
                         .getResult(0);
      return vector::BitCastOp::create(b, loc, laneFloat, picked);
    }
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
