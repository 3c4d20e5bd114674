"""Functional coverage JSON (written by tb/lib's CoverageDb): load and validate, merge runs,
compute coverage, list uncovered bins, render text and Markdown tables, rank runs.

Schema "ncv.coverage" version 1 (docs/user-guide.md "Functional coverage"). Coverage of a
coverpoint or cross is the share of its normal bins with hits >= goal; a group's is the
weight-averaged coverage of its items, the total the weight-averaged coverage of the groups;
items without normal bins (and groups without such items, or of weight 0) take no part, and
an average over nothing is 100%. The C++ library computes the same numbers.
"""

from __future__ import annotations

import copy
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from .errors import EXIT_PASS, UsageError

SCHEMA = "ncv.coverage"
VERSION = 1
KINDS = ("normal", "ignore", "illegal")
FILE_NAME = "coverage.json"
_U64 = 2**64 - 1


@dataclass
class Bin:
    name: str
    kind: str
    goal: int
    hits: int
    ranges: list[tuple[int, int]] | None = None  # coverpoint bins only

    @property
    def covered(self) -> bool:
        return self.kind == "normal" and self.hits >= self.goal


@dataclass
class Item:
    """A coverpoint or a cross."""

    name: str
    is_cross: bool
    weight: float
    bins: list[Bin]
    unbinned: int = 0
    points: list[str] = field(default_factory=list)  # crossed coverpoints

    @property
    def normal(self) -> int:
        return sum(b.kind == "normal" for b in self.bins)

    @property
    def covered(self) -> int:
        return sum(b.covered for b in self.bins)

    @property
    def percent(self) -> float:
        n = self.normal
        return 100.0 if n == 0 else 100.0 * self.covered / n

    @property
    def counts(self) -> bool:
        return self.weight > 0 and self.normal > 0


@dataclass
class Group:
    name: str
    instance: str
    weight: float
    per_instance: bool
    comment: str
    coverpoints: list[Item]
    crosses: list[Item]

    @property
    def full_name(self) -> str:
        return f"{self.name}/{self.instance}" if self.instance else self.name

    @property
    def items(self) -> list[Item]:
        return self.coverpoints + self.crosses

    @property
    def percent(self) -> float:
        return _weighted((it.weight, it.percent) for it in self.items if it.counts)

    @property
    def counts(self) -> bool:
        return self.weight > 0 and any(it.counts for it in self.items)


@dataclass
class Coverage:
    runs: list[dict]
    groups: list[Group]
    illegal_hits: int
    sources: list[str] = field(default_factory=list)  # files it was loaded or merged from

    @property
    def percent(self) -> float:
        return _weighted((g.weight, g.percent) for g in self.groups if g.counts)

    @property
    def normal(self) -> int:
        return sum(it.normal for g in self.groups for it in g.items)

    @property
    def covered(self) -> int:
        return sum(it.covered for g in self.groups for it in g.items)

    def uncovered(self) -> list[tuple[str, str, Bin]]:
        """(group, item, bin) of every normal bin below its goal, in file order."""
        return [(g.full_name, it.name, b) for g in self.groups for it in g.items for b in it.bins
                if b.kind == "normal" and not b.covered]

    def to_json(self) -> dict:
        def item(it: Item) -> dict:
            d: dict[str, Any] = {"name": it.name, "weight": it.weight, "percent": round(it.percent, 4),
                                 "covered": it.covered, "normal": it.normal}
            if it.is_cross:
                d["coverpoints"] = list(it.points)
            else:
                d["unbinned"] = it.unbinned
            d["bins"] = []
            for b in it.bins:
                bd: dict[str, Any] = {"name": b.name, "kind": b.kind, "goal": b.goal, "hits": b.hits}
                if b.ranges is not None:
                    bd["ranges"] = [[lo, hi] for lo, hi in b.ranges]
                d["bins"].append(bd)
            return d

        return {
            "schema": SCHEMA,
            "version": VERSION,
            "runs": copy.deepcopy(self.runs),
            "percent": round(self.percent, 4),
            "illegal_hits": self.illegal_hits,
            "groups": [{"name": g.name, "instance": g.instance, "weight": g.weight,
                        "per_instance": g.per_instance, "comment": g.comment, "percent": round(g.percent, 4),
                        "coverpoints": [item(i) for i in g.coverpoints],
                        "crosses": [item(i) for i in g.crosses]} for g in self.groups],
        }

    def write(self, path: Path) -> None:
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(self.to_json(), indent=1) + "\n")
        tmp.replace(path)  # nothing half-written on error


def _weighted(pairs: Iterable[tuple[float, float]]) -> float:
    wsum = acc = 0.0
    for w, p in pairs:
        wsum += w
        acc += w * p
    return acc / wsum if wsum > 0 else 100.0


# ---------------------------------------------------------------------------------------
# Loading and validation


class _Checker:
    """Type checks that name the file and the field of the first bad value."""

    def __init__(self, path):
        self.path = path

    def fail(self, fpath: str, message: str):
        raise UsageError(message, self.path, fpath or None)

    def obj(self, v, fpath: str, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict:
        if not isinstance(v, dict):
            self.fail(fpath, f"expected an object, got {_short(v)}")
        for k in v:
            if k not in required and k not in optional:
                self.fail(_join(fpath, k), f"unknown key (expected one of: {', '.join(required + optional)})")
        for k in required:
            if k not in v:
                self.fail(_join(fpath, k), "missing required key")
        return v

    def list(self, v, fpath: str) -> list:
        if not isinstance(v, list):
            self.fail(fpath, f"expected a list, got {_short(v)}")
        return v

    def str(self, v, fpath: str, nonempty: bool = False) -> str:
        if not isinstance(v, str):
            self.fail(fpath, f"expected a string, got {_short(v)}")
        if nonempty and not v:
            self.fail(fpath, "expected a non-empty string")
        return v

    def uint(self, v, fpath: str, minimum: int = 0) -> int:
        if isinstance(v, bool) or not isinstance(v, int) or not minimum <= v <= _U64:
            self.fail(fpath, f"expected an integer in [{minimum}, 2^64-1], got {_short(v)}")
        return v

    def weight(self, v, fpath: str) -> float:
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v < 0:
            self.fail(fpath, f"expected a number >= 0, got {_short(v)}")
        return float(v)

    def bool(self, v, fpath: str) -> bool:
        if not isinstance(v, bool):
            self.fail(fpath, f"expected true or false, got {_short(v)}")
        return v


def _join(fpath: str, key: str) -> str:
    return f"{fpath}.{key}" if fpath else key


def _short(v) -> str:
    t = json.dumps(v)
    return t if len(t) <= 40 else t[:37] + "..."


def _load_bins(c: _Checker, raw, fpath: str, cross: bool) -> list[Bin]:
    bins, seen = [], set()
    for j, rb in enumerate(c.list(raw, fpath)):
        f = f"{fpath}[{j}]"
        c.obj(rb, f, ("name", "kind", "goal", "hits") + (() if cross else ("ranges",)))
        name = c.str(rb["name"], f + ".name", nonempty=True)
        if name in seen:
            c.fail(f + ".name", f"bin '{name}' appears twice")
        seen.add(name)
        kind = c.str(rb["kind"], f + ".kind")
        if kind not in KINDS:
            c.fail(f + ".kind", f"expected one of {', '.join(KINDS)}, got {_short(kind)}")
        goal = c.uint(rb["goal"], f + ".goal", 1 if kind == "normal" else 0)
        hits = c.uint(rb["hits"], f + ".hits")
        ranges = None
        if not cross:
            ranges = []
            for r, rr in enumerate(c.list(rb["ranges"], f + ".ranges")):
                rf = f"{f}.ranges[{r}]"
                if not isinstance(rr, list) or len(rr) != 2:
                    c.fail(rf, f"expected [lo, hi], got {_short(rr)}")
                lo, hi = c.uint(rr[0], rf + "[0]"), c.uint(rr[1], rf + "[1]")
                if lo > hi:
                    c.fail(rf, f"lo {lo} > hi {hi}")
                ranges.append((lo, hi))
            if not ranges:
                c.fail(f + ".ranges", "a coverpoint bin needs at least one range")
        bins.append(Bin(name, kind, goal, hits, ranges))
    return bins


def parse(doc, path) -> Coverage:
    """Validates a decoded coverage document; `path` names it in errors."""
    c = _Checker(path)
    c.obj(doc, "", ("schema", "version", "runs", "groups", "illegal_hits"), ("percent",))
    if doc["schema"] != SCHEMA:
        c.fail("schema", f"expected \"{SCHEMA}\", got {_short(doc['schema'])}")
    if doc["version"] != VERSION or isinstance(doc["version"], bool):
        c.fail("version", f"unsupported version {_short(doc['version'])} (this ncv reads version {VERSION})")
    runs = []
    for i, r in enumerate(c.list(doc["runs"], "runs")):
        f = f"runs[{i}]"
        c.obj(r, f, ("test", "seed"), ("extra", "file"))
        c.str(r["test"], f + ".test")
        c.uint(r["seed"], f + ".seed")
        extra = r.get("extra", {})
        if not isinstance(extra, dict):
            c.fail(f + ".extra", f"expected an object, got {_short(extra)}")
        for k, v in extra.items():
            c.str(v, f"{f}.extra.{k}")
        if "file" in r:
            c.str(r["file"], f + ".file")
        runs.append(dict(r))
    illegal = c.uint(doc["illegal_hits"], "illegal_hits")
    groups, keys = [], set()
    for gi, rg in enumerate(c.list(doc["groups"], "groups")):
        f = f"groups[{gi}]"
        c.obj(rg, f, ("name", "instance", "weight", "per_instance", "coverpoints", "crosses"),
              ("comment", "percent"))
        g = Group(name=c.str(rg["name"], f + ".name", nonempty=True), instance=c.str(rg["instance"], f + ".instance"),
                  weight=c.weight(rg["weight"], f + ".weight"),
                  per_instance=c.bool(rg["per_instance"], f + ".per_instance"),
                  comment=c.str(rg.get("comment", ""), f + ".comment"), coverpoints=[], crosses=[])
        if (g.name, g.instance) in keys:
            c.fail(f + ".name", f"covergroup '{g.full_name}' appears twice")
        keys.add((g.name, g.instance))
        names: set[str] = set()
        for kind in ("coverpoints", "crosses"):
            cross = kind == "crosses"
            for ii, ri in enumerate(c.list(rg[kind], f"{f}.{kind}")):
                fi = f"{f}.{kind}[{ii}]"
                c.obj(ri, fi, ("name", "weight", "bins") + (("coverpoints",) if cross else ()),
                      ("percent", "covered", "normal") + (() if cross else ("unbinned",)))
                name = c.str(ri["name"], fi + ".name", nonempty=True)
                if name in names:
                    c.fail(fi + ".name", f"'{name}' appears twice in covergroup '{g.full_name}'")
                names.add(name)
                it = Item(name=name, is_cross=cross, weight=c.weight(ri["weight"], fi + ".weight"),
                          bins=_load_bins(c, ri["bins"], fi + ".bins", cross))
                if cross:
                    pts = [c.str(p, f"{fi}.coverpoints[{k}]") for k, p in enumerate(c.list(ri["coverpoints"],
                                                                                          fi + ".coverpoints"))]
                    known = {p.name for p in g.coverpoints}
                    for k, p in enumerate(pts):
                        if p not in known:
                            c.fail(f"{fi}.coverpoints[{k}]", f"no coverpoint '{p}' in covergroup '{g.full_name}'")
                    if len(pts) < 2:
                        c.fail(fi + ".coverpoints", "a cross needs two or more coverpoints")
                    it.points = pts
                    g.crosses.append(it)
                else:
                    it.unbinned = c.uint(ri.get("unbinned", 0), fi + ".unbinned")
                    g.coverpoints.append(it)
        groups.append(g)
    return Coverage(runs=runs, groups=groups, illegal_hits=illegal, sources=[str(path)])


def load(path: Path) -> Coverage:
    path = Path(path)
    try:
        text = path.read_text()
    except OSError as e:
        raise UsageError(f"cannot read coverage file: {e.strerror}", path) from None
    except UnicodeDecodeError:
        raise UsageError("not a coverage JSON file (not UTF-8 text)", path) from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        raise UsageError(f"not valid JSON: {e.msg} at line {e.lineno} column {e.colno}", path) from None
    cov = parse(doc, path)
    for r in cov.runs:
        r.setdefault("file", str(path))
    return cov


def find_files(inputs: Iterable[Path]) -> list[Path]:
    """Files as given; directories searched recursively for coverage.json. Each file once."""
    out, seen = [], set()
    for p in map(Path, inputs):
        if p.is_dir():
            found = sorted(p.rglob(FILE_NAME))
            if not found:
                raise UsageError(f"no {FILE_NAME} below this directory", p)
        elif p.exists():
            found = [p]
        else:
            raise UsageError("no such file or directory", p)
        for f in found:
            key = f.resolve()
            if key not in seen:
                seen.add(key)
                out.append(f)
    return out


# ---------------------------------------------------------------------------------------
# Merging


def _mismatch(src: str, first: str, where: str, what: str):
    raise UsageError(f"coverage structure differs from {first}: {where}: {what}", src)


def _merge_group(into: Group, g: Group, src: str, first: str) -> None:
    where = f"covergroup '{g.full_name}'"
    if (into.weight, into.per_instance) != (g.weight, g.per_instance):
        _mismatch(src, first, where, f"weight/per_instance {g.weight}/{g.per_instance} here, "
                                     f"{into.weight}/{into.per_instance} there")
    for kind in ("coverpoints", "crosses"):
        a, b = getattr(into, kind), getattr(g, kind)
        if [i.name for i in a] != [i.name for i in b]:
            _mismatch(src, first, where, f"{kind} {[i.name for i in b]} here, {[i.name for i in a]} there")
        for ia, ib in zip(a, b):
            w = f"{where} {kind[:-1]} '{ib.name}'"
            if ia.weight != ib.weight or ia.points != ib.points:
                _mismatch(src, first, w, "weight or crossed coverpoints differ")
            if len(ia.bins) != len(ib.bins):
                _mismatch(src, first, w, f"{len(ib.bins)} bins here, {len(ia.bins)} there")
            for k, (ba, bb) in enumerate(zip(ia.bins, ib.bins)):
                for attr in ("name", "kind", "goal", "ranges"):
                    va, vb = getattr(ba, attr), getattr(bb, attr)
                    if va != vb:
                        show = (lambda v: json.dumps([list(r) for r in v])) if attr == "ranges" else str
                        _mismatch(src, first, f"{w} bin {k} ('{bb.name}')",
                                  f"{attr} {show(vb)} here, {show(va)} there")
                ba.hits += bb.hits
            ia.unbinned += ib.unbinned


def merge(covs: list[Coverage]) -> Coverage:
    """Sums the hits of every bin over the runs. A covergroup found in some runs only is
    taken as it is; one found in several must have the same structure everywhere (same
    items, bins, kinds, goals, ranges and weights), else a UsageError names the file."""
    if not covs:
        raise UsageError("nothing to merge", "coverage")
    out = Coverage(runs=[], groups=[], illegal_hits=0)
    origin: dict[tuple[str, str], str] = {}
    for cov in covs:
        src = cov.sources[0] if cov.sources else "?"
        index = {(g.name, g.instance): g for g in out.groups}
        for g in cov.groups:
            key = (g.name, g.instance)
            if key in index:
                _merge_group(index[key], g, src, origin[key])
            else:
                out.groups.append(copy.deepcopy(g))
                origin[key] = src
        out.runs.extend(copy.deepcopy(cov.runs))
        out.illegal_hits += cov.illegal_hits
        out.sources.extend(cov.sources)
    return out


# ---------------------------------------------------------------------------------------
# Ranking


@dataclass
class Rank:
    source: str
    run: dict
    new_bins: int   # bins this run brought to their goal, given the runs ranked before it
    covered: int    # bins at their goal after this run


def rank(covs: list[Coverage]) -> tuple[list[Rank], list[Coverage]]:
    """Greedy ranking: repeatedly takes the run that brings the most bins to their goal
    (ties: the most hits towards unmet goals, then input order). Returns the ranked runs
    and the runs that add nothing."""
    merged = merge(covs)  # validates the structure
    ids: dict[tuple, int] = {}
    goals: list[int] = []
    for g in merged.groups:
        for it in g.items:
            for b in it.bins:
                if b.kind == "normal":
                    ids[(g.name, g.instance, it.name, b.name)] = len(goals)
                    goals.append(b.goal)
    sparse = []
    for cov in covs:
        hits: dict[int, int] = {}
        for g in cov.groups:
            for it in g.items:
                for b in it.bins:
                    if b.kind == "normal" and b.hits:
                        i = ids[(g.name, g.instance, it.name, b.name)]
                        hits[i] = hits.get(i, 0) + b.hits
        sparse.append(hits)
    acc = [0] * len(goals)
    covered = 0
    remaining = list(range(len(covs)))
    order: list[Rank] = []
    while remaining:
        best, best_key = None, (0, 0)
        for r in remaining:
            new = progress = 0
            for i, h in sparse[r].items():
                if acc[i] < goals[i]:
                    progress += min(h, goals[i] - acc[i])
                    new += acc[i] + h >= goals[i]
            if (new, progress) > best_key:
                best, best_key = r, (new, progress)
        if best is None:
            break
        for i, h in sparse[best].items():
            if acc[i] < goals[i] <= acc[i] + h:
                covered += 1
            acc[i] += h
        remaining.remove(best)
        cov = covs[best]
        order.append(Rank(cov.sources[0] if cov.sources else "?", cov.runs[0] if cov.runs else {}, best_key[0],
                          covered))
    return order, [covs[r] for r in remaining]


# ---------------------------------------------------------------------------------------
# Reports


def _md(text: str) -> str:
    out = []
    for ch in str(text).replace("\r", " ").replace("\n", " "):
        out.append("\\" + ch if ch in "\\`*_[]<>|#" else ch)
    return "".join(out)


def _table(headers: list[str], rows: list[list[str]], md: bool, right: set[int]) -> str:
    if md:
        lines = ["| " + " | ".join(_md(h) for h in headers) + " |",
                 "|" + "|".join("---:" if i in right else "---" for i in range(len(headers))) + "|"]
        lines += ["| " + " | ".join(_md(c) for c in row) + " |" for row in rows]
        return "\n".join(lines) + "\n"
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]

    def line(cells):
        return "  ".join(c.rjust(widths[i]) if i in right else c.ljust(widths[i])
                         for i, c in enumerate(cells)).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths])] + [line(r) for r in rows]) + "\n"


def report(cov: Coverage, fmt: str = "text", max_uncovered: int = 50, ranking: list[Rank] | None = None,
           useless: list[Coverage] | None = None) -> str:
    """Per-group table (groups, their coverpoints and crosses), uncovered bins and the
    optional ranking, as plain text (`text`) or Markdown (`md`)."""
    md = fmt == "md"
    out = []
    head = (f"Functional coverage: {cov.percent:.2f}% ({cov.covered} of {cov.normal} bins at goal, "
            f"{len(cov.runs)} run{'s' if len(cov.runs) != 1 else ''}, {cov.illegal_hits} illegal bin hits)")
    out.append(f"## {_md(head)}\n\n" if md else head + "\n")
    rows = []
    for g in cov.groups:
        rows.append([g.full_name, "", "group", f"{g.weight:g}", f"{sum(i.covered for i in g.items)}/"
                     f"{sum(i.normal for i in g.items)}", f"{g.percent:.2f}%"])
        for it in g.items:
            rows.append(["", it.name, "cross" if it.is_cross else "point", f"{it.weight:g}",
                         f"{it.covered}/{it.normal}", f"{it.percent:.2f}%"])
    out.append(_table(["covergroup", "item", "type", "weight", "bins", "coverage"], rows, md, {3, 4, 5}))
    holes = cov.uncovered()
    if holes:
        shown = holes[:max_uncovered] if max_uncovered >= 0 else holes
        out.append(f"\n{'### ' if md else ''}Uncovered bins ({len(holes)}"
                   f"{f', first {len(shown)}' if len(shown) < len(holes) else ''})\n{chr(10) if md else ''}")
        out.append(_table(["covergroup", "item", "bin", "hits", "goal"],
                          [[g, i, b.name, str(b.hits), str(b.goal)] for g, i, b in shown], md, {3, 4}))
    if ranking is not None:
        out.append(f"\n{'### ' if md else ''}Ranking (greedy: runs in the order they add bins at goal)\n"
                   f"{chr(10) if md else ''}")
        out.append(_table(["rank", "run", "test", "seed", "new bins", "bins at goal"],
                          [[str(k + 1), r.source, str(r.run.get("test", "")), str(r.run.get("seed", "")),
                            str(r.new_bins), f"{r.covered}/{cov.normal}"] for k, r in enumerate(ranking)],
                          md, {0, 3, 4, 5}))
        if useless:
            out.append(f"{len(useless)} run{'s' if len(useless) != 1 else ''} add no coverage: "
                       + ", ".join(_md(c.sources[0]) if md else c.sources[0] for c in useless) + "\n")
    return "".join(out)


def cli_merge(a) -> int:
    """`ncv cov merge FILE_OR_DIR... [-o OUT] [--report md|text] [--rank]`."""
    files = find_files(a.inputs)
    if a.output is not None:
        out_key = Path(a.output).resolve()
        files = [f for f in files if f.resolve() != out_key]
        if not files:
            raise UsageError("the only input is the output file", a.output)
    covs = [load(f) for f in files]
    merged = merge(covs)
    ranking = useless = None
    if a.rank:
        ranking, useless = rank(covs)
    if a.output is not None:
        merged.write(Path(a.output))
    print(report(merged, a.report, a.max_uncovered, ranking, useless), end="")
    if a.output is not None:
        print(f"ncv cov: merged {len(covs)} file{'s' if len(covs) != 1 else ''} -> {a.output}")
    return EXIT_PASS
