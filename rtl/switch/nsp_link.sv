// One side of an NSP link (docs/switch.md "Link layer").
// TX: frames packets from the upstream (header, data, trailer with lsn, piggy-backed ACK,
// per-VC absolute credit limits and CRC-32C), keeps them in the replay buffer until a
// covering ACK, replays go-back-N from the oldest unacknowledged packet on NAK or timer
// expiry, sends link-control flits (ACK, NAK, CREDIT, INIT, RETRAIN) with CRC-16.
// RX: checks framing, CRC and lsn, writes the per-VC ingress FIFOs speculatively and
// commits a good in-sequence packet at its trailer, drops and re-ACKs duplicates, sends
// one NAK(expected) per error episode, and returns credit as flits leave the FIFOs.
// The upstream must start a packet on a VC only with tx_credit_o[vc] >= len + 1 and
// tx_room_o, and then present its flits back to back. tx_room_o may be high while the
// link still sends a trailer: a header presented then waits (up_ready_o low) a cycle.
// NQ = 1: one ingress FIFO per VC (nsp_vc_fifo). NQ > 1 (switch ports): per VC a buffer of
// NQ virtual output queues (nsp_voq_buf); a packet joins queue rx_qsel_i at its commit,
// which the port derives from rx_hdr_o, the header of the packet being received.

module nsp_link
  import nsp_pkg::*;
#(
  parameter int unsigned BUF_FLITS      = DEF_BUF_FLITS,
  parameter int unsigned RB_FLITS       = 128,  // replay buffer flits (power of 2)
  parameter int unsigned RB_PKTS        = 16,   // replay buffer packets (power of 2)
  parameter int unsigned REPLAY_TIMEOUT = 256,
  parameter int unsigned REPLAY_NUM_MAX = 4,
  parameter int unsigned ACK_EVERY      = 4,
  parameter int unsigned ACK_DELAY      = 8,
  parameter int unsigned CREDIT_DELAY   = 4,
  parameter int unsigned CREDIT_REFRESH = 128,
  parameter int unsigned INIT_PERIOD    = 8,
  parameter int unsigned RETRAIN_CYCLES = 64,
  parameter int unsigned NQ             = 1,    // ingress queues per VC
  localparam int unsigned OCC_W         = $clog2(BUF_FLITS + 1),
  localparam int unsigned QW            = NQ > 1 ? $clog2(NQ) : 1
) (
  input  logic                          clk_i,
  input  logic                          rst_ni,
  input  logic                          enable_i,
  input  logic                          retrain_i,     // pulse
  // Wire.
  output logic                          tx_valid_o,
  output logic [1:0]                    tx_kind_o,
  output flit_t                         tx_data_o,
  input  logic                          rx_valid_i,
  input  logic [1:0]                    rx_kind_i,
  input  flit_t                         rx_data_i,
  // Upstream packets (header with sop, the last flit with eop).
  input  logic                          up_valid_i,
  input  flit_t                         up_data_i,
  input  logic                          up_sop_i,
  input  logic                          up_eop_i,
  output logic                          up_ready_o,
  output logic [NVC-1:0][CR_W-1:0]      tx_credit_o,   // (limit - sent) mod 2^12
  output logic                          tx_room_o,     // a new packet may start
  // Ingress queues (committed packets only): per VC, NQ queues; at most one pop per VC
  // and cycle.
  output logic [NVC-1:0][NQ-1:0]        rxq_valid_o,
  output flit_t [NVC-1:0][NQ-1:0]       rxq_data_o,
  input  logic [NVC-1:0][NQ-1:0]        rxq_pop_i,
  output logic [NVC-1:0][OCC_W-1:0]     rxq_count_o,
  output flit_t                         rx_hdr_o,      // header of the packet being received
  input  logic [QW-1:0]                 rx_qsel_i,     // its queue, used at its commit
  // Status and events (one-cycle pulses).
  output logic [2:0]                    state_o,
  output logic                          ev_crc_o,
  output logic                          ev_seq_o,
  output logic                          ev_replay_to_o,
  output logic                          ev_nak_rx_o,
  output logic                          ev_ovf_o,
  output logic                          ev_poison_o,
  output logic                          ev_degraded_o,
  output logic                          ev_up_o,
  // Counters (nsp_pkg CNT_*).
  input  logic [5:0]                    cnt_idx_i,
  output logic [31:0]                   cnt_o
);

  localparam int unsigned RBA = $clog2(RB_FLITS);
  localparam int unsigned RBP = $clog2(RB_PKTS);
  localparam logic [SEQ_W-1:0] HALF = SEQ_W'(1 << (SEQ_W - 1));

  // ---------------------------------------------------------------------------------------
  // State.
  logic [2:0] state_q, state_d;
  logic       got_peer_q, got_peer_d;
  logic [7:0] timer_q, timer_d;            // INIT period / RETRAIN length
  logic [2:0] rt_tx_q, rt_tx_d;            // RETRAIN flits still to send
  logic       init_reply_q, init_reply_d;

  // TX.
  logic [SEQ_W-1:0] tx_lsn_q, tx_lsn_d;    // lsn of the next new packet
  logic [SEQ_W-1:0] npend_q, npend_d;      // packets in the replay buffer
  logic [SEQ_W-1:0] ack_tgt_q, ack_tgt_d;  // oldest lsn not yet acknowledged
  flit_t            rb_mem_q [RB_FLITS];
  logic [RBA-1:0]   rb_wr_q, rb_wr_d;
  logic [RBA:0]     rb_used_q, rb_used_d;
  logic [RBA-1:0]   desc_start_q [RB_PKTS];
  logic [4:0]       desc_len_q [RB_PKTS];
  logic [NVC-1:0][CR_W-1:0] sent_q, sent_d, limit_q, limit_d;
  // Frame in transmission.
  logic             fr_act_q, fr_act_d, fr_rpl_q, fr_rpl_d;
  logic [SEQ_W-1:0] fr_lsn_q, fr_lsn_d;
  logic [4:0]       fr_rem_q, fr_rem_d;
  logic [31:0]      fr_crc_q, fr_crc_d;
  logic [RBA-1:0]   fr_rd_q, fr_rd_d;
  // Replay.
  logic             rpl_act_q, rpl_act_d, rpl_req_q, rpl_req_d;
  logic [SEQ_W-1:0] rpl_next_q, rpl_next_d, rpl_from_q, rpl_from_d, rpl_last_q, rpl_last_d;
  logic [3:0]       rpl_num_q, rpl_num_d;
  logic [15:0]      rpl_timer_q, rpl_timer_d;
  // Output register.
  logic             txv_q, txv_d;
  logic [1:0]       txk_q, txk_d;
  flit_t            txf_q, txf_d;

  // RX.
  logic [SEQ_W-1:0] rx_exp_q, rx_exp_d;
  logic             episode_q, episode_d, nak_pend_q, nak_pend_d;
  logic [3:0]       ack_cnt_q, ack_cnt_d;
  logic [7:0]       ack_tmr_q, ack_tmr_d;
  logic             reack_q, reack_d;
  logic [NVC-1:0][CR_W-1:0] freed_q, freed_d, adv_q;
  logic [7:0]       cr_tmr_q, cr_ref_q;
  logic [1:0]       rf_st_q, rf_st_d;      // 0 idle, 1 in frame, 2 bad frame
  logic [1:0]       rf_vc_q, rf_vc_d;
  logic [4:0]       rf_len_q, rf_len_d, rf_cnt_q, rf_cnt_d;
  logic [31:0]      rf_crc_q, rf_crc_d;
  logic             rf_ovf_q, rf_ovf_d, rf_poison_q, rf_poison_d;

  // Counters.
  logic [NCNT-1:0][31:0] cnt_q;
  logic [NCNT-1:0]       inc, inc_rx, inc_tx;  // +1 this cycle
  logic [NVC-1:0][4:0]   flit_in_add, flit_out_add;
  logic                  ovf_sticky_q, ovf_sticky_d;

  // FIFOs.
  logic [NVC-1:0]        f_wr, f_commit, f_abort, f_full;
  logic [NVC-1:0][OCC_W-1:0] f_cnt;
  flit_t                 f_wdata;

  flit_t [NVC-1:0]       f_shdr;

  if (NQ == 1) begin : g_fifo_q
    for (genvar v = 0; v < NVC; v++) begin : g_fifo
      nsp_vc_fifo #(.DEPTH(BUF_FLITS), .W(FLIT_W)) u_fifo (
        .clk_i, .rst_ni,
        .wr_i(f_wr[v]), .wdata_i(f_wdata), .commit_i(f_commit[v]), .abort_i(f_abort[v]),
        .full_o(f_full[v]), .pop_i(rxq_pop_i[v][0]), .valid_o(rxq_valid_o[v][0]),
        .rdata_o(rxq_data_o[v][0]), .count_o(f_cnt[v]));
    end
    assign f_shdr = '0;
    logic unused_qsel;
    assign unused_qsel = ^rx_qsel_i;
  end else begin : g_voq_q
    for (genvar v = 0; v < NVC; v++) begin : g_voq
      logic [NQ-1:0][OCC_W-1:0] qcnt;
      logic unused_qcnt;
      assign unused_qcnt = ^qcnt;
      nsp_voq_buf #(.DEPTH(BUF_FLITS), .W(FLIT_W), .NQ(NQ)) u_voq (
        .clk_i, .rst_ni,
        .wr_i(f_wr[v]), .wdata_i(f_wdata), .commit_i(f_commit[v]), .commit_q_i(rx_qsel_i),
        .abort_i(f_abort[v]), .full_o(f_full[v]), .spec_hdr_o(f_shdr[v]),
        .pop_i(rxq_pop_i[v]), .valid_o(rxq_valid_o[v]), .rdata_o(rxq_data_o[v]),
        .qcount_o(qcnt), .count_o(f_cnt[v]));
    end
  end
  assign rxq_count_o = f_cnt;
  assign rx_hdr_o    = f_shdr[rf_vc_q];

  // ---------------------------------------------------------------------------------------
  // Helpers.
  logic        is_up;
  logic [SEQ_W-1:0] oldest, ack_lsn_now;
  logic [NVC-1:0][CR_W-1:0] fccl_now;
  logic        ack_urgent, cr_urgent, cr_dirty;
  logic        room;

  always_comb begin
    is_up       = state_q == LS_UP || state_q == LS_DEGRADED;
    oldest      = tx_lsn_q - npend_q;
    ack_lsn_now = rx_exp_q - SEQ_W'(1);
    for (int unsigned v = 0; v < NVC; v++) begin
      fccl_now[v]    = freed_q[v] + CR_W'(BUF_FLITS);
      tx_credit_o[v] = limit_q[v] - sent_q[v];
    end
    cr_dirty   = fccl_now != adv_q;
    ack_urgent = reack_q || 32'(ack_cnt_q) >= ACK_EVERY || (ack_cnt_q != '0 && 32'(ack_tmr_q) >= ACK_DELAY);
    cr_urgent  = (cr_dirty && 32'(cr_tmr_q) >= CREDIT_DELAY) || 32'(cr_ref_q) >= CREDIT_REFRESH;
    room       = 32'(rb_used_q) + MAX_DATA_FLITS + 1 <= RB_FLITS && 32'(npend_q) < RB_PKTS;
  end

  function automatic flit_t mk_ctl(ctl_e t, logic got, logic [SEQ_W-1:0] lsn,
                                   logic [NVC-1:0][CR_W-1:0] val);
    ctl_t c;
    c      = '0;
    c.typ  = t;
    c.got  = got;
    c.lsn  = lsn;
    c.val  = val;
    c.crc  = crc16_ctl(flit_t'(c));
    return flit_t'(c);
  endfunction

  // ---------------------------------------------------------------------------------------
  // RX: decode of the incoming flit.
  ctl_t  rctl;
  trl_t  rtrl;
  hdr_t  rhdr;
  logic  rctl_ok;
  logic [31:0] rcrc_final;
  // Results for TX.
  logic        ack_in_v;     // an acknowledgement arrived
  logic [SEQ_W-1:0] ack_in;  // last acknowledged lsn
  logic        nak_in_v;
  logic [SEQ_W-1:0] nak_in;  // expected lsn of a NAK
  logic        cred_in_v;
  logic [NVC-1:0][CR_W-1:0] cred_in;
  logic        init_in_v, init_in_got, retrain_in_v;
  logic        nak_raise, reack_raise, init_in_reply;

  always_comb begin
    rctl       = ctl_t'(rx_data_i);
    rtrl       = trl_t'(rx_data_i);
    rhdr       = hdr_t'(rx_data_i);
    rctl_ok    = crc16_ctl(rx_data_i) == rctl.crc;
    rcrc_final = crc32c_flit(rf_crc_q, {rx_data_i[FLIT_W-1:32], 32'h0});

    rx_exp_d    = rx_exp_q;
    episode_d   = episode_q;
    nak_pend_d  = nak_pend_q;
    ack_cnt_d   = ack_cnt_q;
    ack_tmr_d   = (ack_cnt_q != '0 && ack_tmr_q != 8'hFF) ? ack_tmr_q + 8'd1 : ack_tmr_q;
    reack_d     = reack_q;
    nak_raise   = 1'b0;
    reack_raise = 1'b0;
    rf_st_d     = rf_st_q;
    rf_vc_d     = rf_vc_q;
    rf_len_d    = rf_len_q;
    rf_cnt_d    = rf_cnt_q;
    rf_crc_d    = rf_crc_q;
    rf_ovf_d    = rf_ovf_q;
    rf_poison_d = rf_poison_q;
    ovf_sticky_d = ovf_sticky_q;
    f_wr        = '0;
    f_commit    = '0;
    f_abort     = '0;
    f_wdata     = rx_data_i;
    ack_in_v    = 1'b0;
    ack_in      = rtrl.ack_lsn;
    nak_in_v    = 1'b0;
    nak_in      = rctl.lsn;
    cred_in_v   = 1'b0;
    cred_in     = rtrl.fccl;
    init_in_v   = 1'b0;
    init_in_got = rctl.got;
    init_in_reply = rctl.lsn[0];
    retrain_in_v = 1'b0;
    inc_rx      = '0;
    flit_in_add = '0;
    ev_crc_o    = 1'b0;
    ev_seq_o    = 1'b0;
    ev_ovf_o    = 1'b0;
    ev_poison_o = 1'b0;
    ev_nak_rx_o = 1'b0;

    if (rx_valid_i && state_q != LS_DOWN) begin
      unique case (kind_e'(rx_kind_i))
        KIND_CTL: begin
          if (!rctl_ok) begin
            inc_rx[CNT_CRC_ERR]     = 1'b1;
            inc_rx[CNT_CTL_CRC_ERR] = 1'b1;
            ev_crc_o             = 1'b1;
          end else begin
            unique case (rctl.typ)
              CTL_ACK: begin
                ack_in_v = 1'b1;
                ack_in   = rctl.lsn;
              end
              CTL_NAK: begin
                nak_in_v = 1'b1;
                inc_rx[CNT_NAK_RX] = 1'b1;
                ev_nak_rx_o = 1'b1;
              end
              CTL_CREDIT: begin
                cred_in_v = 1'b1;
                cred_in   = rctl.val;
              end
              CTL_INIT: begin
                init_in_v = 1'b1;
                cred_in   = rctl.val;
              end
              CTL_RETRAIN: retrain_in_v = 1'b1;
              default: ;
            endcase
          end
        end
        KIND_HDR: begin
          if (rf_st_q != 2'd0) begin  // the previous frame was cut short
            inc_rx[CNT_CRC_ERR] = 1'b1;
            ev_crc_o         = 1'b1;
            if (!episode_q) begin
              nak_pend_d = 1'b1;
              nak_raise  = 1'b1;
            end
            episode_d = 1'b1;
          end
          if (rf_st_q == 2'd1) f_abort[rf_vc_q] = 1'b1;
          rf_st_d     = 2'd1;
          rf_vc_d     = rhdr.vc;
          rf_len_d    = rhdr.len;
          rf_cnt_d    = '0;
          rf_crc_d    = crc32c_flit(CRC32_INIT, rx_data_i);
          rf_poison_d = rhdr.poison;
          rf_ovf_d    = f_full[rhdr.vc];
          if (32'(rhdr.len) > MAX_DATA_FLITS) rf_st_d = 2'd2;
          else f_wr[rhdr.vc] = 1'b1;
        end
        KIND_DATA: begin
          if (rf_st_q == 2'd1 && rf_cnt_q != rf_len_q) begin
            rf_cnt_d = rf_cnt_q + 5'd1;
            rf_crc_d = crc32c_flit(rf_crc_q, rx_data_i);
            f_wr[rf_vc_q] = 1'b1;
            if (f_full[rf_vc_q]) rf_ovf_d = 1'b1;
          end else begin
            if (rf_st_q == 2'd1) f_abort[rf_vc_q] = 1'b1;
            rf_st_d = 2'd2;
          end
        end
        default: begin  // KIND_TRL
          inc_rx[CNT_FRAMES_RX] = 1'b1;
          rf_st_d = 2'd0;
          if (rf_st_q == 2'd1 && rf_cnt_q == rf_len_q && rcrc_final == rtrl.crc) begin
            // A good frame: its piggy-backed ACK and credits are current.
            ack_in_v  = rtrl.ack_valid;
            cred_in_v = 1'b1;
            if (rtrl.lsn == rx_exp_q) begin
              if (rf_ovf_q) begin
                f_abort[rf_vc_q] = 1'b1;
                ovf_sticky_d = 1'b1;
                ev_ovf_o     = 1'b1;
              end else begin
                f_commit[rf_vc_q] = 1'b1;
                inc_rx[CNT_PKT_IN + 32'(rf_vc_q)] = 1'b1;
                flit_in_add[rf_vc_q] = rf_len_q + 5'd1;
                if (rf_poison_q) begin
                  inc_rx[CNT_POISON_RX] = 1'b1;
                  ev_poison_o = 1'b1;
                end
              end
              rx_exp_d  = rx_exp_q + SEQ_W'(1);
              episode_d = 1'b0;
              if (ack_cnt_q != 4'hF) ack_cnt_d = ack_cnt_q + 4'd1;
            end else if (rx_exp_q - rtrl.lsn <= HALF) begin  // behind: a duplicate
              f_abort[rf_vc_q] = 1'b1;
              inc_rx[CNT_DUP_DROP] = 1'b1;
              reack_d = 1'b1;
              reack_raise = 1'b1;
            end else begin  // ahead: a gap
              f_abort[rf_vc_q] = 1'b1;
              inc_rx[CNT_SEQ_ERR] = 1'b1;
              ev_seq_o = 1'b1;
              if (!episode_q) begin
              nak_pend_d = 1'b1;
              nak_raise  = 1'b1;
            end
              episode_d = 1'b1;
            end
          end else begin
            if (rf_st_q == 2'd1) f_abort[rf_vc_q] = 1'b1;
            inc_rx[CNT_CRC_ERR] = 1'b1;
            ev_crc_o = 1'b1;
            if (!episode_q) begin
              nak_pend_d = 1'b1;
              nak_raise  = 1'b1;
            end
            episode_d = 1'b1;
          end
        end
      endcase
    end
  end

  // ---------------------------------------------------------------------------------------
  // TX, link state machine, acknowledgements and credits.
  trl_t  ttrl;
  hdr_t  uhdr;
  logic  send_ctl, start_new, start_rpl;
  logic [SEQ_W-1:0] ack_off, ack_cur_off, rpl_off;
  logic [RBP-1:0]   fslot, rslot;
  ctl_t             txc;
  logic             sent_nak, sent_ack, sent_cr, force_cr;
  logic  free_one;
  logic  up_take;
  logic  rb_wr_en;
  flit_t rb_wdata;
  logic [RBP-1:0]   desc_wr_slot;
  logic             desc_wr_en;
  logic [RBA-1:0]   rb_rd_addr;

  always_comb begin
    state_d      = state_q;
    got_peer_d   = got_peer_q;
    timer_d      = timer_q + 8'd1;
    rt_tx_d      = rt_tx_q;
    init_reply_d = init_reply_q;
    tx_lsn_d     = tx_lsn_q;
    npend_d      = npend_q;
    ack_tgt_d    = ack_tgt_q;
    rb_wr_d      = rb_wr_q;
    rb_used_d    = rb_used_q;
    sent_d       = sent_q;
    limit_d      = limit_q;
    fr_act_d     = fr_act_q;
    fr_rpl_d     = fr_rpl_q;
    fr_lsn_d     = fr_lsn_q;
    fr_rem_d     = fr_rem_q;
    fr_crc_d     = fr_crc_q;
    fr_rd_d      = fr_rd_q;
    rpl_act_d    = rpl_act_q;
    rpl_req_d    = rpl_req_q;
    rpl_next_d   = rpl_next_q;
    rpl_from_d   = rpl_from_q;
    rpl_last_d   = rpl_last_q;
    rpl_num_d    = rpl_num_q;
    rpl_timer_d  = rpl_timer_q;
    txv_d        = 1'b0;
    txk_d        = KIND_CTL;
    txf_d        = txf_q;
    freed_d      = freed_q;
    flit_out_add = '0;
    ev_replay_to_o = 1'b0;
    ev_degraded_o  = 1'b0;
    ev_up_o        = 1'b0;
    send_ctl     = 1'b0;
    rpl_off      = '0;
    txc          = '0;
    force_cr     = 1'b0;
    start_new    = 1'b0;
    start_rpl    = 1'b0;
    up_take      = 1'b0;
    rb_wr_en     = 1'b0;
    rb_wdata     = up_data_i;
    desc_wr_en   = 1'b0;
    desc_wr_slot = tx_lsn_q[RBP-1:0];
    rb_rd_addr   = fr_rd_q;
    uhdr         = hdr_t'(up_data_i);
    ttrl         = '0;
    free_one     = 1'b0;
    inc_tx       = '0;
    sent_nak     = 1'b0;
    sent_ack     = 1'b0;
    sent_cr      = 1'b0;
    fslot        = oldest[RBP-1:0];
    rslot        = '0;
    up_ready_o   = 1'b0;

    // Credits returned by the FIFO readers.
    for (int unsigned v = 0; v < NVC; v++) if (|(rxq_pop_i[v] & rxq_valid_o[v])) freed_d[v] = freed_q[v] + CR_W'(1);

    // Incoming acknowledgement (a NAK(e) acknowledges e - 1).
    ack_cur_off = ack_tgt_q - oldest;
    if (ack_in_v || nak_in_v) begin
      ack_off = (nak_in_v ? nak_in : ack_in + SEQ_W'(1)) - oldest;
      if (ack_off <= npend_q && ack_off > ack_cur_off) ack_tgt_d = nak_in_v ? nak_in : ack_in + SEQ_W'(1);
      if (nak_in_v && ack_off < npend_q && ack_off >= ack_cur_off) begin
        rpl_req_d  = 1'b1;
        rpl_from_d = nak_in;
      end
    end else begin
      ack_off = '0;
    end
    if (cred_in_v && !init_in_v) limit_d = cred_in;

    // Free one acknowledged packet per cycle.
    if (ack_tgt_q != oldest && npend_q != '0) begin
      free_one  = 1'b1;
      rb_used_d = rb_used_q - (RBA+1)'(desc_len_q[fslot]) - (RBA+1)'(1);
      npend_d   = npend_q - SEQ_W'(1);
      rpl_num_d = '0;
    end

    // Replay timer: runs while something is unacknowledged and no replay is under way.
    if (ack_tgt_q == tx_lsn_q || rpl_act_q || rpl_req_q || (fr_act_q && fr_rpl_q) || free_one ||
        !is_up) begin
      rpl_timer_d = '0;
    end else begin
      rpl_timer_d = rpl_timer_q + 16'd1;
      if (32'(rpl_timer_q) >= REPLAY_TIMEOUT) begin
        rpl_req_d   = 1'b1;
        rpl_from_d  = ack_tgt_q;
        rpl_timer_d = '0;
        ev_replay_to_o = 1'b1;
      end
    end

    // Link state.
    unique case (state_q)
      LS_DOWN: begin
        if (enable_i) begin
          state_d = LS_INIT;
          timer_d = 8'(INIT_PERIOD);  // send an INIT at once
        end
      end
      LS_INIT: begin
        if (init_in_v) begin
          got_peer_d = 1'b1;
          limit_d    = cred_in;  // the peer's buffer sizes
          if (init_in_got) begin
            state_d = LS_UP;
            ev_up_o = 1'b1;
          end
        end
      end
      LS_RETRAIN: begin
        if (32'(timer_q) >= RETRAIN_CYCLES) begin
          state_d   = LS_UP;
          ev_up_o   = 1'b1;
          rpl_num_d = '0;
          force_cr  = 1'b1;  // refresh credits at once
          if (ack_tgt_q != tx_lsn_q) begin
            rpl_req_d  = 1'b1;
            rpl_from_d = ack_tgt_q;
          end
        end
      end
      default: begin  // UP, DEGRADED
        // Answer an INIT of a peer still in INIT (not the answer of an UP peer: lsn bit 0).
        if (init_in_v && !init_in_reply) init_reply_d = 1'b1;
        if (retrain_i || retrain_in_v) begin
          state_d = LS_RETRAIN;
          timer_d = '0;
          rt_tx_d = retrain_i ? 3'd4 : 3'd0;
        end
      end
    endcase

    // One flit on the wire per cycle. A frame in progress first; then control flits;
    // then a replay; then a new packet.
    if (fr_act_q && fr_rem_q == '0) begin
      // Trailer.
      ttrl.lsn       = fr_lsn_q;
      ttrl.ack_valid = 1'b1;
      ttrl.ack_lsn   = ack_lsn_now;
      ttrl.fccl      = fccl_now;
      ttrl.crc       = crc32c_flit(fr_crc_q, flit_t'(ttrl));  // crc field still zero
      txv_d = 1'b1;
      txk_d = KIND_TRL;
      txf_d = flit_t'(ttrl);
      fr_act_d = 1'b0;
    end else if (fr_act_q && fr_rpl_q) begin
      txv_d    = 1'b1;
      txk_d    = KIND_DATA;
      txf_d    = rb_mem_q[fr_rd_q];
      fr_crc_d = crc32c_flit(fr_crc_q, rb_mem_q[fr_rd_q]);
      fr_rd_d  = fr_rd_q + RBA'(1);
      fr_rem_d = fr_rem_q - 5'd1;
    end else if (fr_act_q) begin
      // A new packet's data flits.
      up_ready_o = 1'b1;
      if (up_valid_i) begin
        up_take  = 1'b1;
        txv_d    = 1'b1;
        txk_d    = KIND_DATA;
        txf_d    = up_data_i;
        fr_crc_d = crc32c_flit(fr_crc_q, up_data_i);
        fr_rem_d = fr_rem_q - 5'd1;
        rb_wr_en = 1'b1;
        rb_wr_d  = rb_wr_q + RBA'(1);
        rb_used_d = rb_used_d + (RBA+1)'(1);
      end
    end else begin
      // Between frames.
      if (state_q == LS_INIT) begin
        if (32'(timer_q) >= INIT_PERIOD) begin
          send_ctl = 1'b1;
          txf_d    = mk_ctl(CTL_INIT, got_peer_d, '0, fccl_now);
          timer_d  = '0;
        end
      end else if (state_q == LS_RETRAIN) begin
        if (rt_tx_q != '0) begin
          send_ctl = 1'b1;
          txf_d    = mk_ctl(CTL_RETRAIN, 1'b0, '0, '0);
          rt_tx_d  = rt_tx_q - 3'd1;
        end else if (nak_pend_q) begin
          send_ctl = 1'b1;
          txf_d    = mk_ctl(CTL_NAK, 1'b0, rx_exp_q, '0);
        end else if (ack_urgent) begin
          send_ctl = 1'b1;
          txf_d    = mk_ctl(CTL_ACK, 1'b0, ack_lsn_now, '0);
        end else if (cr_urgent) begin
          send_ctl = 1'b1;
          txf_d    = mk_ctl(CTL_CREDIT, 1'b0, '0, fccl_now);
        end
      end else if (is_up) begin
        if (nak_pend_q) begin
          send_ctl = 1'b1;
          txf_d    = mk_ctl(CTL_NAK, 1'b0, rx_exp_q, '0);
        end else if (init_reply_q) begin
          send_ctl     = 1'b1;
          txf_d        = mk_ctl(CTL_INIT, 1'b1, SEQ_W'(1), fccl_now);  // lsn bit 0: an answer
          init_reply_d = 1'b0;
        end else if (ack_urgent) begin
          send_ctl = 1'b1;
          txf_d    = mk_ctl(CTL_ACK, 1'b0, ack_lsn_now, '0);
        end else if (cr_urgent) begin
          send_ctl = 1'b1;
          txf_d    = mk_ctl(CTL_CREDIT, 1'b0, '0, fccl_now);
        end else if (rpl_req_q) begin
          // Begin a go-back-N replay (the first frame goes out next cycle).
          rpl_req_d  = 1'b0;
          rpl_act_d  = 1'b1;
          rpl_next_d = rpl_from_q;
          inc_tx[CNT_REPLAY] = 1'b1;
          if (rpl_from_q == rpl_last_q && rpl_num_q != '0) rpl_num_d = rpl_num_q + 4'd1;
          else rpl_num_d = 4'd1;
          rpl_last_d = rpl_from_q;
          if (32'(rpl_num_d) >= REPLAY_NUM_MAX && state_q == LS_UP) begin
            state_d = LS_DEGRADED;
            ev_degraded_o = 1'b1;
          end
        end else if (rpl_act_q) begin
          rpl_off = rpl_next_q - oldest;
          if (rpl_off >= HALF) rpl_off = '0;  // acknowledged meanwhile: skip ahead
          if (rpl_off >= npend_q) begin
            rpl_act_d = 1'b0;
          end else begin
            start_rpl  = 1'b1;
            rslot      = RBP'(oldest + rpl_off);
            fr_lsn_d   = oldest + rpl_off;
            rb_rd_addr = desc_start_q[rslot];
            txv_d      = 1'b1;
            txk_d      = KIND_HDR;
            txf_d      = rb_mem_q[rb_rd_addr];
            fr_crc_d   = crc32c_flit(CRC32_INIT, rb_mem_q[rb_rd_addr]);
            fr_rd_d    = rb_rd_addr + RBA'(1);
            fr_rem_d   = desc_len_q[rslot];
            fr_act_d   = 1'b1;
            fr_rpl_d   = 1'b1;
            rpl_next_d = oldest + rpl_off + SEQ_W'(1);
            inc_tx[CNT_FRAMES_TX] = 1'b1;
          end
        end else if (room) begin
          up_ready_o = 1'b1;
          if (up_valid_i && up_sop_i) begin
            start_new = 1'b1;
            up_take   = 1'b1;
            txv_d     = 1'b1;
            txk_d     = KIND_HDR;
            txf_d     = up_data_i;
            fr_crc_d  = crc32c_flit(CRC32_INIT, up_data_i);
            fr_rem_d  = uhdr.len;
            fr_act_d  = 1'b1;
            fr_rpl_d  = 1'b0;
            fr_lsn_d  = tx_lsn_q;
            tx_lsn_d  = tx_lsn_q + SEQ_W'(1);
            npend_d   = npend_d + SEQ_W'(1);
            rb_wr_en  = 1'b1;
            rb_wr_d   = rb_wr_q + RBA'(1);
            rb_used_d = rb_used_d + (RBA+1)'(1);
            desc_wr_en = 1'b1;
            sent_d[uhdr.vc] = sent_q[uhdr.vc] + CR_W'(uhdr.len) + CR_W'(1);
            inc_tx[CNT_PKT_OUT + 32'(uhdr.vc)] = 1'b1;
            flit_out_add[uhdr.vc] = uhdr.len + 5'd1;
            inc_tx[CNT_FRAMES_TX] = 1'b1;
            if (uhdr.poison) inc_tx[CNT_POISON_TX] = 1'b1;
          end
        end
      end
    end
    if (send_ctl) begin
      txv_d = 1'b1;
      txk_d = KIND_CTL;
      inc_tx[CNT_CTL_TX] = 1'b1;
      txc = ctl_t'(txf_d);
      unique case (txc.typ)
        CTL_NAK: begin
          sent_nak = 1'b1;
          inc_tx[CNT_NAK_TX] = 1'b1;
        end
        CTL_ACK: sent_ack = 1'b1;
        CTL_CREDIT: sent_cr = 1'b1;
        default: ;
      endcase
    end
    if (ev_degraded_o) inc_tx[CNT_DEGRADED] = 1'b1;
    if (ev_replay_to_o) inc_tx[CNT_REPLAY_TO] = 1'b1;
    if ((retrain_i || retrain_in_v) && is_up) inc_tx[CNT_RETRAIN] = 1'b1;
  end

  // Merge of RX and TX effects on the acknowledgement, NAK and credit state: a control
  // flit or a trailer sent this cycle carries the state of this cycle.
  logic       trl_sent;
  logic       nak_pend_f, reack_f;
  logic [3:0] ack_cnt_f;
  logic [7:0] ack_tmr_f, cr_tmr_f, cr_ref_f;
  logic [NVC-1:0][CR_W-1:0] adv_f;
  always_comb begin
    trl_sent   = fr_act_q && fr_rem_q == '0;
    inc        = inc_rx | inc_tx;
    nak_pend_f = sent_nak ? nak_raise : nak_pend_d;
    ack_cnt_f  = ack_cnt_d;
    ack_tmr_f  = ack_tmr_d;
    reack_f    = reack_d;
    if (sent_ack || trl_sent) begin
      ack_cnt_f = ack_cnt_d - ack_cnt_q;  // deliveries of this cycle wait for the next
      ack_tmr_f = '0;
      reack_f   = reack_raise;
    end
    adv_f    = adv_q;
    cr_tmr_f = (cr_dirty && cr_tmr_q != 8'hFF) ? cr_tmr_q + 8'd1 : cr_tmr_q;
    cr_ref_f = (cr_ref_q != 8'hFF) ? cr_ref_q + 8'd1 : cr_ref_q;
    if (sent_cr || trl_sent) begin
      adv_f    = fccl_now;
      cr_tmr_f = '0;
      cr_ref_f = '0;
    end
    if (force_cr) cr_ref_f = 8'hFF;
  end

  // ---------------------------------------------------------------------------------------
  // Registers.
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q      <= LS_DOWN;
      got_peer_q   <= 1'b0;
      timer_q      <= '0;
      rt_tx_q      <= '0;
      init_reply_q <= 1'b0;
      tx_lsn_q     <= '0;
      npend_q      <= '0;
      ack_tgt_q    <= '0;
      rb_wr_q      <= '0;
      rb_used_q    <= '0;
      sent_q       <= '0;
      limit_q      <= '0;
      fr_act_q     <= 1'b0;
      fr_rpl_q     <= 1'b0;
      fr_lsn_q     <= '0;
      fr_rem_q     <= '0;
      fr_crc_q     <= '0;
      fr_rd_q      <= '0;
      rpl_act_q    <= 1'b0;
      rpl_req_q    <= 1'b0;
      rpl_next_q   <= '0;
      rpl_from_q   <= '0;
      rpl_last_q   <= '0;
      rpl_num_q    <= '0;
      rpl_timer_q  <= '0;
      txv_q        <= 1'b0;
      txk_q        <= '0;
      txf_q        <= '0;
      rx_exp_q     <= '0;
      episode_q    <= 1'b0;
      nak_pend_q   <= 1'b0;
      ack_cnt_q    <= '0;
      ack_tmr_q    <= '0;
      reack_q      <= 1'b0;
      freed_q      <= '0;
      adv_q        <= '0;
      cr_tmr_q     <= '0;
      cr_ref_q     <= '0;
      rf_st_q      <= '0;
      rf_vc_q      <= '0;
      rf_len_q     <= '0;
      rf_cnt_q     <= '0;
      rf_crc_q     <= '0;
      rf_ovf_q     <= 1'b0;
      rf_poison_q  <= 1'b0;
      ovf_sticky_q <= 1'b0;
    end else begin
      state_q      <= state_d;
      got_peer_q   <= got_peer_d;
      timer_q      <= (timer_d == 8'hFF) ? timer_q : timer_d;
      rt_tx_q      <= rt_tx_d;
      init_reply_q <= init_reply_d;
      tx_lsn_q     <= tx_lsn_d;
      npend_q      <= npend_d;
      ack_tgt_q    <= ack_tgt_d;
      rb_wr_q      <= rb_wr_d;
      rb_used_q    <= rb_used_d;
      sent_q       <= sent_d;
      limit_q      <= limit_d;
      fr_act_q     <= fr_act_d;
      fr_rpl_q     <= fr_rpl_d;
      fr_lsn_q     <= fr_lsn_d;
      fr_rem_q     <= fr_rem_d;
      fr_crc_q     <= fr_crc_d;
      fr_rd_q      <= fr_rd_d;
      rpl_act_q    <= rpl_act_d;
      rpl_req_q    <= rpl_req_d;
      rpl_next_q   <= rpl_next_d;
      rpl_from_q   <= rpl_from_d;
      rpl_last_q   <= rpl_last_d;
      rpl_num_q    <= rpl_num_d;
      rpl_timer_q  <= rpl_timer_d;
      txv_q        <= txv_d;
      txk_q        <= txk_d;
      txf_q        <= txf_d;
      rx_exp_q     <= rx_exp_d;
      episode_q    <= episode_d;
      nak_pend_q   <= nak_pend_f;
      ack_cnt_q    <= ack_cnt_f;
      ack_tmr_q    <= ack_tmr_f;
      reack_q      <= reack_f;
      freed_q      <= freed_d;
      adv_q        <= adv_f;
      cr_tmr_q     <= cr_tmr_f;
      cr_ref_q     <= cr_ref_f;
      rf_st_q      <= rf_st_d;
      rf_vc_q      <= rf_vc_d;
      rf_len_q     <= rf_len_d;
      rf_cnt_q     <= rf_cnt_d;
      rf_crc_q     <= rf_crc_d;
      rf_ovf_q     <= rf_ovf_d;
      rf_poison_q  <= rf_poison_d;
      ovf_sticky_q <= ovf_sticky_d;
    end
  end

  // Replay buffer storage (no reset).
  always_ff @(posedge clk_i) begin
    if (rb_wr_en) rb_mem_q[rb_wr_q] <= rb_wdata;
    if (desc_wr_en) begin
      desc_start_q[desc_wr_slot] <= rb_wr_q;
      desc_len_q[desc_wr_slot]   <= uhdr.len;
    end
  end

  // Counters: saturating.
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      cnt_q <= '0;
    end else begin
      for (int unsigned i = 0; i < NCNT; i++) begin
        if (inc[i] && cnt_q[i] != 32'hFFFF_FFFF) cnt_q[i] <= cnt_q[i] + 32'd1;
      end
      for (int unsigned v = 0; v < NVC; v++) begin
        if (flit_in_add[v] != '0)
          cnt_q[CNT_FLIT_IN + v] <= (cnt_q[CNT_FLIT_IN + v] > 32'hFFFF_FFFF - 32'(flit_in_add[v])) ?
                                    32'hFFFF_FFFF : cnt_q[CNT_FLIT_IN + v] + 32'(flit_in_add[v]);
        if (flit_out_add[v] != '0)
          cnt_q[CNT_FLIT_OUT + v] <= (cnt_q[CNT_FLIT_OUT + v] > 32'hFFFF_FFFF - 32'(flit_out_add[v])) ?
                                     32'hFFFF_FFFF : cnt_q[CNT_FLIT_OUT + v] + 32'(flit_out_add[v]);
        if (32'(f_cnt[v]) > cnt_q[CNT_HIWATER + v]) cnt_q[CNT_HIWATER + v] <= 32'(f_cnt[v]);
      end
    end
  end

  always_comb begin
    unique case (32'(cnt_idx_i))
      CNT_STATE:       cnt_o = 32'(state_q);
      CNT_CREDIT_OVF:  cnt_o = 32'(ovf_sticky_q);
      CNT_TX_CREDIT + 0, CNT_TX_CREDIT + 1, CNT_TX_CREDIT + 2, CNT_TX_CREDIT + 3:
                       cnt_o = 32'(tx_credit_o[cnt_idx_i[1:0]]);
      CNT_TX_LSN:      cnt_o = 32'(tx_lsn_q);
      CNT_RX_EXP:      cnt_o = 32'(rx_exp_q);
      CNT_OUTSTANDING: cnt_o = 32'(npend_q);
      CNT_RX_OCC + 0, CNT_RX_OCC + 1, CNT_RX_OCC + 2, CNT_RX_OCC + 3:
                       cnt_o = 32'(f_cnt[cnt_idx_i[1:0]]);
      CNT_RB_USED:     cnt_o = 32'(rb_used_q);
      CNT_LIMIT + 0, CNT_LIMIT + 1, CNT_LIMIT + 2, CNT_LIMIT + 3:
                       cnt_o = 32'(limit_q[cnt_idx_i[1:0]]);
      CNT_SENT + 0, CNT_SENT + 1, CNT_SENT + 2, CNT_SENT + 3:
                       cnt_o = 32'(sent_q[cnt_idx_i[1:0]]);
      CNT_FREED + 0, CNT_FREED + 1, CNT_FREED + 2, CNT_FREED + 3:
                       cnt_o = 32'(freed_q[cnt_idx_i[1:0]]);
      default:         cnt_o = cnt_q[cnt_idx_i];
    endcase
  end

  assign tx_valid_o = txv_q;
  assign tx_kind_o  = txk_q;
  assign tx_data_o  = txf_q;
  // Room rises already in the trailer cycle of a new packet's frame: the upstream presents
  // its next header one cycle later, when the link is between frames again (it waits there,
  // up_ready_o low, behind a control flit or a replay like any header). The replay buffer
  // already holds the whole frame, so `room` is exact for the next packet.
  assign tx_room_o  = is_up && room && !rpl_act_q && !rpl_req_q &&
                      (!fr_act_q || (fr_rem_q == '0 && !fr_rpl_q));
  assign state_o    = state_q;

  logic unused_link;
  assign unused_link = ^{up_eop_i, start_new, start_rpl, up_take, ack_off, rpl_off[0],
                         rctl.rsvd, rtrl.rsvd, rhdr, uhdr, txc};

endmodule
