"""SystemRDL register maps -> RTL register block, C header, Python map and Markdown docs.

The RTL block comes from PeakRDL-regblock (AXI4-Lite CPU interface). The C header,
the Python map, the docs and (for blocks with their own decoder, like the switch) a
SystemVerilog package of address and field constants come from our own walk of the
elaborated SystemRDL so that offsets, masks, shifts, reset values and access types have
names we control.

Arrays: a register array, a register in a regfile array, or a register array in a regfile
array (two levels, e.g. PORT[8].LINK_CNT[64]); deeper nesting is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from systemrdl import RDLCompiler, RDLCompileError
from systemrdl.node import AddrmapNode, FieldNode, RegfileNode, RegNode

from ..errors import UsageError


@dataclass
class Fld:
    name: str
    lsb: int
    msb: int
    access: str
    reset: int | None
    desc: str

    @property
    def mask(self) -> int:
        return ((1 << (self.msb - self.lsb + 1)) - 1) << self.lsb


@dataclass
class Reg:
    name: str
    offset: int
    access: str
    desc: str
    count: int = 1
    stride: int = 0
    fields: list[Fld] = field(default_factory=list)
    # Array dimensions outer to inner as (count, stride); count/stride are dims[0].
    dims: list[tuple[int, int]] = field(default_factory=list)

    def mask(self, *access: str) -> int:
        return sum(f.mask for f in self.fields if f.access in access)

    @property
    def reset(self) -> int:
        return sum((f.reset or 0) << f.lsb for f in self.fields)

    @property
    def reset_mask(self) -> int:
        return sum(f.mask for f in self.fields if f.reset is not None)


@dataclass
class Block:
    """A regfile array (PORT[8]): its registers share the index."""

    name: str
    offset: int
    count: int
    stride: int


@dataclass
class RegMap:
    name: str
    desc: str
    size: int
    regs: list[Reg]
    blocks: list[Block] = field(default_factory=list)


def _access(f: FieldNode) -> str:
    sw = f.get_property("sw").name
    onread = f.get_property("onread")
    onwrite = f.get_property("onwrite")
    if onwrite is not None and onwrite.name == "woclr":
        return "W1C"
    if f.get_property("singlepulse"):
        return "RW1P"  # reads 0, a written 1 lasts one cycle
    if onread is not None and onread.name == "rclr":
        return "RC"
    return {"r": "RO", "w": "WO", "rw": "RW", "w1": "WO", "rw1": "RW"}.get(sw, sw.upper())


def _reg_access(fields: list[Fld]) -> str:
    kinds = sorted({f.access for f in fields})
    return kinds[0] if len(kinds) == 1 else "/".join(kinds)


def compile_rdl(path: Path) -> AddrmapNode:
    from peakrdl_regblock.udps import ALL_UDPS

    rdlc = RDLCompiler()
    for udp in ALL_UDPS:
        rdlc.register_udp(udp)
    try:
        rdlc.compile_file(str(path))
        return rdlc.elaborate().top
    except RDLCompileError as e:
        raise UsageError(f"SystemRDL does not compile: {e}", path) from None


def regmap(top: AddrmapNode) -> RegMap:
    regs, blocks = [], []
    for node in top.descendants(unroll=False):
        if isinstance(node, RegfileNode) and node.is_array:
            if len(node.array_dimensions) != 1:
                raise UsageError("nested arrays are not supported by the header generator", None)
            blocks.append(Block(node.inst_name, node.raw_absolute_address - top.raw_absolute_address,
                                node.array_dimensions[0], node.array_stride))
        if not isinstance(node, RegNode):
            continue
        fields = [
            Fld(
                name=f.inst_name,
                lsb=f.lsb,
                msb=f.msb,
                access=_access(f),
                reset=f.get_property("reset"),
                desc=(f.get_property("desc") or "").strip(),
            )
            for f in node.fields()
        ]
        # Name: the path below the top (Q_BASE_LO for BASE_LO in regfile array Q). At most
        # two array levels, each one-dimensional.
        names, dims, n = [], [], node
        while n is not None and n is not top:
            names.append(n.inst_name)
            if getattr(n, "is_array", False):
                if len(n.array_dimensions) != 1 or len(dims) == 2:
                    raise UsageError("nested arrays are not supported by the header generator", None)
                dims.insert(0, (n.array_dimensions[0], n.array_stride))
            n = n.parent
        count, stride = dims[0] if dims else (1, 0)
        regs.append(
            Reg(
                name="_".join(reversed(names)),
                offset=node.raw_absolute_address - top.raw_absolute_address,
                access=_reg_access(fields),
                desc=(node.get_property("desc") or node.get_property("name") or "").strip(),
                count=count,
                stride=stride,
                fields=fields,
                dims=dims,
            )
        )
    regs.sort(key=lambda r: r.offset)
    return RegMap(top.inst_name, (top.get_property("desc") or "").strip(), top.size, regs, blocks)


def _c_index(r: Reg) -> tuple[str, str]:
    """('(i, j)', ' + (i) * 0x200u + (j) * 0x4u') for the address macro of an array."""
    idx = "ij"[: len(r.dims)]
    terms = "".join(f" + ({v}) * 0x{s:X}u" for v, (_, s) in zip(idx, r.dims))
    return "(" + ", ".join(idx) + ")", terms


def c_header(m: RegMap, src: str) -> str:
    p = m.name.upper()
    out = [
        f"/* Generated by ncv.gen.regs from {src}; do not edit. */",
        f"#ifndef {p}_REGS_H",
        f"#define {p}_REGS_H",
        "",
        f"#define {p}_SIZE 0x{m.size:X}u",
    ]
    for b in m.blocks:
        out.append("")
        out.append(f"/* Block {b.name}[{b.count}] */")
        out.append(f"#define {p}_{b.name}(i) (0x{b.offset:03X}u + (i) * 0x{b.stride:X}u)")
        out.append(f"#define {p}_{b.name}_COUNT {b.count}u")
    for r in m.regs:
        out.append("")
        out.append(f"/* {r.name} ({r.access}): {r.desc.splitlines()[0] if r.desc else ''} */")
        if len(r.dims) == 2:
            args, terms = _c_index(r)
            out.append(f"#define {p}_{r.name}{args} (0x{r.offset:03X}u{terms})")
            out.append(f"#define {p}_{r.name}_COUNT {r.dims[0][0]}u")
            out.append(f"#define {p}_{r.name}_COUNT1 {r.dims[1][0]}u")
        elif r.count > 1:
            out.append(f"#define {p}_{r.name}(i) (0x{r.offset:03X}u + (i) * 0x{r.stride:X}u)")
            out.append(f"#define {p}_{r.name}_COUNT {r.count}u")
        else:
            out.append(f"#define {p}_{r.name} 0x{r.offset:03X}u")
        reset = 0
        for f in r.fields:
            out.append(f"#define {p}_{r.name}_{f.name}_SHIFT {f.lsb}u")
            out.append(f"#define {p}_{r.name}_{f.name}_MASK 0x{f.mask:08X}u")
            reset |= (f.reset or 0) << f.lsb
        out.append(f"#define {p}_{r.name}_RESET 0x{reset:08X}u")
    # One line per register for code that walks the map (register tests, dumps).
    out += [
        "",
        "/* Every register: X(name, offset, count, stride, count1, stride1, reset, reset_mask,",
        " * rw_mask, w1c_mask, ro_mask). count1/stride1: the inner index of a two-level array",
        " * (else 1, 0). reset_mask: bits with a reset value; rw_mask: bits that read back what",
        " * is written; w1c_mask: write-1-to-clear bits; ro_mask: read-only bits. */",
        f"#define {p}_REG_LIST(X) \\",
    ]
    for k, r in enumerate(m.regs):
        (c0, s0), (c1, s1) = (r.dims + [(1, 0), (1, 0)])[:2]
        cont = " \\" if k + 1 < len(m.regs) else ""
        out.append(f"  X({r.name}, 0x{r.offset:03X}u, {c0}u, 0x{s0:X}u, {c1}u, 0x{s1:X}u, 0x{r.reset:08X}u, "
                   f"0x{r.reset_mask:08X}u, 0x{r.mask('RW'):08X}u, 0x{r.mask('W1C'):08X}u, "
                   f"0x{r.mask('RO'):08X}u){cont}")
    out += ["", f"#endif /* {p}_REGS_H */"]
    return "\n".join(out) + "\n"


def python_module(m: RegMap, src: str) -> str:
    lines = [f'"""Generated by ncv.gen.regs from {src}; do not edit."""', ""]
    lines.append(f"NAME = {m.name!r}")
    lines.append(f"SIZE = 0x{m.size:X}")
    lines.append("REGS = {")
    for r in m.regs:
        fl = ", ".join(f"{f.name!r}: ({f.lsb}, {f.msb}, {f.access!r}, {f.reset!r})" for f in r.fields)
        dims = ", ".join(f"({c}, {s})" for c, s in r.dims)
        lines.append(f"    {r.name!r}: {{'offset': 0x{r.offset:03X}, 'count': {r.count}, "
                     f"'stride': {r.stride}, 'dims': [{dims}], 'access': {r.access!r}, 'fields': {{{fl}}}}},")
    lines.append("}")
    lines.append("BLOCKS = {")
    for b in m.blocks:
        lines.append(f"    {b.name!r}: {{'offset': 0x{b.offset:03X}, 'count': {b.count}, 'stride': {b.stride}}},")
    lines.append("}")
    return "\n".join(lines) + "\n"


def markdown(m: RegMap, src: str) -> str:
    out = [f"# Register map: {m.name}", "", f"<!-- Generated by ncv.gen.regs from {src}; do not edit. -->", ""]
    if m.desc:
        out += [m.desc, ""]
    out += ["| offset | register | access | reset | description |", "|---|---|---|---|---|"]
    for r in m.regs:
        reset = sum((f.reset or 0) << f.lsb for f in r.fields)
        if len(r.dims) == 2:
            (c0, s0), (c1, s1) = r.dims
            off = f"0x{r.offset:03X} + 0x{s0:X}*i + 0x{s1:X}*j (i < {c0}, j < {c1})"
        else:
            off = f"0x{r.offset:03X}" if r.count == 1 else f"0x{r.offset:03X} + 0x{r.stride:X}*i (i < {r.count})"
        first = r.desc.splitlines()[0] if r.desc else ""
        out.append(f"| {off} | {r.name} | {r.access} | 0x{reset:08X} | {first} |")
    for r in m.regs:
        out += ["", f"## {r.name}", ""]
        if r.desc:
            out += [r.desc, ""]
        out += ["| bits | field | access | reset | description |", "|---|---|---|---|---|"]
        for f in sorted(r.fields, key=lambda f: -f.lsb):
            bits = f"{f.msb}" if f.msb == f.lsb else f"{f.msb}:{f.lsb}"
            reset = "-" if f.reset is None else f"0x{f.reset:X}"
            desc = " ".join(f.desc.split()).replace("|", "\\|")
            out.append(f"| {bits} | {f.name} | {f.access} | {reset} | {desc} |")
    return "\n".join(out) + "\n"


def sv_package(m: RegMap, src: str, addr_width: int | None = None) -> str:
    """Address and field constants for an RTL block with its own decoder (package <name>_regs_pkg).

    Per register: NAME (byte address of element 0), NAME_COUNT/NAME_STRIDE (outer index),
    NAME_COUNT1/NAME_STRIDE1 (inner index of a two-level array), per field NAME_F_LSB,
    NAME_F_WIDTH and NAME_F_MASK, NAME_MASK (all fields) and NAME_RESET; per regfile
    array BLOCK, BLOCK_COUNT, BLOCK_STRIDE.
    """
    p = m.name.upper()
    aw = addr_width or max(1, (m.size - 1).bit_length())
    out = [
        f"// Generated by ncv.gen.regs from {src}; do not edit.",
        f"package {m.name}_regs_pkg;",
        "",
        f"  localparam int unsigned {p}_ADDR_W = {aw};",
        f"  localparam int unsigned {p}_SIZE = 32'h{m.size:X};",
    ]

    def addr(v: int) -> str:
        return f"{aw}'h{v:X}"

    for b in m.blocks:
        out += ["", f"  // Block {b.name}[{b.count}]",
                f"  localparam logic [{aw - 1}:0] {p}_{b.name} = {addr(b.offset)};",
                f"  localparam int unsigned {p}_{b.name}_COUNT = {b.count};",
                f"  localparam int unsigned {p}_{b.name}_STRIDE = 32'h{b.stride:X};"]
    for r in m.regs:
        n = f"{p}_{r.name}"
        out += ["", f"  // {r.name} ({r.access}): {r.desc.splitlines()[0] if r.desc else ''}",
                f"  localparam logic [{aw - 1}:0] {n} = {addr(r.offset)};"]
        for k, (c, s) in enumerate(r.dims):
            sfx = "" if k == 0 else str(k)
            out += [f"  localparam int unsigned {n}_COUNT{sfx} = {c};",
                    f"  localparam int unsigned {n}_STRIDE{sfx} = 32'h{s:X};"]
        for f in r.fields:
            out += [f"  localparam int unsigned {n}_{f.name}_LSB = {f.lsb};",
                    f"  localparam int unsigned {n}_{f.name}_WIDTH = {f.msb - f.lsb + 1};",
                    f"  localparam logic [31:0] {n}_{f.name}_MASK = 32'h{f.mask:08X};"]
        out.append(f"  localparam logic [31:0] {n}_MASK = 32'h{sum(f.mask for f in r.fields):08X};")
        out.append(f"  localparam logic [31:0] {n}_RESET = 32'h{r.reset:08X};")
    out += ["", "endpackage"]
    return "\n".join(out) + "\n"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text() != text:
        path.write_text(text)


def generate(rdl: Path, out: Path, rtl: bool, doc: Path | None = None, addr_width: int | None = None,
             sv_pkg: bool = False) -> None:
    top = compile_rdl(rdl)
    m = regmap(top)
    src = rdl.name
    _write(out / f"{m.name}_regs.h", c_header(m, src))
    _write(out / f"{m.name}_regs.py", python_module(m, src))
    if sv_pkg:
        _write(out / f"{m.name}_regs_pkg.sv", sv_package(m, src, addr_width))
    if doc is not None:
        _write(doc, markdown(m, src))
    if rtl:
        from peakrdl_regblock import RegblockExporter
        from peakrdl_regblock.cpuif.axi4lite import AXI4Lite_Cpuif_flattened

        tmp = out / "regblock"
        RegblockExporter().export(top, str(tmp), cpuif_cls=AXI4Lite_Cpuif_flattened, address_width=addr_width,
                                   default_reset_activelow=True, default_reset_async=True)
        for f in tmp.iterdir():
            _write(out / f.name, "// Generated by PeakRDL-regblock from " + src + "; do not edit.\n" + f.read_text())
