#!/usr/bin/env bash
# The sled's clock gates are exact (docs/decisions/0011-tile-clock-gating.md): a test run
# with the gates on (the default) writes the same sim.log, byte for byte, as the same run
# with every edge simulated (+clock_gate=0).
#
# usage: clock_gate_equiv.sh SLED_BINARY OUTDIR TEST [PLUSARGS...]
#   GATED=uncorrected: run the gated side with +clock_gate=uncorrected (PERF_CYCLES left
#   uncorrected), the negative test of this check: it must report a difference.
# Exit 0 when the logs are identical and the gate held back edges; 1 otherwise.
set -euo pipefail
[[ $# -ge 3 ]] || { echo "usage: $0 SLED_BINARY OUTDIR TEST [PLUSARGS...]" >&2; exit 2; }
bin=$1 out=$2 test=$3
shift 3
gated=${GATED:-1}
export SC_COPYRIGHT_MESSAGE=DISABLE
rm -rf "$out/gated" "$out/ungated"
"$bin" +test="$test" +clock_gate="$gated" +outdir="$out/gated" "$@" >/dev/null || true
"$bin" +test="$test" +clock_gate=0 +outdir="$out/ungated" "$@" >/dev/null || true
for d in gated ungated; do
  [[ -s $out/$d/sim.log ]] || { echo "clock gate equivalence: $test: no sim.log in $out/$d" >&2; exit 1; }
done
held=$(sed -nE 's/.*"tile_edges_gated": "([^"]*)".*/\1/p' "$out/gated/result.json")
if ! cmp -s "$out/gated/sim.log" "$out/ungated/sim.log"; then
  echo "clock gate equivalence: $test: sim.log differs between +clock_gate=$gated and +clock_gate=0 (tile edges held: $held); first differences:"
  diff "$out/gated/sim.log" "$out/ungated/sim.log" | head -8
  exit 1
fi
total=0
for n in $held; do total=$((total + n)); done
if [[ $total -eq 0 ]]; then
  echo "clock gate equivalence: $test: the gate held no tile edge, so nothing was compared"
  exit 1
fi
echo "clock gate equivalence: $test: sim.log identical with and without the clock gates ($(wc -l <"$out/gated/sim.log") lines; tile edges held per chip: $held)"
