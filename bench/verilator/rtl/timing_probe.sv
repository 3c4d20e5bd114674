// ncv bench probe: a module that really needs --timing (an intra-process
// delay, which Verilator implements with C++ coroutines). Used to check
// whether --timing code compiles under -std=gnu++17 (Debian SystemC's ABI).
module timing_probe (input logic clk, output logic q);
    initial q = 1'b0;
    always @(posedge clk) begin
        #1;
        q <= ~q;
    end
endmodule
