"""ncv fw run: the sled firmware for firmware developers (firmware.md, docs/firmware.md).

Builds the sled simulation (the firmware is host-compiled into it), boots it in `golden`
(default, fast) or `rtl` mode, streams the console, and stops when FW_POST reaches a code
(`--stop-post`, default READY) or after running a host-driver script (`--script`):

    # host.yaml: steps the host driver model runs after boot, in order
    steps:
      - identify: {}
      - write: {chip: 0, addr: 0x10000, f32: [1.0, 2.0]}   # or bf16, i32, i8, hex, file
      - program: {chip: 0, file: ../golden/vector_add.yaml} # inputs + rings, RUN_PROGRAM
      - read: {chip: 0, addr: 0x30000, count: 16, as: f32}  # as: f32, bf16, i32, i8, hex
      - log: {page: errors}                                 # or telemetry
      - reset_tile: {chip: 1}
      - wait_us: 10
    # any step may say `status: DMA_ERROR` (default SUCCESS): another status fails the run

`--gdb` runs the same simulation under gdb with breakpoints (`--break FUNC`, default
fw_main) in the firmware's C code.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path

from . import build as buildmod
from . import config, paths, tile, yamlio
from .errors import UsageError
from .golden_run import DTYPES, format_values, item_bytes, load_program

POST = {"START": 0x01, "POWER": 0x10, "CLOCKS": 0x20, "HBM": 0x30, "TILE": 0x40, "FABRIC": 0x50, "HOST": 0x60,
        "READY": 0x7F}
STATUS = ["SUCCESS", "INVALID_OPCODE", "INVALID_FIELD", "ABORTED", "DMA_ERROR", "QUEUE_ERROR", "DEVICE_ERROR",
          "TILE_ERROR"]
STEP_KEYS = {
    "identify": set(),
    "write": {"chip", "addr"},
    "program": {"chip", "file"},
    "read": {"chip", "addr", "count", "as"},
    "log": {"page"},
    "reset_tile": {"chip"},
    "wait_us": None,
}
LOG_PAGES = {"telemetry": 1, "errors": 2}


def post_code(s: str) -> int:
    """A POST code by name (READY, HBM, ...) or number."""
    if s.upper() in POST:
        return POST[s.upper()]
    try:
        v = int(s, 0)
    except ValueError:
        raise UsageError(f"expected a POST name ({', '.join(POST)}) or a number, got {s!r}",
                         "command line", "--stop-post") from None
    if not 0 <= v <= 0xFF:
        raise UsageError(f"expected a POST code 0..0xFF, got {s!r}", "command line", "--stop-post")
    return v


def _uint(path, field, v):
    if isinstance(v, bool) or not isinstance(v, int) or v < 0:
        raise UsageError(f"expected a non-negative integer, got {v!r}", path, field)
    return v


def compile_script(path: Path, work: Path):
    """The YAML script as the simulation's step lines (tests_fw.cpp); data files go to
    `work`. Returns (lines, reads) where reads lists (step, file, kind) to print after."""
    d = yamlio.load(path, "host script")
    if not isinstance(d, dict) or set(d) != {"steps"} or not isinstance(d["steps"], list):
        raise UsageError("expected a mapping with one key, steps: a list of steps", path)
    lines: list[str] = []
    reads: list[tuple[str, Path, str]] = []
    for i, st in enumerate(d["steps"]):
        f = f"steps[{i}]"
        if not isinstance(st, dict) or len([k for k in st if k != "status"]) != 1:
            raise UsageError(f"expected one of {', '.join(STEP_KEYS)} (and optionally status)", path, f)
        op = next(k for k in st if k != "status")
        if op not in STEP_KEYS:
            raise UsageError(f"unknown step (expected one of {', '.join(STEP_KEYS)})", path, f"{f}.{op}")
        status = st.get("status", "SUCCESS")
        if status not in STATUS:
            raise UsageError(f"expected one of {', '.join(STATUS)}, got {status!r}", path, f"{f}.status")
        expect = f" expect={status}"
        arg = st[op]
        if op == "wait_us":
            lines.append(f"wait_us {_uint(path, f'{f}.wait_us', arg)}")
            continue
        if arg is None:
            arg = {}
        if not isinstance(arg, dict):
            raise UsageError("expected a mapping of fields", path, f"{f}.{op}")
        need = STEP_KEYS[op]
        if op == "write":
            extra = set(arg) - need
        else:
            extra = set(arg) - need - ({"as"} if op == "read" else set())
        missing = need - set(arg) - ({"as"} if op == "read" else set())
        if missing:
            raise UsageError(f"missing {', '.join(sorted(missing))}", path, f"{f}.{op}")
        if op != "write" and extra:
            raise UsageError(f"unknown field {sorted(extra)[0]} (expected {', '.join(sorted(need))})", path,
                             f"{f}.{op}")
        # Chips beyond the configuration are allowed on purpose: the firmware must refuse them.
        chip = _uint(path, f"{f}.{op}.chip", arg.get("chip", 0))
        name = f"step{i}"
        if op == "identify":
            out = work / f"{name}.identify.bin"
            lines.append(f"identify {out}{expect}")
        elif op == "write":
            data = item_bytes(path, f"{f}.write", arg, path.parent, skip=("addr", "chip"))
            bf = work / f"{name}.write.bin"
            bf.write_bytes(data)
            lines.append(f"write {chip} {_uint(path, f'{f}.write.addr', arg['addr']):#x} {bf}{expect}")
        elif op == "read":
            kind = arg.get("as", "hex")
            if kind not in DTYPES:
                raise UsageError(f"expected one of {', '.join(DTYPES)}, got {kind!r}", path, f"{f}.read.as")
            n = _uint(path, f"{f}.read.count", arg["count"]) * (1 if kind == "hex" else
                                                                  {"f32": 4, "i32": 4, "bf16": 2, "i8": 1}[kind])
            out = work / f"{name}.read.bin"
            addr = _uint(path, f"{f}.read.addr", arg["addr"])
            lines.append(f"read {chip} {addr:#x} {n} {out}{expect}")
            reads.append((f"{f} read chip {chip} 0x{addr:x} [{arg['count']} {kind}]", out, kind))
        elif op == "log":
            page = arg.get("page")
            if page not in LOG_PAGES:
                raise UsageError(f"expected one of {', '.join(LOG_PAGES)}, got {page!r}", path, f"{f}.log.page")
            out = work / f"{name}.log.bin"
            lines.append(f"log {LOG_PAGES[page]} 4096 {out}{expect}")
            reads.append((f"{f} log {page}", out, "i32"))
        elif op == "reset_tile":
            lines.append(f"reset {chip}{expect}")
        elif op == "program":
            ppath = (path.parent / str(arg["file"])).resolve()
            pd, _cfg, image, programs = load_program(ppath)
            if pd.get("semaphores"):
                raise UsageError("RUN_PROGRAM starts with every semaphore 0; initial semaphores are not "
                                 "supported here", ppath, "semaphores")
            lay = tile.plan(programs, int(pd.get("rings_at", 0xF00000)))
            from . import isa

            for j, (a, b) in enumerate(image):
                bf = work / f"{name}.mem{j}.bin"
                bf.write_bytes(b)
                lines.append(f"write {chip} {a:#x} {bf}")
            ring = []
            for q in range(4):
                if q in programs:
                    base, lg = lay.rings[q]
                    bf = work / f"{name}.ring{q}.bin"
                    bf.write_bytes(isa.to_bytes(programs[q]))
                    lines.append(f"write {chip} {base:#x} {bf}")
                    ring += [f"{base:#x}", str(lg), str(len(programs[q]))]
                else:
                    ring += ["0", "0", "0"]
            nb, nlg = lay.nq
            lines.append(f"run {chip} {nb:#x} {16 << nlg if nlg else 0} {' '.join(ring)}{expect}")
    return lines, reads


def run(a) -> int:
    cfg = config.load(a.config)
    mode = a.mode
    out = a.out or paths.out_dir() / "fw" / f"{cfg.name}-{mode}-{a.seed}"
    out.mkdir(parents=True, exist_ok=True)
    plus = ["+test=fw_run", f"+seed={a.seed}", f"+mode={mode}", f"+outdir={out}",
            f"+stop_post={post_code(a.stop_post):#x}", f"+boot_timeout_us={a.timeout_us}"]
    reads = []
    if a.script:
        if post_code(a.stop_post) != POST["READY"]:
            raise UsageError("a host script runs after READY: leave --stop-post at READY", "command line", "--script")
        lines, reads = compile_script(a.script, out)
        sp = out / "host_script.txt"
        sp.write_text(f"# compiled from {a.script}\n" + "\n".join(lines) + "\n")
        plus.append(f"+script={sp}")
    buildmod.build([f"ncv_sled_{cfg.name}"], [cfg.name], quiet=True)
    binary = buildmod.sim_binary("ncv_sled", cfg.name)
    cmd = [str(binary), *plus]
    env = dict(os.environ, SC_COPYRIGHT_MESSAGE="DISABLE")
    if a.gdb:
        gdb = shutil.which("gdb")
        if not gdb:
            raise UsageError("gdb is not installed (./ncv installs it; see ci/apt-packages.txt)", "command line",
                             "--gdb")
        g = [gdb, "-q"]
        for b in a.breaks or ["fw_main"]:
            g += ["-ex", f"break {b}"]
        g += ["-ex", "run"] + (["-batch", "-ex", "bt", "-ex", "kill"] if a.gdb_batch else [])
        cmd = g + ["--args", *cmd]
    print("ncv fw run: " + " ".join(shlex.quote(c) for c in cmd), flush=True)
    rc = subprocess.run(cmd, env=env).returncode
    for what, f, kind in reads:
        if f.exists():
            print(f"ncv fw run: {what}: {format_values(f.read_bytes(), kind)}")
    print(f"ncv fw run: outputs in {out}")
    return rc
