"""The ncv command line: build, test, run, regress."""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shlex
import subprocess
import sys
from pathlib import Path

from . import build as buildmod
from . import catalog, config, paths
from .errors import EXIT_FAIL, EXIT_PASS, NcvError, UsageError


def _int(s: str) -> int:
    try:
        return int(s, 0)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer, got {s!r}") from None


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit status 2 (system.md)
        raise UsageError(message, "command line")


def _parser() -> argparse.ArgumentParser:
    ap = _Parser(prog="ncv", description="ncv: co-simulation and verification of the AI-accelerator sled")
    sub = ap.add_subparsers(dest="cmd", required=True, parser_class=_Parser)

    b = sub.add_parser("build", help="configure and build every target (or the named ones)")
    b.add_argument("targets", nargs="*", help="CMake targets (default: all)")
    b.add_argument("--config", action="append", default=[], help="also build simulators for this config")

    t = sub.add_parser("test", help="build everything, run CTest and pytest (cocotb tests included)")
    t.add_argument("--ctest-regex", help="only CTest tests matching this regex")
    t.add_argument("--pytest", action="append", default=[], metavar="ARG",
                   help="pytest argument instead of the default test paths (repeatable)")
    t.add_argument("-k", help="pytest -k expression")
    t.add_argument("--nightly", action="store_true", help="also run the long tests labelled nightly")

    sub.add_parser("docs", help="regenerate docs/registers/ and docs/isa.md from their sources")

    wv = sub.add_parser("waves", help="open a run's waves in GTKWave with its save file")
    wv.add_argument("run", type=Path, help="run directory (as printed by ncv run / ncv regress)")
    wv.add_argument("--print", action="store_true", help="only print the command")

    gold = sub.add_parser("golden", help="the golden model: ncv golden run PROGRAM.yaml")
    gsub = gold.add_subparsers(dest="golden_cmd", required=True, parser_class=_Parser)
    grun = gsub.add_parser("run", help="run a program (YAML: config, queues, memory, dump) on the golden model")
    grun.add_argument("program", type=Path)

    asm = sub.add_parser("asm", help="assemble an NCT program: ncv asm FILE.s -o FILE.bin")
    asm.add_argument("source", type=Path)
    asm.add_argument("-o", "--output", type=Path, required=True)
    dis = sub.add_parser("disasm", help="disassemble an NCT program binary")
    dis.add_argument("binary", type=Path)

    fw = sub.add_parser("fw", help="the sled firmware: ncv fw run [--script HOST.yaml] [--gdb]")
    fwsub = fw.add_subparsers(dest="fw_cmd", required=True, parser_class=_Parser)
    fr = fwsub.add_parser("run", help="build, boot the sled, stream the console, stop at a POST code or run a "
                          "host-driver script")
    fr.add_argument("--config", default="ci")
    fr.add_argument("--mode", choices=["golden", "rtl", "lockstep"], default="golden",
                    help="tile run mode (default golden: the fast mode)")
    fr.add_argument("--seed", type=_int, default=1)
    fr.add_argument("--stop-post", default="READY", help="stop when FW_POST reaches this code (name or number)")
    fr.add_argument("--script", type=Path, help="host-driver script (YAML) to run after READY")
    fr.add_argument("--timeout-us", type=_int, default=5000, help="simulated-time limit for boot (us)")
    fr.add_argument("--gdb", action="store_true", help="run under gdb with breakpoints in the firmware")
    fr.add_argument("--break", dest="breaks", action="append", metavar="FUNC",
                    help="gdb breakpoint (repeatable; default fw_main)")
    fr.add_argument("--gdb-batch", action="store_true", help="with --gdb: print the backtrace at the first "
                    "breakpoint and exit (for scripts)")
    fr.add_argument("--out", type=Path, help="run directory (default: out/fw/CONFIG-MODE-SEED)")

    r = sub.add_parser("run", help="run one test: ncv run TEST [+plusarg ...]")
    r.add_argument("test")
    r.add_argument("--config", default="ci")
    r.add_argument("--seed", type=lambda s: int(s, 0), help="run seed (default: random)")
    r.add_argument("--out", type=Path, help="run directory (default: out/run/TEST-SEED)")

    g = sub.add_parser("regress", help="run a test list: ncv regress LIST")
    g.add_argument("list", help="list name (regressions/NAME.yaml) or path")
    g.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 2)
    g.add_argument("--seed", type=lambda s: int(s, 0), help="base seed: job seeds derive from it reproducibly")
    g.add_argument("--fixed-seed", type=lambda s: int(s, 0), help="every job runs with this seed")
    g.add_argument("--out", type=Path, help="output root (default: out/regress)")
    g.add_argument("--backend", default="local", help="where jobs run: local (default) or slurm")
    g.add_argument("--db", type=Path, help="results database (default: OUT_ROOT/results.db, out/regress/results.db)")
    g.add_argument("--resume", nargs="?", const="latest", metavar="RUN_ID",
                   help="continue an interrupted run of this list (default: its latest): same plan, same seeds, "
                        "only jobs without a result")
    g.add_argument("--reseed", type=_int, metavar="N", help="N seeds per test instead of the list's")
    g.add_argument("--seeds-from", metavar="RUN_ID", help="replay the seeds of a previous run (a run id or latest)")
    g.add_argument("--rerun-failures", type=_int, default=0, metavar="N",
                   help="rerun up to N failing jobs per bucket with +waves +verbosity=debug (default 0)")

    rp = sub.add_parser("report", help="regenerate a regression's HTML report from the results database")
    rp.add_argument("run", nargs="?", default="latest", help="run id or latest (default)")
    rp.add_argument("--db", type=Path, help="results database (default: out/regress/results.db)")
    rp.add_argument("-o", "--output", type=Path, help="HTML file (default: the run's out dir/report.html)")

    sl = sub.add_parser("slurm", help="a private single-node Slurm cluster on this host: ncv slurm up|down|status")
    sl.add_argument("action", choices=["up", "down", "status"])
    sl.add_argument("--dir", default=None, help="cluster directory (default: out/slurm)")

    cv = sub.add_parser("cov", help="functional coverage: ncv cov merge FILE_OR_DIR...")
    cvsub = cv.add_subparsers(dest="cov_cmd", required=True, parser_class=_Parser)
    cvm = cvsub.add_parser("merge", help="merge coverage JSON files (directories: every coverage.json below)")
    cvm.add_argument("inputs", nargs="+", type=Path, metavar="FILE_OR_DIR")
    cvm.add_argument("-o", "--output", type=Path, help="write the merged coverage JSON here")
    cvm.add_argument("--report", choices=["text", "md"], default="text", help="report format (default: text)")
    cvm.add_argument("--rank", action="store_true", help="rank the runs by the coverage they add (greedy)")
    cvm.add_argument("--max-uncovered", type=int, default=50, help="uncovered bins listed (default 50, -1: all)")
    return ap


def cmd_build(a) -> int:
    for c in a.config:
        config.load(c)
    buildmod.build(a.targets or None, a.config or None)
    return EXIT_PASS


def cmd_test(a) -> int:
    bd = buildmod.build()
    env = dict(os.environ, NCV_BUILD_DIR=str(bd), SC_COPYRIGHT_MESSAGE="DISABLE")
    ctest = ["ctest", "--test-dir", str(bd), "--output-on-failure", "-j", str(os.cpu_count() or 2)]
    if a.ctest_regex:
        ctest += ["-R", a.ctest_regex]
    if not a.nightly:
        ctest += ["-LE", "nightly"]
    print("== CTest ==", flush=True)
    rc_c = subprocess.run(ctest, cwd=paths.REPO, env=env).returncode
    pytest = [sys.executable, "-m", "pytest", "-ra"]
    pytest += a.pytest or ["python/tests", "tb/cocotb"]
    if a.k:
        pytest += ["-k", a.k]
    print("== pytest ==", flush=True)
    rc_p = subprocess.run(pytest, cwd=paths.REPO, env=env).returncode
    print(f"ncv test: CTest {'passed' if rc_c == 0 else 'FAILED'}, pytest {'passed' if rc_p == 0 else 'FAILED'}")
    return EXIT_PASS if rc_c == 0 and rc_p == 0 else EXIT_FAIL


def cmd_docs(_a) -> int:
    import shutil

    bd = buildmod.build(["ncv_gen_regs_all", "ncv_gen_isa_files"], quiet=True)
    dest = paths.REPO / "docs" / "registers"
    dest.mkdir(parents=True, exist_ok=True)
    copies = [(md, dest / md.name) for md in sorted((bd / "gen" / "docs").glob("*.md"))]
    copies.append((bd / "gen" / "isa" / "isa.md", paths.REPO / "docs" / "isa.md"))
    for src, dst in copies:
        shutil.copyfile(src, dst)
        print(f"ncv docs: {dst}")
    return EXIT_PASS


def cmd_waves(a) -> int:
    import shutil

    fst, gtkw = a.run / "waves.fst", a.run / "waves.gtkw"
    if not a.run.is_dir():
        raise UsageError("no such run directory", a.run)
    if not fst.exists():
        raise UsageError("the run has no waves.fst (run it again with +waves)", a.run)
    cmd = ["gtkwave", str(gtkw) if gtkw.exists() else str(fst)]
    print("ncv waves: " + " ".join(shlex.quote(c) for c in cmd))
    if a.print or not os.environ.get("DISPLAY"):
        if not a.print:
            print("ncv waves: no DISPLAY; run the command above where one is")
        return EXIT_PASS
    if shutil.which("gtkwave") is None:
        raise UsageError("gtkwave is not installed (./ncv installs it)", "gtkwave")
    return subprocess.run(cmd, cwd=a.run).returncode


def cmd_asm(a) -> int:
    from . import isa

    try:
        text = a.source.read_text()
    except OSError as e:
        raise UsageError(f"cannot read program: {e.strerror}", a.source) from None
    data = isa.to_bytes(isa.assemble(text, str(a.source)))
    tmp = a.output.with_name(a.output.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(a.output)  # nothing half-written on error
    print(f"ncv asm: {len(data) // 16} instructions -> {a.output}")
    return EXIT_PASS


def cmd_disasm(a) -> int:
    from . import isa

    try:
        data = a.binary.read_bytes()
    except OSError as e:
        raise UsageError(f"cannot read program: {e.strerror}", a.binary) from None
    sys.stdout.write(isa.disassemble(isa.from_bytes(data, str(a.binary))))
    return EXIT_PASS


def cmd_run(a, plusargs: list[str]) -> int:
    info = catalog.lookup(a.test)
    config.load(a.config)
    seed = a.seed if a.seed is not None else secrets.randbits(32)
    out = a.out or paths.out_dir() / "run" / f"{a.test}-{seed}"
    out.mkdir(parents=True, exist_ok=True)
    for stale in ("result.json", "waves.fst", "waves.gtkw"):
        (out / stale).unlink(missing_ok=True)
    buildmod.build([f"{info.target}_{a.config}"], [a.config], quiet=True)
    binary = buildmod.sim_binary(info.target, a.config)
    cmd = [str(binary), f"+test={a.test}", f"+seed={seed}", f"+outdir={out}", *plusargs]
    print("ncv run: " + " ".join(shlex.quote(c) for c in cmd), flush=True)
    env = dict(os.environ, SC_COPYRIGHT_MESSAGE="DISABLE")
    rc = subprocess.run(cmd, env=env).returncode
    rj = out / "result.json"
    if rj.exists():
        res = json.loads(rj.read_text())
        print(f"ncv run: {res['status']} {a.test} seed {seed} config {a.config}: {res['cycles']} cycles")
        if res["status"] != "PASS":
            print(f"ncv run: {res['signature']}")
            extra = " ".join(shlex.quote(p) for p in plusargs)
            print(f"ncv run: reproduce: ./ncv run {a.test} --config {a.config} --seed {seed}" +
                  (f" {extra}" if extra else ""))
    print(f"ncv run: outputs in {out}")
    return rc


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        ap = _parser()
        a, rest = ap.parse_known_args(argv)
        plusargs = [x for x in rest if x.startswith("+")]
        unknown = [x for x in rest if not x.startswith("+")]
        if unknown or (plusargs and a.cmd != "run"):
            raise UsageError(f"unrecognised arguments: {' '.join(unknown or plusargs)}", "command line")
        if a.cmd == "build":
            return cmd_build(a)
        if a.cmd == "test":
            return cmd_test(a)
        if a.cmd == "run":
            return cmd_run(a, plusargs)
        if a.cmd == "docs":
            return cmd_docs(a)
        if a.cmd == "waves":
            return cmd_waves(a)
        if a.cmd == "golden":
            from . import golden_run

            buildmod.build(["_golden"], quiet=True)
            return golden_run.run(a.program)
        if a.cmd == "fw":
            from . import fwrun

            return fwrun.run(a)
        if a.cmd == "asm":
            return cmd_asm(a)
        if a.cmd == "disasm":
            return cmd_disasm(a)
        if a.cmd == "regress":
            from . import regress

            if a.jobs < 1:
                raise UsageError(f"expected -j >= 1, got {a.jobs}", "command line")
            return regress.regress(a.list, a.jobs, a.seed, a.fixed_seed, a.out, backend=a.backend, db_path=a.db,
                                   resume=a.resume, reseed=a.reseed, seeds_from=a.seeds_from,
                                   rerun_failures=a.rerun_failures,
                                   command_line=" ".join(shlex.quote(x) for x in ["ncv", *argv]))
        if a.cmd == "report":
            from . import report

            return report.cli(a)
        if a.cmd == "slurm":
            from . import slurm_cluster

            return slurm_cluster.main([a.action] + (["--dir", a.dir] if a.dir else []))
        if a.cmd == "cov":
            from . import coverage

            return coverage.cli_merge(a)
    except NcvError as e:
        print(f"ncv: error: {e}", file=sys.stderr)
        return e.status
    except KeyboardInterrupt:
        print("ncv: interrupted", file=sys.stderr)
        return 130
    return EXIT_PASS
