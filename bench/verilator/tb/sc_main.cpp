// ncv bench probe: Verilated (--sc) regfile clocked at 1 GHz with 1 ps
// resolution. Usage: Vregfile [cycles]   (default 1000)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <systemc>

#include "Vregfile.h"
#include "traffic.h"
#include "verilated.h"

struct Driver : sc_core::sc_module {
    sc_core::sc_in<bool> clk;
    sc_core::sc_in<bool> rst_n;
    sc_core::sc_out<bool> req_valid;
    sc_core::sc_in<bool> req_ready;
    sc_core::sc_out<bool> req_write;
    sc_core::sc_out<uint32_t> req_addr;
    sc_core::sc_out<uint32_t> req_wdata;
    sc_core::sc_in<bool> rsp_valid;
    sc_core::sc_out<bool> rsp_ready;
    sc_core::sc_in<uint32_t> rsp_rdata;
    RegfileTraffic t;

    explicit Driver(const sc_core::sc_module_name& nm) : sc_core::sc_module(nm) {
        SC_HAS_PROCESS(Driver);
        SC_METHOD(on_posedge);
        sensitive << clk.pos();
        dont_initialize();
    }
    void on_posedge() {
        if (!rst_n.read()) return;
        // Reads return the pre-edge values: the DUT's writes of this delta
        // are not visible until the update phase.
        t.on_edge(req_ready.read(), rsp_valid.read(), rsp_rdata.read());
        req_valid.write(t.req_valid);
        req_write.write(t.req_write);
        req_addr.write(t.req_addr);
        req_wdata.write(t.req_wdata);
        rsp_ready.write(t.rsp_ready);
    }
};

int sc_main(int argc, char** argv) {
    sc_core::sc_set_time_resolution(1, sc_core::SC_PS);
    Verilated::commandArgs(argc, argv);
    long long cycles = 1000;
    for (int i = 1; i < argc; ++i)
        if (argv[i][0] != '+') cycles = std::atoll(argv[i]);

    sc_core::sc_clock clk("clk", 1, sc_core::SC_NS);
    sc_core::sc_signal<bool> rst_n("rst_n");
    sc_core::sc_signal<bool> req_valid("req_valid"), req_ready("req_ready"),
        req_write("req_write"), rsp_valid("rsp_valid"), rsp_ready("rsp_ready");
    sc_core::sc_signal<uint32_t> req_addr("req_addr"), req_wdata("req_wdata"),
        rsp_rdata("rsp_rdata"), wr_sig("wr_sig"), n_req("n_req");

    Vregfile dut("dut");
    dut.clk(clk);
    dut.rst_n(rst_n);
    dut.req_valid(req_valid);
    dut.req_ready(req_ready);
    dut.req_write(req_write);
    dut.req_addr(req_addr);
    dut.req_wdata(req_wdata);
    dut.rsp_valid(rsp_valid);
    dut.rsp_ready(rsp_ready);
    dut.rsp_rdata(rsp_rdata);
    dut.wr_sig(wr_sig);
    dut.n_req(n_req);

    Driver drv("drv");
    drv.clk(clk);
    drv.rst_n(rst_n);
    drv.req_valid(req_valid);
    drv.req_ready(req_ready);
    drv.req_write(req_write);
    drv.req_addr(req_addr);
    drv.req_wdata(req_wdata);
    drv.rsp_valid(rsp_valid);
    drv.rsp_ready(rsp_ready);
    drv.rsp_rdata(rsp_rdata);

    rst_n.write(false);
    sc_core::sc_start(3200, sc_core::SC_PS);  // 3 rising edges in reset
    rst_n.write(true);
    sc_core::sc_start(800, sc_core::SC_PS);   // now at 4 ns, just before an edge

    const auto t0 = std::chrono::steady_clock::now();
    sc_core::sc_start(sc_core::sc_time(static_cast<double>(cycles), sc_core::SC_NS));
    const auto t1 = std::chrono::steady_clock::now();
    const double secs = std::chrono::duration<double>(t1 - t0).count();

    dut.final();
    std::printf("RESULT kind=sc cycles=%lld secs=%.3f cps=%.0f n_req=%u n_rsp=%llu "
                "wr_sig=%08x rd_sum=%08x simtime=%s\n",
                cycles, secs, secs > 0 ? cycles / secs : 0.0, n_req.read(),
                static_cast<unsigned long long>(drv.t.n_rsp), wr_sig.read(), drv.t.rd_sum,
                sc_core::sc_time_stamp().to_string().c_str());
    return 0;
}
