"""Sled configurations (configs/*.yaml): loading and validation against a schema.

A configuration names every build and run parameter once; the generators turn it into the
RTL package, the C/C++ header and Python values (see ncv.gen.params).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import yamlio
from .errors import UsageError
from .paths import REPO

CONFIG_DIR = REPO / "configs"


def _pow2(v: int) -> bool:
    return v > 0 and (v & (v - 1)) == 0


@dataclass(frozen=True)
class Field:
    kind: type
    desc: str
    lo: float | None = None
    hi: float | None = None
    choices: tuple | None = None
    pow2: bool = False
    multiple_of: int | None = None

    def expect(self) -> str:
        parts = [self.kind.__name__]
        if self.choices:
            parts = ["one of " + ", ".join(map(str, self.choices))]
        if self.lo is not None and self.hi is not None:
            parts.append(f"in {self.lo}..{self.hi}")
        if self.pow2:
            parts.append("a power of 2")
        if self.multiple_of:
            parts.append(f"a multiple of {self.multiple_of}")
        return " ".join(parts)


# The schema: section -> key -> Field. Top-level scalars live in section "".
SCHEMA: dict[str, dict[str, Field]] = {
    "": {
        "name": Field(str, "configuration name"),
        "chips": Field(int, "chips in the sled", 1, 16),
        "mode": Field(str, "run mode", choices=("rtl", "golden", "lockstep")),
    },
    "tile": {
        "P": Field(int, "partitions = PE rows = PE columns", 4, 128, pow2=True),
        "SBUF_PART_BYTES": Field(int, "SBUF bytes per partition", 1024, 262144, multiple_of=1024),
        "PSUM_PART_BYTES": Field(int, "PSUM bytes per partition", 1024, 262144, multiple_of=1024),
        "NMAX": Field(int, "largest N of one PE_MM", 16, 1024, multiple_of=16),
        "NSEM": Field(int, "semaphores", 1, 64),
        "AXI_DW": Field(int, "AXI4 master data width", 64, 512, pow2=True),
    },
    "hbm": {
        "preset": Field(str, "HBM preset", choices=("HBM3", "HBM2E")),
        "size_mib": Field(int, "modelled HBM size in MiB", 1, 65536),
    },
    "link": {
        # Defaults of every link model in the sled (ncv_cfg.h NCV_CFG_LINK_*): the delay in
        # whole cycles of the 1 GHz link clock (the model needs at least one), the
        # probability that a flit gets 1..3 flipped bits.
        "delay_ns": Field(int, "link delay in ns", 1, 100000),
        "ber": Field(float, "bit-error rate per flit", 0.0, 1.0),
    },
    "firmware": {
        "boot_timeout_us": Field(int, "boot stage timeout in microseconds", 1, 10**9),
        "march_bytes": Field(int, "bytes of each chip's HBM the boot March C- test covers (0: none)", 0, 1 << 20, multiple_of=4),
    },
}


@dataclass
class Config:
    name: str
    path: Path
    values: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    @property
    def tile(self) -> dict[str, Any]:
        return self.values["tile"]


def _check_value(path: Path, key: str, spec: Field, value: Any) -> Any:
    if spec.kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if isinstance(value, bool) or not isinstance(value, spec.kind):
        raise UsageError(f"expected {spec.expect()}, got {value!r}", path, key)
    if spec.choices and value not in spec.choices:
        raise UsageError(f"expected {spec.expect()}, got {value!r}", path, key)
    if spec.lo is not None and not (spec.lo <= value <= spec.hi):
        raise UsageError(f"expected {spec.expect()}, got {value!r}", path, key)
    if spec.pow2 and not _pow2(value):
        raise UsageError(f"expected {spec.expect()}, got {value!r}", path, key)
    if spec.multiple_of and value % spec.multiple_of:
        raise UsageError(f"expected {spec.expect()}, got {value!r}", path, key)
    if isinstance(value, float) and not math.isfinite(value):
        raise UsageError(f"expected a finite number, got {value!r}", path, key)
    return value


def validate(data: Any, path: Path) -> dict[str, Any]:
    """Check a parsed config against SCHEMA; return it with every key present."""
    if not isinstance(data, dict):
        raise UsageError("expected a mapping of configuration keys at the top level", path)
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key in SCHEMA[""]:
            out[key] = _check_value(path, key, SCHEMA[""][key], value)
        elif key in SCHEMA and key != "":
            if not isinstance(value, dict):
                raise UsageError(f"expected a mapping of {key} keys, got {value!r}", path, key)
            section = {}
            for sub, subval in value.items():
                spec = SCHEMA[key].get(sub)
                if spec is None:
                    known = ", ".join(SCHEMA[key])
                    raise UsageError(f"unknown key (expected one of: {known})", path, f"{key}.{sub}")
                section[sub] = _check_value(path, f"{key}.{sub}", spec, subval)
            out[key] = section
        else:
            known = ", ".join([k for k in SCHEMA[""]] + [k for k in SCHEMA if k])
            raise UsageError(f"unknown key (expected one of: {known})", path, str(key))
    for key in SCHEMA[""]:
        if key not in out:
            raise UsageError("missing required key", path, key)
    for section, fields in SCHEMA.items():
        if not section:
            continue
        got = out.setdefault(section, {})
        for sub in fields:
            if sub not in got:
                raise UsageError("missing required key", path, f"{section}.{sub}")
    return out


def load_file(path: Path) -> Config:
    data = yamlio.load(Path(path), "configuration")
    values = validate(data, Path(path))
    return Config(name=values["name"], path=Path(path), values=values)


def available() -> list[str]:
    return sorted(p.stem for p in CONFIG_DIR.glob("*.yaml"))


def load(name_or_path: str) -> Config:
    """Load a configuration by name (configs/NAME.yaml) or by path."""
    p = Path(name_or_path)
    if p.suffix in (".yaml", ".yml") or "/" in name_or_path:
        return load_file(p)
    path = CONFIG_DIR / f"{name_or_path}.yaml"
    if not path.exists():
        raise UsageError(
            f"unknown configuration '{name_or_path}' (expected one of: {', '.join(available())})",
            "--config",
        )
    cfg = load_file(path)
    if cfg.name != path.stem:
        raise UsageError(f"expected '{path.stem}' (the file's name), got {cfg.name!r}", path, "name")
    return cfg
