#!/usr/bin/env bash
# bench/switch: accepted throughput (header + data flits delivered per cycle and port) and
# packet latency (cycles from generation at the source endpoint, source queueing included,
# to the last flit at the destination; mean and 99th percentile) of the NSP switch at
# NPORTS = 4 (configuration default) under uniform random traffic (random VC and length
# 0..16, mean 8 data flits), no backpressure, for a sweep of offered loads up to saturation,
# error-free and at a bit-error rate of 1e-5 per flit. Every run is a checked testbench run
# (scoreboard, counters, bound assertions); one line per run.
# Usage: bench/switch/run.sh [packets per endpoint] [config]   (default 3000 default;
# config ci gives NPORTS = 2). NCV_BUILD_DIR=<dir> uses the simulator already built there.
set -euo pipefail
cd "$(dirname "$0")/../.."
packets="${1:-3000}"
cfg="${2:-default}"
if [[ -z "${NCV_BUILD_DIR:-}" ]]; then
  ./ncv build "ncv_switch_$cfg" --config "$cfg" >/dev/null
fi
bd="${NCV_BUILD_DIR:-build/${NCV_PRESET:-default}}"
sim="$bd/tb/switch/ncv_switch_$cfg"
printf '%-6s %-6s %-9s %-12s %-10s %-8s %-9s %s\n' ber load offered accepted lat_mean lat_p99 injected result
for ber in 0 1e-5; do
  for load in 0.02 0.04 0.06 0.08 0.1 1.0; do
    out="out/bench/switch/$cfg/ber${ber}_load${load}"
    rc=0
    "$sim" +test=sw_uniform +seed=1 +bench +packets="$packets" +load="$load" +ber="$ber" +drop=0 +burst=0 \
      +max_cycles=2000000 +outdir="$out" >/dev/null || rc=$?
    perf=$(grep -o 'SW.PERF: .*' "$out/sim.log" || true)
    acc=$(sed -n 's/.*SW.PERF: \([0-9.]*\) flits.*/\1/p' <<< "$perf")
    mean=$(sed -n 's/.*latency mean \([0-9.]*\) p99.*/\1/p' <<< "$perf")
    p99=$(sed -n 's/.*p99 \([0-9]*\) cycles.*/\1/p' <<< "$perf")
    inj=$(sed -n 's/.*"injected": "\([0-9]*\)".*/\1/p' "$out/result.json" | head -1)
    offered=$(awk -v l="$load" 'BEGIN { printf "%.2f", (l * 9 > 1 ? 1 : l * 9) }')
    printf '%-6s %-6s %-9s %-12s %-10s %-8s %-9s %s\n' "$ber" "$load" "$offered" "${acc:--}" "${mean:--}" "${p99:--}" "${inj:--}" \
      "$([[ $rc == 0 ]] && echo PASS || echo "FAIL($rc)")"
  done
done
