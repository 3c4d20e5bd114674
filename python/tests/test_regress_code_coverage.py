"""Issue 8: Verilator code coverage of a regression, merged with verilator_coverage into an
lcov tracefile and rendered as HTML by genhtml (real tools, real RTL runs)."""

import re

from conftest import REPO


def test_code_coverage_build_runs_merge_into_lcov_html(run_ncv, tmp_path):
    lst = tmp_path / "cc.yaml"
    lst.write_text(
        "name: cc\nbuilds: {t: {target: ncv_tile_cov, config: ci}}\ntests:\n"
        "  - {name: tile_random, build: t, seeds: 2}\n"
        "  - {name: tile_errors, build: t, seeds: 1, args: [+code=0x11]}\n"
    )
    p = run_ncv("regress", str(lst), "--out", str(tmp_path / "o"), "--seed", "3", "--db", str(tmp_path / "r.db"),
                timeout=3600)
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-3000:]
    m = re.search(r"^Code coverage: ([\d.]+)% of lines \((\d+)/(\d+), .* from (\d+) files: (\S+)$", p.stdout, re.M)
    assert m, p.stdout
    pct, hit, found, nfiles = float(m.group(1)), int(m.group(2)), int(m.group(3)), int(m.group(4))
    # tile_random writes one file per program (2 each), tile_errors one per error program.
    assert nfiles >= 5
    assert 0 < hit < found and 0 < pct < 100
    run = next((tmp_path / "o").glob("cc-*"))
    info = (run / "code_coverage.info").read_text()
    srcs = re.findall(r"^SF:(.*)$", info, re.M)
    assert any(s.endswith("rtl/tile/nct_top.sv") for s in srcs), srcs[:5]
    assert any(s.endswith("rtl/tile/nct_dma.sv") for s in srcs)
    index = (run / "code_coverage" / "index.html").read_text()
    assert "ncv code coverage" in index
    pages = [q.name for q in (run / "code_coverage").rglob("*.html")]
    assert "nct_top.sv.gcov.html" in pages, pages[:10]
    # The merged counts are the sum of the runs': more runs never hit fewer lines.
    one = run_ncv("regress", str(lst), "--out", str(tmp_path / "o1"), "--seed", "3", "--reseed", "1",
                  "--db", str(tmp_path / "r1.db"), timeout=3600)
    assert one.returncode == 0, one.stdout[-2000:]
    m1 = re.search(r"^Code coverage: [\d.]+% of lines \((\d+)/(\d+)", one.stdout, re.M)
    assert m1 and int(m1.group(2)) == found and int(m1.group(1)) <= hit
