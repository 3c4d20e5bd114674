"""The host driver model from Python (host.md, docs/nhi.md "Driver API"): a thin layer
over ncv._sim that speaks NHI commands to the sled firmware (docs/firmware.md "Runtime
services"): IDENTIFY, GET_LOG, WRITE_DEVICE / READ_DEVICE, RUN_PROGRAM, RESET_TILE.

    from ncv import _sim, host
    s = _sim.Sled()                      # one simulation per process
    h = host.Host(s)
    h.bring_up()                         # boot to READY, driver bring-up, IO queue pair 1
    h.write_device(0, 0x10000, data)
    cpl = h.run_program(0, programs, image=[(0x10000, data)])
    out = h.read_device(0, 0x30000, 64)

Opcodes, statuses and event types come from the C header the firmware and the NHI model
use (models/nhi/include/ncv/nhi/nhi_proto.h), so they cannot drift apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import isa, paths, tile


@lru_cache(maxsize=1)
def proto() -> dict[str, dict[str, int]]:
    """NHI_OP_*, NHI_STS_*, NHI_EVT_* of nhi_proto.h as {"OP": {...}, "STS": {...}, "EVT": {...}}."""
    text = (paths.REPO / "models" / "nhi" / "include" / "ncv" / "nhi" / "nhi_proto.h").read_text()
    out: dict[str, dict[str, int]] = {"OP": {}, "STS": {}, "EVT": {}}
    for kind, name, val in re.findall(r"#define NHI_(OP|STS|EVT)_(\w+) (0x[0-9A-Fa-f]+)u", text):
        out[kind][name] = int(val, 16)
    return out


def status_name(s: int) -> str:
    for n, v in proto()["STS"].items():
        if v == s:
            return n
    return hex(s)


class HostError(RuntimeError):
    """A command that did not complete, or completed with an unexpected status."""


@dataclass
class Completion:
    status: int
    result: int
    cid: int

    @property
    def name(self) -> str:
        return status_name(self.status)


class Host:
    IOQ = 1

    def __init__(self, sled, timeout_us: float = 20000.0):
        self.s = sled
        self.timeout_us = timeout_us

    def bring_up(self, ioq_depth: int = 16, boot_timeout_us: float = 2000.0) -> str:
        line = self.s.run_until_ready(timeout_us=boot_timeout_us)
        if not self.s.host_bring_up():
            raise HostError(f"driver bring-up failed: {self.s.host_errors}")
        if not self.s.host_create_io_queue_pair(self.IOQ, ioq_depth):
            raise HostError(f"creating IO queue pair {self.IOQ} failed: {self.s.host_errors}")
        return line

    def command(self, q: int, op: str, nsid: int = 0, addr: int = 0, length: int = 0, cdw=(),
                expect: str | None = "SUCCESS") -> Completion:
        """Submits NHI_OP_<op> on queue q and waits; raises HostError on a timeout or when
        the status is not `expect` (None: any status)."""
        code = proto()["OP"][op]
        cid = self.s.host_submit(q, code, nsid, addr, length, list(cdw))
        if cid < 0:
            raise HostError(f"{op}: the driver refused the submission (queue {q} full or missing)")
        d = self.s.host_wait(q, cid, self.timeout_us)
        if d is None:
            raise HostError(f"{op}: no completion in {self.timeout_us} us")
        c = Completion(d["status"], d["result"], d["cid"])
        if expect is not None and c.name != expect:
            raise HostError(f"{op}: status {c.name}, expected {expect} (result 0x{c.result:x})")
        return c

    def _buffer(self, data: bytes, what: str) -> int:
        a = self.s.host_alloc(max(len(data), 1), 64, what)
        self.s.host_write(a, data)
        return a

    def identify(self) -> dict:
        buf = self.s.host_alloc(64, 64, "identify")
        c = self.command(0, "IDENTIFY", addr=buf, length=64)
        w = [int.from_bytes(self.s.host_read(buf + 4 * i, 4), "little") for i in range(16)]
        name = b"".join(x.to_bytes(4, "little") for x in w[8:16]).rstrip(b"\0").decode()
        return {"magic": w[0], "version": w[1], "chips": w[2], "P": w[3], "NSEM": w[4], "NMAX": w[5],
                "hbm_mib": w[6], "config": name, "result": c.result}

    def get_log(self, page: str = "errors") -> list[int]:
        n = {"telemetry": 1, "errors": 2}[page]
        buf = self.s.host_alloc(4096, 64, f"log {page}")
        c = self.command(0, "GET_LOG", addr=buf, length=4096, cdw=[n])
        raw = self.s.host_read(buf, c.result)
        return [int.from_bytes(raw[i:i + 4], "little") for i in range(0, len(raw), 4)]

    def write_device(self, chip: int, dev: int, data: bytes, expect: str | None = "SUCCESS") -> Completion:
        buf = self._buffer(data, f"write chip {chip} 0x{dev:x}")
        return self.command(self.IOQ, "WRITE_DEVICE", nsid=chip, addr=buf, length=len(data),
                            cdw=[dev & 0xFFFFFFFF, dev >> 32], expect=expect)

    def read_device(self, chip: int, dev: int, n: int) -> bytes:
        buf = self.s.host_alloc(n, 64, f"read chip {chip} 0x{dev:x}")
        self.command(self.IOQ, "READ_DEVICE", nsid=chip, addr=buf, length=n, cdw=[dev & 0xFFFFFFFF, dev >> 32])
        return self.s.host_read(buf, n)

    def run_program(self, chip: int, programs: dict[int, list[int]], image=(), rings_at: int = 0xF00000,
                    expect: str | None = "SUCCESS") -> Completion:
        """Places `image` ([(addr, bytes)]) and the queue rings (laid out as tile.plan does,
        so the golden model's ncv.tile.launch sees the same memory) in the chip's HBM, then
        RUN_PROGRAM."""
        lay = tile.plan(programs, rings_at)
        for a, b in image:
            self.write_device(chip, a, bytes(b))
        cdw = [0] * 11
        for q, words in programs.items():
            base, lg = lay.rings[q]
            self.write_device(chip, base, isa.to_bytes(words))
            cdw[2 * q], cdw[2 * q + 1] = base & 0xFFFFFFFF, base >> 32
            cdw[8 + q // 2] |= len(words) << (16 * (q % 2))
            cdw[10] |= lg << (8 * q)
        nb, nlg = lay.nq
        return self.command(self.IOQ, "RUN_PROGRAM", nsid=chip, addr=nb, length=(16 << nlg) if nlg else 0, cdw=cdw,
                            expect=expect)

    def reset_tile(self, chip: int, expect: str | None = "SUCCESS") -> Completion:
        return self.command(0, "RESET_TILE", cdw=[chip], expect=expect)

    def events(self) -> list[dict]:
        ev = self.s.host_events()
        names = {v: k for k, v in proto()["EVT"].items()}
        for e in ev:
            e["name"] = names.get(e["type"], hex(e["type"]))
        return ev
