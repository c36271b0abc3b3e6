//===- PtxEmulator.h - Run a gelu-jit PTX kernel on the host ----*- C++ -*-===//
//
// Part of gelu-jit.
//
// A test's emulation of the PTX that gelu-jit's NVPTX kernels are made of:
// one thread (thread 0 of a one-thread, one-block grid, so that the
// kernels' grid-stride loops cover every element), the instructions they
// use, each with its PTX semantics (f32 operations rounded to nearest on
// the host's IEEE arithmetic, subnormals kept, as `.rn` without `.ftz`
// asks). An instruction outside that set is an error that names it, never
// a guess. It lets the tests hold a GPU kernel's arithmetic, the PTX that
// ptxas would assemble, to the CPU kernel's bits where no GPU is.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_UNITTESTS_PTXEMULATOR_H
#define GELU_UNITTESTS_PTXEMULATOR_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace gelu::testing {

class PtxEmulator {
public:
  /// The kernel `entry` of module `ptx`, decoded.
  static llvm::Expected<std::unique_ptr<PtxEmulator>>
  parse(llvm::StringRef ptx, llvm::StringRef entry);

  /// Runs it with these parameters (pointers as host addresses, counts as
  /// integers), the instructions executed at most `limit`.
  static constexpr uint64_t kDefaultLimit = uint64_t(1) << 34;
  llvm::Error run(llvm::ArrayRef<uint64_t> params,
                  uint64_t limit = kDefaultLimit);

  /// A decoded operand and instruction.
  struct Operand {
    enum Kind { Register, Immediate, Special, Symbol, Memory, Vector } kind;
    int reg = -1;               ///< Register; Memory's base register (or -1)
    uint64_t value = 0;         ///< Immediate; Memory's offset
    std::string symbol;         ///< Symbol; Memory's base symbol
    std::vector<int> registers; ///< Vector
    int special = 0; ///< Special: 0 %tid, 1 %ntid, 2 %ctaid, 3 %nctaid
  };

  struct Instruction {
    std::string text; ///< for messages
    std::vector<std::string> parts;
    int predicate = -1;
    bool negated = false;
    std::vector<Operand> operands;
    size_t target = 0; ///< bra's
  };

  /// What an approximation instruction (tanh.approx.f32,
  /// ex2.approx.ftz.f32, rcp.approx.ftz.f32) gives: an error (the bits are
  /// a GPU's), or the least or the greatest result its documented error
  /// allows (Numerics/HardwareApproximations.h).
  enum class Approximations { Refuse, Least, Greatest };
  Approximations approximations = Approximations::Refuse;

private:
  PtxEmulator() = default;
  llvm::Expected<Operand> operand(llvm::StringRef text);
  int registerIndex(llvm::StringRef name);

  std::vector<Instruction> code;
  std::map<std::string, int> registers;
  std::map<std::string, size_t> labels;
  std::map<std::string, int> paramIndex;
  /// The module's initialised globals (the expansions' tables).
  std::map<std::string, std::vector<uint8_t>> globals;
};

} // namespace gelu::testing

#endif // GELU_UNITTESTS_PTXEMULATOR_H
