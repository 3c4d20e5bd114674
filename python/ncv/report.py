"""The static HTML report of a regression run (regressions.md "Reports"), made from the
results database: summary, failure buckets with reproduction commands and reruns, slowest
jobs, the merged functional coverage, and trends over the previous runs of the same list
(inline SVG). One self-contained file: no scripts, no external CSS, fonts or images.
Every string from the database, logs or results is HTML-escaped.

`ncv report [RUN_ID|latest] [--db PATH] [-o FILE]` regenerates it.
"""

from __future__ import annotations

import html
import time
from collections import OrderedDict
from pathlib import Path

from . import testlist, triage
from .errors import EXIT_PASS, UsageError

CSS = """
body{font-family:system-ui,sans-serif;margin:1.5em;color:#222;max-width:1200px}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 8px;text-align:left;
vertical-align:top}th{background:#f0f0f0}td.n{text-align:right}
.PASS{color:#080}.FAIL,.CRASH,.TIMEOUT{color:#b00;font-weight:bold}.INFRA,.BUILD_FAIL{color:#a60;font-weight:bold}
code,pre{font-family:ui-monospace,monospace;font-size:.9em;background:#f6f6f6;padding:1px 3px;white-space:pre-wrap;
word-break:break-all}
.big{font-size:1.3em;font-weight:bold}.muted{color:#777}
"""


def e(x) -> str:
    """HTML-escapes anything (None: empty)."""
    return html.escape("" if x is None else str(x), quote=True)


def _when(t) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(t)) if t else ""


def _table(headers: list[str], rows: list[list], numeric: set[int] = frozenset(), raw: set[int] = frozenset()) -> str:
    out = ["<table>" + ("<tr>" + "".join(f"<th>{e(h)}</th>" for h in headers) + "</tr>" if any(headers) else "")]
    for row in rows:
        cells = []
        for i, c in enumerate(row):
            cls = ' class="n"' if i in numeric else ""
            cells.append(f"<td{cls}>{c if i in raw else e(c)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def _status(s: str) -> str:
    return f'<span class="{e(s)}">{e(s)}</span>'


def load_results(db, run_id: int):
    """(jobs, results, plan) of a run as regress.Job/JobResult objects, from the database alone."""
    from .regress import Job, JobResult

    info = db.run(run_id)
    jobs = {}
    for p in db.plan(run_id):
        t = testlist.TestEntry(p["test"], p["build"], 1, list(p["args"]), list(p["tags"]), p["timeout_s"],
                               Path(info["list_path"]))
        jobs[p["idx"]] = Job(p["idx"], t, testlist.Build(p["build"], p["target"], p["config"]), p["seed"],
                             Path(p["run_dir"]), p["entry"])
    results = [JobResult(jobs[x["idx"]], x["status"], x["signature"], x["detail"], x["rc"], x["wall_s"], x["cycles"])
               for x in db.results(run_id) if x["idx"] in jobs]
    return jobs, results


def _svg_plot(title: str, xs: list[str], series: list[tuple[str, str, list[float]]], unit: str = "",
              ymax: float | None = None) -> str:
    """A small line plot: series of (name, colour, values) over run labels xs."""
    w, h, l, r, t, b = 560, 180, 50, 10, 22, 28
    vals = [v for _, _, vs in series for v in vs]
    top = ymax if ymax is not None else (max(vals) if vals and max(vals) > 0 else 1.0)
    n = len(xs)

    def px(i):
        return l + (w - l - r) * (i / (n - 1) if n > 1 else 0.5)

    def py(v):
        return t + (h - t - b) * (1 - v / top)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" role="img" '
             f'aria-label="{e(title)}"><title>{e(title)}</title>',
             f'<text x="{l}" y="14" font-size="12">{e(title)}</text>',
             f'<line x1="{l}" y1="{h - b}" x2="{w - r}" y2="{h - b}" stroke="#999"/>',
             f'<line x1="{l}" y1="{t}" x2="{l}" y2="{h - b}" stroke="#999"/>',
             f'<text x="{l - 4}" y="{t + 4}" font-size="10" text-anchor="end">{top:.4g}{e(unit)}</text>',
             f'<text x="{l - 4}" y="{h - b}" font-size="10" text-anchor="end">0</text>']
    for i, x in enumerate(xs):
        if n <= 12 or i % max(1, n // 12) == 0 or i == n - 1:
            parts.append(f'<text x="{px(i):.1f}" y="{h - b + 14}" font-size="10" text-anchor="middle">{e(x)}</text>')
    for k, (name, colour, vs) in enumerate(series):
        pts = " ".join(f"{px(i):.1f},{py(v):.1f}" for i, v in enumerate(vs))
        parts.append(f'<polyline fill="none" stroke="{e(colour)}" stroke-width="2" points="{pts}"/>')
        parts += [f'<circle cx="{px(i):.1f}" cy="{py(v):.1f}" r="3" fill="{e(colour)}"><title>{e(xs[i])}: '
                  f'{v:.4g}{e(unit)}</title></circle>' for i, v in enumerate(vs)]
        parts.append(f'<text x="{w - r - 4}" y="{14 + 12 * k}" font-size="11" text-anchor="end" '
                     f'fill="{e(colour)}">{e(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _code_coverage_section(out_dir: Path) -> str:
    """Verilator code coverage of code-coverage builds (ncv.codecov), when the run had any."""
    from . import codecov

    info = out_dir / "code_coverage.info"
    if not info.exists():
        return ""
    hit, found = codecov.lcov_totals(info)
    pct = 100.0 * hit / found if found else 0.0
    return (f"<h2>Code coverage</h2><p><span class='big'>{pct:.2f}%</span> of lines ({hit} of {found}; Verilator "
            f"line, toggle and cover points) over {len(codecov.sources(info))} source files: "
            f"<a href='code_coverage/index.html'>lcov report</a></p>")


def _coverage_section(out_dir: Path) -> str:
    from . import coverage

    f = out_dir / "coverage.json"
    if not f.exists():
        return "<p class='muted'>No functional coverage was written by this run.</p>"
    try:
        cov = coverage.load(f)
    except UsageError as err:
        return f"<p>Coverage file not readable: {e(err)}</p>"
    rows = []
    for g in cov.groups:
        rows.append([g.full_name, "", "group", f"{sum(i.covered for i in g.items)}/{sum(i.normal for i in g.items)}",
                     f"{g.percent:.2f}%"])
        for it in g.items:
            rows.append(["", it.name, "cross" if it.is_cross else "point", f"{it.covered}/{it.normal}",
                         f"{it.percent:.2f}%"])
    holes = cov.uncovered()
    s = (f"<p><span class='big'>{cov.percent:.2f}%</span> ({cov.covered} of {cov.normal} bins at goal, "
         f"{len(cov.runs)} runs, {cov.illegal_hits} illegal bin hits) from <code>{e(f)}</code></p>")
    s += _table(["covergroup", "item", "type", "bins", "coverage"], rows, {3, 4})
    if holes:
        s += f"<details><summary>Uncovered bins ({len(holes)})</summary>"
        s += _table(["covergroup", "item", "bin", "hits", "goal"],
                    [[g, i, b.name, b.hits, b.goal] for g, i, b in holes[:500]], {3, 4}) + "</details>"
    return s


def render(db, run_id: int) -> str:
    info = db.run(run_id)
    jobs, results = load_results(db, run_id)
    reruns = {x["idx"]: x for x in db.reruns(run_id)}
    npass = sum(r.status == "PASS" for r in results)
    nfail = sum(r.status == "FAIL" for r in results)
    nother = len(results) - npass - nfail
    title = f"ncv regression {info['list_name']}, run {run_id}"
    h = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{e(title)}</title>"
         f"<style>{CSS}</style></head><body>", f"<h1>{e(title)}</h1>"]
    verdict = "PASS" if npass == len(results) == info["planned"] else ("FAIL" if results else "INFRA")
    h.append(f"<p id='verdict' class='big'>{_status(verdict)} {npass} passed, {nfail} failed, {nother} other "
             f"of {len(results)} jobs ({info['planned']} planned)</p>")
    tools = "; ".join(f"{k}: {v}" for k, v in info["tools"].items())
    seeds = ", ".join(f"{k} {v}" for k, v in info["seed_options"].items() if v is not None) or "random"
    dirty = {1: " (dirty)", 0: "", None: " (dirty flag unknown)"}[info["git_dirty"]]
    meta = [["list", f"{info['list_name']} ({info['list_path']})"], ["state", info["state"]],
            ["exit status", info["exit_status"]], ["started", _when(info["started_at"])],
            ["ended", _when(info["ended_at"])], ["runner time", f"{info['elapsed_s']:.1f} s"],
            ["attempts (resumes + 1)", info["attempts"]], ["git commit", f"{info['git_commit'] or 'unknown'}{dirty}"],
            ["host", info["host"]], ["backend", f"{info['backend']} (-j {info['jobs_n']})"], ["seeds", seeds],
            ["command line", info["command_line"]], ["tools", tools], ["output", info["out_dir"]],
            ["database", db.path]]
    h.append("<h2>Summary</h2>" + _table(["", ""], meta))
    rows: OrderedDict[tuple, list] = OrderedDict()
    for r in sorted(results, key=lambda r: r.job.index):
        rows.setdefault((r.job.test.name, r.job.build.config, " ".join(r.job.test.args)), []).append(r)
    h.append(_table(["test", "config", "args", "jobs", "pass", "fail", "other", "max wall (s)", "total cycles"],
                    [[n, c, a, len(rs), sum(r.status == "PASS" for r in rs), sum(r.status == "FAIL" for r in rs),
                      sum(r.status not in ("PASS", "FAIL") for r in rs), f"{max(r.wall_s for r in rs):.2f}",
                      sum(r.cycles for r in rs)] for (n, c, a), rs in rows.items()], {3, 4, 5, 6, 7, 8}))
    missing = sorted(set(jobs) - {r.job.index for r in results})
    if missing:
        h.append(f"<p>{len(missing)} planned jobs have no result (interrupted run; resume it with "
                 f"<code>--resume {run_id}</code>).</p>")

    bks = triage.buckets(results)
    h.append(f"<h2>Failure buckets ({len(bks)})</h2>")
    if not bks:
        h.append("<p>No failures.</p>")
    for k, b in enumerate(bks):
        s = b.shortest
        h.append(f"<h3 id='bucket-{k}'>[{len(b.results)}x] {_status(b.first.status)} "
                 f"<code>{e(triage.normalise(b.first.signature))}</code></h3>")
        h.append(_bucket_table(b, s))
        rr = [reruns[r.job.index] for r in b.results if r.job.index in reruns]
        if rr:
            h.append(_table(["rerun", "status", "same failure", "signature", "waves", "run dir"],
                            [[f"{jobs[x['idx']].test.name} seed {jobs[x['idx']].seed}", x["status"],
                              "yes" if x["same"] else "NO", x["signature"], x["waves"] or "none", x["run_dir"]]
                             for x in rr]))
        h.append(f"<details><summary>All {len(b.results)} failing jobs</summary>" + _table(
            ["test", "seed", "cycles", "wall (s)", "detail", "run dir"],
            [[r.job.test.name, r.job.seed, r.cycles, f"{r.wall_s:.2f}", r.detail, r.job.run_dir]
             for r in b.results], {1, 2, 3}) + "</details>")

    h.append("<h2>Slowest jobs</h2>")
    slow = sorted(results, key=lambda r: -r.wall_s)[:15]
    h.append(_table(["test", "seed", "status", "wall (s)", "cycles", "run dir"],
                    [[r.job.test.name, r.job.seed, _status(r.status), f"{r.wall_s:.2f}", r.cycles, r.job.run_dir]
                     for r in slow], {1, 3, 4}, raw={2}))

    h.append("<h2>Functional coverage</h2>" + _coverage_section(Path(info["out_dir"])))
    h.append(_code_coverage_section(Path(info["out_dir"])))

    hist = db.history(info["list_name"], run_id)
    h.append(f"<h2>Trends ({len(hist)} runs of list {e(info['list_name'])} in this database)</h2>")
    xs = [f"#{x['id']}" for x in hist]
    rate = [100.0 * (x["pass"] or 0) / x["done"] if x["done"] else 0.0 for x in hist]
    h.append(_svg_plot("pass rate", xs, [("pass %", "#080", rate)], "%", ymax=100.0))
    h.append(_svg_plot("failing and other jobs", xs, [("fail", "#b00", [float(x["fail"] or 0) for x in hist]),
                                                      ("other", "#a60", [float((x["done"] or 0) - (x["pass"] or 0)
                                                                               - (x["fail"] or 0)) for x in hist])]))
    h.append(_svg_plot("runner time", xs, [("wall", "#06c", [float(x["elapsed_s"] or 0) for x in hist])], " s"))
    h.append(_table(["run", "started", "commit", "state", "jobs", "pass", "fail", "runner time (s)"],
                    [[f"#{x['id']}", _when(x["started_at"]), (x["git_commit"] or "")[:12], x["state"],
                      f"{x['done']}/{x['planned']}", x["pass"] or 0, x["fail"] or 0, f"{x['elapsed_s'] or 0:.1f}"]
                     for x in hist], {4, 5, 6, 7}))

    h.append(f"<details><summary>All {len(results)} jobs</summary>" + _table(
        ["#", "test", "seed", "args", "status", "signature", "wall (s)", "cycles", "run dir"],
        [[r.job.index, r.job.test.name, r.job.seed, " ".join(r.job.test.args), _status(r.status), r.signature,
          f"{r.wall_s:.2f}", r.cycles, r.job.run_dir] for r in sorted(results, key=lambda r: r.job.index)],
        {0, 2, 6, 7}, raw={4}) + "</details>")
    h.append(f"<p class='muted'>Generated {e(_when(time.time()))} by ncv report from {e(db.path)}.</p>")
    h.append("</body></html>\n")
    return "\n".join(h)


def _bucket_table(b, s) -> str:
    return _table(["", ""], [
        ["count", e(len(b.results))], ["tests", e(", ".join(sorted({r.job.test.name for r in b.results})))],
        ["first seed", e(f"{b.first.job.test.name} seed {b.first.job.seed}")],
        ["shortest failing run", e(f"{s.job.test.name} seed {s.job.seed}, {s.cycles} cycles, {s.wall_s:.2f} s")],
        ["signature (raw)", f"<code>{e(s.signature)}</code>"], ["detail", f"<code>{e(s.detail)}</code>"],
        ["reproduce", f"<code class='repro'>{e(s.repro)}</code>"], ["run dir", e(s.job.run_dir)]], raw={1})


def write(db, run_id: int, path: Path) -> None:
    text = render(db, run_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def cli(a) -> int:
    """`ncv report [RUN_ID|latest] [--db PATH] [-o FILE]`."""
    from . import regress, resultsdb

    dbp = a.db or regress.default_db(None)
    if not dbp.exists():
        raise UsageError("no such results database (run ncv regress first, or give --db)", dbp)
    db = resultsdb.ResultsDb(dbp)
    run_id = db.resolve(a.run)
    out = a.output or Path(db.run(run_id)["out_dir"]) / "report.html"
    try:
        write(db, run_id, out)
    except OSError as err:
        raise UsageError(f"cannot write the report: {err.strerror}", out) from None
    print(f"ncv report: run {run_id} -> {out}")
    return EXIT_PASS
