#!/usr/bin/env bash
# bench/regress: throughput and per-job overhead of `ncv regress` on the local backend.
# Runs N short jobs (tile_config on the sled, default 200) with -j J (default 2), then the
# very same N simulator command lines (their cmd.txt) with a bare `xargs -P J` loop, and
# prints: jobs per minute, runner wall, bare-loop wall, the sum of the jobs' own walls,
# and the runner's overhead per job, both against the bare loop and as
# (runner wall x J - sum of job walls) / N (the slot time a job costs beyond its own run).
# Usage: bench/regress/run.sh [N] [J]      (NCV_BUILD_DIR / NCV_PRESET select the build)
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${1:-200}
j=${2:-2}
out=out/bench/regress
rm -rf "$out"
mkdir -p "$out"
cat > "$out/list.yaml" <<YAML
name: bench_regress
builds: {sled_ci: {target: ncv_sled, config: ci}}
tests:
  - {name: tile_config, build: sled_ci, seeds: $n}
YAML
py=.venv/bin/python
[ -x "$py" ] || py=python3
export PYTHONPATH=$PWD/python SC_COPYRIGHT_MESSAGE=DISABLE
$py -m ncv build ncv_sled_ci --config ci >/dev/null
t0=$(date +%s.%N)
$py -m ncv regress "$out/list.yaml" -j "$j" --seed 1 --out "$out" > "$out/regress.log"
t1=$(date +%s.%N)
# The same command lines, bare: no classification, no database, no Python per job.
find "$out"/bench_regress-*/tile_config -name cmd.txt -print0 | sort -z | xargs -0 cat > "$out/cmds.txt"
t2=$(date +%s.%N)
tr '\n' '\0' < "$out/cmds.txt" | xargs -0 -P "$j" -I{} sh -c '{} >/dev/null 2>&1'
t3=$(date +%s.%N)
$py - "$out" "$n" "$j" "$t0" "$t1" "$t2" "$t3" <<'PY'
import sqlite3, sys
out, n, j = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
t0, t1, t2, t3 = map(float, sys.argv[4:8])
con = sqlite3.connect(f"{out}/results.db")
rid, el = con.execute("SELECT id, elapsed_s FROM runs ORDER BY id DESC LIMIT 1").fetchone()
cnt, jobsum, npass = con.execute("SELECT count(*), sum(wall_s), sum(status='PASS') FROM results WHERE run_id=?",
                                 (rid,)).fetchone()
wall, bare = t1 - t0, t3 - t2
print(f"bench regress: {cnt} jobs ({npass} pass), -j {j}, local backend")
print(f"bench regress: ncv regress wall {wall:.2f} s (runner's own clock {el:.2f} s), "
      f"{cnt / wall * 60:.0f} jobs/min")
print(f"bench regress: bare xargs -P {j} loop of the same commands {bare:.2f} s, {cnt / bare * 60:.0f} jobs/min")
print(f"bench regress: sum of job walls {jobsum:.2f} s, mean {jobsum / cnt * 1000:.1f} ms per job")
print(f"bench regress: overhead per job vs bare loop {(wall - bare) / cnt * 1000:.1f} ms; "
      f"(wall x {j} - sum of job walls) / jobs {(el * j - jobsum) / cnt * 1000:.1f} ms")
PY
