// ncv bench probe: 32 x 32-bit register file behind a valid/ready port.
//
// Request channel  : req_valid/req_ready, req_write, req_addr, req_wdata
// Response channel : rsp_valid/rsp_ready, rsp_rdata (one response per request;
//                    a write returns the value it replaced, a read the value)
// Responses are held in a single-entry skid register, so req_ready drops
// whenever a response is pending and the consumer is not taking it.
// wr_sig is a running signature of every accepted write (used by the
// testbenches to check that SystemC, plain C++ and cocotb runs agree).
`default_nettype none
module regfile #(
    parameter int NREGS = 32,
    parameter int W     = 32,
    localparam int AW   = $clog2(NREGS)
) (
    input  wire logic          clk,
    input  wire logic          rst_n,
    // request
    input  wire logic          req_valid,
    output logic               req_ready,
    input  wire logic          req_write,
    input  wire logic [AW-1:0] req_addr,
    input  wire logic [W-1:0]  req_wdata,
    // response
    output logic               rsp_valid,
    input  wire logic          rsp_ready,
    output logic [W-1:0]       rsp_rdata,
    // observability
    output logic [31:0]        wr_sig,
    output logic [31:0]        n_req
);
    logic [W-1:0] regs [NREGS];
    logic         req_fire;
    logic         rsp_fire;

    assign rsp_fire  = rsp_valid && rsp_ready;
    assign req_ready = !rsp_valid || rsp_ready;
    assign req_fire  = req_valid && req_ready;

    always_ff @(posedge clk or negedge rst_n) begin
        if (!rst_n) begin
            rsp_valid <= 1'b0;
            rsp_rdata <= '0;
            wr_sig    <= 32'h1234_5678;
            n_req     <= '0;
        end else begin
            if (req_fire) begin
                rsp_valid <= 1'b1;
                rsp_rdata <= regs[req_addr];
                n_req     <= n_req + 32'd1;
                if (req_write) begin
                    wr_sig <= {wr_sig[30:0], wr_sig[31]} ^ req_wdata ^ {27'd0, req_addr};
                end
            end else if (rsp_fire) begin
                rsp_valid <= 1'b0;
            end
        end
    end

    // Storage has no reset (like an SRAM); the testbench writes before reading.
    always_ff @(posedge clk) begin
        if (req_fire && req_write) begin
            regs[req_addr] <= req_wdata;
        end
    end

`ifdef REGFILE_SVA
    // Protocol check used by the cocotb run when --assert is on.
    /* verilator lint_off SYNCASYNCNET */
    a_rsp_stable: assert property (@(posedge clk) disable iff (!rst_n)
        rsp_valid && !rsp_ready |=> rsp_valid && $stable(rsp_rdata));
    /* verilator lint_on SYNCASYNCNET */
`endif
endmodule
`default_nettype wire
