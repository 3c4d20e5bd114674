// Invariants of one side of an NSP link (rtl/switch/nsp_link.sv), bound into every nsp_link
// (sva/switch/nsp_switch_bind.sv): the link and RX-frame state machines stay in their legal
// states and steps; the replay buffer stays within RB_FLITS flits and RB_PKTS packets, its
// live region is exactly the un-acknowledged packets and a write never lands in it; the
// TX sequence number advances by one per new packet, the RX expected one by one per good
// packet, the acknowledged point only moves forward and never past what was sent; on the
// wire, frames are whole ([HDR][DATA x len][TRL], control flits only between frames), a
// trailer carries the next new lsn or a replayed one of the window, and the ACKs sent
// (ACK, NAK(e) = e - 1, piggy-backed) never go backwards; the credit limit received never
// goes backwards. A module with ports, so tb/cocotb/switch_sva_tests.py can drive it alone.
// Single-cycle properties with an explicit disable iff; the wire checks keep their own state.

module nsp_link_sva
  import nsp_pkg::*;
#(
  parameter int unsigned  RB_FLITS = 128,
  parameter int unsigned  RB_PKTS  = 16,
  localparam int unsigned RBA      = $clog2(RB_FLITS)
) (
  input logic                     clk_i,
  input logic                     rst_ni,
  input logic [2:0]               state_i,        // LS_*
  input logic [1:0]               rf_st_i,        // RX frame: 0 idle, 1 in frame, 2 bad frame
  input logic [SEQ_W-1:0]         tx_lsn_i,       // lsn of the next new packet
  input logic [SEQ_W-1:0]         npend_i,        // packets in the replay buffer
  input logic [SEQ_W-1:0]         ack_tgt_i,      // oldest lsn not acknowledged
  input logic [SEQ_W-1:0]         rx_exp_i,       // next lsn RX expects
  input logic [RBA:0]             rb_used_i,      // replay buffer flits in use
  input logic [RBA-1:0]           rb_wr_i,        // replay buffer write address
  input logic                     rb_wr_en_i,     // a flit is written at rb_wr_i
  input logic [RBA-1:0]           rb_oldest_i,    // first flit of the oldest packet held
  input logic                     desc_wr_en_i,   // a packet descriptor is written
  input logic [NVC-1:0][CR_W-1:0] limit_i,        // credit limits from the peer
  input logic                     tx_valid_i,     // the TX wire
  input logic [1:0]               tx_kind_i,
  input flit_t                    tx_data_i
);

  localparam logic [SEQ_W-1:0] HALF = SEQ_W'(1 << (SEQ_W - 1));

  // ---- link state machine ---------------------------------------------------------------
  // Previous-cycle values (reset values equal the RTL's).
  logic [2:0]               state_p;
  logic [NVC-1:0][CR_W-1:0] limit_p;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_p <= LS_DOWN;
      limit_p <= '0;
    end else begin
      state_p <= state_i;
      limit_p <= limit_i;
    end
  end

  logic step_ok;
  always_comb begin
    unique case (state_p)
      LS_DOWN:     step_ok = state_i == LS_INIT;
      LS_INIT:     step_ok = state_i == LS_UP;
      LS_UP:       step_ok = state_i == LS_DEGRADED || state_i == LS_RETRAIN;
      LS_DEGRADED: step_ok = state_i == LS_RETRAIN;
      LS_RETRAIN:  step_ok = state_i == LS_UP;
      default:     step_ok = 1'b0;
    endcase
  end

  LinkStateLegal: assert property (@(posedge clk_i) disable iff (!rst_ni)
    state_i <= LS_RETRAIN) else $error("link: illegal link state %0d", state_i);
  LinkStateStep: assert property (@(posedge clk_i) disable iff (!rst_ni)
    state_i != state_p && state_i <= LS_RETRAIN |-> step_ok)
    else $error("link: illegal link state step %0d -> %0d", state_p, state_i);
  LinkRxFrameLegal: assert property (@(posedge clk_i) disable iff (!rst_ni)
    rf_st_i != 2'd3) else $error("link: illegal RX frame state 3");

  // ---- replay buffer ----------------------------------------------------------------------
  logic [RBA-1:0] live;
  assign live = rb_wr_i - rb_oldest_i;

  RbOccBound: assert property (@(posedge clk_i) disable iff (!rst_ni)
    32'(rb_used_i) <= RB_FLITS && 32'(npend_i) <= RB_PKTS)
    else $error("link: replay buffer holds %0d flits / %0d packets, more than %0d / %0d",
                rb_used_i, npend_i, RB_FLITS, RB_PKTS);
  RbLiveRegion: assert property (@(posedge clk_i) disable iff (!rst_ni)
    npend_i == '0 ? rb_used_i == '0 : live == rb_used_i[RBA-1:0])
    else $error("link: replay buffer counts %0d flits in %0d packets, but the oldest packet is %0d flits behind the write pointer",
                rb_used_i, npend_i, live);
  RbNoOverwrite: assert property (@(posedge clk_i) disable iff (!rst_ni)
    rb_wr_en_i |-> 32'(rb_used_i) < RB_FLITS)
    else $error("link: replay buffer write at %0d with all %0d flits un-acknowledged", rb_wr_i, RB_FLITS);
  RbDescNoOverwrite: assert property (@(posedge clk_i) disable iff (!rst_ni)
    desc_wr_en_i |-> 32'(npend_i) < RB_PKTS)
    else $error("link: a new packet while all %0d replay descriptors are un-acknowledged", RB_PKTS);

  // ---- sequence numbers and acknowledgements ----------------------------------------------
  LinkTxLsnStep: assert property (@(posedge clk_i) disable iff (!rst_ni)
    tx_lsn_i != $past(tx_lsn_i) |-> tx_lsn_i == $past(tx_lsn_i) + SEQ_W'(1))
    else $error("link: TX lsn went from %0d to %0d", $past(tx_lsn_i), tx_lsn_i);
  LinkRxExpStep: assert property (@(posedge clk_i) disable iff (!rst_ni)
    rx_exp_i != $past(rx_exp_i) |-> rx_exp_i == $past(rx_exp_i) + SEQ_W'(1))
    else $error("link: RX expected lsn went from %0d to %0d", $past(rx_exp_i), rx_exp_i);
  LinkAckInWindow: assert property (@(posedge clk_i) disable iff (!rst_ni)
    ack_tgt_i - (tx_lsn_i - npend_i) <= npend_i)
    else $error("link: acknowledged up to lsn %0d, outside the %0d packets held before lsn %0d",
                ack_tgt_i, npend_i, tx_lsn_i);
  LinkAckForward: assert property (@(posedge clk_i) disable iff (!rst_ni)
    ack_tgt_i != $past(ack_tgt_i) |-> ack_tgt_i - $past(ack_tgt_i) <= $past(tx_lsn_i) - $past(ack_tgt_i))
    else $error("link: acknowledged point moved from lsn %0d to %0d (next new lsn %0d)",
                $past(ack_tgt_i), ack_tgt_i, $past(tx_lsn_i));

  // Credit limits are absolute: a newer one is never behind an older one.
  logic [NVC-1:0] lim_back;
  always_comb begin
    for (int unsigned v = 0; v < NVC; v++) begin
      lim_back[v] = limit_i[v] - limit_p[v] >= CR_W'(1 << (CR_W - 1));
    end
  end
  LinkLimitForward: assert property (@(posedge clk_i) disable iff (!rst_ni)
    lim_back == '0) else $error("link: credit limit went backwards (VCs %b)", lim_back);

  // ---- the TX wire --------------------------------------------------------------------------
  ctl_t ctl;
  trl_t trl;
  hdr_t hdr;
  assign ctl = ctl_t'(tx_data_i);
  assign trl = trl_t'(tx_data_i);
  assign hdr = hdr_t'(tx_data_i);

  logic             fin_q, fin_d;         // inside a frame
  logic [4:0]       flen_q, flen_d, fcnt_q, fcnt_d;
  logic [SEQ_W-1:0] next_q, next_d;       // the next new lsn seen on the wire
  logic [SEQ_W-1:0] ack_q, ack_d;         // the last ACK value sent
  logic             shape_bad, ctl_bad, lsn_bad, ack_bad, ack_now;
  logic [SEQ_W-1:0] ack_val, behind;

  always_comb begin
    fin_d     = fin_q;
    flen_d    = flen_q;
    fcnt_d    = fcnt_q;
    next_d    = next_q;
    ack_d     = ack_q;
    shape_bad = 1'b0;
    ctl_bad   = 1'b0;
    lsn_bad   = 1'b0;
    ack_bad   = 1'b0;
    ack_now   = 1'b0;
    ack_val   = trl.ack_lsn;
    behind    = next_q - trl.lsn;
    if (tx_valid_i) begin
      unique case (kind_e'(tx_kind_i))
        KIND_HDR: begin
          shape_bad = fin_q;
          fin_d     = 1'b1;
          flen_d    = hdr.len;
          fcnt_d    = '0;
        end
        KIND_DATA: begin
          shape_bad = !fin_q || fcnt_q == flen_q;
          fcnt_d    = fcnt_q + 5'd1;
        end
        KIND_TRL: begin
          shape_bad = !fin_q || fcnt_q != flen_q;
          fin_d     = 1'b0;
          if (trl.lsn == next_q) next_d = next_q + SEQ_W'(1);
          else lsn_bad = 32'(behind) > RB_PKTS;
          ack_now = trl.ack_valid;
        end
        default: begin  // KIND_CTL
          ctl_bad = fin_q;
          if (ctl.typ == CTL_ACK) begin
            ack_now = 1'b1;
            ack_val = ctl.lsn;
          end else if (ctl.typ == CTL_NAK) begin
            ack_now = 1'b1;
            ack_val = ctl.lsn - SEQ_W'(1);
          end
        end
      endcase
    end
    if (ack_now) begin
      ack_bad = ack_val - ack_q >= HALF;
      ack_d   = ack_val;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      fin_q  <= 1'b0;
      flen_q <= '0;
      fcnt_q <= '0;
      next_q <= '0;
      ack_q  <= '1;  // nothing received yet: "lsn -1"
    end else begin
      fin_q  <= fin_d;
      flen_q <= flen_d;
      fcnt_q <= fcnt_d;
      next_q <= next_d;
      ack_q  <= ack_d;
    end
  end

  WireFrameShape: assert property (@(posedge clk_i) disable iff (!rst_ni)
    !shape_bad) else $error("link: TX wire: %s flit breaks [HDR][DATA x %0d][TRL] (%0d data flits so far, in frame %0d)",
                            tx_kind_i == 2'd1 ? "a header" : tx_kind_i == 2'd2 ? "a data" : "a trailer",
                            flen_q, fcnt_q, fin_q);
  WireCtlBetweenFrames: assert property (@(posedge clk_i) disable iff (!rst_ni)
    !ctl_bad) else $error("link: TX wire: a control flit inside a frame");
  WireLsnStep: assert property (@(posedge clk_i) disable iff (!rst_ni)
    !lsn_bad) else $error("link: TX wire: trailer lsn %0d is neither the next new lsn %0d nor a replay of the last %0d",
                          trl.lsn, next_q, RB_PKTS);
  WireAckForward: assert property (@(posedge clk_i) disable iff (!rst_ni)
    !ack_bad) else $error("link: TX wire: ACK went back from lsn %0d to %0d", ack_q, ack_val);

  CoverRbFull: cover property (@(posedge clk_i) disable iff (!rst_ni) 32'(npend_i) == RB_PKTS);
  CoverReplayOnWire: cover property (@(posedge clk_i) disable iff (!rst_ni) tx_valid_i && lsn_bad == 1'b0 &&
                                     tx_kind_i == 2'd3 && trl.lsn != next_q);

  logic unused_sva;
  assign unused_sva = ^{ctl.got, ctl.val, ctl.rsvd, ctl.crc, trl.fccl, trl.rsvd, trl.crc, hdr.opcode, hdr.vc,
                        hdr.dst, hdr.src, hdr.tag, hdr.flow, hdr.status, hdr.poison, hdr.ttl, hdr.addr, hdr.byte_en};

endmodule
