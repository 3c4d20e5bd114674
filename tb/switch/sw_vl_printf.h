// Force-included into the switch testbench's Verilated model (tb/switch/CMakeLists.txt):
// Verilator prints $display/$error text, including "Assertion failed in ..." of the bound
// assertions (sva/switch), through VL_PRINTF; the testbench's version prints it as before
// and keeps assertion failures for SwitchTb, which logs them as SVA.<assertion> errors.
#pragma once

int ncv_sw_vl_printf(const char *fmt, ...);
#define VL_PRINTF ncv_sw_vl_printf
