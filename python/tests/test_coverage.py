"""Functional coverage JSON: written by the real C++ library (tb/lib coverage_demo), loaded,
validated, merged and reported by ncv.coverage and `ncv cov merge`."""

import json
import subprocess

import pytest

from ncv import coverage
from ncv.errors import UsageError


@pytest.fixture(scope="session")
def demo(build_dir):
    exe = build_dir / "tb" / "lib" / "coverage_demo"
    if not exe.exists():
        pytest.skip(f"{exe} is not built (cmake --build {build_dir} --target coverage_demo)")

    def run(out, seed, samples=12, *extra, expect_rc=0):
        out.parent.mkdir(parents=True, exist_ok=True)
        p = subprocess.run([str(exe), f"+seed={seed}", f"+out={out}", f"+samples={samples}", *extra],
                           capture_output=True, text=True, timeout=60)
        assert p.returncode == expect_rc, p.stderr
        return out

    return run


@pytest.fixture
def two_runs(demo, tmp_path):
    return [demo(tmp_path / "regress" / "a" / "coverage.json", 1),
            demo(tmp_path / "regress" / "b" / "deeper" / "coverage.json", 2)]


def one_error_line(p):
    lines = [l for l in p.stderr.splitlines() if l.strip()]
    assert len(lines) == 1, p.stderr
    return lines[0]


def bins_of(cov):
    return {(g.full_name, it.name, b.name): b for g in cov.groups for it in g.items for b in it.bins}


def test_python_computes_what_the_cpp_library_wrote(two_runs):
    for f in two_runs:
        raw = json.loads(f.read_text())
        cov = coverage.load(f)
        assert cov.percent == pytest.approx(raw["percent"], abs=1e-3)
        for g, rg in zip(cov.groups, raw["groups"]):
            assert g.percent == pytest.approx(rg["percent"], abs=1e-3)
            for it, ri in zip(g.items, rg["coverpoints"] + rg["crosses"]):
                assert (it.covered, it.normal) == (ri["covered"], ri["normal"])
                assert it.percent == pytest.approx(ri["percent"], abs=1e-3)
        assert cov.runs[0]["seed"] in (1, 2) and cov.runs[0]["test"] == "coverage_demo"


def test_merge_sums_hits_and_keeps_goals(two_runs):
    a, b = (coverage.load(f) for f in two_runs)
    m = coverage.merge([a, b])
    ba, bb, bm = bins_of(a), bins_of(b), bins_of(m)
    assert bm.keys() == ba.keys() == bb.keys()
    for k, mb in bm.items():
        assert mb.hits == ba[k].hits + bb[k].hits
        assert mb.goal == ba[k].goal and mb.kind == ba[k].kind
    assert any(b.goal > 1 for b in bm.values())  # goals other than 1 survive the merge
    assert m.percent >= max(a.percent, b.percent)
    assert m.covered >= max(a.covered, b.covered)
    assert [r["seed"] for r in m.runs] == [1, 2]
    # Merging is associative: a merged file merges again like its parts.
    c = coverage.load(two_runs[0])
    again = coverage.merge([coverage.parse(m.to_json(), "merged"), c])
    thrice = coverage.merge([coverage.load(two_runs[0]), coverage.load(two_runs[1]), c])
    assert again.to_json() == thrice.to_json()


def test_uncovered_bins_and_reports(two_runs):
    cov = coverage.load(two_runs[0])
    holes = cov.uncovered()
    assert len(holes) == cov.normal - cov.covered
    assert all(b.hits < b.goal for _, _, b in holes)
    text = coverage.report(cov, "text")
    assert f"Functional coverage: {cov.percent:.2f}%" in text
    for g in cov.groups:
        assert g.full_name in text and f"{g.percent:.2f}%" in text
    md = coverage.report(cov, "md", max_uncovered=1)
    assert "| covergroup | item | type | weight | bins | coverage |" in md
    if len(holes) > 1:
        assert f"Uncovered bins ({len(holes)}, first 1)" in md
    assert "opcode\\_x\\_dtype" in md  # Markdown metacharacters escaped


def test_ranking_finds_runs_that_add_nothing(demo, tmp_path):
    files = [demo(tmp_path / f"r{s}" / "coverage.json", s, 6) for s in (1, 2, 3)]
    files.append(demo(tmp_path / "r1again" / "coverage.json", 1, 6))  # same seed: same hits
    covs = [coverage.load(f) for f in files]
    order, useless = coverage.rank(covs)
    merged = coverage.merge(covs)
    assert order[0].new_bins == max(c.covered for c in covs)
    assert order[-1].covered == merged.covered
    assert len(order) + len(useless) == len(files)
    prev = 0
    for r in order:
        assert r.covered == prev + r.new_bins
        prev = r.covered
    # The ranked runs alone reach the coverage of all of them.
    by_source = {c.sources[0]: c for c in covs}
    assert coverage.merge([by_source[r.source] for r in order]).covered == merged.covered
    # A repeat of a run can only help bins whose goal is above 1 (hits add up to it).
    for r in order:
        if r.source == str(files[3]) and str(files[0]) in {x.source for x in order}:
            multi = sum(b.goal > 1 for b in bins_of(merged).values() if b.kind == "normal")
            assert r.new_bins <= multi


def test_cli_merges_directories_recursively(run_ncv, two_runs, tmp_path):
    out = tmp_path / "merged.json"
    p = run_ncv("cov", "merge", str(tmp_path / "regress"), "-o", str(out), "--report", "md", "--rank")
    assert p.returncode == 0, p.stderr
    merged = coverage.load(out)
    expect = coverage.merge([coverage.load(f) for f in sorted(two_runs)])
    assert bins_of(merged).keys() == bins_of(expect).keys()
    assert all(merged_b.hits == bins_of(expect)[k].hits for k, merged_b in bins_of(merged).items())
    assert len(merged.runs) == 2
    assert f"## Functional coverage: {expect.percent:.2f}%" in p.stdout
    assert "### Ranking" in p.stdout
    # The output file inside a searched directory is not merged into itself.
    out2 = tmp_path / "regress" / "coverage.json"
    p = run_ncv("cov", "merge", str(tmp_path / "regress"), "-o", str(out2))
    assert p.returncode == 0, p.stderr
    assert len(coverage.load(out2).runs) == 2


def test_illegal_hits_are_counted_and_merged(demo, tmp_path):
    bad = demo(tmp_path / "bad" / "coverage.json", 4, 5, "+illegal", expect_rc=1)
    good = demo(tmp_path / "good" / "coverage.json", 5, 5)
    cov = coverage.load(bad)
    assert cov.illegal_hits == 1
    assert sum(b.hits for b in bins_of(cov).values() if b.kind == "illegal") == 1
    assert coverage.merge([cov, coverage.load(good)]).illegal_hits == 1


def _mutations():
    def first_bin(d):
        return d["groups"][0]["coverpoints"][0]["bins"][0]

    return [
        ("truncated", lambda d: None, "not valid JSON", None),
        ("schema", lambda d: d.update(schema="other"), "expected \"ncv.coverage\"", "schema"),
        ("version", lambda d: d.update(version=99), "unsupported version 99", "version"),
        ("hits", lambda d: first_bin(d).update(hits=-3), "expected an integer",
         "groups[0].coverpoints[0].bins[0].hits"),
        ("kind", lambda d: first_bin(d).update(kind="sometimes"), "expected one of normal, ignore, illegal",
         "groups[0].coverpoints[0].bins[0].kind"),
        ("goal", lambda d: first_bin(d).update(goal=0), "expected an integer in [1,",
         "groups[0].coverpoints[0].bins[0].goal"),
        ("missing", lambda d: d["groups"][0].pop("weight"), "missing required key", "groups[0].weight"),
        ("unknown", lambda d: d["groups"][0].update(colour="red"), "unknown key", "groups[0].colour"),
        ("cross", lambda d: d["groups"][0]["crosses"][0]["coverpoints"].__setitem__(1, "nope"),
         "no coverpoint 'nope'", "groups[0].crosses[0].coverpoints[1]"),
        ("ranges", lambda d: first_bin(d).update(ranges=[[5, 1]]), "lo 5 > hi 1",
         "groups[0].coverpoints[0].bins[0].ranges[0]"),
    ]


@pytest.mark.parametrize("name,mutate,message,field", _mutations(), ids=[m[0] for m in _mutations()])
def test_malformed_file_gives_one_clear_error(run_ncv, two_runs, tmp_path, name, mutate, message, field):
    doc = json.loads(two_runs[0].read_text())
    bad = tmp_path / "bad.json"
    if name == "truncated":
        bad.write_text(two_runs[0].read_text()[:200])
    else:
        mutate(doc)
        bad.write_text(json.dumps(doc))
    with pytest.raises(UsageError) as e:
        coverage.load(bad)
    assert str(bad) in str(e.value) and message in str(e.value)
    if field:
        assert f"field '{field}'" in str(e.value)
    p = run_ncv("cov", "merge", str(two_runs[1]), str(bad))
    assert p.returncode == 2
    line = one_error_line(p)
    assert line.startswith(f"ncv: error: {bad}") and message in line


def test_structure_mismatch_names_the_file(run_ncv, two_runs, tmp_path):
    doc = json.loads(two_runs[1].read_text())
    doc["groups"][0]["coverpoints"][0]["bins"][0]["name"] = "renamed"
    other = tmp_path / "other.json"
    other.write_text(json.dumps(doc))
    with pytest.raises(UsageError) as e:
        coverage.merge([coverage.load(two_runs[0]), coverage.load(other)])
    assert str(e.value).startswith(f"{other}: coverage structure differs from {two_runs[0]}")
    assert "bin 0 ('renamed'): name renamed here, load there" in str(e.value)
    doc = json.loads(two_runs[1].read_text())
    last = doc["groups"][0]["coverpoints"][2]["bins"][-1]
    last["goal"] += 1
    other.write_text(json.dumps(doc))
    p = run_ncv("cov", "merge", str(two_runs[0]), str(other))
    n = len(doc["groups"][0]["coverpoints"][2]["bins"])
    assert p.returncode == 2
    assert f"bin {n - 1} ('{last['name']}'): goal {last['goal']} here, {last['goal'] - 1} there" in one_error_line(p)


def test_missing_inputs_are_usage_errors(run_ncv, tmp_path):
    p = run_ncv("cov", "merge", str(tmp_path / "nothing.json"))
    assert p.returncode == 2 and "no such file or directory" in one_error_line(p)
    (tmp_path / "empty").mkdir()
    p = run_ncv("cov", "merge", str(tmp_path / "empty"))
    assert p.returncode == 2 and "no coverage.json below this directory" in one_error_line(p)
    p = run_ncv("cov", "merge")
    assert p.returncode == 2
