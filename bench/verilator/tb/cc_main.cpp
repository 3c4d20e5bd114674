// ncv bench probe: plain C++ (--cc) harness for the regfile.
// Usage: Vregfile [cycles] [+fst=FILE] [+cov=FILE]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "Vregfile.h"
#include "traffic.h"
#include "verilated.h"
#if VM_TRACE_FST
#include "verilated_fst_c.h"
#endif
#if VM_COVERAGE
#include "verilated_cov.h"
#endif

int main(int argc, char** argv) {
    auto ctx = std::make_unique<VerilatedContext>();
    ctx->commandArgs(argc, argv);
    long long cycles = 1000;
    std::string fst, cov;
    for (int i = 1; i < argc; ++i) {
        if (!std::strncmp(argv[i], "+fst=", 5)) fst = argv[i] + 5;
        else if (!std::strncmp(argv[i], "+cov=", 5)) cov = argv[i] + 5;
        else if (argv[i][0] != '+') cycles = std::atoll(argv[i]);
    }
    auto top = std::make_unique<Vregfile>(ctx.get(), "top");
#if VM_TRACE_FST
    std::unique_ptr<VerilatedFstC> tfp;
    if (!fst.empty()) {
        ctx->traceEverOn(true);
        tfp = std::make_unique<VerilatedFstC>();
        top->trace(tfp.get(), 99);
        tfp->open(fst.c_str());
    }
#define DUMP() do { if (tfp) tfp->dump(ctx->time()); } while (0)
#else
#define DUMP() do {} while (0)
#endif
    RegfileTraffic t;
    auto half = [&](bool clk) {
        ctx->timeInc(500);  // 1 ps units: 500 ps half period = 1 GHz
        top->clk = clk;
        top->eval();
        DUMP();
    };
    top->clk = 0;
    top->rst_n = 0;
    top->eval();
    DUMP();
    for (int i = 0; i < 3; ++i) { half(true); half(false); }
    top->rst_n = 1;
    half(false);

    const auto t0 = std::chrono::steady_clock::now();
    for (long long c = 0; c < cycles; ++c) {
        t.on_edge(top->req_ready, top->rsp_valid, top->rsp_rdata);
        half(true);
        top->req_valid = t.req_valid;
        top->req_write = t.req_write;
        top->req_addr = t.req_addr;
        top->req_wdata = t.req_wdata;
        top->rsp_ready = t.rsp_ready;
        half(false);
    }
    const auto t1 = std::chrono::steady_clock::now();
    const double secs = std::chrono::duration<double>(t1 - t0).count();
    top->final();
#if VM_TRACE_FST
    if (tfp) tfp->close();
#endif
#if VM_COVERAGE
    ctx->coveragep()->write(cov.empty() ? "coverage.dat" : cov.c_str());
#endif
    std::printf("RESULT kind=cc cycles=%lld secs=%.3f cps=%.0f n_req=%u n_rsp=%llu "
                "wr_sig=%08x rd_sum=%08x\n",
                cycles, secs, secs > 0 ? cycles / secs : 0.0, top->n_req,
                static_cast<unsigned long long>(t.n_rsp), top->wr_sig, t.rd_sum);
    return 0;
}
