"""Configure and build the CMake tree that a command needs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from . import paths
from .errors import InfraError

ALL_CONFIGS_VAR = "NCV_CONFIGS"


def _cache_value(build: Path, key: str) -> str | None:
    cache = build / "CMakeCache.txt"
    if not cache.exists():
        return None
    for line in cache.read_text().splitlines():
        if line.startswith(key + ":"):
            return line.split("=", 1)[1]
    return None


def configure(configs: list[str] | None = None, quiet: bool = True) -> Path:
    """Configure the preset's build tree if needed, with at least `configs` built."""
    build = paths.build_dir()
    have = _cache_value(build, ALL_CONFIGS_VAR)
    want = sorted(set((have.split(";") if have else ["ci"]) + (configs or [])))
    if have is not None and sorted(have.split(";")) == want and (build / "build.ninja").exists():
        return build
    cmd = ["cmake", "--preset", paths.preset(), "-B", str(build), f"-D{ALL_CONFIGS_VAR}={';'.join(want)}"]
    _run(cmd, "configure", quiet)
    return build


def build(targets: list[str] | None = None, configs: list[str] | None = None, quiet: bool = False) -> Path:
    bd = configure(configs)
    cmd = ["cmake", "--build", str(bd), "-j", str(os.cpu_count() or 2)]
    for t in targets or []:
        cmd += ["--target", t]
    try:
        _run(cmd, "build", quiet)
    except InfraError:
        # verilate() makes build.ninja depend on Verilator's outputs: after an RTL file is
        # added, ninja re-runs the old Verilator command (without it) to regenerate
        # build.ninja, and fails. A direct configure writes the new rules; then retry once.
        print("ncv: build failed; configuring again and retrying once", file=sys.stderr)
        have = _cache_value(bd, ALL_CONFIGS_VAR)
        _run(["cmake", "--preset", paths.preset(), "-B", str(bd), f"-D{ALL_CONFIGS_VAR}={have or 'ci'}"], "configure",
             quiet)
        _run(cmd, "build", quiet)
    return bd


def _run(cmd: list[str], what: str, quiet: bool) -> None:
    try:
        if quiet:
            p = subprocess.run(cmd, cwd=paths.REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            if p.returncode != 0:
                sys.stderr.write(p.stdout[-20000:])
        else:
            p = subprocess.run(cmd, cwd=paths.REPO)
    except FileNotFoundError as e:
        raise InfraError(f"{what} failed: {e.filename} not found (run ./ncv to bootstrap)") from None
    if p.returncode != 0:
        raise InfraError(f"{what} failed: {' '.join(cmd)} exited with {p.returncode}")


# Where each simulation target's binaries are built (tb/<dir>/<target>_<config>).
SIM_DIRS = {"ncv_sled": "system", "ncv_tile": "tile", "ncv_tile_cov": "tile", "ncv_switch": "switch"}


def sim_binary(target: str, config: str) -> Path:
    return paths.build_dir() / "tb" / SIM_DIRS.get(target, "system") / f"{target}_{config}"
