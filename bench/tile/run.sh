#!/usr/bin/env bash
# bench/tile: simulated cycles per second of the tile testbench on a matmul-heavy program
# (an MLP layer of (4P x 8P) @ (8P x 2 NMAX)), at P = 4, 8 and 16 (configs ci, default,
# nightly), with the full checking testbench and with the bare RTL (same AXI memory model,
# no golden model, no checks); prints one line per configuration.
# Usage: bench/tile/run.sh [configs...]   (default: ci default nightly)
set -euo pipefail
cd "$(dirname "$0")/../.."
configs=("${@:-ci default nightly}")
read -r -a configs <<< "${configs[*]}"
args=()
for c in "${configs[@]}"; do args+=("ncv_tile_$c" --config "$c"); done
./ncv build "${args[@]}" >/dev/null
bd="build/${NCV_PRESET:-default}"
for c in "${configs[@]}"; do
  "$bd/tb/tile/ncv_tile_$c" +test=tile_bench +seed=1 +outdir="out/bench/tile/$c" | grep '^bench:'
done
