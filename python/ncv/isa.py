"""The NCT instruction set from models/golden/data/isa.yaml: encoding, assembler and
disassembler.

Assembly, one instruction per line:

    .sem ready 5                    # a semaphore name
    .queue 0                        # optional: check that opcodes are legal on queue 0
    DMA_LD addr=0x1000 pr=0:4 sb_off=0 bytes=64 stride_r=0 post=ready
    TT pr=0:4 a=sbuf:fp32:0 b=sbuf:fp32:0x40 dst=psum:fp32:0 len=16 alu=add wait=ready:1
    .word 0x0123...                 # a raw 128-bit word

`wait=SEM:VAL` and `post=SEM` are the header; every payload field must be given once.
Composite fields take their parts separated by ':' (PR = start:count, OPD =
mem:dtype:offset). Comments start with '#' or ';'. The disassembler prints this form, and
assembling its output gives back the same words, for every 128-bit word (words that are
no valid instruction print as `.word`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import yamlio
from .errors import UsageError
from .paths import REPO

ISA_YAML = REPO / "models" / "golden" / "data" / "isa.yaml"
MASK128 = (1 << 128) - 1


@dataclass(frozen=True)
class Leaf:
    path: str  # "addr", "pr.p_start"
    lsb: int
    bits: int
    kind: str = "u"  # u s m1 z4096 enum
    enum: str | None = None


@dataclass(frozen=True)
class Field:
    name: str
    leaves: tuple[Leaf, ...]  # one for a plain field, several for a composite


@dataclass(frozen=True)
class Opcode:
    name: str
    code: int
    queues: tuple[int, ...]
    fields: tuple[Field, ...]
    payload_lsb: int  # lowest used payload bit; bits below it are reserved


@dataclass(frozen=True)
class Isa:
    header: dict
    enums: dict[str, dict[str, int]]
    opcodes: dict[str, Opcode]
    by_code: dict[int, Opcode]


@lru_cache(maxsize=None)
def load(path: Path = ISA_YAML) -> Isa:
    d = yamlio.load(path, "ISA description")
    header = {h["name"]: h for h in d["header"]}
    enums = {k: dict(v) for k, v in d["enums"].items()}
    opcodes = {}
    for name, spec in d["opcodes"].items():
        pos = d["payload_msb"] + 1
        fields = []
        for f in spec["fields"]:
            parts = d["types"][f["type"]] if "type" in f else [f]
            leaves = []
            for p in parts:
                pos -= p["bits"]
                path = f"{f['name']}.{p['name']}" if "type" in f else f["name"]
                leaves.append(Leaf(path, pos, p["bits"], p.get("kind", "u"), p.get("enum")))
            fields.append(Field(f["name"], tuple(leaves)))
        if pos < 0:
            raise UsageError(f"payload of {name} needs {d['payload_msb'] + 1 - pos} bits", path, f"opcodes.{name}")
        opcodes[name] = Opcode(name, spec["code"], tuple(spec["queues"]), tuple(fields), pos)
    return Isa(header, enums, opcodes, {o.code: o for o in opcodes.values()})


def _get(word: int, lsb: int, bits: int) -> int:
    return (word >> lsb) & ((1 << bits) - 1)


def _put(word: int, lsb: int, bits: int, value: int) -> int:
    return word | ((value & ((1 << bits) - 1)) << lsb)


# ----------------------------------------------------------------------------- decoding

def _leaf_text(isa: Isa, leaf: Leaf, raw: int) -> str:
    if leaf.kind == "enum":
        names = {v: k for k, v in isa.enums[leaf.enum].items()}
        return names.get(raw, str(raw))
    if leaf.kind == "m1":
        return str(raw + 1)
    if leaf.kind == "z4096":
        return str(raw if raw else 1 << leaf.bits)
    if leaf.kind == "s":
        return str(raw - (1 << leaf.bits) if raw >> (leaf.bits - 1) else raw)
    if leaf.path.endswith("off") or leaf.path == "addr" or leaf.path.endswith("imm"):
        return hex(raw)
    return str(raw)


def decode(word: int) -> tuple[Opcode, dict] | None:
    """The opcode and the raw leaf values of a valid instruction word; None otherwise."""
    isa = load()
    op = isa.by_code.get(_get(word, 120, 8))
    if op is None or _get(word, 0, op.payload_lsb) != 0:
        return None
    vals = {leaf.path: _get(word, leaf.lsb, leaf.bits) for f in op.fields for leaf in f.leaves}
    for h in ("wait_sem", "wait_val", "post_sem"):
        spec = isa.header[h]
        vals[h] = _get(word, spec["lsb"], spec["msb"] - spec["lsb"] + 1)
    return op, vals


def disassemble_word(word: int) -> str:
    isa = load()
    dec = decode(word)
    if dec is None:
        return f".word 0x{word:032x}"
    op, v = dec
    parts = [op.name]
    for f in op.fields:
        parts.append(f.name + "=" + ":".join(_leaf_text(isa, leaf, v[leaf.path]) for leaf in f.leaves))
    if (v["wait_sem"], v["wait_val"]) != (63, 0):
        parts.append(f"wait={'none' if v['wait_sem'] == 63 else v['wait_sem']}:{v['wait_val']}")
    if v["post_sem"] != 63:
        parts.append(f"post={v['post_sem']}")
    return " ".join(parts)


def disassemble(words: list[int]) -> str:
    return "".join(disassemble_word(w) + "\n" for w in words)


# ----------------------------------------------------------------------------- assembling

class AsmError(UsageError):
    def __init__(self, src: str, line: int, col: int, message: str):
        Exception.__init__(self, f"{src}:{line}:{col}: {message}")


def _int(text: str) -> int:
    return int(text, 0)


def assemble(text: str, src: str = "<input>", queue: int | None = None) -> list[int]:
    """Assembles a program; raises AsmError naming file, line, column and what was expected.
    `queue` checks every opcode against that queue (as a `.queue` line would)."""
    isa = load()
    sems: dict[str, int] = {}
    words = []
    for ln, raw in enumerate(text.splitlines(), 1):
        line = raw
        for c in ("#", ";"):
            if c in line:
                line = line[: line.index(c)]
        if not line.strip():
            continue
        toks = []  # (text, column)
        col = 0
        for t in line.split():
            col = line.index(t, col)
            toks.append((t, col + 1))
            col += len(t)
        head, hcol = toks[0]

        def err(col, msg):
            raise AsmError(src, ln, col, msg)

        if head == ".sem":
            if len(toks) != 3 or not toks[1][0].isidentifier():
                err(hcol, "expected '.sem NAME NUMBER'")
            try:
                n = _int(toks[2][0])
            except ValueError:
                err(toks[2][1], f"expected a semaphore number 0..62, got '{toks[2][0]}'")
            if not 0 <= n <= 62:
                err(toks[2][1], f"expected a semaphore number 0..62, got {n}")
            sems[toks[1][0]] = n
            continue
        if head == ".queue":
            if len(toks) != 2 or toks[1][0] not in ("0", "1", "2", "3"):
                err(hcol, "expected '.queue 0|1|2|3'")
            queue = int(toks[1][0])
            continue
        if head == ".word":
            if len(toks) != 2:
                err(hcol, "expected '.word 0x<128-bit value>'")
            try:
                w = _int(toks[1][0])
            except ValueError:
                err(toks[1][1], f"expected a number, got '{toks[1][0]}'")
            if not 0 <= w <= MASK128:
                err(toks[1][1], "expected a value that fits in 128 bits")
            words.append(w)
            continue
        op = isa.opcodes.get(head)
        if op is None:
            err(hcol, f"unknown opcode '{head}' (expected one of: {', '.join(isa.opcodes)}, .sem, .queue, .word)")
        if queue is not None and queue not in op.queues:
            err(hcol, f"{op.name} is not legal on queue {queue} (legal on: {', '.join(map(str, op.queues))})")
        word = _put(0, 120, 8, op.code)
        wait_sem, wait_val, post_sem = 63, 0, 63
        given = set()
        fields = {f.name: f for f in op.fields}
        for t, c in toks[1:]:
            if "=" not in t:
                err(c, f"expected name=value, got '{t}'")
            name, value = t.split("=", 1)
            if name in given:
                err(c, f"field '{name}' given twice")
            given.add(name)
            if name == "wait":
                s, _, v = value.partition(":")
                wait_sem = 63 if s == "none" else sems.get(s, None)
                if wait_sem is None:
                    try:
                        wait_sem = _int(s)
                    except ValueError:
                        err(c, f"expected wait=SEM:VALUE with SEM a number or a .sem name, got '{s}'")
                try:
                    wait_val = _int(v)
                except ValueError:
                    err(c, f"expected wait=SEM:VALUE, got '{value}'")
                if not (0 <= wait_sem <= 63 and 0 <= wait_val < 4096):
                    err(c, "expected a semaphore 0..62 and a value 0..4095")
                continue
            if name == "post":
                post_sem = sems.get(value, None)
                if post_sem is None:
                    try:
                        post_sem = _int(value)
                    except ValueError:
                        err(c, f"expected post=SEM with SEM a number or a .sem name, got '{value}'")
                if not 0 <= post_sem <= 63:
                    err(c, f"expected a semaphore 0..62, got {post_sem}")
                continue
            f = fields.get(name)
            if f is None:
                err(c, f"{op.name} has no field '{name}' (expected: {', '.join(fields)}, wait, post)")
            parts = value.split(":")
            if len(parts) != len(f.leaves):
                want = ":".join(leaf.path.split(".")[-1] for leaf in f.leaves)
                err(c, f"field '{name}' expects {want}")
            for leaf, p in zip(f.leaves, parts):
                word = _put(word, leaf.lsb, leaf.bits, _encode_leaf(isa, leaf, p, lambda m: err(c, m)))
        missing = [f for f in fields if f not in given]
        if missing:
            err(hcol, f"{op.name} is missing field(s): {', '.join(missing)}")
        word = _put(word, 114, 6, wait_sem)
        word = _put(word, 102, 12, wait_val)
        word = _put(word, 96, 6, post_sem)
        words.append(word)
    return words


def _encode_leaf(isa: Isa, leaf: Leaf, text: str, err) -> int:
    name = leaf.path
    if leaf.kind == "enum" and text in isa.enums[leaf.enum]:
        return isa.enums[leaf.enum][text]
    try:
        v = _int(text)
    except ValueError:
        if leaf.kind == "enum":
            err(f"{name}: expected one of {', '.join(isa.enums[leaf.enum])} or a number, got '{text}'")
        err(f"{name}: expected a number, got '{text}'")
    top = 1 << leaf.bits
    if leaf.kind == "m1":
        if not 1 <= v <= top:
            err(f"{name}: expected a count 1..{top}, got {v}")
        return v - 1
    if leaf.kind == "z4096":
        if not 1 <= v <= top:
            err(f"{name}: expected 1..{top}, got {v}")
        return v % top
    if leaf.kind == "s":
        if not -(top >> 1) <= v < (top >> 1):
            err(f"{name}: expected {-(top >> 1)}..{(top >> 1) - 1}, got {v}")
        return v & (top - 1)
    if not 0 <= v < top:
        err(f"{name}: expected 0..{top - 1}, got {v}")
    return v


def to_bytes(words: list[int]) -> bytes:
    """Little-endian 16-byte words, as the tile fetches them from device memory."""
    return b"".join(w.to_bytes(16, "little") for w in words)


def from_bytes(data: bytes, src: str = "<input>") -> list[int]:
    if len(data) % 16:
        raise UsageError(f"expected a multiple of 16 bytes, got {len(data)}", src)
    return [int.from_bytes(data[i:i + 16], "little") for i in range(0, len(data), 16)]
