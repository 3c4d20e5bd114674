#!/usr/bin/env bash
# bench/firmware: simulated time and wall time from power-on to READY (the firmware's boot,
# stages 1-6, firmware.md) in golden and rtl mode, one line per run, the median of N runs
# per mode. Wall time is the whole process (elaboration included) as result.json records
# it; simulated time is the FW.RUN.POST line's. Results go to bench/results/firmware.md by hand.
# Usage: bench/firmware/run.sh [config] [runs]   (default: default 5)
# NCV_BUILD_DIR=<dir> uses the simulator already built there.
set -euo pipefail
cd "$(dirname "$0")/../.."
cfg="${1:-default}"
runs="${2:-5}"
if [[ -z "${NCV_BUILD_DIR:-}" ]]; then
  ./ncv build "ncv_sled_$cfg" --config "$cfg" >/dev/null
fi
bd="${NCV_BUILD_DIR:-build/${NCV_PRESET:-default}}"
sim="$bd/tb/system/ncv_sled_$cfg"
printf '%-8s %-4s %-14s %-12s %-10s %s\n' mode run sim_to_ready_us cycles wall_s result
for mode in golden rtl; do
  walls=()
  for ((i = 1; i <= runs; i++)); do
    out="out/bench/firmware/$cfg/$mode-$i"
    rc=0
    SC_COPYRIGHT_MESSAGE=DISABLE "$sim" +test=fw_run +seed="$i" +mode="$mode" +outdir="$out" >/dev/null || rc=$?
    line=$(grep -o 'FW.RUN.POST: reached POST 0x7F after [0-9]* cycles' "$out/sim.log" || true)
    cyc=$(sed -n 's/.*after \([0-9]*\) cycles/\1/p' <<< "$line")
    wall=$(sed -n 's/.*"wall_s": \([0-9.]*\).*/\1/p' "$out/result.json")
    walls+=("$wall")
    us=$(awk -v c="${cyc:-0}" 'BEGIN { printf "%.3f", c / 1000.0 }')  # 1 GHz tile clock
    printf '%-8s %-4s %-14s %-12s %-10s %s\n' "$mode" "$i" "$us" "${cyc:--}" "$wall" \
      "$([[ $rc == 0 ]] && echo PASS || echo "FAIL($rc)")"
  done
  med=$(printf '%s\n' "${walls[@]}" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
  printf '%-8s median wall_s %s\n' "$mode" "$med"
done
