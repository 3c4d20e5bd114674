// Invariants of an NSP switch port's ingress buffer with virtual output queues
// (rtl/switch/nsp_voq_buf.sv), bound into every nsp_voq_buf (sva/switch/nsp_switch_bind.sv):
// committed plus speculative flits never exceed DEPTH (the buffer the link advertises as
// credit for the VC); the queues' lengths add up to the committed flits; the slots in use
// are exactly the committed and speculative flits (no slot leaked or held twice); every
// non-empty queue's head is a committed slot; at most one flit leaves per cycle (the link
// returns one flit of credit per VC and cycle); and within each queue flits leave in the
// order they were written (no reordering within a virtual output queue: every write gets
// a sequence number, and each queue's departures must carry increasing ones). Tested alone
// in tb/cocotb/switch_sva_tests.py.

module nsp_voq_sva #(
  parameter int unsigned  DEPTH = 68,
  parameter int unsigned  NQ    = 5,
  localparam int unsigned AW    = $clog2(DEPTH),
  localparam int unsigned CW    = $clog2(DEPTH + 1)
) (
  input logic                  clk_i,
  input logic                  rst_ni,
  input logic [DEPTH-1:0]      used_i,      // slots holding a committed or speculative flit
  input logic [DEPTH-1:0]      spec_i,      // ... a speculative flit
  input logic [CW-1:0]         cnt_i,       // committed flits
  input logic [CW-1:0]         spec_cnt_i,  // speculative flits
  input logic [NQ-1:0][CW-1:0] qcnt_i,      // committed flits per queue
  input logic [NQ-1:0][AW-1:0] head_i,      // head slot per queue
  input logic [NQ-1:0]         pop_i,       // pop requests (effective when the queue is not empty)
  input logic                  wen_i,       // a flit is written ...
  input logic [AW-1:0]         wslot_i      // ... into this slot
);

  logic [15:0]          stamp_q [DEPTH];   // write sequence number of each slot
  logic [15:0]          wseq_q;
  logic [NQ-1:0][15:0]  last_q;            // sequence number of each queue's last departure
  logic [NQ-1:0]        seen_q;
  logic [NQ-1:0]        pop_eff, ord_bad, head_bad;
  logic [31:0]          qsum;

  always_comb begin
    qsum = '0;
    for (int unsigned q = 0; q < NQ; q++) begin
      logic [15:0] st;
      qsum        = qsum + 32'(qcnt_i[q]);
      pop_eff[q]  = pop_i[q] && qcnt_i[q] != '0;
      head_bad[q] = qcnt_i[q] != '0 && (32'(head_i[q]) >= DEPTH || !used_i[head_i[q]] || spec_i[head_i[q]]);
      st          = 32'(head_i[q]) < DEPTH ? stamp_q[head_i[q]] : '0;
      ord_bad[q]  = pop_eff[q] && seen_q[q] && (st == last_q[q] || (st - last_q[q]) > 16'h8000);
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      wseq_q <= '0;
      last_q <= '0;
      seen_q <= '0;
    end else begin
      if (wen_i) wseq_q <= wseq_q + 16'd1;
      for (int unsigned q = 0; q < NQ; q++) begin
        if (pop_eff[q] && 32'(head_i[q]) < DEPTH) begin
          last_q[q] <= stamp_q[head_i[q]];
          seen_q[q] <= 1'b1;
        end
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (wen_i && 32'(wslot_i) < DEPTH) stamp_q[wslot_i] <= wseq_q;
  end

  VoqBound: assert property (@(posedge clk_i) disable iff (!rst_ni)
    32'(cnt_i) + 32'(spec_cnt_i) <= DEPTH)
    else $error("voq: %0d committed + %0d speculative flits > DEPTH %0d", cnt_i, spec_cnt_i, DEPTH);
  VoqCount: assert property (@(posedge clk_i) disable iff (!rst_ni)
    qsum == 32'(cnt_i))
    else $error("voq: the queues hold %0d flits, but %0d are committed", qsum, cnt_i);
  VoqSlots: assert property (@(posedge clk_i) disable iff (!rst_ni)
    $countones(used_i) == 32'(cnt_i) + 32'(spec_cnt_i) && (spec_i & ~used_i) == '0 &&
    $countones(spec_i) == 32'(spec_cnt_i))
    else $error("voq: %0d slots used (%0d speculative) for %0d committed + %0d speculative flits",
                $countones(used_i), $countones(spec_i), cnt_i, spec_cnt_i);
  VoqHeadUsed: assert property (@(posedge clk_i) disable iff (!rst_ni)
    head_bad == '0) else $error("voq: queue(s) %b: the head is not a committed slot", head_bad);
  VoqOnePop: assert property (@(posedge clk_i) disable iff (!rst_ni)
    $countones(pop_eff) <= 1) else $error("voq: flits of queues %b leave in one cycle", pop_eff);
  VoqOrder: assert property (@(posedge clk_i) disable iff (!rst_ni)
    ord_bad == '0) else $error("voq: queue(s) %b: a flit left before one written earlier", ord_bad);

  CoverVoqFull: cover property (@(posedge clk_i) disable iff (!rst_ni) 32'(cnt_i) == DEPTH);

endmodule
