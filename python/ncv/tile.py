"""Driving an NCT tile through its CSR page, as firmware does (tile.md "Launch").

Works with anything that has ``csr_write(offset, value)``, ``csr_read(offset)`` and
``mem_write(addr, bytes)``: the golden model (``ncv._golden.Tile``) today, the sled's
tiles tomorrow. Register offsets come from the map generated from nct_csr.rdl.
"""

from __future__ import annotations

import importlib.util
import math
import struct
from dataclasses import dataclass, field
from functools import lru_cache

from . import isa, paths

STATES = ["IDLE", "RUN", "WAIT", "DONE", "ERR"]
INTR_BITS = {"Q_DONE0": 0, "Q_DONE1": 1, "Q_DONE2": 2, "Q_DONE3": 3, "NOTIFY": 4, "ERROR": 5, "WATCHDOG": 6,
             "NQ_OVERFLOW": 7}
NOTIFY_TYPES = {1: "HALT", 2: "NOTIFY", 3: "ERROR"}


@lru_cache(maxsize=1)
def regs() -> dict:
    """The tile's register map (name -> offset, count, stride, fields) generated from SystemRDL."""
    p = paths.build_dir() / "gen" / "regs" / "nct_csr_regs.py"
    if not p.exists():
        raise FileNotFoundError(f"{p}: the generated register map is missing; run `./ncv build` first")
    spec = importlib.util.spec_from_file_location("nct_csr_regs", p)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.REGS


def addr(name: str, i: int = 0) -> int:
    r = regs()[name]
    if not 0 <= i < r["count"]:
        raise IndexError(f"{name}[{i}]: the register array has {r['count']} elements")
    return r["offset"] + i * r["stride"]


@dataclass
class Layout:
    """Where a launch puts the queue rings and the notification ring in device memory."""

    rings: dict[int, tuple[int, int]] = field(default_factory=dict)  # queue -> (base, log2 entries)
    nq: tuple[int, int] = (0, 0)  # (base, log2 records); log2 0 = no notification ring
    end: int = 0


def plan(programs: dict[int, list[int]], at: int, nq_log2: int = 6) -> Layout:
    """Rings for each queue's program (one spare entry, so head != tail until the end),
    then the notification ring, packed from `at` (16-byte aligned)."""
    lay = Layout()
    a = (at + 15) & ~15
    for q in sorted(programs):
        lg = max(1, math.ceil(math.log2(len(programs[q]) + 1)))
        lay.rings[q] = (a, lg)
        a += 16 << lg
    if nq_log2:
        lay.nq = (a, nq_log2)
        a += 16 << nq_log2
    lay.end = a
    return lay


def launch(tile, programs: dict[int, list[int]], lay: Layout, semaphores: dict[int, int] | None = None,
           intr_enable: int = 0xFF, watchdog: int = 0) -> None:
    """tile.md's launch sequence: SOFT_RESET; rings, NQ and semaphores; programs into
    device memory; INTR_ENABLE; WATCHDOG; CTRL.ENABLE; then each Qq_TAIL."""
    tile.csr_write(addr("CTRL"), 1 << regs()["CTRL"]["fields"]["SOFT_RESET"][0])
    for q, (base, lg) in lay.rings.items():
        tile.csr_write(addr("Q_BASE_LO", q), base & 0xFFFFFFFF)
        tile.csr_write(addr("Q_BASE_HI", q), base >> 32)
        tile.csr_write(addr("Q_SIZE", q), lg)
        tile.mem_write(base, isa.to_bytes(programs[q]))
    nb, nlg = lay.nq
    tile.csr_write(addr("NQ_BASE_LO"), nb & 0xFFFFFFFF)
    tile.csr_write(addr("NQ_BASE_HI"), nb >> 32)
    tile.csr_write(addr("NQ_SIZE"), nlg)
    tile.csr_write(addr("NQ_HEAD"), 0)
    for s, v in (semaphores or {}).items():
        tile.csr_write(addr("SEM_SET", s), v)
    tile.csr_write(addr("INTR_ENABLE"), intr_enable)
    tile.csr_write(addr("WATCHDOG"), watchdog)
    tile.csr_write(addr("CTRL"), 1)  # ENABLE
    for q in sorted(programs):
        tile.csr_write(addr("Q_TAIL", q), len(programs[q]))


@dataclass
class Record:
    type: str
    queue: int
    index: int
    tag: int
    cycle: int


def notifications(tile, lay: Layout) -> list[Record]:
    """The records between NQ_HEAD and NQ_TAIL (16 bytes: type, queue, -, index, tag/code, cycle)."""
    base, lg = lay.nq
    if not lg:
        return []
    head, tail, n = tile.csr_read(addr("NQ_HEAD")), tile.csr_read(addr("NQ_TAIL")), 1 << lg
    out = []
    while head != tail:
        t, q, _r, idx, tag, cyc = struct.unpack("<BBHIII", tile.mem_read(base + 16 * head, 16))
        out.append(Record(NOTIFY_TYPES.get(t, f"type{t}"), q, idx, tag, cyc))
        head = (head + 1) % n
    return out


def status(tile) -> dict:
    """A snapshot of the CSRs a user looks at after a run."""
    r = tile.csr_read
    qs = []
    for q in range(4):
        v = r(addr("Q_STATUS", q))
        qs.append({"state": STATES[v & 7] if (v & 7) < len(STATES) else v & 7, "retired": v >> 8,
                   "head": r(addr("Q_HEAD", q)), "tail": r(addr("Q_TAIL", q))})
    intr = r(addr("INTR_STATUS"))
    err = r(addr("ERR_CODE"))
    return {
        "queues": qs,
        "busy": bool(r(addr("STATUS")) >> 8 & 1),
        "intr": [k for k, b in INTR_BITS.items() if intr >> b & 1],
        "error": None if not err else {
            "code": err, "queue": r(addr("ERR_QUEUE")), "index": r(addr("ERR_INDEX")),
            "addr": r(addr("ERR_ADDR_LO")) | r(addr("ERR_ADDR_HI")) << 32},
        "perf": {
            "cycles": r(addr("PERF_CYCLES")),
            "busy": [r(addr("PERF_BUSY", i)) for i in range(4)],
            "semwait": [r(addr("PERF_SEMWAIT", i)) for i in range(4)],
            "dma_rd": r(addr("PERF_DMA_RD")), "dma_wr": r(addr("PERF_DMA_WR")),
            "macs": r(addr("PERF_MACS_LO")) | r(addr("PERF_MACS_HI")) << 32},
    }
