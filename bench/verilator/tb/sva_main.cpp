// ncv bench probe: clocks sva_probe for 40 cycles without --timing.
// fatalOnError(false) + ignoring gotFinish lets every failing check report.
#include <cstdio>
#include <memory>

#include "Vsva_probe.h"
#include "verilated.h"

int main(int argc, char** argv) {
    auto ctx = std::make_unique<VerilatedContext>();
    ctx->commandArgs(argc, argv);
    ctx->fatalOnError(false);  // keep running after $error so every hit is counted
    auto top = std::make_unique<Vsva_probe>(ctx.get(), "top");
    top->clk = 0;
    top->eval();
    for (int i = 0; i < 40; ++i) {  // ignore gotFinish: $stop after an $error sets it
        ctx->timeInc(1);
        top->clk = 1;
        top->eval();
        ctx->timeInc(1);
        top->clk = 0;
        top->eval();
    }
    top->final();
    std::printf("SVA_DONE\n");
    return 0;
}
