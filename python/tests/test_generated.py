"""One source of truth: the committed register docs equal what the SystemRDL generates,
and the generated headers agree with the generated RTL package."""

import re

import pytest

from conftest import REPO


@pytest.mark.parametrize("name", ["nct_csr", "nhi_bar0", "nhi_dev", "sled_dev", "hbm_csr", "nsp_switch", "nsp_ep_csr"])
def test_register_docs_are_current(build_dir, name):
    generated = (build_dir / "gen" / "docs" / f"{name}.md").read_text()
    committed = (REPO / "docs" / "registers" / f"{name}.md").read_text()
    assert committed == generated, f"docs/registers/{name}.md is stale: run ./ncv docs"


def test_c_header_offsets_match_rtl_decoder(build_dir):
    hdr = (build_dir / "gen" / "regs" / "nct_csr_regs.h").read_text()
    rtl = (build_dir / "gen" / "regs" / "nct_csr.sv").read_text()
    for name, off in re.findall(r"#define NCT_CSR_(ID|VERSION|CONFIG0|CONFIG1|CTRL) 0x([0-9A-F]+)u", hdr):
        assert re.search(rf"cpuif_addr == 12'h{int(off, 16):x}\b", rtl), name


def test_switch_rtl_package_matches_c_header(build_dir):
    """nsp_switch_regs_pkg.sv (decoded by nsp_switch.sv) and nsp_switch_regs.h carry the same
    addresses, counts, strides, field positions and reset values."""
    hdr = (build_dir / "gen" / "regs" / "nsp_switch_regs.h").read_text()
    pkg = (build_dir / "gen" / "regs" / "nsp_switch_regs_pkg.sv").read_text()
    sv = {k: int(v, 16) for k, v in re.findall(r"localparam (?:int unsigned|logic \[\d+:0\]) (NSP_SWITCH_\w+) = \d+'h([0-9A-F]+);", pkg)}
    sv.update({k: int(v) for k, v in re.findall(r"localparam int unsigned (NSP_SWITCH_\w+) = (\d+);", pkg)})
    checked = 0
    for name, args, off, terms in re.findall(r"#define (NSP_SWITCH_\w+)(\([ij, ]+\))? \(?0x([0-9A-F]+)u((?: \+ \([ij]\) \* 0x[0-9A-F]+u)*)\)?\n", hdr):
        assert sv[name] == int(off, 16), name
        strides = [int(x, 16) for x in re.findall(r"\* 0x([0-9A-F]+)u", terms)]
        for k, st in enumerate(strides):
            assert sv[name + ("_STRIDE" if k == 0 else f"_STRIDE{k}")] == st, name
        checked += 1
    for name, v in re.findall(r"#define (NSP_SWITCH_\w+_(?:COUNT1?|SHIFT)) (\d+)u", hdr):
        key = name.replace("_SHIFT", "_LSB")
        assert sv[key] == int(v), name
        checked += 1
    for name, v in re.findall(r"#define (NSP_SWITCH_\w+_(?:MASK|RESET)) 0x([0-9A-F]+)u", hdr):
        assert sv[name] == int(v, 16), name
        checked += 1
    assert checked > 100


def test_switch_rtl_decodes_no_literal_addresses():
    """The switch's CSR decode uses the generated package, not hand-written addresses."""
    rtl = (REPO / "rtl" / "switch" / "nsp_switch.sv").read_text()
    csr = rtl[rtl.index("// CSRs."):]
    assert "import nsp_switch_regs_pkg::*;" in csr
    assert not re.findall(r"csr_addr_i(?:\[[^]]*\])? *(?:==|>=|<=|<|>) *\d+'h", csr)


def test_two_level_arrays_and_deeper_nesting_refused(tmp_path):
    from ncv.errors import UsageError
    from ncv.gen import regs

    ok = tmp_path / "ok.rdl"
    ok.write_text("addrmap m { regfile { reg { field { sw = r; hw = w; } V[31:0] = 0; } C[4] @ 0 += 4; } P[2] @ 0 += 0x100; };")
    m = regs.regmap(regs.compile_rdl(ok))
    assert [(r.name, r.dims) for r in m.regs] == [("P_C", [(2, 0x100), (4, 4)])]
    assert "#define M_P_C(i, j) (0x000u + (i) * 0x100u + (j) * 0x4u)" in regs.c_header(m, "ok.rdl")
    assert "localparam int unsigned M_P_C_STRIDE1 = 32'h4;" in regs.sv_package(m, "ok.rdl")
    deep = tmp_path / "deep.rdl"
    deep.write_text("addrmap m { regfile { regfile { reg { field { sw = r; hw = w; } V[31:0] = 0; } C[2] @ 0 += 4; }"
                    " Q[2] @ 0 += 0x10; } P[2] @ 0 += 0x100; };")
    with pytest.raises(UsageError, match="nested arrays"):
        regs.regmap(regs.compile_rdl(deep))


def test_config_reaches_rtl_and_c_from_one_file(build_dir):
    import yaml

    cfg = yaml.safe_load((REPO / "configs" / "ci.yaml").read_text())
    pkg = (build_dir / "gen" / "ci" / "nct_cfg_pkg.sv").read_text()
    hdr = (build_dir / "gen" / "ci" / "ncv_cfg.h").read_text()
    for k, v in cfg["tile"].items():
        assert f"localparam int unsigned {k} = 32'd{v};" in pkg
        assert f"#define NCV_CFG_{k} {v}u" in hdr
    assert f"#define NCV_CFG_LINK_DELAY_NS {cfg['link']['delay_ns']}u" in hdr  # the sled's link models
    assert f"#define NCV_CFG_LINK_BER {float(cfg['link']['ber'])!r}" in hdr


def test_isa_reference_is_current(build_dir):
    generated = (build_dir / "gen" / "isa" / "isa.md").read_text()
    assert (REPO / "docs" / "isa.md").read_text() == generated, "docs/isa.md is stale: run ./ncv docs"


def test_cpp_isa_header_matches_the_assembler(build_dir):
    from ncv import isa

    hdr = (build_dir / "gen" / "isa" / "nct_isa.h").read_text()
    for op in isa.load().opcodes.values():
        assert f"  {op.name} = 0x{op.code:02X}," in hdr
        for f in op.fields:
            for leaf in f.leaves:
                assert f'{{{op.name}, "{leaf.path}", {{{leaf.lsb}, {leaf.bits}}}}}' in hdr


def nsp_cnt_mismatches(pkg_sv: str, cnt_h: str) -> list:
    """The NSP_CNT_<name> indices of `cnt_h` (nsp_cnt.h's text) that disagree with
    CNT_<name> in `pkg_sv` (nsp_pkg.sv's text), one line each; an empty header is one too."""
    pkg = dict(re.findall(r"localparam int unsigned CNT_(\w+)\s*=\s*(\d+);", pkg_sv))
    hdr = dict(re.findall(r"#define\s+NSP_CNT_(\w+)\s+(\d+)u", cnt_h))
    if not hdr:
        return ["nsp_cnt.h: no NSP_CNT_ defines found"]
    bad = []
    for name, idx in hdr.items():
        if name not in pkg:
            bad.append(f"nsp_cnt.h NSP_CNT_{name}: no CNT_{name} in nsp_pkg.sv")
        elif int(pkg[name]) != int(idx):
            bad.append(f"nsp_cnt.h NSP_CNT_{name} = {idx}, nsp_pkg.sv CNT_{name} = {pkg[name]}")
    return bad


def test_firmware_link_counter_indices_match_the_rtl_package():
    """firmware/include/nsp_cnt.h mirrors nsp_pkg::CNT_*; a wrong index is caught here."""
    pkg = (REPO / "rtl/switch/nsp_pkg.sv").read_text()
    hdr = (REPO / "firmware/include/nsp_cnt.h").read_text()
    assert nsp_cnt_mismatches(pkg, hdr) == []


def test_link_counter_index_check_reports_a_wrong_index():
    """The comparison above fed a copy of nsp_cnt.h with one index changed (REPLAY 5 -> 6),
    one with a name the package lacks, and one with no defines: each is reported."""
    pkg = (REPO / "rtl/switch/nsp_pkg.sv").read_text()
    hdr = (REPO / "firmware/include/nsp_cnt.h").read_text()
    wrong, n = re.subn(r"(#define NSP_CNT_REPLAY )5u", r"\g<1>6u", hdr)
    assert n == 1, "nsp_cnt.h has no '#define NSP_CNT_REPLAY 5u' to change"
    assert nsp_cnt_mismatches(pkg, wrong) == ["nsp_cnt.h NSP_CNT_REPLAY = 6, nsp_pkg.sv CNT_REPLAY = 5"]
    unknown = hdr.replace("#define NSP_CNT_RETRAIN ", "#define NSP_CNT_RETRAINS ")
    assert nsp_cnt_mismatches(pkg, unknown) == ["nsp_cnt.h NSP_CNT_RETRAINS: no CNT_RETRAINS in nsp_pkg.sv"]
    assert nsp_cnt_mismatches(pkg, "/* empty */\n") == ["nsp_cnt.h: no NSP_CNT_ defines found"]
