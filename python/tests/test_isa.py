"""Assembler and disassembler: exact round trips, clear errors, one source of truth."""

import random

import pytest

from ncv import isa
from ncv.errors import UsageError

ISA = isa.load()


def random_valid_word(rng, op):
    w = op.code << 120
    for f in op.fields:
        for leaf in f.leaves:
            w |= rng.getrandbits(leaf.bits) << leaf.lsb
    w |= rng.choice([63, rng.randrange(63)]) << 114
    w |= rng.getrandbits(12) << 102
    w |= rng.choice([63, rng.randrange(63)]) << 96
    return w


@pytest.mark.parametrize("name", list(ISA.opcodes))
def test_every_opcode_round_trips_on_random_words(name):
    rng = random.Random(f"isa-{name}")
    op = ISA.opcodes[name]
    words = [random_valid_word(rng, op) for _ in range(2000)]
    text = isa.disassemble(words)
    assert all(line.startswith(name + " ") for line in text.splitlines())
    assert isa.assemble(text) == words


def test_arbitrary_128_bit_words_round_trip():
    rng = random.Random("isa-any")
    words = [rng.getrandbits(128) for _ in range(20000)]
    # Half of them get a real opcode byte, so reserved-bit and field cases are exercised.
    codes = [o.code for o in ISA.opcodes.values()]
    words = [(w & ~(0xFF << 120)) | (rng.choice(codes) << 120) if i % 2 else w for i, w in enumerate(words)]
    text = isa.disassemble(words)
    assert isa.assemble(text) == words
    assert ".word" in text and "TT " in text


def test_bytes_are_little_endian_words():
    words = isa.assemble("HALT code=7 irq=1\nNOTIFY tag=0x1234 irq=0 wait=3:2 post=4")
    data = isa.to_bytes(words)
    assert len(data) == 32 and data[15] == 0x02 and data[31] == 0x03
    assert isa.from_bytes(data) == words


def test_semaphore_names_and_queue_check():
    src = ".sem ready 5\n.queue 3\nMEMSET pr=0:4 dst=sbuf:int32:0 len=8 r=1 wait=ready:2 post=ready\n"
    (w,) = isa.assemble(src)
    assert (w >> 114) & 63 == 5 and (w >> 102) & 0xFFF == 2 and (w >> 96) & 63 == 5
    with pytest.raises(isa.AsmError) as e:
        isa.assemble(".queue 0\nMEMSET pr=0:4 dst=sbuf:int32:0 len=8 r=1\n", "p.s")
    assert str(e.value) == "p.s:2:1: MEMSET is not legal on queue 0 (legal on: 3)"


@pytest.mark.parametrize(
    "line, where, expect",
    [
        ("FOO x=1", "1", "unknown opcode 'FOO'"),
        ("HALT code=7", "1", "HALT is missing field(s): irq"),
        ("HALT code=256 irq=0", "6", "code: expected 0..255, got 256"),
        ("HALT code=7 irq=0 colour=red", "19", "HALT has no field 'colour'"),
        ("HALT code=7 code=8 irq=0", "13", "field 'code' given twice"),
        ("COPY pr=0 src=sbuf:fp32:0 dst=sbuf:bf16:0 len=4", "6", "field 'pr' expects p_start:p_cnt"),
        ("COPY pr=0:129 src=sbuf:fp32:0 dst=sbuf:bf16:0 len=4", "6", "pr.p_cnt: expected a count 1..128, got 129"),
        ("COPY pr=0:4 src=dram:fp32:0 dst=sbuf:bf16:0 len=4", "13", "src.mem: expected one of sbuf, psum"),
        ("HALT code=7 irq=0 wait=nosuch:1", "19", "expected wait=SEM:VALUE with SEM a number or a .sem name"),
        ("IOTA pr=0:1 dst=sbuf:int32:0 len=1 base=40000 pmul=0 fmul=0", "36", "base: expected -32768..32767"),
    ],
)
def test_errors_name_file_line_column_and_expectation(line, where, expect):
    with pytest.raises(isa.AsmError) as e:
        isa.assemble("# header comment\n" + line + "\n", "prog.s")
    msg = str(e.value)
    assert msg.startswith(f"prog.s:2:{where}: "), msg
    assert expect in msg
    assert isinstance(e.value, UsageError)


def test_cli_asm_and_disasm(run_ncv, tmp_path):
    src = tmp_path / "p.s"
    src.write_text("HALT code=7 irq=1\n")
    out = tmp_path / "p.bin"
    p = run_ncv("asm", str(src), "-o", str(out))
    assert p.returncode == 0, p.stderr
    assert out.read_bytes() == isa.to_bytes(isa.assemble("HALT code=7 irq=1"))
    p = run_ncv("disasm", str(out))
    assert p.returncode == 0 and p.stdout.strip() == "HALT code=7 irq=1"
    src.write_text("HALT code=7\n")
    p = run_ncv("asm", str(src), "-o", str(out))
    assert p.returncode == 2 and p.stderr.strip() == f"ncv: error: {src}:1:1: HALT is missing field(s): irq"
