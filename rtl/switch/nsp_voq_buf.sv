// Ingress buffer of one VC of a switch port with virtual output queues: DEPTH flit slots
// shared by NQ queues (one per output port, plus the drop queue of the port), each a linked
// list of slots in arrival order. Like nsp_vc_fifo, the link's RX writes a packet's flits
// speculatively as they arrive (into free slots, chained) and commits them at a good
// trailer, now into the queue commit_q_i names (the route of the packet, looked up by the
// port from spec_hdr_o, the header of the packet being received), or aborts them at a bad
// one. The read side sees committed flits only, so a packet at the head of a queue is
// complete, and a packet blocked on a busy output does not hold back the other queues.
// Credit stays per VC: the link returns one flit of credit for each flit popped from any
// queue; the port pops at most one flit per cycle (sva/switch/nsp_voq_sva.sv).

module nsp_voq_buf #(
  parameter int unsigned DEPTH = 68,
  parameter int unsigned W     = 128,
  parameter int unsigned NQ    = 5,
  localparam int unsigned AW   = $clog2(DEPTH),
  localparam int unsigned CW   = $clog2(DEPTH + 1),
  localparam int unsigned QW   = NQ > 1 ? $clog2(NQ) : 1
) (
  input  logic                   clk_i,
  input  logic                   rst_ni,
  input  logic                   wr_i,         // speculative write (dropped when full)
  input  logic [W-1:0]           wdata_i,
  input  logic                   commit_i,     // the speculative flits join queue commit_q_i
  input  logic [QW-1:0]          commit_q_i,
  input  logic                   abort_i,      // the speculative flits are freed (before wr_i)
  output logic                   full_o,       // no room for a speculative write
  output logic [W-1:0]           spec_hdr_o,   // first speculative flit (the header)
  input  logic [NQ-1:0]          pop_i,
  output logic [NQ-1:0]          valid_o,
  output logic [NQ-1:0][W-1:0]   rdata_o,
  output logic [NQ-1:0][CW-1:0]  qcount_o,     // committed flits per queue
  output logic [CW-1:0]          count_o       // committed flits
);

  logic [W-1:0]          mem_q [DEPTH];
  logic [AW-1:0]         nxt_q [DEPTH];       // next slot of the same list
  logic [DEPTH-1:0]      used_q, used_d, spec_q, spec_d, used_a;
  logic [AW-1:0]         shead_q, shead_d, stail_q, stail_d;
  logic [CW-1:0]         scnt_q, scnt_d, scnt_a, cnt_q, cnt_d;
  logic [NQ-1:0][AW-1:0] head_q, head_d, tail_q, tail_d;
  logic [NQ-1:0][CW-1:0] qcnt_q, qcnt_d;
  logic                  wen, link_spec, link_commit;
  logic [AW-1:0]         wslot, link_commit_at;

  // An abort frees the speculative slots before this cycle's write.
  assign scnt_a = abort_i ? '0 : scnt_q;
  assign full_o = (32'(cnt_q) + 32'(scnt_a)) >= DEPTH;
  assign wen    = wr_i && !full_o;

  always_comb begin
    used_a  = abort_i ? (used_q & ~spec_q) : used_q;
    spec_d  = abort_i ? '0 : spec_q;
    // The lowest free slot.
    wslot = '0;
    for (int i = int'(DEPTH) - 1; i >= 0; i--) begin
      if (!used_a[i]) wslot = AW'(i);
    end
    used_d    = used_a;
    shead_d   = shead_q;
    stail_d   = stail_q;
    scnt_d    = scnt_a;
    link_spec = 1'b0;
    if (wen) begin
      used_d[wslot] = 1'b1;
      spec_d[wslot] = 1'b1;
      if (scnt_a == '0) shead_d = wslot;
      else link_spec = 1'b1;  // nxt[stail_q] = wslot
      stail_d = wslot;
      scnt_d  = scnt_a + CW'(1);
    end
    // Pops: each queue's head slot is freed.
    head_d = head_q;
    tail_d = tail_q;
    qcnt_d = qcnt_q;
    cnt_d  = cnt_q;
    for (int unsigned q = 0; q < NQ; q++) begin
      if (pop_i[q] && qcnt_q[q] != '0) begin
        used_d[head_q[q]] = 1'b0;
        head_d[q] = nxt_q[head_q[q]];
        qcnt_d[q] = qcnt_q[q] - CW'(1);
        cnt_d     = cnt_d - CW'(1);
      end
    end
    // Commit: the speculative list is appended to queue commit_q_i.
    link_commit    = 1'b0;
    link_commit_at = '0;
    if (commit_i && scnt_d != '0 && 32'(commit_q_i) < NQ) begin
      if (qcnt_d[commit_q_i] == '0) begin
        head_d[commit_q_i] = shead_d;
      end else begin
        link_commit    = 1'b1;  // nxt[tail] = shead_d
        link_commit_at = tail_q[commit_q_i];
      end
      tail_d[commit_q_i] = stail_d;
      qcnt_d[commit_q_i] = qcnt_d[commit_q_i] + scnt_d;
      cnt_d  = cnt_d + scnt_d;
      spec_d = '0;
      scnt_d = '0;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      used_q  <= '0;
      spec_q  <= '0;
      shead_q <= '0;
      stail_q <= '0;
      scnt_q  <= '0;
      cnt_q   <= '0;
      head_q  <= '0;
      tail_q  <= '0;
      qcnt_q  <= '0;
    end else begin
      used_q  <= used_d;
      spec_q  <= spec_d;
      shead_q <= shead_d;
      stail_q <= stail_d;
      scnt_q  <= scnt_d;
      cnt_q   <= cnt_d;
      head_q  <= head_d;
      tail_q  <= tail_d;
      qcnt_q  <= qcnt_d;
    end
  end

  // Storage and links (no reset: only slots on a list are read).
  always_ff @(posedge clk_i) begin
    if (wen) mem_q[wslot] <= wdata_i;
    if (link_spec) nxt_q[stail_q] <= wslot;
    if (link_commit) nxt_q[link_commit_at] <= shead_d;
  end

  always_comb begin
    for (int unsigned q = 0; q < NQ; q++) begin
      valid_o[q] = qcnt_q[q] != '0;
      rdata_o[q] = mem_q[head_q[q]];
    end
  end
  assign spec_hdr_o = mem_q[shead_q];
  assign qcount_o   = qcnt_q;
  assign count_o    = cnt_q;

endmodule
