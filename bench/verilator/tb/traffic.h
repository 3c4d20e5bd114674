// ncv bench probe: deterministic traffic for the regfile probe.
// Shared by the SystemC and the plain C++ testbench so both runs must end
// with identical signatures.
#pragma once
#include <cstdint>

struct RegfileTraffic {
    // values currently applied to the DUT inputs
    bool req_valid = false;
    bool req_write = false;
    uint32_t req_addr = 0;
    uint32_t req_wdata = 0;
    bool rsp_ready = false;
    // scoreboard
    uint64_t n_rsp = 0;
    uint32_t rd_sum = 0;

    uint32_t state = 0x9e3779b9u;
    uint32_t rnd() {  // xorshift32
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        return state;
    }
    // Call with the DUT outputs as they are just before a rising clock edge.
    // Updates the fields above to the values to apply right after that edge.
    void on_edge(bool req_ready, bool rsp_valid, uint32_t rsp_rdata) {
        if (rsp_valid && rsp_ready) {
            ++n_rsp;
            rd_sum = rd_sum * 31u + rsp_rdata;
        }
        if (!req_valid || req_ready) {
            const uint32_t r = rnd();
            req_valid = (r & 7u) != 0;
            req_write = ((r >> 3) & 1u) != 0;
            req_addr = (r >> 4) & 31u;
            req_wdata = rnd();
        }
        rsp_ready = (rnd() & 3u) != 0;
    }
};
