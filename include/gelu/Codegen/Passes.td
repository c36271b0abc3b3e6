//===- Passes.td - Code generation passes of gelu-jit ------*- tablegen -*-===//
//
// Part of gelu-jit.
//
//===----------------------------------------------------------------------===//

#ifndef GELU_CODEGEN_PASSES_TD
#define GELU_CODEGEN_PASSES_TD

include "mlir/Pass/PassBase.td"

def LLVMTargetAttributes : Pass<"act-llvm-target", "mlir::ModuleOp"> {
  let summary = "Give the LLVM dialect functions a target's triple, CPU and "
                "features";
  let description = [{
    Sets what LLVM compiles the kernels for, on the module (`llvm.target_triple`)
    and on every `llvm.func` with a body: `target_cpu`, `target_features`,
    `prefer_vector_width` and `min-legal-vector-width` (the target's widest
    vectors, or `vector-bits`), `reciprocal_estimates` (the Newton steps after
    a reciprocal estimate that the fast expansions' `arcp` divisions may use)
    and `no_unwind`. Compiled for a target with FMA (every target the spec
    takes), the kernels call no libm: without these attributes and no `-mcpu`,
    LLVM turns `llvm.fma` into `fmaf` calls.

    The target is a spec's `target`: `host`, `x86-64-v3`, `x86-64-v4`, an
    x86-64 CPU LLVM knows (`haswell`, `znver4`, …) or `aarch64`. GPU targets
    are refused (their kernels are built by `gelu-opt --spec … --emit=ptx`).
    The `act-lower-to-llvm` pipeline runs this pass last when given
    `target=…`; the driver and the JIT always do, with the spec's target.

    Example: `-act-lower-to-llvm="target=x86-64-v3"`.
  }];
  let options = [
    Option<"target", "target", "std::string", /*default=*/"\"\"",
           "the target, as a spec names it (required)">,
    Option<"vectorBits", "vector-bits", "unsigned", /*default=*/"0",
           "the vector width the kernels use, if not the target's widest">,
  ];
  let dependentDialects = ["mlir::LLVM::LLVMDialect"];
}

def CheckLLVMDialect : Pass<"act-check-llvm-dialect", "mlir::ModuleOp"> {
  let summary = "Fail on any op left outside the LLVM dialect";
  let description = [{
    The upstream conversions to the LLVM dialect are partial: an op none of
    them converts (a `tensor.empty`, a `linalg.generic`, a stray
    `vector.yield`) stays as it is, and the module only fails later, in the
    translation to LLVM IR or in a tool that reads the output. The
    `act-lower-to-llvm` pipeline runs this pass after its conversions, so that
    its success means the module is the LLVM dialect alone. Each op left gets
    an error that names it; so does a nested module, whose functions the
    translation to LLVM IR would drop without a word.

    Example: `-act-lower-to-llvm` on a function holding a `tensor.empty`:
    `'tensor.empty' op is left after the conversions to the LLVM dialect …`.
  }];
}

def LowerLookups : Pass<"act-lower-lookups", "mlir::ModuleOp"> {
  let summary = "Lower act.lookup with the target's permute or table "
                "instructions";
  let description = [{
    Rewrites each `act.lookup` (`table[index mod N]`, N a power of two up to
    64) for the target that the kernels are compiled for:

    | index | target | lowering |
    |---|---|---|
    | a scalar | any | a load from a private constant array (`llvm.mlir.global`): an indexed constant load, the NVPTX kernels' case |
    | a vector of 16k lanes | x86-64 with AVX-512 (F and VL) | per 16 lanes `vpermps` (`llvm.x86.avx512.permvar.sf.512`) for up to 16 entries, `vpermi2ps` (`llvm.x86.avx512.vpermi2var.ps.512`) for 32, two and a select for 64 |
    | any other vector of 8k lanes | x86-64 with AVX-512 (F and VL) | per 8 lanes `vpermps` (`llvm.x86.avx2.permps`) for up to 8 entries, `vpermi2ps` on 256-bit registers (`llvm.x86.avx512.vpermi2var.ps.256`) for 16, then selects on the index bits above |
    | a vector of 8k lanes | x86-64 with AVX2 (or AVX-512 without VL) | per 8 lanes and 8 entries `vpermps` (`llvm.x86.avx2.permps`), then selects on the index bits above |
    | a vector of 4k lanes | AArch64 | per 4 lanes and 16 entries `tbl` with four table registers (`llvm.aarch64.neon.tbl4`) on byte indices, then selects |
    | any other vector | any | a tree of N − 1 selects on the index bits |

    A table shorter than a register is repeated to fill it, so the index's
    low bits choose the entry everywhere. Without a target every vector gets
    the select tree. The `act-lower-to-llvm` pipeline runs this pass after
    `convert-act-to-arith`, with its `target`; the driver and the JIT always
    give one.

    Example: `-act-lower-lookups="target=x86-64-v4"`.
  }];
  let options = [
    Option<"target", "target", "std::string", /*default=*/"\"\"",
           "the target, as a spec names it (empty: portable selects)">,
  ];
  let dependentDialects = ["mlir::LLVM::LLVMDialect",
                           "mlir::arith::ArithDialect",
                           "mlir::vector::VectorDialect"];
}

def LowerBF16Rounding : Pass<"act-lower-bf16-rounding", "mlir::ModuleOp"> {
  let summary = "Lower f32 to bf16 rounding with the target's instructions";
  let description = [{
    Rewrites each `arith.truncf` from f32 to bf16 (scalar or vector; round to
    nearest even, subnormal results kept, NaN a quiet NaN) for the target the
    kernels are compiled for. `convert-act-to-arith` rounds a bf16 kernel's
    f32 result (and a bias sum) with it.

    | target | lowering |
    |---|---|
    | x86-64 with AVX512-BF16 (and VL, DQ): `znver4`, `sapphirerapids`, `cooperlake`, … | the `arith.truncf` is kept: LLVM selects `vcvtneps2bf16`, one instruction a 16 lanes. That instruction flushes subnormal results to ±0, so the vectors with a subnormal lane (`vfpclassps` on 4, 8 or 16 lanes, `llvm.is.fpclass` otherwise: GELU of tiny inputs, of the far tail) take the integer rounding below instead, in a branch of their own |
    | any other, or none | round to nearest even in integer arithmetic: the bits plus 0x7fff plus the lowest kept bit, the high half; a NaN gets its quiet bit instead (rounding could carry its payload into inf). LLVM would otherwise call `__truncsfbf2` for each lane on x86 without AVX512-BF16, which a plain cc link lacks |

    Every lowering gives the same bits. The `act-lower-to-llvm` pipeline runs
    this pass after `act-lower-lookups`, with its `target`; the driver, the JIT
    and the GPU pipeline (with no target: the integer rounding) always do.

    Example: `-act-lower-bf16-rounding="target=znver4"`.
  }];
  let options = [
    Option<"target", "target", "std::string", /*default=*/"\"\"",
           "the target, as a spec names it (empty: integer rounding)">,
  ];
  let dependentDialects = ["mlir::LLVM::LLVMDialect",
                           "mlir::arith::ArithDialect",
                           "mlir::scf::SCFDialect",
                           "mlir::vector::VectorDialect"];
}

def LowerHardwareApproximations
    : Pass<"act-lower-hw-approximations", "mlir::ModuleOp"> {
  let summary = "Lower the GPU's approximations (act.hw_tanh, act.hw_exp2, "
                "act.hw_rcp) to NVPTX instructions";
  let description = [{
    The `hw_tanh` and `hw_sigmoid` expansions compute with NVIDIA's
    special-function unit. With `nvptx`, each op becomes its instruction:

    | op | lowering | PTX |
    |---|---|---|
    | `act.hw_tanh` | `llvm.intr.tanh` with `afn` (what NVPTX selects it for, sm_75 and later: every GPU target) | `tanh.approx.f32` |
    | `act.hw_exp2` | `llvm.nvvm.ex2.approx.ftz.f32` | `ex2.approx.ftz.f32` |
    | `act.hw_rcp` | `nvvm.rcp.approx.ftz.f` | `rcp.approx.ftz.f32` |

    on f32 scalars, and lane by lane on 1-D vectors (a thread's 16-byte
    load). Without
    `nvptx` (a CPU pipeline, which has no such instructions) each op is an
    error that names it: a spec cannot ask for these expansions on a CPU
    target, but hand-written IR can. The GPU pipeline runs this pass with
    `nvptx` after `convert-act-to-arith`, the `act-lower-to-llvm` pipeline
    without it.

    Example: `-act-lower-hw-approximations="nvptx=true"`.
  }];
  let options = [
    Option<"nvptx", "nvptx", "bool", /*default=*/"false",
           "lower for NVPTX (else every op is an error)">,
  ];
  let dependentDialects = ["mlir::LLVM::LLVMDialect",
                           "mlir::NVVM::NVVMDialect",
                           "mlir::arith::ArithDialect",
                           "mlir::vector::VectorDialect"];
}

#endif // GELU_CODEGEN_PASSES_TD
