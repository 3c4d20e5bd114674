// ncv bench probe: which SVA constructs a Verilator accepts (--assert) and
// which actually fire. Enable constructs with +define+<CASE> (any mix); add
// +define+VIOL for the stimulus that must make them fire (COVER_*: be hit).
// Every check reports through its action block with a unique tag, so the
// harness can grep the output independently of the simulator's own message.
module sva_probe (input logic clk);
    logic [7:0] cyc = 8'd0;
    always_ff @(posedge clk) cyc <= cyc + 8'd1;

`ifdef VIOL
    localparam bit V = 1'b1;
`else
    localparam bit V = 1'b0;
`endif
    // a pulses at cycles 5 and 10; b normally follows a for two cycles
    wire a   = (cyc == 8'd5) || (cyc == 8'd10);
    wire b   = (cyc == 8'd6) || (cyc == 8'd7) || (cyc == 8'd11) || (cyc == 8'd12 && !V);
    wire b1  = (cyc == 8'd6) || (cyc == 8'd11 && !V);        // one-cycle follower
    wire bp  = (cyc == 8'd6) || (cyc == 8'd11) || (cyc == 8'd14 && V); // for $past
    wire rst = !V && (cyc >= 8'd9) && (cyc <= 8'd13);       // masks the miss when !V
    wire bm  = (cyc == 8'd6);                                 // second follower missing
    wire bc  = (cyc == 8'd6 && V);                            // cover target

`ifdef IMPL_NEXT      // a |-> ##1 b
    p_impl_next: assert property (@(posedge clk) a |-> ##1 b1) else $error("SVA_FIRED IMPL_NEXT");
`endif
`ifdef IMPL_NONOV      // a |=> b (same check without ##)
    p_impl_nonov: assert property (@(posedge clk) a |=> b1) else $error("SVA_FIRED IMPL_NONOV");
`endif
`ifdef SEQ_CONCAT     // a ##1 b as a sequence (consequent of a trigger)
    p_seq_concat: assert property (@(posedge clk) a |-> (a ##1 b1)) else $error("SVA_FIRED SEQ_CONCAT");
`endif
`ifdef NAMED_SEQ      // named sequence
    sequence s_ab;
        a ##1 b1;
    endsequence
    p_named_seq: assert property (@(posedge clk) a |-> s_ab) else $error("SVA_FIRED NAMED_SEQ");
`endif
`ifdef REP2           // consecutive repetition [*2]
    p_rep2: assert property (@(posedge clk) a |-> ##1 b[*2]) else $error("SVA_FIRED REP2");
`endif
`ifdef PAST           // $past
    p_past: assert property (@(posedge clk) bp |-> $past(a)) else $error("SVA_FIRED PAST");
`endif
`ifdef DISABLE_IFF    // disable iff masks the miss at cycle 11 unless VIOL (|=> avoids ##)
    p_disable_iff: assert property (@(posedge clk) disable iff (rst) a |=> bm)
        else $error("SVA_FIRED DISABLE_IFF");
`endif
`ifdef COVER_SEQ      // cover property of a ##1 b
    c_cover_seq: cover property (@(posedge clk) a ##1 bc) $display("SVA_FIRED COVER_SEQ");
`endif
`ifdef COVER_BOOL     // cover property of a boolean
    c_cover_bool: cover property (@(posedge clk) bc) $display("SVA_FIRED COVER_BOOL");
`endif
`ifdef IMMEDIATE      // baseline: immediate assertion in a clocked block
    always_ff @(posedge clk) if (cyc == 8'd11) assert (b1) else $error("SVA_FIRED IMMEDIATE");
`endif
endmodule
