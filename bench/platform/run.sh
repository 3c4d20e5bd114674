#!/usr/bin/env bash
# bench/platform: simulated tile cycles per second of the sled (ncv_sled_<config>) in the
# `rtl` and `golden` run modes on one matmul kernel, and the co-simulation overhead of the
# sled against the bare Verilated tile with a C++ memory (ncv_tile_<config> +test=tile_bench,
# whose "bare RTL" run has no checker). The kernel is tile_bench's: (8P x 16P) @ (16P x 4 NMAX)
# in BF16; the sled runs the same size through tile_matmul_hbm (+m +k +n). Only the kernel
# is timed (launch to completion), not construction or loading.
#
# usage: bench/platform/run.sh [CONFIG]     (default ci; NCV_BUILD=build dir, default build/ci)
# Writes nothing; prints one line per measurement and a summary. Target: overhead <= 1.5.
set -euo pipefail
cd "$(dirname "$0")/../.."
cfg=${1:-ci}
build=${NCV_BUILD:-build/ci}
sled=$build/tb/system/ncv_sled_$cfg
tile=$build/tb/tile/ncv_tile_$cfg
for b in "$sled" "$tile"; do
  [[ -x $b ]] || { echo "bench/platform: $b: not built (cmake --build $build --target $(basename "$b"))" >&2; exit 2; }
done
# P and NMAX of the configuration (configs/<cfg>.yaml), for the kernel size.
read -r P NMAX < <(awk '/^ *P:/{p=$2} /^ *NMAX:/{n=$2} END{print p, n}' "configs/$cfg.yaml")
M=$((8 * P)) K=$((16 * P)) N=$((4 * NMAX))
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
export SC_COPYRIGHT_MESSAGE=DISABLE

# Best of REPEAT runs each (the machine is shared).
REPEAT=${REPEAT:-3}
best() { sort -g | tail -1; }

bare=()
for i in $(seq "$REPEAT"); do
  line=$("$tile" +test=tile_bench +seed=1 +outdir="$out/tile$i" | grep '^bench:')
  echo "tile   : $line"
  bare+=("$(sed -E 's/.*bare RTL ([0-9.]+) cycles\/s.*/\1/' <<<"$line")")
done
bare_cps=$(printf '%s\n' "${bare[@]}" | best)

declare -A cps
for mode in rtl golden; do
  vals=()
  for i in $(seq "$REPEAT"); do
    line=$("$sled" +test=tile_matmul_hbm +seed=1 +mode=$mode +m=$M +k=$K +n=$N +bench +max_cycles=100000000 \
           +timeout_us=1000000 +outdir="$out/sled_${mode}_$i" | grep '^bench:')
    echo "sled   : $line"
    vals+=("$(sed -E 's/.* ([0-9.]+) cycles\/s.*/\1/' <<<"$line")")
  done
  cps[$mode]=$(printf '%s\n' "${vals[@]}" | best)
done

awk -v b="$bare_cps" -v r="${cps[rtl]}" -v g="${cps[golden]}" -v m="$M" -v k="$K" -v n="$N" -v c="$cfg" 'BEGIN {
  printf "summary: config %s matmul %dx%dx%d: bare tile %.0f cycles/s, sled rtl %.0f cycles/s, sled golden %.0f cycles/s\n", c, m, k, n, b, r, g
  printf "summary: co-simulation overhead (bare / sled rtl) %.2fx (target <= 1.5); golden mode %.1fx the rtl mode\n", b / r, g / r
}'
