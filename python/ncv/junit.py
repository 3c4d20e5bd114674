"""JUnit XML for CI servers: one testsuite per regression, one testcase per test x seed."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path


def write(path: Path, suite: str, results: list, elapsed_s: float) -> None:
    fails = sum(r.status == "FAIL" for r in results)
    errors = sum(r.status not in ("PASS", "FAIL") for r in results)
    ts = ET.Element("testsuite", name=suite, tests=str(len(results)), failures=str(fails),
                    errors=str(errors), skipped="0", time=f"{elapsed_s:.3f}")
    for r in results:
        tc = ET.SubElement(ts, "testcase", classname=f"{suite}.{r.job.test.name}",
                           name=f"{r.job.test.name}.{r.job.seed}", time=f"{r.wall_s:.3f}")
        if r.status == "FAIL":
            f = ET.SubElement(tc, "failure", message=r.signature, type="FAIL")
            f.text = f"{r.detail}\nreproduce: {r.repro}"
        elif r.status != "PASS":
            e = ET.SubElement(tc, "error", message=r.signature, type=r.status)
            e.text = f"{r.detail}\nreproduce: {r.repro}"
        so = ET.SubElement(tc, "system-out")
        so.text = f"run directory: {r.job.run_dir}"
    tree = ET.ElementTree(ET.Element("testsuites"))
    tree.getroot().append(ts)
    ET.indent(tree)
    tmp = path.with_suffix(".tmp")
    tree.write(tmp, encoding="utf-8", xml_declaration=True)
    tmp.replace(path)
