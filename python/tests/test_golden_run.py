"""ncv golden run: a program file runs on the golden model; bad files get one clear error."""

import numpy as np

from conftest import REPO


def test_example_program_computes_the_sum(run_ncv):
    p = run_ncv("golden", "run", str(REPO / "examples" / "golden" / "vector_add.yaml"))
    assert p.returncode == 0, p.stdout + p.stderr
    assert "queue 0: DONE, 4 retired" in p.stdout and "queue 3: DONE, 2 retired" in p.stdout
    dump = [l for l in p.stdout.splitlines() if l.startswith("dump 0x30000")][0]
    got = np.array([float(x) for x in dump.split(": ")[1].split()], dtype=np.float32)
    want = np.arange(1, 17, dtype=np.float32) + np.float32(0.5)
    assert np.array_equal(got, want)


def test_tile_error_exits_1_and_is_printed(run_ncv, tmp_path):
    (tmp_path / "q0.s").write_text("DMA_LD addr=0x10000 pr=0:4 sb_off=4090 bytes=16 stride_r=0\n")
    prog = tmp_path / "p.yaml"
    prog.write_text("config: ci\nqueues: {0: q0.s}\n")
    p = run_ncv("golden", "run", str(prog))
    assert p.returncode == 1
    assert "error: code 0x06 queue 0 index 0" in p.stdout


def test_bad_program_files(run_ncv, tmp_path):
    (tmp_path / "bad.s").write_text("# first line\nHALT code=1\n")
    (tmp_path / "q0.s").write_text("HALT code=1 irq=0\n")
    (tmp_path / "q3.s").write_text("DMA_LD addr=0 pr=0:1 sb_off=0 bytes=16 stride_r=0\n")
    cases = {
        "config: ci\nqueues: {0: bad.s}\n": f"{tmp_path / 'bad.s'}:2:1: HALT is missing field(s): irq",
        "config: ci\nqueues: {3: q3.s}\n": f"{tmp_path / 'q3.s'}:1:1: DMA_LD is not legal on queue 3",
        "config: ci\nqueues: {5: q0.s}\n": "field 'queues': expected a queue number 0..3, got 5",
        "config: ci\nqueues: {0: q0.s}\ncolour: red\n": "field 'colour': unknown key",
        "config: ci\nqueues: {0: q0.s}\nmemory: [{addr: 0xF00000, hex: '00'}]\n": "overlaps the queue rings",
        "config: ci\nqueues: {0: q0.s}\nschedule: fastest\n": "field 'schedule': expected round_robin or random:SEED",
    }
    for text, expect in cases.items():
        prog = tmp_path / "p.yaml"
        prog.write_text(text)
        p = run_ncv("golden", "run", str(prog))
        assert p.returncode == 2, (text, p.stdout, p.stderr)
        lines = [l for l in p.stderr.splitlines() if l.strip()]
        assert len(lines) == 1 and expect in lines[0], (text, p.stderr)
