#!/usr/bin/env bash
# CI: the smoke list on the slurm backend, against a private single-node Slurm cluster started
# here in a temporary directory and stopped on exit (python/ncv/slurm_cluster.py).
#   ci/slurm-smoke.sh [extra ncv regress options, e.g. --fixed-seed 1]
# Exits with the regression's status (0 pass, 1 test failure, 2 bad input, 3 infrastructure).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
"$root/ci/bootstrap.sh"          # installs slurm-wlm, slurm-client and munge (ci/apt-packages.txt)
source "$root/ci/env.sh"
py="$root/.venv/bin/python"

# A short path: munged's and slurmstepd's Unix sockets live below it.
dir=$(mktemp -d /tmp/ncv-slurm.XXXXXX)
stop() {
  if "$py" -m ncv.slurm_cluster down --dir "$dir"; then
    rm -rf "$dir"
  else
    echo "slurm-smoke: cluster stop failed; logs in $dir/log" >&2
  fi
}
trap stop EXIT
"$py" -m ncv.slurm_cluster up --dir "$dir"
export SLURM_CONF="$dir/slurm.conf"

status=0
"$py" -m ncv regress smoke --backend slurm "$@" || status=$?
echo "slurm-smoke: ncv regress smoke --backend slurm exited with $status"
exit "$status"
