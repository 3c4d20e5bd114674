"""ncv golden run PROGRAM.yaml: run a program on the golden model and print its retire
log, queue states, notification records, error, performance counters and memory dumps.
The program is launched through the tile's CSRs exactly as firmware launches it
(ncv.tile.launch), so this also exercises the model's register front.

    config: ci                  # tile parameters (configs/NAME.yaml)
    queues: {0: dma.s, 3: dve.s}    # assembly per queue, paths relative to this file
    memory:                     # device memory image
      - {addr: 0x10000, f32: [1.0, 2.5, -3.0]}
      - {addr: 0x20000, hex: "0011aabb"}
      - {addr: 0x30000, file: weights.bin}
    semaphores: {4: 1}          # initial values (optional)
    memory_mib: 16              # size of the flat device memory (optional, default 16)
    rings_at: 0xF00000          # where the queue rings go (optional; keep DMA away from it)
    schedule: round_robin       # or "random:SEED"
    watchdog: 100000            # WATCHDOG cycles (optional, default 0 = off)
    dump:
      - {addr: 0x40000, count: 8, as: f32}   # as: f32, bf16, i32, i8, hex
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from . import config, isa, tile, yamlio
from .errors import UsageError

KEYS = {"config", "queues", "memory", "semaphores", "schedule", "dump", "memory_mib", "rings_at", "watchdog"}
DTYPES = {"f32": np.float32, "bf16": np.uint16, "i32": np.int32, "i8": np.int8, "hex": np.uint8}
STATES = ["IDLE", "RUN", "WAIT", "DONE", "ERR"]


def _num(path, field, v):
    if isinstance(v, bool) or not isinstance(v, int) or v < 0:
        raise UsageError(f"expected a non-negative integer, got {v!r}", path, field)
    return v


def item_bytes(path: Path, f: str, m: dict, base: Path, skip=("addr",)) -> bytes:
    """The bytes of a memory item {f32|i32|i8|bf16|hex|file: ...} (other keys in `skip`)."""
    kinds = [k for k in m if k not in skip]
    if len(kinds) != 1 or kinds[0] not in ("f32", "i32", "i8", "bf16", "hex", "file"):
        raise UsageError("expected exactly one of f32, i32, i8, bf16, hex, file", path, f)
    k = kinds[0]
    try:
        if k == "file":
            return (base / m[k]).read_bytes()
        if k == "hex":
            return bytes.fromhex(str(m[k]))
        if k == "bf16":
            return np.asarray(m[k], dtype=np.uint16).tobytes()
        return np.asarray(m[k], dtype=DTYPES[k]).tobytes()
    except (OSError, ValueError, TypeError, OverflowError) as e:
        raise UsageError(f"cannot make bytes of it: {e}", path, f"{f}.{k}") from None


def format_values(raw: bytes, kind: str) -> str:
    """Memory as text: hex bytes, or values of a DTYPES kind."""
    vals = np.frombuffer(raw, dtype=np.dtype(DTYPES[kind]))
    return raw.hex() if kind == "hex" else " ".join(
        f"0x{v:04x}" if kind == "bf16" else repr(v.item()) for v in vals)


def load_program(path: Path):
    """Reads a program YAML (module docstring): returns (mapping, config, memory image as
    [(addr, bytes)], assembled programs per queue). Errors name the file and field."""
    d = yamlio.load(path, "program")
    if not isinstance(d, dict):
        raise UsageError("expected a mapping with config, queues, memory, dump", path)
    for k in d:
        if k not in KEYS:
            raise UsageError(f"unknown key (expected one of: {', '.join(sorted(KEYS))})", path, str(k))
    cfg = config.load(str(d.get("config", "ci")))
    base = path.parent
    # Device memory image.
    image: list[tuple[int, bytes]] = []
    for i, m in enumerate(d.get("memory", []) or []):
        f = f"memory[{i}]"
        if not isinstance(m, dict) or "addr" not in m:
            raise UsageError("expected {addr: N, f32|i32|i8|bf16|hex|file: ...}", path, f)
        image.append((_num(path, f"{f}.addr", m["addr"]), item_bytes(path, f, m, base)))
    # Programs.
    programs: dict[int, list[int]] = {}
    queues = d.get("queues") or {}
    if not isinstance(queues, dict) or not queues:
        raise UsageError("expected a mapping of queue number (0..3) to an assembly file", path, "queues")
    for q, src in queues.items():
        if q not in (0, 1, 2, 3):
            raise UsageError(f"expected a queue number 0..3, got {q!r}", path, "queues")
        sp = base / str(src)
        try:
            text = sp.read_text()
        except OSError as e:
            raise UsageError(f"cannot read program: {e.strerror}", path, f"queues.{q}") from None
        programs[q] = isa.assemble(text, str(sp), queue=q)
    return d, cfg, image, programs


def run(path: Path, out=print) -> int:
    from . import _golden as g

    d, cfg, image, programs = load_program(path)
    t = cfg.tile
    # Lay out memory: the image where it says, the rings (and notification ring) at rings_at.
    mem_size = _num(path, "memory_mib", d.get("memory_mib", 16)) << 20
    first_ring = _num(path, "rings_at", d.get("rings_at", 0xF00000))
    lay = tile.plan(programs, first_ring)
    if lay.end > mem_size:
        raise UsageError(f"the rings end at 0x{lay.end:x}, past the {mem_size >> 20} MiB memory", path, "rings_at")
    for i, (a, b) in enumerate(image):
        if a + len(b) > mem_size:
            raise UsageError(f"ends at 0x{a + len(b):x}, past the {mem_size >> 20} MiB memory", path, f"memory[{i}]")
        if a < lay.end and a + len(b) > first_ring:
            raise UsageError(f"overlaps the queue rings at 0x{first_ring:x}..0x{lay.end:x}", path, f"memory[{i}]")
    sems = {}
    for s, v in (d.get("semaphores") or {}).items():
        if not isinstance(s, int) or not 0 <= s < t["NSEM"]:
            raise UsageError(f"expected a semaphore 0..{t['NSEM'] - 1}, got {s!r}", path, "semaphores")
        sems[s] = _num(path, f"semaphores.{s}", v)
    sched = str(d.get("schedule", "round_robin"))
    if sched == "round_robin":
        seed = 0
    elif sched.startswith("random:") and sched[7:].isdigit() and int(sched[7:]) > 0:
        seed = int(sched[7:])
    else:
        raise UsageError(f"expected round_robin or random:SEED (SEED > 0), got {sched!r}", path, "schedule")
    c = g.Tile(t["P"], t["SBUF_PART_BYTES"], t["PSUM_PART_BYTES"], t["NMAX"], t["NSEM"], mem_size=mem_size)
    for a, b in image:
        c.mem_write(a, b)
    tile.launch(c, programs, lay, semaphores=sems, watchdog=_num(path, "watchdog", d.get("watchdog", 0)))
    steps = c.run(seed)
    # Report.
    names = {o.code: o.name for o in isa.load().opcodes.values()}
    out(f"ncv golden run: {path} (config {cfg.name}, schedule {sched}): {steps} instructions")
    st = tile.status(c)
    for q in sorted(programs):
        qs = st["queues"][q]
        out(f"queue {q}: {qs['state']}, {qs['retired']} retired")
        for idx, op, dig in c.retire_log(q):
            out(f"  q{q} #{idx:<4} {names.get(op, hex(op)):<7} digest {dig:016x}")
    for r in tile.notifications(c, lay):
        out(f"notify: {r.type:<6} q{r.queue} #{r.index} tag/code 0x{r.tag:x} cycle {r.cycle}")
    out(f"interrupts: {' '.join(st['intr']) or 'none'}, irq {'high' if c.irq() else 'low'}")
    pf = st["perf"]
    out(f"perf: {pf['cycles']} model cycles, busy {pf['busy']}, semaphore wait {pf['semwait']}, "
        f"DMA {pf['dma_rd']} B read {pf['dma_wr']} B written, {pf['macs']} MACs")
    err = st["error"]
    if err:
        out(f"error: code 0x{err['code']:02X} queue {err['queue']} index {err['index']} addr 0x{err['addr']:x}")
    for i, dm in enumerate(d.get("dump", []) or []):
        f = f"dump[{i}]"
        if not isinstance(dm, dict) or "addr" not in dm or "count" not in dm:
            raise UsageError("expected {addr: N, count: N, as: f32|bf16|i32|i8|hex}", path, f)
        kind = dm.get("as", "hex")
        if kind not in DTYPES:
            raise UsageError(f"expected one of {', '.join(DTYPES)}, got {kind!r}", path, f"{f}.as")
        dt = np.dtype(DTYPES[kind])
        addr, n = _num(path, f"{f}.addr", dm["addr"]), _num(path, f"{f}.count", dm["count"])
        try:
            raw = c.mem_read(addr, n * dt.itemsize)
        except IndexError:
            raise UsageError("outside device memory", path, f) from None
        out(f"dump 0x{addr:x} [{n} {kind}]: {format_values(raw, kind)}")
    return 1 if err else 0
