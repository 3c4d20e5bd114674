"""The HTML report of a regression, opened in real headless Chromium: content (summary,
bucket and reproduction command, slowest jobs, coverage table, trend plots), hostile log
text shown escaped and never run, and a non-trivial screenshot."""

import shutil
import sqlite3
import subprocess

import pytest

LIST = ("name: rep\nbuilds:\n  t: {target: ncv_tile, config: ci}\n"
        "tests:\n  - {name: tile_random, build: t, seeds: 2}\n"
        "  - {name: tile_inject, build: t, seeds: 1}\n")
HOSTILE = "<script>alert(1)</script> & <img src=x onerror=alert(2)>"

chromium = shutil.which("chromium")
pytestmark = pytest.mark.skipif(chromium is None, reason="chromium (ci/apt-packages.txt) is not installed")


def browser(tmp_path, *args):
    return subprocess.run([chromium, "--headless=new", "--no-sandbox", "--disable-gpu",
                           f"--user-data-dir={tmp_path / 'profile'}", *args],
                          capture_output=True, text=True, timeout=180)


def test_report_in_chromium_is_complete_escaped_and_renders(run_ncv, tmp_path):
    lst = tmp_path / "rep.yaml"
    lst.write_text(LIST)
    out = tmp_path / "o"
    for seed in ("1", "2"):  # two runs of the list: trends have two points
        p = run_ncv("regress", str(lst), "--out", str(out), "--seed", seed, "-j", "2")
        assert p.returncode == 1, p.stdout + p.stderr
        assert "HTML report: " in p.stdout
    reports = sorted(out.glob("rep-*/report.html"))
    assert len(reports) == 2
    # Hostile text in a result (as a simulator's log could hold), then the report regenerated from the database.
    db = out / "results.db"
    con = sqlite3.connect(db)
    con.execute("UPDATE results SET detail = ? WHERE run_id = 2 AND status = 'FAIL'", (HOSTILE,))
    con.commit()
    html = tmp_path / "r.html"
    p = run_ncv("report", "latest", "--db", str(db), "-o", str(html))
    assert p.returncode == 0, p.stdout + p.stderr
    text = html.read_text()
    assert "<script" not in text.lower() and "http://" not in text.replace("http://www.w3.org/2000/svg", "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text

    dom = browser(tmp_path, "--dump-dom", html.as_uri())
    assert dom.returncode == 0, dom.stderr
    d = dom.stdout
    assert "ncv regression rep, run 2" in d
    assert "2 passed, 1 failed, 0 other of 3 jobs" in d
    assert "Failure buckets (1)" in d and "TILE.FINAL: SBUF partition &lt;n&gt; byte &lt;hex&gt;" in d
    assert "./ncv run tile_inject --config ci --seed " in d
    assert "Slowest jobs" in d
    assert "Functional coverage" in d and "covergroup" in d and "%" in d
    assert "Trends (2 runs of list rep" in d and d.count("<polyline") >= 4 and "#1" in d and "#2" in d
    # The hostile detail is text in the DOM, never an element.
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(2)&gt;" in d
    assert "<script" not in d.lower() and "<img" not in d.lower()

    png = tmp_path / "shot.png"
    shot = browser(tmp_path, f"--screenshot={png}", "--window-size=1200,2400", html.as_uri())
    assert shot.returncode == 0, shot.stderr
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 30000
