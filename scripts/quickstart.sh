#!/usr/bin/env bash
#===- scripts/quickstart.sh - The main job, from nothing ------------------===#
#
# Installs what is missing, builds, then JIT-compiles the default GELU spec
# (examples/specs/gelu.json: exact GELU, f32, host CPU) and prints sample
# values, the error against a long-double reference by region and the speed.
# Usage: scripts/quickstart.sh [spec.json]
#
#===------------------------------------------------------------------------===#
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/build.sh"
exec "$root/build/bin/gelu-jit-demo" "${1:-$root/examples/specs/gelu.json}"
