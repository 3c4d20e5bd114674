"""The test catalogue (tb/tests.yaml): test name -> simulator target and description."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import yamlio
from .errors import UsageError
from .paths import REPO

CATALOG = REPO / "tb" / "tests.yaml"


@dataclass(frozen=True)
class TestInfo:
    name: str
    target: str
    desc: str


def load(path: Path = CATALOG) -> dict[str, TestInfo]:
    data = yamlio.load(path, "test catalogue")
    if not isinstance(data, dict):
        raise UsageError("expected a mapping of test names", path)
    out = {}
    for name, spec in data.items():
        if not isinstance(spec, dict) or not isinstance(spec.get("target"), str):
            raise UsageError("expected {target: NAME, desc: TEXT}", path, str(name))
        out[name] = TestInfo(name, spec["target"], str(spec.get("desc", "")))
    return out


def lookup(name: str) -> TestInfo:
    tests = load()
    if name not in tests:
        raise UsageError(f"unknown test '{name}' (expected one of: {', '.join(sorted(tests))})",
                         "command line", "TEST")
    return tests[name]
