// NSP switch port: an nsp_link whose ingress buffer holds, per VC, a virtual output queue
// per output port plus a drop queue (nsp_voq_buf); the route lookup and TTL check of each
// packet at its commit into the buffer (which queue it joins); the drop engine (route
// miss, TTL expiry) on the drop queues with the DECODE_ERR response slot; the stream of
// the granted packet into the crossbar (TTL decremented); and the egress side (link TX
// with its credit and room) for the crossbar's output.
// Sources for the allocator: o * NVC + vc the head of the queue of VC vc for output o,
// NPORTS * NVC the synthesised response (sent on VC1). A packet blocked on a busy output
// holds back only the packets behind it in its own queue (same VC, same output).

module nsp_port
  import nsp_pkg::*;
#(
  parameter int unsigned NPORTS         = 4,
  parameter int unsigned BUF_FLITS      = SW_BUF_FLITS,
  parameter int unsigned RB_FLITS       = 128,
  parameter int unsigned RB_PKTS        = 16,
  parameter int unsigned REPLAY_TIMEOUT = 256,
  parameter int unsigned REPLAY_NUM_MAX = 4,
  localparam int unsigned PW            = NPORTS > 1 ? $clog2(NPORTS) : 1,
  localparam int unsigned NQ            = NPORTS + 1,        // queues per VC: outputs, drop
  localparam int unsigned QW            = $clog2(NQ),
  localparam int unsigned NSRC          = NPORTS * NVC + 1,
  localparam int unsigned SW            = $clog2(NSRC),
  localparam int unsigned NLK           = 2                  // lookups: arriving packet, response
) (
  input  logic                       clk_i,
  input  logic                       rst_ni,
  input  logic                       enable_i,
  input  logic                       retrain_i,
  // Wire.
  output logic                       tx_valid_o,
  output logic [1:0]                 tx_kind_o,
  output flit_t                      tx_data_o,
  input  logic                       rx_valid_i,
  input  logic [1:0]                 rx_kind_i,
  input  flit_t                      rx_data_i,
  // Route lookups (dst id out, {valid, port} back, same cycle): 0 the packet being received
  // (used at its commit), 1 the synthesised response.
  output logic [NLK-1:0][ID_W-1:0]   lk_dst_o,
  input  logic [NLK-1:0]             lk_valid_i,
  input  logic [NLK-1:0][PW-1:0]     lk_port_i,
  // Requests to the allocator (a complete packet at the head of a queue).
  output logic [NSRC-1:0]            req_o,
  output logic [NSRC-1:0][PW-1:0]    req_port_o,
  output logic [NSRC-1:0][1:0]       req_vc_o,
  output logic [NSRC-1:0][4:0]       req_len_o,
  input  logic                       gnt_i,       // start streaming source gnt_src_i
  input  logic [SW-1:0]              gnt_src_i,
  output logic                       busy_o,
  // This input's flit into the crossbar.
  output logic                       xb_valid_o,
  output flit_t                      xb_data_o,
  output logic                       xb_sop_o,
  output logic                       xb_eop_o,
  input  logic                       xb_ready_i,
  // Egress: the crossbar's output into this port's link.
  input  logic                       eg_valid_i,
  input  flit_t                      eg_data_i,
  input  logic                       eg_sop_i,
  input  logic                       eg_eop_i,
  output logic                       eg_ready_o,
  output logic [NVC-1:0][CR_W-1:0]   eg_credit_o,
  output logic                       eg_room_o,
  // Events (pulses) and status.
  output logic [NVC-1:0]             ev_route_miss_o,  // per VC: several may drop in one cycle
  output logic [NVC-1:0]             ev_ttl_o,
  output logic                       ev_resp_gen_o,
  output logic                       ev_resp_drop_o,
  output logic [7:0]                 ev_link_o,   // crc, seq, replay_to, nak_rx, ovf, poison, degraded, up
  output logic [2:0]                 state_o,
  input  logic [5:0]                 cnt_idx_i,
  output logic [31:0]                cnt_o
);

  localparam int unsigned OCC_W = $clog2(BUF_FLITS + 1);
  localparam int unsigned DQ    = NPORTS;   // the drop queue of each VC

  logic [NVC-1:0][NQ-1:0]    q_valid, q_pop;
  flit_t [NVC-1:0][NQ-1:0]   q_data;
  logic [NVC-1:0][OCC_W-1:0] q_cnt;
  flit_t                     rx_hdr;
  logic [QW-1:0]             rx_qsel;

  nsp_link #(
    .BUF_FLITS(BUF_FLITS), .RB_FLITS(RB_FLITS), .RB_PKTS(RB_PKTS),
    .REPLAY_TIMEOUT(REPLAY_TIMEOUT), .REPLAY_NUM_MAX(REPLAY_NUM_MAX), .NQ(NQ)
  ) u_link (
    .clk_i, .rst_ni, .enable_i, .retrain_i,
    .tx_valid_o, .tx_kind_o, .tx_data_o, .rx_valid_i, .rx_kind_i, .rx_data_i,
    .up_valid_i(eg_valid_i), .up_data_i(eg_data_i), .up_sop_i(eg_sop_i), .up_eop_i(eg_eop_i),
    .up_ready_o(eg_ready_o), .tx_credit_o(eg_credit_o), .tx_room_o(eg_room_o),
    .rxq_valid_o(q_valid), .rxq_data_o(q_data), .rxq_pop_i(q_pop), .rxq_count_o(q_cnt),
    .rx_hdr_o(rx_hdr), .rx_qsel_i(rx_qsel), .state_o,
    .ev_crc_o(ev_link_o[0]), .ev_seq_o(ev_link_o[1]), .ev_replay_to_o(ev_link_o[2]),
    .ev_nak_rx_o(ev_link_o[3]), .ev_ovf_o(ev_link_o[4]), .ev_poison_o(ev_link_o[5]),
    .ev_degraded_o(ev_link_o[6]), .ev_up_o(ev_link_o[7]),
    .cnt_idx_i, .cnt_o);

  // Streaming state: source VC (NVC: the synthesised response) and output queue.
  logic            busy_q, busy_d;
  logic [2:0]      src_q, src_d;
  logic [QW-1:0]   oq_q, oq_d;
  logic            first_q, first_d;
  logic [4:0]      rem_q, rem_d;
  // Drop engine per VC (on the drop queue).
  logic [NVC-1:0]       drop_q, drop_d;
  logic [NVC-1:0][4:0]  drem_q, drem_d;
  // Synthesised DECODE_ERR response.
  logic            syn_q, syn_d;
  hdr_t            syn_hdr_q, syn_hdr_d;

  hdr_t [NVC-1:0]  hd;          // heads of the drop queues
  hdr_t [NPORTS-1:0][NVC-1:0] qh;  // heads of the output queues
  hdr_t            ah;          // the packet being received
  hdr_t            xh, rh;
  logic [NVC-1:0]  st_pop;      // the stream pops this VC this cycle

  // Queue of the packet being received, used at its commit: TTL expired or no valid route:
  // the drop queue; else the queue of its output.
  always_comb begin
    ah          = hdr_t'(rx_hdr);
    lk_dst_o[0] = ah.dst;
    lk_dst_o[1] = syn_hdr_q.dst;
    rx_qsel     = (ah.ttl == '0 || !lk_valid_i[0]) ? QW'(DQ) : QW'(lk_port_i[0]);
  end

  // Requests: the head of every output queue, and the synthesised response.
  always_comb begin
    for (int unsigned o = 0; o < NPORTS; o++) begin
      for (int unsigned v = 0; v < NVC; v++) begin
        qh[o][v] = hdr_t'(q_data[v][o]);
        req_port_o[o * NVC + v] = PW'(o);
        req_vc_o[o * NVC + v]   = 2'(v);
        req_len_o[o * NVC + v]  = qh[o][v].len;
      end
    end
    req_port_o[NSRC-1] = lk_port_i[1];
    req_vc_o[NSRC-1]   = VC_RSP;
    req_len_o[NSRC-1]  = '0;
    for (int unsigned v = 0; v < NVC; v++) begin
      hd[v]     = hdr_t'(q_data[v][DQ]);
      st_pop[v] = busy_q && 32'(src_q) == v && xb_ready_i && q_valid[v][oq_q];
    end
  end

  always_comb begin
    busy_d    = busy_q;
    src_d     = src_q;
    oq_d      = oq_q;
    first_d   = first_q;
    rem_d     = rem_q;
    drop_d    = drop_q;
    drem_d    = drem_q;
    syn_d     = syn_q;
    syn_hdr_d = syn_hdr_q;
    q_pop     = '0;
    req_o     = '0;
    ev_route_miss_o = '0;
    ev_ttl_o        = '0;
    ev_resp_gen_o   = 1'b0;
    ev_resp_drop_o  = 1'b0;
    rh        = '0;

    // Drop queues: a packet whose TTL expired or whose route missed at its arrival is
    // dropped here (a request answered by a DECODE_ERR response). One pop per VC and
    // cycle: the drop engine waits while the stream pops the same VC.
    for (int unsigned v = 0; v < NVC; v++) begin
      if (q_valid[v][DQ] && !st_pop[v]) begin
        if (!drop_q[v]) begin
          if (hd[v].ttl == '0) begin
            ev_ttl_o[v]  = 1'b1;
            q_pop[v][DQ] = 1'b1;
            drop_d[v]    = hd[v].len != '0;
            drem_d[v]    = hd[v].len;
          end else if (hd[v].opcode == OP_RD || hd[v].opcode == OP_WR) begin
            if (!syn_d) begin  // one response slot: a second miss waits for it
              ev_route_miss_o[v] = 1'b1;
              ev_resp_gen_o   = 1'b1;
              q_pop[v][DQ]    = 1'b1;
              drop_d[v]       = hd[v].len != '0;
              drem_d[v]       = hd[v].len;
              syn_d           = 1'b1;
              rh              = '0;
              rh.opcode       = hd[v].opcode == OP_RD ? OP_RD_RSP : OP_WR_RSP;
              rh.vc           = VC_RSP;
              rh.dst          = hd[v].src;
              rh.src          = hd[v].dst;
              rh.tag          = hd[v].tag;
              rh.flow         = hd[v].flow;
              rh.status       = ST_DECODE_ERR;
              rh.ttl          = 4'hF;
              rh.addr         = hd[v].addr;
              syn_hdr_d       = rh;
            end
          end else begin
            ev_route_miss_o[v] = 1'b1;
            q_pop[v][DQ]    = 1'b1;
            drop_d[v]       = hd[v].len != '0;
            drem_d[v]       = hd[v].len;
          end
        end else begin
          q_pop[v][DQ] = 1'b1;
          drem_d[v]    = drem_q[v] - 5'd1;
          if (drem_q[v] == 5'd1) drop_d[v] = 1'b0;
        end
      end
    end
    // Output queues: each head is a request.
    for (int unsigned o = 0; o < NPORTS; o++) begin
      for (int unsigned v = 0; v < NVC; v++) begin
        req_o[o * NVC + v] = q_valid[v][o];
      end
    end
    // The synthesised response: forwarded if its own route is valid, else dropped.
    if (syn_q && !(busy_q && src_q == 3'(NVC))) begin
      if (lk_valid_i[1]) begin
        req_o[NSRC-1] = 1'b1;
      end else begin
        syn_d          = 1'b0;
        ev_resp_drop_o = 1'b1;
      end
    end
    if (busy_q) req_o = '0;

    // Stream the granted packet.
    xb_valid_o = 1'b0;
    xb_data_o  = q_data[src_q[1:0]][oq_q];
    xb_sop_o   = first_q;
    xb_eop_o   = 1'b0;
    xh         = hdr_t'(q_data[src_q[1:0]][oq_q]);
    if (busy_q) begin
      if (src_q == 3'(NVC)) begin
        xb_valid_o = 1'b1;
        xb_data_o  = flit_t'(syn_hdr_q);
        xb_eop_o   = 1'b1;
        if (xb_ready_i) begin
          busy_d = 1'b0;
          syn_d  = 1'b0;
        end
      end else begin
        xb_valid_o = q_valid[src_q[1:0]][oq_q];
        if (first_q) begin
          xh.ttl    = xh.ttl - 4'd1;
          xb_data_o = flit_t'(xh);
          xb_eop_o  = xh.len == '0;
        end else begin
          xb_eop_o  = rem_q == 5'd1;
        end
        if (xb_ready_i && q_valid[src_q[1:0]][oq_q]) begin
          q_pop[src_q[1:0]][oq_q] = 1'b1;
          first_d = 1'b0;
          if (first_q) begin
            rem_d = xh.len;
            if (xh.len == '0) busy_d = 1'b0;
          end else begin
            rem_d = rem_q - 5'd1;
            if (rem_q == 5'd1) busy_d = 1'b0;
          end
        end
      end
    end
    if (gnt_i) begin
      busy_d  = 1'b1;
      first_d = 1'b1;
      if (32'(gnt_src_i) == NSRC - 1) begin
        src_d = 3'(NVC);
        oq_d  = '0;
      end else begin
        src_d = 3'(gnt_src_i % SW'(NVC));
        oq_d  = QW'(gnt_src_i / SW'(NVC));
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      busy_q    <= 1'b0;
      src_q     <= '0;
      oq_q      <= '0;
      first_q   <= 1'b0;
      rem_q     <= '0;
      drop_q    <= '0;
      drem_q    <= '0;
      syn_q     <= 1'b0;
      syn_hdr_q <= '0;
    end else begin
      busy_q    <= busy_d;
      src_q     <= src_d;
      oq_q      <= oq_d;
      first_q   <= first_d;
      rem_q     <= rem_d;
      drop_q    <= drop_d;
      drem_q    <= drem_d;
      syn_q     <= syn_d;
      syn_hdr_q <= syn_hdr_d;
    end
  end

  assign busy_o = busy_q;

  logic unused_port;
  assign unused_port = ^{q_cnt, hd, qh, ah, rh, xh};

endmodule
