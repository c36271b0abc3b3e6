#!/usr/bin/env python3
# ===- scripts/check-readme.py - Run the README's examples ---------------=== #
#
# Usage: check-readme.py SOURCE_DIR BUILD_DIR WORK_DIR
#
# The README's code blocks, run as a user would paste them, so that the
# README cannot drift from the tools (ctest runs this as `readme`):
#  - the sample output of scripts/quickstart.sh: every line of it (numbers
#    aside) must be a line the demo prints now, in order, and its JSON
#    must name the same fields;
#  - the ```mlir block is `in.mlir` for the mlir-opt-mode commands;
#  - every `gelu-opt ...` and `build/bin/...` line of the ```sh blocks runs
#    and exits 0, but for those that set up machines, run for minutes or
#    need hardware (listed in SKIPPED, with the reason, and printed);
#  - the ```c block is compiled with the gelu.o a sh line wrote and run;
#    one that includes gelu-c/gelu.h (the C API) with libgelu-jit.so;
#  - the ```python blocks run with the build tree's package
#    (PYTHONPATH=BUILD_DIR/python) under $GELU_PYTHON (Debian's python3);
#  - the ```c++ blocks are compiled, each in a function of its own (a block
#    that uses `kernel` without making one continues the block before), over
#    the buffers named in PRELUDE, linked with libgelu-jit.so and run; the
#    GPU block is compiled only when this machine has no GPU.
# Files the README names without showing (a list of specs, an AArch64 and
# a GPU spec, a list of GPU specs) are FIXTURES below.
#
# ===---------------------------------------------------------------------=== #
import json
import os
import re
import shutil
import subprocess
import sys

SKIPPED = {
    "--exhaustive": "all 2^32 inputs: minutes (the accuracy docs' job)",
    "gelu-accuracy --all": "60 kernels, ~1.5 minutes on 2 cores "
                           "(scripts/accuracy-report.sh runs it)",
}
FIXTURES = {
    "kernels.json": [{"name": "gelu_f32"}, {"name": "silu_f32", "op": "silu"}],
    "k.json": {"name": "k", "target": "aarch64"},
    "g.json": {"name": "g", "target": "nvptx-sm_90"},
    "gk.json": [{"name": "g", "target": "nvptx-sm_90"},
                {"name": "s", "op": "silu", "target": "nvptx-sm_90"}],
}
PRELUDE = """
  const int64_t n = 1000, rows = 4, cols = 250;
  std::vector<float> inV(n), outV(n), xV(n), dyV(n, 1.0f), dxV(n), aV(n),
      bV(n, 1.5f), yV(n), biasV(cols, 0.25f), dbiasV(cols);
  for (int64_t i = 0; i < n; ++i)
    inV[i] = xV[i] = aV[i] = -5.0f + 10.0f * static_cast<float>(i) / n;
  std::vector<uint16_t> x16V(n, 0x3f00), bias16V(cols, 0x3e80), y16V(n);
  float *in = inV.data(), *out = outV.data(), *x = xV.data(), *dy = dyV.data(),
        *dx = dxV.data(), *a = aV.data(), *b = bV.data(), *y = yV.data(),
        *bias = biasV.data(), *dbias = dbiasV.data();
  uint16_t *x16 = x16V.data(), *bias16 = bias16V.data(), *y16 = y16V.data();
  std::vector<float> hostV(n, 0.5f);
  float *host = hostV.data();
  gelu::KernelSpec spec;
  spec.target = "nvptx-sm_90";
"""

failures = []


def fail(message):
    failures.append(message)
    print("FAIL: " + message)


def blocks(text):
    """(language, code, first line) of every fenced block."""
    out = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        m = re.match(r"^```(\S*)\s*$", lines[i])
        if m:
            start = i + 1
            j = start
            while j < len(lines) and not lines[j].startswith("```"):
                j += 1
            out.append((m.group(1), "\n".join(lines[start:j]), start + 1))
            i = j + 1
        else:
            i += 1
    return out


def run(command, cwd, env, timeout=600):
    return subprocess.run(command, cwd=cwd, env=env, shell=True,
                          executable="/bin/bash", capture_output=True,
                          text=True, timeout=timeout)


def normalized(line):
    """A line with its numbers replaced, and its spacing collapsed."""
    line = re.sub(r"[-+]?\d+(\.\d+)?([eE][-+]?\d+)?x?", "N", line)
    return " ".join(line.split())


def check_sample_output(code, line, source, build, work, env):
    demo = run(f"{build}/bin/gelu-jit-demo {source}/examples/specs/gelu.json",
               work, env)
    if demo.returncode != 0:
        return fail(f"README:{line}: the demo failed: {demo.stderr}")
    actual = [normalized(l) for l in demo.stdout.split("\n")]
    position = 0
    for sample in code.split("\n"):
        if sample.strip() in ("", "...", "       ..."):
            continue
        want = normalized(sample)
        try:
            position = actual.index(want, position) + 1
        except ValueError:
            return fail(f"README:{line}: the sample line {sample.strip()!r} is "
                        "not (or not in this order) in the demo's output")
    want_json = json.loads(re.search(r"\((\{.*\})\)", code).group(1))
    got_json = json.loads(re.search(r"\((\{.*\})\)", demo.stdout).group(1))
    if sorted(want_json) != sorted(got_json):
        return fail(f"README:{line}: the sample's spec fields "
                    f"{sorted(want_json)} are not the demo's {sorted(got_json)}")
    print(f"ok   README:{line}: the quick-start sample matches the demo")


def check_shell(code, line, work, env):
    for offset, command in enumerate(code.split("\n")):
        command = command.strip()
        if not (command.startswith("gelu-opt") or
                command.startswith("build/bin/")):
            continue
        where = f"README:{line + offset}"
        reason = next((why for key, why in SKIPPED.items() if key in command),
                      None)
        if reason:
            print(f"skip {where}: {command}  ({reason})")
            continue
        result = run(command, work, env)
        if result.returncode != 0:
            fail(f"{where}: `{command}` exited {result.returncode}: "
                 f"{result.stderr.strip()[:2000]}")
        else:
            print(f"ok   {where}: {command}")


def check_c(code, line, source, build, work, env):
    with open(os.path.join(work, "main.c"), "w") as f:
        f.write(code + "\n")
    if '#include "gelu-c/gelu.h"' in code:
        command = (f"cc -std=c11 -Wall -Werror main.c -I{source}/include "
                   f"{build}/lib/libgelu-jit.so -Wl,-rpath,{build}/lib "
                   "-o main && ./main")
    else:
        command = "cc main.c gelu.o -o main && ./main"
    result = run(command, work, env)
    if result.returncode != 0:
        fail(f"README:{line}: the C example did not build and run: "
             f"{result.stderr.strip()}")
    else:
        print(f"ok   README:{line}: the C example builds and runs")


def check_python(code, line, build, work, env):
    with open(os.path.join(work, f"readme_{line}.py"), "w") as f:
        f.write(code + "\n")
    python_env = dict(env, PYTHONPATH=os.path.join(build, "python"))
    python = env.get("GELU_PYTHON", "/usr/bin/python3")
    result = run(f"{python} readme_{line}.py", work, python_env)
    if result.returncode != 0:
        fail(f"README:{line}: the Python example failed: "
             f"{result.stderr.strip()[-2000:]}")
    else:
        print(f"ok   README:{line}: the Python example ran")


def check_cxx(snippets, source, build, work, env, has_gpu):
    includes = set()
    functions = []
    for code, line in snippets:
        body = []
        for l in code.split("\n"):
            if l.startswith("#include"):
                includes.add(l)
            else:
                body.append(l)
        body = "\n".join(body)
        makes_kernel = re.search(r"\bauto kernel\b", body)
        uses_kernel = re.search(r"\bkernel\b", body)
        if functions and uses_kernel and not makes_kernel:
            functions[-1][0].append(body)
            functions[-1][1].append(line)
        else:
            functions.append(([body], [line], "GpuKernel" in body))
    program = ["#include <cstdint>", "#include <vector>",
               '#include "gelu/JIT/Jit.h"', '#include "gelu/JIT/KernelCache.h"',
               '#include "gelu/JIT/Tuner.h"', '#include "gelu/JIT/GpuRuntime.h"',
               '#include "llvm/Support/raw_ostream.h"']
    program += sorted(includes)
    calls = []
    for k, (bodies, lines, gpu) in enumerate(functions):
        program.append(f"// README lines {lines}\nint snippet{k}() {{")
        program.append(PRELUDE)
        # The README's names may shadow the prelude's (its GPU buffers
        # are called in and out too).
        program.append("  {")
        program += bodies
        program.append("  }\n  return 0;\n}")
        if gpu and not has_gpu:
            print(f"skip README:{lines[0]}: the GPU example is compiled, not "
                  "run (no NVIDIA GPU here)")
            continue
        calls.append(f'  if (snippet{k}() != 0) {{ std::puts("FAIL: README '
                     f'lines {lines}"); failed = 1; }} else '
                     f'std::puts("ok   README:{lines[0]}: the C++ example ran");')
    program.append("#include <cstdio>\nint main() {\n  int failed = 0;")
    program += calls
    program.append("  return failed;\n}")
    with open(os.path.join(work, "snippets.cpp"), "w") as f:
        f.write("\n".join(program) + "\n")
    llvm = "/usr/lib/llvm-22"
    compile_cmd = (
        f"c++ -std=c++17 -O1 -fno-exceptions -w snippets.cpp "
        f"-I{source}/include -I{build}/include -isystem {llvm}/include "
        f"-D__STDC_CONSTANT_MACROS -D__STDC_FORMAT_MACROS "
        f"-D__STDC_LIMIT_MACROS {build}/lib/libgelu-jit.so "
        f"-L{llvm}/lib -lMLIR -lLLVM -Wl,-rpath,{build}/lib:{llvm}/lib "
        f"-o snippets")
    result = run(compile_cmd, work, env)
    if result.returncode != 0:
        return fail("the README's C++ examples do not compile:\n" +
                    result.stderr[:4000])
    result = run("./snippets", work, env)
    print(result.stdout, end="")
    if result.returncode != 0:
        fail("a README C++ example failed: " + result.stderr[:2000])


def main():
    source, build, work = (os.path.abspath(a) for a in sys.argv[1:4])
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    # The README's paths are relative to a checkout with its build/.
    os.symlink(os.path.join(source, "examples"), os.path.join(work, "examples"))
    os.symlink(build, os.path.join(work, "build"))
    for name, content in FIXTURES.items():
        with open(os.path.join(work, name), "w") as f:
            json.dump(content, f)
    env = dict(os.environ)
    env["PATH"] = f"{build}/bin:/usr/lib/llvm-22/bin:" + env["PATH"]
    env.setdefault("GELU_JIT_TUNING_CACHE", "off")
    has_gpu = os.path.exists("/dev/nvidiactl")
    with open(os.path.join(source, "README.md")) as f:
        readme = f.read()
    found = blocks(readme)
    mlir = [b for b in found if b[0] == "mlir"]
    if len(mlir) != 1:
        fail(f"expected one ```mlir block (in.mlir), found {len(mlir)}")
    else:
        with open(os.path.join(work, "in.mlir"), "w") as f:
            f.write(mlir[0][1] + "\n")
    snippets = []
    sample_checked = False
    for language, code, line in found:
        if language == "" and "gelu-jit: compiled" in code:
            check_sample_output(code, line, source, build, work, env)
            sample_checked = True
        elif language == "sh":
            check_shell(code, line, work, env)
        elif language == "c":
            check_c(code, line, source, build, work, env)
        elif language == "python":
            check_python(code, line, build, work, env)
        elif language == "c++":
            snippets.append((code, line))
    if not sample_checked:
        fail("no quick-start sample output found")
    check_cxx(snippets, source, build, work, env, has_gpu)
    if failures:
        print(f"\n{len(failures)} README example(s) failed")
        return 1
    print("\nevery README example ran")
    return 0


if __name__ == "__main__":
    sys.exit(main())
