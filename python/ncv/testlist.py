"""Test lists (regressions/*.yaml): parsing, includes and validation.

Every bad field gets one error naming the file, the field path and what was expected.
The schema is documented in regressions/README.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import catalog, config, yamlio
from .errors import UsageError
from .paths import REPO

LIST_DIR = REPO / "regressions"

TOP_KEYS = {"name", "defaults", "builds", "tests", "include", "description"}
DEFAULT_KEYS = {"config": str, "timeout_s": (int, float), "seeds": int}
BUILD_KEYS = {"target": str, "config": str}
TEST_KEYS = {"name": str, "build": str, "seeds": int, "args": list, "tags": list, "timeout_s": (int, float)}


@dataclass
class Build:
    name: str
    target: str
    config: str

    @property
    def cmake_target(self) -> str:
        return f"{self.target}_{self.config}"


@dataclass
class TestEntry:
    name: str
    build: str
    seeds: int
    args: list[str]
    tags: list[str]
    timeout_s: float
    source: Path


@dataclass
class TestList:
    name: str
    path: Path
    builds: dict[str, Build] = field(default_factory=dict)
    tests: list[TestEntry] = field(default_factory=list)


def _type_name(t: Any) -> str:
    if isinstance(t, tuple):
        return "a number"
    return {str: "a string", int: "an integer", list: "a list", dict: "a mapping"}[t]


def _check(path: Path, fpath: str, value: Any, t: Any) -> Any:
    ok = isinstance(value, t) and not isinstance(value, bool)
    if not ok:
        raise UsageError(f"expected {_type_name(t)}, got {value!r}", path, fpath)
    return value


def _load_yaml(path: Path) -> dict:
    data = yamlio.load(path, "test list")
    if not isinstance(data, dict):
        raise UsageError("expected a mapping with name, builds and tests", path)
    return data


def resolve(name_or_path: str) -> Path:
    p = Path(name_or_path)
    if p.suffix in (".yaml", ".yml") or "/" in name_or_path:
        if not p.exists():
            raise UsageError("no such test list", p)
        return p
    p = LIST_DIR / f"{name_or_path}.yaml"
    if not p.exists():
        known = sorted(x.stem for x in LIST_DIR.glob("*.yaml"))
        raise UsageError(f"unknown test list '{name_or_path}' (expected one of: {', '.join(known)})", "LIST")
    return p


def load(name_or_path: str) -> TestList:
    path = resolve(name_or_path)
    tl = TestList(name="", path=path)
    _load_into(tl, path, seen=[])
    tests = catalog.load()
    configs = set(config.available())
    for b in tl.builds.values():
        if b.config not in configs:
            raise UsageError(f"unknown config '{b.config}' (expected one of: {', '.join(sorted(configs))})",
                             path, f"builds.{b.name}.config")
    for i, t in enumerate(tl.tests):
        if t.name not in tests:
            raise UsageError(f"unknown test '{t.name}' (expected one of: {', '.join(sorted(tests))})",
                             t.source, f"tests[{i}].name")
        b = tl.builds[t.build]
        # <target>_cov is the code-coverage build of <target> (same tests).
        if tests[t.name].target not in (b.target, b.target.removesuffix("_cov")):
            raise UsageError(f"test '{t.name}' runs on target '{tests[t.name].target}', build '{b.name}' "
                             f"builds '{b.target}'", t.source, f"tests[{i}].build")
    if not tl.tests:
        raise UsageError("the list has no tests", path, "tests")
    return tl


def _load_into(tl: TestList, path: Path, seen: list[Path]) -> None:
    path = path.resolve()
    if path in seen:
        raise UsageError(f"include cycle: {' -> '.join(p.name for p in seen + [path])}", path, "include")
    seen = seen + [path]
    data = _load_yaml(path)
    for k in data:
        if k not in TOP_KEYS:
            raise UsageError(f"unknown key (expected one of: {', '.join(sorted(TOP_KEYS))})", path, str(k))
    name = _check(path, "name", data.get("name"), str) if "name" in data else None
    if not tl.name:
        if name is None:
            raise UsageError("missing required key", path, "name")
        tl.name = name
    defaults = {"config": "ci", "timeout_s": 300, "seeds": 1}
    d = data.get("defaults", {}) or {}
    _check(path, "defaults", d, dict)
    for k, v in d.items():
        if k not in DEFAULT_KEYS:
            raise UsageError(f"unknown key (expected one of: {', '.join(DEFAULT_KEYS)})", path, f"defaults.{k}")
        defaults[k] = _check(path, f"defaults.{k}", v, DEFAULT_KEYS[k])
    for inc in _check(path, "include", data.get("include", []) or [], list):
        _check(path, "include[]", inc, str)
        _load_into(tl, path.parent / inc, seen)
    builds = _check(path, "builds", data.get("builds", {}) or {}, dict)
    for bname, spec in builds.items():
        _check(path, f"builds.{bname}", spec, dict)
        for k in spec:
            if k not in BUILD_KEYS:
                raise UsageError(f"unknown key (expected one of: {', '.join(BUILD_KEYS)})", path, f"builds.{bname}.{k}")
        if "target" not in spec:
            raise UsageError("missing required key", path, f"builds.{bname}.target")
        target = _check(path, f"builds.{bname}.target", spec["target"], str)
        cfg = _check(path, f"builds.{bname}.config", spec.get("config", defaults["config"]), str)
        tl.builds[bname] = Build(bname, target, cfg)
    for i, t in enumerate(_check(path, "tests", data.get("tests", []) or [], list)):
        f = f"tests[{i}]"
        _check(path, f, t, dict)
        for k in t:
            if k not in TEST_KEYS:
                raise UsageError(f"unknown key (expected one of: {', '.join(TEST_KEYS)})", path, f"{f}.{k}")
        for req in ("name", "build"):
            if req not in t:
                raise UsageError("missing required key", path, f"{f}.{req}")
            _check(path, f"{f}.{req}", t[req], str)
        if t["build"] not in tl.builds:
            raise UsageError(f"unknown build '{t['build']}' (expected one of: {', '.join(tl.builds) or 'none defined'})",
                             path, f"{f}.build")
        seeds = _check(path, f"{f}.seeds", t.get("seeds", defaults["seeds"]), int)
        if seeds < 1:
            raise UsageError(f"expected an integer >= 1, got {seeds}", path, f"{f}.seeds")
        args = _check(path, f"{f}.args", t.get("args", []), list)
        for j, a in enumerate(args):
            if not isinstance(a, str) or not a.startswith("+"):
                raise UsageError(f"expected a plusarg string like +name=value, got {a!r}", path, f"{f}.args[{j}]")
        tags = _check(path, f"{f}.tags", t.get("tags", []), list)
        timeout = _check(path, f"{f}.timeout_s", t.get("timeout_s", defaults["timeout_s"]), (int, float))
        if timeout <= 0:
            raise UsageError(f"expected a positive number, got {timeout}", path, f"{f}.timeout_s")
        tl.tests.append(TestEntry(t["name"], t["build"], seeds, list(args), [str(x) for x in tags],
                                  float(timeout), path))
