#!/usr/bin/env bash
#===- scripts/check-includes.sh - The parts may only use what they may ----===#
#
# Usage: scripts/check-includes.sh [ROOT]   (default: this repository)
# Each part of lib/ (with its headers in include/gelu/<part>) may include
# only the parts below it in the table here, and MLIR only where the table
# says so. Prints every include that crosses a line (file:line, the include,
# the rule) and exits 1 if there is one. docs/architecture.md explains the
# parts; this table is the rule it describes.
#
#===------------------------------------------------------------------------===#
set -euo pipefail
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}

# part: the gelu parts it may include (besides itself), or single headers
# of a part as Part/Header | mlir or -
declare -A allowed=(
  [Support]="|-"
  [Numerics]="Support|-"
  [Dialect]="Numerics Support|mlir"
  [Conversion]="Dialect Numerics Support|mlir"
  [Spec]="Dialect Numerics Support Codegen/TargetNames|mlir"
  [Codegen]="Conversion Dialect Numerics Spec Support|mlir"
  [JIT]="Codegen Conversion Dialect Numerics Spec Support Version|mlir"
  [Transforms]="Dialect Numerics Spec Support|mlir"
  [Driver]="Codegen Conversion Dialect JIT Numerics Spec Support Transforms Version|mlir"
  [CAPI]="JIT Spec Version|-"
)

violations=0
for part in "${!allowed[@]}"; do
  parts=${allowed[$part]%|*}
  mlir=${allowed[$part]#*|}
  for dir in "$root/lib/$part" "$root/include/gelu/$part"; do
    [[ -d $dir ]] || continue
    while IFS=: read -r file line text; do
      target=$(sed -E 's/.*include *"([^"]*)".*/\1/' <<<"$text")
      case $target in
        mlir/*)
          [[ $mlir == mlir ]] && continue
          why="$part never uses MLIR" ;;
        gelu/*)
          used=${target#gelu/}
          used=${used%%/*}
          used=${used%.h}
          [[ $used == "$part" ]] && continue
          [[ " $parts " == *" $used "* ]] && continue
          header=${target#gelu/}
          [[ " $parts " == *" ${header%.h} "* ]] && continue
          why="$part may use only: ${parts:-nothing of gelu}" ;;
        *) continue ;;
      esac
      echo "${file#"$root"/}:$line: include \"$target\": $why"
      violations=$((violations + 1))
    done < <(grep -rnE '^[[:space:]]*#?[[:space:]]*include[[:space:]]*"' "$dir" \
               --include='*.h' --include='*.cpp' --include='*.inc' \
               --include='*.td' || true)
  done
done
# The C API's headers are C: they include C headers only (<stdint.h>).
while IFS=: read -r file line text; do
  echo "${file#"$root"/}:$line: $text: the C API's headers include only C headers"
  violations=$((violations + 1))
done < <(grep -rnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]' \
           "$root/include/gelu-c" 2>/dev/null | grep -vE '<(stdint|stddef)\.h>' || true)

if ((violations)); then
  echo "$violations include(s) cross the architecture's lines (docs/architecture.md)"
  exit 1
fi
echo "include rules: OK"
