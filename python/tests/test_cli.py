"""The ncv CLI as users run it: errors, run, regress, JUnit, waves."""

import json
import subprocess
from pathlib import Path

import pytest

from conftest import REPO


def one_error_line(p):
    lines = [l for l in p.stderr.splitlines() if l.strip()]
    assert len(lines) == 1, p.stderr
    assert lines[0].startswith("ncv: error: ")
    return lines[0]


def test_run_unknown_test_is_usage_error(run_ncv):
    p = run_ncv("run", "no_such_test")
    assert p.returncode == 2
    line = one_error_line(p)
    assert "unknown test 'no_such_test'" in line and "skeleton_boot" in line


def test_unknown_option_is_usage_error(run_ncv):
    p = run_ncv("regress", "smoke", "--frobnicate")
    assert p.returncode == 2
    one_error_line(p)


def test_malformed_test_list(run_ncv, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\ntests: [ {name: skeleton_boot, build: x\n")
    p = run_ncv("regress", str(bad))
    assert p.returncode == 2
    assert "malformed YAML at line" in one_error_line(p)


@pytest.mark.parametrize(
    "body, field",
    [
        ("builds: {b: {target: ncv_sled}}\ntests: [{name: skeleton_boot, build: b, seeds: 0}]", "tests[0].seeds"),
        ("builds: {b: {target: ncv_sled}}\ntests: [{name: skeleton_boot, build: c}]", "tests[0].build"),
        ("builds: {b: {target: ncv_sled}}\ntests: [{name: nosuch, build: b}]", "tests[0].name"),
        ("builds: {b: {target: ncv_sled, cfg: ci}}\ntests: [{name: skeleton_boot, build: b}]", "builds.b.cfg"),
        ("builds: {b: {target: ncv_sled}}\ntests: [{name: skeleton_boot, build: b, args: [waves]}]",
         "tests[0].args[0]"),
        ("builds: {b: {target: ncv_sled, config: huge}}\ntests: [{name: skeleton_boot, build: b}]",
         "builds.b.config"),
        ("colour: red\nbuilds: {}\ntests: []", "colour"),
    ],
)
def test_bad_list_field_names_file_and_field(run_ncv, tmp_path, body, field):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\n" + body + "\n")
    p = run_ncv("regress", str(bad))
    assert p.returncode == 2, p.stdout + p.stderr
    line = one_error_line(p)
    assert str(bad) in line and f"field '{field}'" in line


def test_unknown_config_key_is_usage_error(run_ncv, tmp_path):
    cfg = tmp_path / "mine.yaml"
    cfg.write_text((REPO / "configs" / "ci.yaml").read_text() + "turbo: true\n")
    p = run_ncv("run", "skeleton_boot", "--config", str(cfg))
    assert p.returncode == 2
    line = one_error_line(p)
    assert str(cfg) in line and "field 'turbo'" in line and "unknown key" in line


def test_regress_smoke_passes_with_summary_and_junit(run_ncv, tmp_path):
    p = run_ncv("regress", "smoke", "--out", str(tmp_path), "-j", "2")
    assert p.returncode == 0, p.stdout + p.stderr
    assert "test " in p.stdout and "jobs  pass  fail" in p.stdout
    junit = next(tmp_path.glob("smoke-*/junit.xml"))
    subprocess.run(["xmllint", "--noout", str(junit)], check=True)
    results = list(tmp_path.glob("smoke-*/*/*/result.json"))
    import yaml

    smoke = yaml.safe_load((REPO / "regressions" / "smoke.yaml").read_text())
    assert len(results) == sum(t.get("seeds", 1) for t in smoke["tests"])
    assert all(json.loads(r.read_text())["status"] == "PASS" for r in results)
    # The tile runs' functional coverage is merged into one file and a report.
    assert "Functional coverage: " in p.stdout
    merged = json.loads(next(tmp_path.glob("smoke-*/coverage.json")).read_text())
    writers = {b for b, spec in smoke["builds"].items() if spec["target"] in ("ncv_tile", "ncv_switch")}
    assert len(merged["runs"]) == sum(t.get("seeds", 1) for t in smoke["tests"] if t["build"] in writers)


def test_failing_test_in_list_exits_1_with_bucket_and_repro(run_ncv, tmp_path):
    lst = tmp_path / "neg.yaml"
    lst.write_text(
        "name: neg\nbuilds: {b: {target: ncv_sled, config: ci}}\ntests:\n"
        "  - {name: tile_config, build: b, seeds: 1}\n"
        "  - {name: tile_config, build: b, seeds: 2, args: [+inject=golden_config]}\n"
    )
    p = run_ncv("regress", str(lst), "--out", str(tmp_path / "o"), "--seed", "7")
    assert p.returncode == 1, p.stdout + p.stderr
    assert "1 passed, 2 failed of 3 jobs" in p.stdout
    assert "[2x] FAIL TB.CSR.MISMATCH: chip<n> CONFIG<n>: expected <hex>, got <hex>" in p.stdout
    repro = [l for l in p.stdout.splitlines() if "reproduce:" in l][0].split("reproduce: ")[1]
    assert repro.startswith("./ncv run tile_config --config ci --seed ") and repro.endswith("+inject=golden_config")
    junit = next((tmp_path / "o").glob("neg-*/junit.xml"))
    subprocess.run(["xmllint", "--noout", str(junit)], check=True)
    assert junit.read_text().count("<failure") == 2
    # The reproduction command fails the same way.
    args = repro.split()[2:]
    r = run_ncv("run", *args, "--out", str(tmp_path / "repro"))
    assert r.returncode == 1
    res = json.loads((tmp_path / "repro" / "result.json").read_text())
    assert res["signature"].startswith("TB.CSR.MISMATCH: chip<n> CONFIG<n>")


def test_run_with_waves_writes_fst_that_fst2vcd_reads(run_ncv, tmp_path):
    p = run_ncv("run", "skeleton_boot", "+waves", "--seed", "5", "--out", str(tmp_path))
    assert p.returncode == 0, p.stdout + p.stderr
    fst = tmp_path / "waves.fst"
    assert fst.stat().st_size > 0
    vcd = subprocess.run(["fst2vcd", str(fst)], capture_output=True, text=True, check=True).stdout
    assert "s_axil_arvalid_i" in vcd and "$enddefinitions" in vcd
    gtkw = (tmp_path / "waves.gtkw").read_text()
    assert '[dumpfile] "waves.fst"' in gtkw
    # Every signal the save file names exists in the dump.
    for line in gtkw.splitlines():
        if line.startswith("sled."):
            assert line.split(".")[-1].split("[")[0] in vcd


def test_same_seed_same_log_and_waves(run_ncv, tmp_path):
    outs = []
    for i in range(2):
        d = tmp_path / f"r{i}"
        p = run_ncv("run", "skeleton_boot", "+waves", "--seed", "99", "--out", str(d))
        assert p.returncode == 0
        outs.append(d)
    assert (outs[0] / "sim.log").read_bytes() == (outs[1] / "sim.log").read_bytes()
    assert (outs[0] / "waves.fst").read_bytes() == (outs[1] / "waves.fst").read_bytes()


@pytest.mark.parametrize("target,sub", [("ncv_sled", "system"), ("ncv_tile", "tile")])
def test_catalog_matches_simulator_list(build_dir, target, sub):
    import yaml

    cat = yaml.safe_load((REPO / "tb" / "tests.yaml").read_text())
    binary = build_dir / "tb" / sub / f"{target}_ci"
    listed = subprocess.run([str(binary), "+list"], capture_output=True, text=True, check=True).stdout
    names = {l.split("\t")[0] for l in listed.splitlines() if l.strip()}
    assert names == {n for n, s in cat.items() if s["target"] == target}


def test_waves_command_finds_the_save_file(run_ncv, tmp_path):
    p = run_ncv("run", "skeleton_boot", "+waves", "--seed", "3", "--out", str(tmp_path / "r"))
    assert p.returncode == 0
    p = run_ncv("waves", str(tmp_path / "r"), "--print")
    assert p.returncode == 0 and p.stdout.strip() == f"ncv waves: gtkwave {tmp_path / 'r' / 'waves.gtkw'}"
    (tmp_path / "nowaves").mkdir()
    p = run_ncv("waves", str(tmp_path / "nowaves"))
    assert p.returncode == 2 and "run it again with +waves" in one_error_line(p)
