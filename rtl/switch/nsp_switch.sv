// NSP switch: NPORTS nsp_ports, the routing table (active and shadow bank, atomic swap),
// a separable input-first round-robin allocator with VC priority and aging, per-packet
// crossbar connections, the counters and the CSRs (docs/switch.md "CSR map").
// Each input buffers per VC a virtual output queue per output (nsp_port, nsp_voq_buf); its
// sources are the heads of those queues (o * NVC + vc) and the synthesised response.
//
// Allocation, each cycle, for free inputs and free outputs:
//   1. each input picks one of its requesting sources whose output is free, has room and
//      has credit on the packet's VC for the whole packet (virtual cut-through): highest
//      class first (aged source 3, VC1 and responses 2, VC2 1, VC0 and VC3 0), ties round
//      robin from the input's pointer;
//   2. each output picks one of the inputs that picked it: highest class first, ties round
//      robin from the output's pointer. Grants hold the pair until the packet's last flit.
//   Steps 1 and 2 run ALLOC_ITERS times in the cycle; each later iteration matches only the
//   inputs and outputs left unmatched (an input whose pick lost at its output tries another
//   output), so a cycle's matching comes closer to maximal.
// A source that is eligible and not granted ages; at AGE_MAX cycles it is in class 3.

module nsp_switch
  import nsp_pkg::*;
#(
  parameter int unsigned NPORTS         = 4,
  parameter int unsigned BUF_FLITS      = SW_BUF_FLITS,
  parameter int unsigned RB_FLITS       = 128,
  parameter int unsigned RB_PKTS        = 16,
  parameter int unsigned REPLAY_TIMEOUT = 256,
  parameter int unsigned REPLAY_NUM_MAX = 4,
  parameter int unsigned AGE_MAX        = 64,
  parameter int unsigned ALLOC_ITERS    = 2,
  localparam int unsigned PW            = NPORTS > 1 ? $clog2(NPORTS) : 1,
  localparam int unsigned NSRC          = NPORTS * NVC + 1,   // per input: queue heads, response
  localparam int unsigned SW            = $clog2(NSRC),
  localparam int unsigned NLK           = 2                   // route lookups per input
) (
  input  logic                     clk_i,
  input  logic                     rst_ni,
  // Wires of the ports.
  output logic [NPORTS-1:0]        tx_valid_o,
  output logic [NPORTS-1:0][1:0]   tx_kind_o,
  output flit_t [NPORTS-1:0]       tx_data_o,
  input  logic [NPORTS-1:0]        rx_valid_i,
  input  logic [NPORTS-1:0][1:0]   rx_kind_i,
  input  flit_t [NPORTS-1:0]       rx_data_i,
  // Register port: a read returns csr_rdata_o in the same cycle; a write takes effect at
  // the clock edge.
  input  logic                     csr_valid_i,
  input  logic                     csr_write_i,
  input  logic [15:0]              csr_addr_i,
  input  logic [31:0]              csr_wdata_i,
  output logic [31:0]              csr_rdata_o,
  output logic                     irq_err_o,
  output logic                     irq_link_o
);

  // ---------------------------------------------------------------------------------------
  // Ports.
  logic [NPORTS-1:0][NLK-1:0][ID_W-1:0]  lk_dst;
  logic [NPORTS-1:0][NLK-1:0]            lk_valid;
  logic [NPORTS-1:0][NLK-1:0][PW-1:0]    lk_port;
  logic [NPORTS-1:0][NSRC-1:0]           req;
  logic [NPORTS-1:0][NSRC-1:0][PW-1:0]   req_port;
  logic [NPORTS-1:0][NSRC-1:0][1:0]      req_vc;
  logic [NPORTS-1:0][NSRC-1:0][4:0]      req_len;
  logic [NPORTS-1:0]                     gnt;
  logic [NPORTS-1:0][SW-1:0]             gnt_src;
  logic [NPORTS-1:0]                     in_busy;
  logic [NPORTS-1:0]                     xb_valid, xb_sop, xb_eop, xb_ready;
  flit_t [NPORTS-1:0]                    xb_data;
  logic [NPORTS-1:0]                     eg_valid, eg_sop, eg_eop, eg_ready, eg_room;
  flit_t [NPORTS-1:0]                    eg_data;
  logic [NPORTS-1:0][NVC-1:0][CR_W-1:0]  eg_credit;
  logic [NPORTS-1:0][NVC-1:0]            ev_miss, ev_ttl;
  logic [NPORTS-1:0]                     ev_rgen, ev_rdrop;
  logic [NPORTS-1:0][7:0]                ev_link;
  logic [NPORTS-1:0][2:0]                lstate;
  logic [NPORTS-1:0][31:0]               lcnt;
  logic [5:0]                            cnt_idx;
  logic [NPORTS-1:0]                     link_en_q, retrain_pulse;

  for (genvar p = 0; p < NPORTS; p++) begin : g_port
    nsp_port #(
      .NPORTS(NPORTS), .BUF_FLITS(BUF_FLITS), .RB_FLITS(RB_FLITS), .RB_PKTS(RB_PKTS),
      .REPLAY_TIMEOUT(REPLAY_TIMEOUT), .REPLAY_NUM_MAX(REPLAY_NUM_MAX)
    ) u_port (
      .clk_i, .rst_ni, .enable_i(link_en_q[p]), .retrain_i(retrain_pulse[p]),
      .tx_valid_o(tx_valid_o[p]), .tx_kind_o(tx_kind_o[p]), .tx_data_o(tx_data_o[p]),
      .rx_valid_i(rx_valid_i[p]), .rx_kind_i(rx_kind_i[p]), .rx_data_i(rx_data_i[p]),
      .lk_dst_o(lk_dst[p]), .lk_valid_i(lk_valid[p]), .lk_port_i(lk_port[p]),
      .req_o(req[p]), .req_port_o(req_port[p]), .req_vc_o(req_vc[p]), .req_len_o(req_len[p]),
      .gnt_i(gnt[p]), .gnt_src_i(gnt_src[p]), .busy_o(in_busy[p]),
      .xb_valid_o(xb_valid[p]), .xb_data_o(xb_data[p]), .xb_sop_o(xb_sop[p]), .xb_eop_o(xb_eop[p]),
      .xb_ready_i(xb_ready[p]),
      .eg_valid_i(eg_valid[p]), .eg_data_i(eg_data[p]), .eg_sop_i(eg_sop[p]), .eg_eop_i(eg_eop[p]),
      .eg_ready_o(eg_ready[p]), .eg_credit_o(eg_credit[p]), .eg_room_o(eg_room[p]),
      .ev_route_miss_o(ev_miss[p]), .ev_ttl_o(ev_ttl[p]), .ev_resp_gen_o(ev_rgen[p]),
      .ev_resp_drop_o(ev_rdrop[p]), .ev_link_o(ev_link[p]), .state_o(lstate[p]),
      .cnt_idx_i(cnt_idx), .cnt_o(lcnt[p]));
  end

  // ---------------------------------------------------------------------------------------
  // Routing table: two banks of {valid, port}; lookups use the active bank, CSR writes
  // the shadow bank; a write of 1 to RT_SWAP exchanges them between two clock edges.
  logic [PW:0] rt0_q [RT_ENTRIES];
  logic [PW:0] rt1_q [RT_ENTRIES];
  logic        bank_q;

  always_comb begin
    for (int unsigned p = 0; p < NPORTS; p++) begin
      for (int unsigned s = 0; s < NLK; s++) begin
        logic [PW:0] e;
        e = bank_q ? rt1_q[lk_dst[p][s]] : rt0_q[lk_dst[p][s]];
        lk_valid[p][s] = e[PW] && 32'(e[PW-1:0]) < NPORTS;
        lk_port[p][s]  = e[PW-1:0];
      end
    end
  end

  // ---------------------------------------------------------------------------------------
  // Allocator.
  logic [NPORTS-1:0]                 out_busy_q;
  logic [NPORTS-1:0][PW-1:0]         owner_q;          // input connected to each output
  logic [NPORTS-1:0][PW-1:0]         conn_q;           // output connected to each input
  logic [NPORTS-1:0][SW-1:0]         in_ptr_q, in_ptr_d;
  logic [NPORTS-1:0][PW-1:0]         out_ptr_q, out_ptr_d;
  logic [NPORTS-1:0][NSRC-1:0][7:0]  age_q, age_d;
  logic [NPORTS-1:0][NSRC-1:0]       elig;
  logic [NPORTS-1:0]                 pick_v, in_m;     // in_m: input matched this cycle
  logic [NPORTS-1:0][SW-1:0]         pick_s, gsrc;     // gsrc: source of a matched input
  logic [NPORTS-1:0][1:0]            pick_c;
  logic [NPORTS-1:0][PW-1:0]         pick_o;
  logic [NPORTS-1:0]                 og_v;             // output grants
  logic [NPORTS-1:0][PW-1:0]         og_in;
  logic [NPORTS-1:0][NVC-1:0]        stall;            // credit stall per output and VC

  function automatic logic [1:0] vc_class(logic [1:0] vc);
    unique case (vc)
      2'd1: return 2'd2;
      2'd2: return 2'd1;
      default: return 2'd0;
    endcase
  endfunction

  always_comb begin
    stall = '0;
    // Eligible sources and credit stalls.
    for (int unsigned p = 0; p < NPORTS; p++) begin
      for (int unsigned s = 0; s < NSRC; s++) begin
        elig[p][s] = 1'b0;
        if (req[p][s] && !in_busy[p]) begin
          if (32'(eg_credit[req_port[p][s]][req_vc[p][s]]) < 32'(req_len[p][s]) + 1) begin
            stall[req_port[p][s]][req_vc[p][s]] = 1'b1;
          end else if (!out_busy_q[req_port[p][s]] && eg_room[req_port[p][s]]) begin
            elig[p][s] = 1'b1;
          end
        end
      end
    end
    og_v   = '0;
    og_in  = '0;
    in_m   = '0;
    gsrc   = '0;
    pick_v = '0;
    pick_s = '0;
    pick_c = '0;
    pick_o = '0;
    for (int unsigned it = 0; it < ALLOC_ITERS; it++) begin
      // Stage 1: per unmatched input, among sources whose output is still unmatched.
      for (int unsigned p = 0; p < NPORTS; p++) begin
        pick_v[p] = 1'b0;
        pick_s[p] = '0;
        pick_c[p] = '0;
        pick_o[p] = '0;
        for (int unsigned k = 0; k < NSRC; k++) begin
          int unsigned s;
          logic [1:0]  c;
          s = (32'(in_ptr_q[p]) + k) % NSRC;
          c = 32'(age_q[p][s]) >= AGE_MAX ? 2'd3 : vc_class(req_vc[p][s]);
          if (!in_m[p] && elig[p][s] && !og_v[req_port[p][s]] && (!pick_v[p] || c > pick_c[p])) begin
            pick_v[p] = 1'b1;
            pick_s[p] = SW'(s);
            pick_c[p] = c;
            pick_o[p] = req_port[p][s];
          end
        end
      end
      // Stage 2: per unmatched output.
      for (int unsigned o = 0; o < NPORTS; o++) begin
        logic [1:0] bc;
        logic       g;
        g  = 1'b0;
        bc = '0;
        for (int unsigned k = 0; k < NPORTS; k++) begin
          int unsigned p;
          p = (32'(out_ptr_q[o]) + k) % NPORTS;
          if (!og_v[o] && pick_v[p] && 32'(pick_o[p]) == o && (!g || pick_c[p] > bc)) begin
            g        = 1'b1;
            og_in[o] = PW'(p);
            bc       = pick_c[p];
          end
        end
        if (g) begin
          og_v[o]          = 1'b1;
          in_m[og_in[o]]   = 1'b1;
          gsrc[og_in[o]]   = pick_s[og_in[o]];
        end
      end
    end
    // Grants, pointers, ages.
    gnt       = '0;
    gnt_src   = '0;
    in_ptr_d  = in_ptr_q;
    out_ptr_d = out_ptr_q;
    age_d     = age_q;
    for (int unsigned o = 0; o < NPORTS; o++) begin
      if (og_v[o]) begin
        gnt[og_in[o]]      = 1'b1;
        gnt_src[og_in[o]]  = gsrc[og_in[o]];
        out_ptr_d[o]       = (32'(og_in[o]) + 1 == NPORTS) ? '0 : og_in[o] + PW'(1);
        in_ptr_d[og_in[o]] = (32'(gsrc[og_in[o]]) + 1 == NSRC) ? '0 : gsrc[og_in[o]] + SW'(1);
      end
    end
    for (int unsigned p = 0; p < NPORTS; p++) begin
      for (int unsigned s = 0; s < NSRC; s++) begin
        if (!req[p][s]) age_d[p][s] = '0;
        else if (gnt[p] && 32'(gnt_src[p]) == s) age_d[p][s] = '0;
        else if (age_q[p][s] != 8'hFF) age_d[p][s] = age_q[p][s] + 8'd1;
      end
    end
  end

  // Crossbar.
  always_comb begin
    for (int unsigned o = 0; o < NPORTS; o++) begin
      eg_valid[o] = out_busy_q[o] && xb_valid[owner_q[o]];
      eg_data[o]  = xb_data[owner_q[o]];
      eg_sop[o]   = xb_sop[owner_q[o]];
      eg_eop[o]   = xb_eop[owner_q[o]];
    end
    for (int unsigned p = 0; p < NPORTS; p++) begin
      xb_ready[p] = in_busy[p] && out_busy_q[conn_q[p]] && 32'(owner_q[conn_q[p]]) == p &&
                    eg_ready[conn_q[p]];
    end
  end

  logic [NPORTS-1:0] out_busy_d;
  logic [NPORTS-1:0][PW-1:0] owner_d, conn_d;
  always_comb begin
    out_busy_d = out_busy_q;
    owner_d    = owner_q;
    conn_d     = conn_q;
    for (int unsigned o = 0; o < NPORTS; o++) begin
      if (out_busy_q[o] && eg_valid[o] && eg_ready[o] && eg_eop[o]) out_busy_d[o] = 1'b0;
      if (og_v[o]) begin
        out_busy_d[o]     = 1'b1;
        owner_d[o]        = og_in[o];
        conn_d[og_in[o]]  = PW'(o);
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      out_busy_q <= '0;
      owner_q    <= '0;
      conn_q     <= '0;
      in_ptr_q   <= '0;
      out_ptr_q  <= '0;
      age_q      <= '0;
    end else begin
      out_busy_q <= out_busy_d;
      owner_q    <= owner_d;
      conn_q     <= conn_d;
      in_ptr_q   <= in_ptr_d;
      out_ptr_q  <= out_ptr_d;
      age_q      <= age_d;
    end
  end

  // ---------------------------------------------------------------------------------------
  // CSRs. The map is rtl/switch/data/nsp_switch.rdl (docs/registers/nsp_switch.md): every
  // address and field below is a constant of nsp_switch_regs_pkg, generated from it. The
  // RDL describes PORT[] at its maximum of 8 ports; the registers of ports >= NPORTS, and
  // unmapped or unaligned addresses, read 0 and ignore writes.
  import nsp_switch_regs_pkg::*;
  localparam int unsigned NPC = 8;  // per-port switch counters (route_miss .. credit_stall[vc])
  localparam int unsigned PSH = $clog2(NSP_SWITCH_PORT_STRIDE);  // port block: address bits
  localparam int unsigned PIW = $clog2(NSP_SWITCH_PORT_COUNT);   // port index bits
  // Offsets of the port registers in a port's block.
  localparam logic [15:0] O_CNT   = NSP_SWITCH_PORT_LINK_CNT - NSP_SWITCH_PORT;
  localparam logic [15:0] O_CTRL  = NSP_SWITCH_PORT_LINK_CTRL - NSP_SWITCH_PORT;
  localparam logic [15:0] O_MISS  = NSP_SWITCH_PORT_ROUTE_MISS - NSP_SWITCH_PORT;
  localparam logic [15:0] O_TTL   = NSP_SWITCH_PORT_TTL_EXPIRED - NSP_SWITCH_PORT;
  localparam logic [15:0] O_RGEN  = NSP_SWITCH_PORT_RESP_GEN - NSP_SWITCH_PORT;
  localparam logic [15:0] O_RDROP = NSP_SWITCH_PORT_RESP_DROP - NSP_SWITCH_PORT;
  localparam logic [15:0] O_STALL = NSP_SWITCH_PORT_CREDIT_STALL - NSP_SWITCH_PORT;

  if (NPORTS > NSP_SWITCH_PORT_COUNT || RT_ENTRIES > NSP_SWITCH_RT_SHADOW_COUNT ||
      RT_ENTRIES > NSP_SWITCH_RT_ACTIVE_COUNT || NCNT > NSP_SWITCH_PORT_LINK_CNT_COUNT1 ||
      NVC > NSP_SWITCH_PORT_CREDIT_STALL_COUNT1) begin : g_csr_map_too_small
    $error("nsp_switch: NPORTS, RT_ENTRIES, NCNT or NVC exceed the CSR map nsp_switch.rdl");
  end

  // arr_hit: address a is an element of the array at base (count elements, stride bytes
  // apart); arr_idx: which one.
  function automatic logic arr_hit(logic [15:0] a, logic [15:0] base, int unsigned count,
                                   int unsigned stride);
    logic [15:0] d;
    d = a - base;
    return 32'(d) < count * stride && 32'(d) % stride == 0;
  endfunction
  function automatic int unsigned arr_idx(logic [15:0] a, logic [15:0] base, int unsigned stride);
    logic [15:0] d;
    d = a - base;
    return 32'(d) / stride;
  endfunction

  logic [NPORTS-1:0][NPC-1:0][31:0] pc_q;
  logic [31:0] err_status_q, err_status_d, err_irq_en_q;
  logic [NPORTS-1:0] link_irq_q, link_irq_d, link_irq_en_q;
  logic [31:0] err_ev;
  logic        wr, swap;
  logic [15:0] prel, poff;        // address relative to PORT[0]; offset in the port's block
  logic [PIW-1:0] csr_port;
  logic        port_hit;          // a register of a port < NPORTS
  logic        pc_hit;            // a per-port switch counter (pc_q[csr_port][pc_sel])
  logic [2:0]  pc_sel;
  logic        sh_hit, act_hit;   // a shadow or active routing entry
  logic [ID_W-1:0] sh_id, act_id;

  assign wr       = csr_valid_i && csr_write_i;
  assign prel     = csr_addr_i - NSP_SWITCH_PORT;
  assign csr_port = prel[PSH+:PIW];
  assign poff     = 16'(prel[PSH-1:0]);
  assign port_hit = 32'(prel) < NSP_SWITCH_PORT_COUNT * NSP_SWITCH_PORT_STRIDE && 32'(csr_port) < NPORTS;
  assign cnt_idx  = 6'(arr_idx(poff, O_CNT, NSP_SWITCH_PORT_LINK_CNT_STRIDE1));
  assign sh_hit   = arr_hit(csr_addr_i, NSP_SWITCH_RT_SHADOW, NSP_SWITCH_RT_SHADOW_COUNT,
                            NSP_SWITCH_RT_SHADOW_STRIDE);
  assign act_hit  = arr_hit(csr_addr_i, NSP_SWITCH_RT_ACTIVE, NSP_SWITCH_RT_ACTIVE_COUNT,
                            NSP_SWITCH_RT_ACTIVE_STRIDE);
  assign sh_id    = ID_W'(arr_idx(csr_addr_i, NSP_SWITCH_RT_SHADOW, NSP_SWITCH_RT_SHADOW_STRIDE));
  assign act_id   = ID_W'(arr_idx(csr_addr_i, NSP_SWITCH_RT_ACTIVE, NSP_SWITCH_RT_ACTIVE_STRIDE));
  assign swap     = wr && csr_addr_i == NSP_SWITCH_RT_SWAP && csr_wdata_i[NSP_SWITCH_RT_SWAP_SWAP_LSB];

  always_comb begin
    pc_hit = 1'b1;
    pc_sel = '0;
    if (poff == O_MISS) pc_sel = 3'd0;
    else if (poff == O_TTL) pc_sel = 3'd1;
    else if (poff == O_RGEN) pc_sel = 3'd2;
    else if (poff == O_RDROP) pc_sel = 3'd3;
    else if (arr_hit(poff, O_STALL, NSP_SWITCH_PORT_CREDIT_STALL_COUNT1, NSP_SWITCH_PORT_CREDIT_STALL_STRIDE1))
      pc_sel = 3'(4 + arr_idx(poff, O_STALL, NSP_SWITCH_PORT_CREDIT_STALL_STRIDE1));
    else pc_hit = 1'b0;
  end

  always_comb begin
    // ERR_STATUS: ev_link of each port is {up, degraded, poison, ovf, nak_rx, replay_to,
    // seq, crc} (nsp_port).
    err_ev = '0;
    link_irq_d = link_irq_q;
    for (int unsigned p = 0; p < NPORTS; p++) begin
      err_ev[NSP_SWITCH_ERR_STATUS_CRC_LSB]             |= ev_link[p][0];
      err_ev[NSP_SWITCH_ERR_STATUS_SEQ_LSB]             |= ev_link[p][1];
      err_ev[NSP_SWITCH_ERR_STATUS_REPLAY_TIMEOUT_LSB]  |= ev_link[p][2];
      err_ev[NSP_SWITCH_ERR_STATUS_NAK_RX_LSB]          |= ev_link[p][3];
      err_ev[NSP_SWITCH_ERR_STATUS_CREDIT_OVERFLOW_LSB] |= ev_link[p][4];
      err_ev[NSP_SWITCH_ERR_STATUS_POISON_LSB]          |= ev_link[p][5];
      err_ev[NSP_SWITCH_ERR_STATUS_DEGRADED_LSB]        |= ev_link[p][6];
      err_ev[NSP_SWITCH_ERR_STATUS_ROUTE_MISS_LSB]      |= |ev_miss[p];
      err_ev[NSP_SWITCH_ERR_STATUS_TTL_EXPIRED_LSB]     |= |ev_ttl[p];
      err_ev[NSP_SWITCH_ERR_STATUS_RESP_DROP_LSB]       |= ev_rdrop[p];
      if (ev_link[p][6] || ev_link[p][7]) link_irq_d[p] = 1'b1;
    end
    err_status_d = err_status_q;
    if (wr && csr_addr_i == NSP_SWITCH_ERR_STATUS) begin
      err_status_d = err_status_q & ~(csr_wdata_i & NSP_SWITCH_ERR_STATUS_MASK);
    end
    if (wr && csr_addr_i == NSP_SWITCH_LINK_IRQ_STATUS) begin
      link_irq_d = link_irq_d & ~NPORTS'(csr_wdata_i >> NSP_SWITCH_LINK_IRQ_STATUS_PORT_LSB);
    end
    err_status_d = err_status_d | err_ev;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      pc_q          <= '0;
      err_status_q  <= '0;
      err_irq_en_q  <= '0;
      link_irq_q    <= '0;
      link_irq_en_q <= '0;
      link_en_q     <= '0;
      retrain_pulse <= '0;
      bank_q        <= 1'b0;
    end else begin
      err_status_q <= err_status_d;
      link_irq_q   <= link_irq_d;
      retrain_pulse <= '0;
      if (wr && csr_addr_i == NSP_SWITCH_ERR_IRQ_EN) err_irq_en_q <= csr_wdata_i & NSP_SWITCH_ERR_IRQ_EN_MASK;
      if (wr && csr_addr_i == NSP_SWITCH_LINK_IRQ_EN) begin
        link_irq_en_q <= NPORTS'(csr_wdata_i >> NSP_SWITCH_LINK_IRQ_EN_PORT_LSB);
      end
      if (swap) bank_q <= !bank_q;
      for (int unsigned p = 0; p < NPORTS; p++) begin
        if (wr && port_hit && 32'(csr_port) == p && poff == O_CTRL) begin
          link_en_q[p]     <= csr_wdata_i[NSP_SWITCH_PORT_LINK_CTRL_ENABLE_LSB];
          retrain_pulse[p] <= csr_wdata_i[NSP_SWITCH_PORT_LINK_CTRL_RETRAIN_LSB];
        end
        for (int unsigned i = 0; i < NPC; i++) begin
          logic [2:0] n;
          unique case (i)
            0: n = 3'($countones(ev_miss[p]));
            1: n = 3'($countones(ev_ttl[p]));
            2: n = 3'(ev_rgen[p]);
            3: n = 3'(ev_rdrop[p]);
            4, 5, 6, 7: n = 3'(stall[p][i - 4]);
            default: n = '0;
          endcase
          if (n != '0) pc_q[p][i] <= (pc_q[p][i] > 32'hFFFF_FFFF - 32'(n)) ? 32'hFFFF_FFFF : pc_q[p][i] + 32'(n);
        end
      end
    end
  end

  // Routing table storage (reset: every entry invalid).
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rt0_q <= '{default: '0};
      rt1_q <= '{default: '0};
    end else if (wr && sh_hit) begin
      if (bank_q) begin
        rt0_q[sh_id] <= {csr_wdata_i[NSP_SWITCH_RT_SHADOW_VALID_LSB], csr_wdata_i[NSP_SWITCH_RT_SHADOW_PORT_LSB+:PW]};
      end else begin
        rt1_q[sh_id] <= {csr_wdata_i[NSP_SWITCH_RT_SHADOW_VALID_LSB], csr_wdata_i[NSP_SWITCH_RT_SHADOW_PORT_LSB+:PW]};
      end
    end
  end

  always_comb begin
    logic [PW:0] e;
    csr_rdata_o = '0;
    e = '0;
    if (port_hit) begin
      if (arr_hit(poff, O_CNT, NSP_SWITCH_PORT_LINK_CNT_COUNT1, NSP_SWITCH_PORT_LINK_CNT_STRIDE1)) begin
        csr_rdata_o = lcnt[csr_port[PW-1:0]];
      end else if (poff == O_CTRL) begin
        csr_rdata_o = 32'(link_en_q[csr_port[PW-1:0]]) << NSP_SWITCH_PORT_LINK_CTRL_ENABLE_LSB;
      end else if (pc_hit) begin
        csr_rdata_o = pc_q[csr_port[PW-1:0]][pc_sel];
      end
    end else if (sh_hit) begin
      e = bank_q ? rt0_q[sh_id] : rt1_q[sh_id];
      csr_rdata_o = (32'(e[PW]) << NSP_SWITCH_RT_SHADOW_VALID_LSB) |
                    (32'(e[PW-1:0]) << NSP_SWITCH_RT_SHADOW_PORT_LSB);
    end else if (act_hit) begin
      e = bank_q ? rt1_q[act_id] : rt0_q[act_id];
      csr_rdata_o = (32'(e[PW]) << NSP_SWITCH_RT_ACTIVE_VALID_LSB) |
                    (32'(e[PW-1:0]) << NSP_SWITCH_RT_ACTIVE_PORT_LSB);
    end else begin
      unique case (csr_addr_i)
        NSP_SWITCH_ID: begin
          csr_rdata_o = NSP_SWITCH_ID_RESET |
                        ((32'(NPORTS) << NSP_SWITCH_ID_NPORTS_LSB) & NSP_SWITCH_ID_NPORTS_MASK);
        end
        NSP_SWITCH_ERR_STATUS:      csr_rdata_o = err_status_q;
        NSP_SWITCH_ERR_IRQ_EN:      csr_rdata_o = err_irq_en_q;
        NSP_SWITCH_LINK_IRQ_STATUS: csr_rdata_o = 32'(link_irq_q) << NSP_SWITCH_LINK_IRQ_STATUS_PORT_LSB;
        NSP_SWITCH_LINK_IRQ_EN:     csr_rdata_o = 32'(link_irq_en_q) << NSP_SWITCH_LINK_IRQ_EN_PORT_LSB;
        NSP_SWITCH_RT_BANK:         csr_rdata_o = 32'(bank_q) << NSP_SWITCH_RT_BANK_BANK_LSB;
        default:                    csr_rdata_o = '0;
      endcase
    end
  end

  assign irq_err_o  = |(err_status_q & err_irq_en_q);
  assign irq_link_o = |(link_irq_q & link_irq_en_q);

  logic unused_sw;
  assign unused_sw = ^{lstate, xb_sop, xb_eop, csr_wdata_i};

endmodule
