"""Verilator code coverage of a regression (regressions.md "Coverage"): every job of a
code-coverage build (for example ncv_tile_cov_<config>) writes code_coverage/*.dat in its
run directory; this merges them with verilator_coverage into OUT/code_coverage.dat and an
lcov tracefile OUT/code_coverage.info, and renders the HTML report with lcov's genhtml
into OUT/code_coverage/ (index.html). Line, toggle and cover-property points all become
lcov line records (Verilator's --write-info), so the HTML shows every kind per source line.

Debian's verilator_coverage (5.006) does the merge: the pinned Verilator's copy lacks its
binary (docs/decisions/0001-verilator.md), so it runs with VERILATOR_ROOT unset.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .errors import InfraError

VERILATOR_COVERAGE = "/usr/bin/verilator_coverage"


@dataclass
class CodeCoverage:
    files: int  # .dat files merged
    lines_hit: int
    lines_found: int
    html: Path
    info: Path

    @property
    def percent(self) -> float:
        return 100.0 * self.lines_hit / self.lines_found if self.lines_found else 0.0


def find(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("code_coverage/*.dat") if p.is_file())


def _run(cmd: list[str], what: str) -> str:
    env = {k: v for k, v in os.environ.items() if k != "VERILATOR_ROOT"}
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    except FileNotFoundError:
        raise InfraError(f"{what}: {cmd[0]} not found (Debian packages verilator and lcov; run ./ncv)") from None
    if p.returncode != 0:
        tail = (p.stderr or p.stdout).strip().splitlines()[-3:]
        raise InfraError(f"{what} failed ({' '.join(cmd[:2])} ...): {' / '.join(tail)}")
    return p.stdout


def lcov_totals(info: Path) -> tuple[int, int]:
    """Lines hit and found over every source file of an lcov tracefile, from its DA records
    (verilator_coverage writes no LH/LF summaries; a line listed twice counts once)."""
    lines: dict[tuple[str, str], bool] = {}
    sf = ""
    for line in info.read_text().splitlines():
        if line.startswith("SF:"):
            sf = line[3:]
        elif line.startswith("DA:"):
            no, count = line[3:].split(",")[:2]
            key = (sf, no)
            lines[key] = lines.get(key, False) or int(count) > 0
    return sum(lines.values()), len(lines)


def merge(out: Path, files: list[Path] | None = None) -> CodeCoverage | None:
    """Merges the runs' coverage below OUT; None when no job wrote any."""
    files = find(out) if files is None else files
    if not files:
        return None
    dat, info, html = out / "code_coverage.dat", out / "code_coverage.info", out / "code_coverage"
    # Many files: merge in batches so the command line stays short.
    batch = 200
    parts = []
    for i in range(0, len(files), batch):
        part = out / f".code_coverage_part{i // batch}.dat"
        _run([VERILATOR_COVERAGE, "--write", str(part), *map(str, files[i:i + batch])], "code coverage merge")
        parts.append(part)
    _run([VERILATOR_COVERAGE, "--write", str(dat), *map(str, parts)], "code coverage merge")
    _run([VERILATOR_COVERAGE, "--write-info", str(info), str(dat)], "code coverage lcov export")
    for p in parts:
        p.unlink()
    if html.exists():
        shutil.rmtree(html)
    _run(["genhtml", "--quiet", "--output-directory", str(html), "--title", f"ncv code coverage: {out.name}",
          str(info)], "code coverage HTML (genhtml)")
    hit, found = lcov_totals(info)
    return CodeCoverage(len(files), hit, found, html / "index.html", info)


def summary_line(cc: CodeCoverage) -> str:
    return (f"Code coverage: {cc.percent:.1f}% of lines ({cc.lines_hit}/{cc.lines_found}, line, toggle and cover "
            f"points) from {cc.files} files: {cc.html}")


_SF = re.compile(r"^SF:(.*)$", re.M)


def sources(info: Path) -> list[str]:
    return _SF.findall(info.read_text())
