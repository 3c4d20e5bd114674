#!/usr/bin/env bash
# Installs what ncv needs on a Debian bookworm machine: the Debian packages of
# ci/apt-packages.txt and the pinned PyPI packages of ci/requirements.txt (into .venv).
# Idempotent; when nothing changed since the last run it only compares a stamp.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
stamp_dir="$root/.ncv"
stamp="$stamp_dir/bootstrap.stamp"
want=$(cat "$root/ci/apt-packages.txt" "$root/ci/requirements.txt" "$root/ci/bootstrap.sh" "$root/ci/verilator.sh" \
  | sha256sum | cut -d' ' -f1)

if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" && -x "$root/.venv/bin/python" && "${NCV_BOOTSTRAP_FORCE:-0}" != 1 ]]; then
  exit 0
fi

say() { echo "ncv bootstrap: $*" >&2; }

# Debian packages: install only what is missing.
mapfile -t pkgs < <(grep -vE '^\s*(#|$)' "$root/ci/apt-packages.txt")
missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  say "installing Debian packages: ${missing[*]}"
  sudo=()
  if [[ $(id -u) != 0 ]]; then
    if command -v sudo >/dev/null; then sudo=(sudo); else
      say "error: need root (or sudo) to install: ${missing[*]}"; exit 3
    fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -q >&2
  "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
fi

# Python: a venv of Debian's python3, so the interpreter, its headers and libpython match.
py=/usr/bin/python3
if [[ ! -x "$root/.venv/bin/python" ]] || ! "$root/.venv/bin/python" -c 'import sys; sys.exit(0)' 2>/dev/null; then
  say "creating .venv from $py"
  rm -rf "$root/.venv"
  "$py" -m venv "$root/.venv"
fi
say "installing pinned PyPI packages (ci/requirements.txt)"
"$root/.venv/bin/python" -m pip install -q --disable-pip-version-check -r "$root/ci/requirements.txt" >&2

"$root/ci/verilator.sh"

mkdir -p "$stamp_dir"
echo "$want" > "$stamp"
say "done"
