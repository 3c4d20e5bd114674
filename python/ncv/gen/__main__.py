"""python -m ncv.gen: run a generator (called by the CMake build)."""

import argparse
import sys
from pathlib import Path

from ..errors import NcvError


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m ncv.gen")
    sub = ap.add_subparsers(dest="what", required=True)
    p = sub.add_parser("params", help="configuration -> nct_cfg_pkg.sv, ncv_cfg.h")
    p.add_argument("--config", required=True)
    p.add_argument("--out", required=True, type=Path)
    r = sub.add_parser("regs", help="SystemRDL -> RTL block, C header, Python map, docs")
    r.add_argument("rdl", type=Path)
    r.add_argument("--out", required=True, type=Path)
    r.add_argument("--rtl", action="store_true", help="also generate the RTL register block")
    r.add_argument("--doc", type=Path, help="write the Markdown register map here")
    r.add_argument("--addr-width", type=int, help="CPU interface address bits (default: from the map)")
    r.add_argument("--sv-pkg", action="store_true",
                   help="also generate <name>_regs_pkg.sv (address and field constants for an RTL decoder)")
    i = sub.add_parser("isa", help="isa.yaml -> nct_isa.h and the ISA reference")
    i.add_argument("--out", required=True, type=Path)
    i.add_argument("--doc", required=True, type=Path)
    a = ap.parse_args(argv)
    try:
        if a.what == "params":
            from .. import config
            from . import params

            params.write(config.load(a.config), a.out)
        elif a.what == "isa":
            from . import isa

            isa.write(a.out, a.doc)
        else:
            from . import regs

            regs.generate(a.rdl, a.out, a.rtl, a.doc, a.addr_width, a.sv_pkg)
    except NcvError as e:
        print(f"ncv: error: {e}", file=sys.stderr)
        return e.status
    return 0


if __name__ == "__main__":
    sys.exit(main())
