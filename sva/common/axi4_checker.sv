// AXI4 protocol checker (AMBA AXI4 handshake, burst and response rules) for a master port,
// bound to the NCT tile's AXI4 master (sva/tile/nct_top_bind.sv). Every property is
// single-cycle (|->, |=>, $stable, $past) with an explicit disable iff, as the pinned
// simulator requires; what spans several cycles (which burst a W beat or an R beat belongs
// to, how many beats it has had) is kept in small tracking state below. Each assertion has
// a test that makes it fire (tb/cocotb/axi4_sva_tests.py).
//
// Master rules (the tile must obey them): valid held until ready with a stable payload,
// INCR bursts only, a burst never crosses 4 KiB, at most MAX_BYTES per burst (tile.md: up
// to 256 bytes), AxSIZE within the data bus, W only for an AW already accepted (our master
// never sends W first; W follows AW order), WLAST exactly on the last beat of its burst.
// Slave rules (checked on what the tile receives): R and B held until ready with a stable
// payload, RID and BID name an outstanding transaction, RLAST exactly on the ARLEN-th beat
// of the oldest outstanding read of that ID (reads of one ID return in order, different
// IDs may interleave), B only after the last W beat of a burst of that ID.
//
// The tracking state is bounded: RD_DEPTH reads per ID and WR_DEPTH accepted AWs whose
// data is not complete. More than that is reported (ArTrackRoom, AwTrackRoom) rather than
// silently mis-tracked. No X check on the valids: the simulator is two-state, so such
// an assertion could never fire here (and ncv keeps no assertion that cannot fire).

module axi4_checker #(
  parameter int unsigned ADDR_W    = 40,
  parameter int unsigned DATA_W    = 128,
  parameter int unsigned ID_W      = 4,
  parameter int unsigned MAX_BYTES = 256,   // largest burst in bytes
  parameter bit          INCR_ONLY = 1'b1,  // the master issues INCR bursts only
  parameter int unsigned RD_DEPTH  = 4,     // outstanding reads tracked per ID
  parameter int unsigned WR_DEPTH  = 8      // accepted AWs tracked until their last W beat
) (
  input logic                clk_i,
  input logic                rst_ni,
  input logic                awvalid,
  input logic                awready,
  input logic [ID_W-1:0]     awid,
  input logic [ADDR_W-1:0]   awaddr,
  input logic [7:0]          awlen,
  input logic [2:0]          awsize,
  input logic [1:0]          awburst,
  input logic                wvalid,
  input logic                wready,
  input logic [DATA_W-1:0]   wdata,
  input logic [DATA_W/8-1:0] wstrb,
  input logic                wlast,
  input logic                bvalid,
  input logic                bready,
  input logic [ID_W-1:0]     bid,
  input logic [1:0]          bresp,
  input logic                arvalid,
  input logic                arready,
  input logic [ID_W-1:0]     arid,
  input logic [ADDR_W-1:0]   araddr,
  input logic [7:0]          arlen,
  input logic [2:0]          arsize,
  input logic [1:0]          arburst,
  input logic                rvalid,
  input logic                rready,
  input logic [ID_W-1:0]     rid,
  input logic [DATA_W-1:0]   rdata,
  input logic [1:0]          rresp,
  input logic                rlast
);

  localparam int unsigned NID    = 1 << ID_W;
  localparam int unsigned RCW    = $clog2(RD_DEPTH + 1);
  localparam int unsigned WCW    = $clog2(WR_DEPTH + 1);
  localparam int unsigned SZ_MAX = $clog2(DATA_W / 8);
  localparam logic [1:0]  INCR   = 2'b01;

  logic ar_hs, r_hs, aw_hs, w_hs, b_hs;
  assign ar_hs = arvalid && arready;
  assign r_hs  = rvalid && rready;
  assign aw_hs = awvalid && awready;
  assign w_hs  = wvalid && wready;
  assign b_hs  = bvalid && bready;

  // ---------------------------------------------------------------------------------------
  // Burst geometry of the address offered on AR and AW
  // ---------------------------------------------------------------------------------------
  logic [31:0] ar_bytes, aw_bytes, ar_end4k, aw_end4k;
  always_comb begin
    ar_bytes = (32'(arlen) + 32'd1) << arsize;
    aw_bytes = (32'(awlen) + 32'd1) << awsize;
    // Offset of the (size-aligned) start in its 4 KiB page plus the burst's bytes.
    ar_end4k = (32'(araddr[11:0]) & ~((32'd1 << arsize) - 32'd1)) + ar_bytes;
    aw_end4k = (32'(awaddr[11:0]) & ~((32'd1 << awsize) - 32'd1)) + aw_bytes;
  end

  // ---------------------------------------------------------------------------------------
  // Reads: per ID a FIFO of the ARLEN of its outstanding reads and the beats received of
  // the oldest one (R of one ID returns in AR order).
  // ---------------------------------------------------------------------------------------
  logic [7:0]     rlen_q [NID][RD_DEPTH];
  logic [RCW-1:0] rcnt_q [NID];
  logic [7:0]     rbeat_q [NID];
  logic           r_known, r_end, r_pop_same;
  logic [RCW-1:0] ar_at;
  assign r_known    = rcnt_q[rid] != '0;
  assign r_end      = r_hs && r_known && rbeat_q[rid] == rlen_q[rid][0];
  assign r_pop_same = r_end && rid == arid;
  assign ar_at      = rcnt_q[arid] - (r_pop_same ? RCW'(1) : RCW'(0));

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      for (int unsigned i = 0; i < NID; i++) begin
        rcnt_q[i] <= '0;
        rbeat_q[i] <= '0;
      end
    end else begin
      if (r_hs && r_known) begin
        rbeat_q[rid] <= r_end ? 8'd0 : rbeat_q[rid] + 8'd1;
        if (r_end) rcnt_q[rid] <= rcnt_q[rid] - RCW'(1);
      end
      if (ar_hs && 32'(ar_at) < RD_DEPTH) rcnt_q[arid] <= ar_at + RCW'(1);
    end
  end

  always_ff @(posedge clk_i) begin
    if (r_end) begin
      for (int unsigned i = 0; i + 1 < RD_DEPTH; i++) rlen_q[rid][i] <= rlen_q[rid][i + 1];
    end
    if (ar_hs && 32'(ar_at) < RD_DEPTH) rlen_q[arid][ar_at[$clog2(RD_DEPTH)-1:0]] <= arlen;
  end

  // ---------------------------------------------------------------------------------------
  // Writes: a FIFO of the accepted AWs (length, ID) whose W beats are not all sent (W
  // follows AW order); per ID the bursts whose last W beat went and whose B has not come.
  // ---------------------------------------------------------------------------------------
  logic [7:0]      wlen_q [WR_DEPTH];
  logic [ID_W-1:0] wid_q [WR_DEPTH];
  logic [WCW-1:0]  wcnt_q, aw_at;
  logic [7:0]      wbeat_q;
  logic [15:0]     bpend_q [NID];
  logic            w_known, w_end;
  assign w_known = wcnt_q != '0;
  assign w_end   = w_hs && w_known && wbeat_q == wlen_q[0];
  assign aw_at   = wcnt_q - (w_end ? WCW'(1) : WCW'(0));

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      wcnt_q <= '0;
      wbeat_q <= '0;
      for (int unsigned i = 0; i < NID; i++) bpend_q[i] <= '0;
    end else begin
      if (w_hs && w_known) wbeat_q <= w_end ? 8'd0 : wbeat_q + 8'd1;
      wcnt_q <= aw_at + ((aw_hs && 32'(aw_at) < WR_DEPTH) ? WCW'(1) : WCW'(0));
      if (b_hs && bpend_q[bid] != '0) bpend_q[bid] <= bpend_q[bid] - 16'd1;
      if (w_end) begin
        bpend_q[wid_q[0]] <= bpend_q[wid_q[0]] + 16'd1 -
                             ((b_hs && bid == wid_q[0] && bpend_q[bid] != '0) ? 16'd1 : 16'd0);
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (w_end) begin
      for (int unsigned i = 0; i + 1 < WR_DEPTH; i++) begin
        wlen_q[i] <= wlen_q[i + 1];
        wid_q[i] <= wid_q[i + 1];
      end
    end
    if (aw_hs && 32'(aw_at) < WR_DEPTH) begin
      wlen_q[aw_at[$clog2(WR_DEPTH)-1:0]] <= awlen;
      wid_q[aw_at[$clog2(WR_DEPTH)-1:0]] <= awid;
    end
  end

  // Byte lanes the W beat writes: WDATA must hold still in those while it waits.
  logic [DATA_W-1:0] wmask;
  always_comb begin
    for (int unsigned i = 0; i < DATA_W / 8; i++) wmask[8 * i +: 8] = {8{wstrb[i]}};
  end

  // ---------------------------------------------------------------------------------------
  // Master rules
  // ---------------------------------------------------------------------------------------
  ArValidHeld: assert property (@(posedge clk_i) disable iff (!rst_ni)
    arvalid && !arready |=> arvalid) else $error("AXI4: ARVALID dropped before ARREADY");
  ArStable: assert property (@(posedge clk_i) disable iff (!rst_ni)
    arvalid && !arready |=> $stable(araddr) && $stable(arid) && $stable(arlen) && $stable(arsize) &&
                            $stable(arburst))
    else $error("AXI4: AR address, ID, length, size or burst changed while waiting for ARREADY");
  AwValidHeld: assert property (@(posedge clk_i) disable iff (!rst_ni)
    awvalid && !awready |=> awvalid) else $error("AXI4: AWVALID dropped before AWREADY");
  AwStable: assert property (@(posedge clk_i) disable iff (!rst_ni)
    awvalid && !awready |=> $stable(awaddr) && $stable(awid) && $stable(awlen) && $stable(awsize) &&
                            $stable(awburst))
    else $error("AXI4: AW address, ID, length, size or burst changed while waiting for AWREADY");
  WValidHeld: assert property (@(posedge clk_i) disable iff (!rst_ni)
    wvalid && !wready |=> wvalid) else $error("AXI4: WVALID dropped before WREADY");
  WStable: assert property (@(posedge clk_i) disable iff (!rst_ni)
    wvalid && !wready |=> $stable(wstrb) && $stable(wlast) && $stable(wdata & wmask))
    else $error("AXI4: WSTRB, WLAST or strobed WDATA changed while waiting for WREADY");

  ArBurstIncr: assert property (@(posedge clk_i) disable iff (!rst_ni)
    arvalid && INCR_ONLY |-> arburst == INCR) else $error("AXI4: ARBURST is not INCR");
  AwBurstIncr: assert property (@(posedge clk_i) disable iff (!rst_ni)
    awvalid && INCR_ONLY |-> awburst == INCR) else $error("AXI4: AWBURST is not INCR");
  ArSizeFits: assert property (@(posedge clk_i) disable iff (!rst_ni)
    arvalid |-> 32'(arsize) <= SZ_MAX) else $error("AXI4: ARSIZE wider than the data bus");
  AwSizeFits: assert property (@(posedge clk_i) disable iff (!rst_ni)
    awvalid |-> 32'(awsize) <= SZ_MAX) else $error("AXI4: AWSIZE wider than the data bus");
  ArMaxBytes: assert property (@(posedge clk_i) disable iff (!rst_ni)
    arvalid |-> ar_bytes <= MAX_BYTES) else $error("AXI4: read burst longer than %0d bytes", MAX_BYTES);
  AwMaxBytes: assert property (@(posedge clk_i) disable iff (!rst_ni)
    awvalid |-> aw_bytes <= MAX_BYTES) else $error("AXI4: write burst longer than %0d bytes", MAX_BYTES);
  Ar4K: assert property (@(posedge clk_i) disable iff (!rst_ni)
    arvalid |-> ar_end4k <= 32'd4096) else $error("AXI4: read burst crosses a 4 KiB boundary");
  Aw4K: assert property (@(posedge clk_i) disable iff (!rst_ni)
    awvalid |-> aw_end4k <= 32'd4096) else $error("AXI4: write burst crosses a 4 KiB boundary");

  WAfterAw: assert property (@(posedge clk_i) disable iff (!rst_ni)
    wvalid |-> w_known) else $error("AXI4: W beat without an accepted AW awaiting data");
  WLastBeat: assert property (@(posedge clk_i) disable iff (!rst_ni)
    wvalid && w_known |-> wlast == (wbeat_q == wlen_q[0]))
    else $error("AXI4: WLAST not exactly on beat AWLEN of its burst (beat %0d, AWLEN %0d)", wbeat_q, wlen_q[0]);

  // The checker's own capacity: beyond it the rules above could not be followed.
  ArTrackRoom: assert property (@(posedge clk_i) disable iff (!rst_ni)
    ar_hs |-> 32'(ar_at) < RD_DEPTH) else $error("AXI4 checker: more than %0d reads outstanding on one ID", RD_DEPTH);
  AwTrackRoom: assert property (@(posedge clk_i) disable iff (!rst_ni)
    aw_hs |-> 32'(aw_at) < WR_DEPTH) else $error("AXI4 checker: more than %0d AWs awaiting W data", WR_DEPTH);

  // ---------------------------------------------------------------------------------------
  // Slave rules
  // ---------------------------------------------------------------------------------------
  RValidHeld: assert property (@(posedge clk_i) disable iff (!rst_ni)
    rvalid && !rready |=> rvalid && $stable(rid) && $stable(rdata) && $stable(rresp) && $stable(rlast))
    else $error("AXI4: R beat dropped or changed before RREADY");
  BValidHeld: assert property (@(posedge clk_i) disable iff (!rst_ni)
    bvalid && !bready |=> bvalid && $stable(bid) && $stable(bresp))
    else $error("AXI4: B response dropped or changed before BREADY");
  RIdOutstanding: assert property (@(posedge clk_i) disable iff (!rst_ni)
    rvalid |-> r_known) else $error("AXI4: R beat with ID %0d, which has no outstanding read", rid);
  RLastBeat: assert property (@(posedge clk_i) disable iff (!rst_ni)
    rvalid && r_known |-> rlast == (rbeat_q[rid] == rlen_q[rid][0]))
    else $error("AXI4: RLAST not exactly on beat ARLEN of the oldest read of ID %0d", rid);
  BIdOutstanding: assert property (@(posedge clk_i) disable iff (!rst_ni)
    bvalid |-> bpend_q[bid] != '0)
    else $error("AXI4: B response with ID %0d, which has no write whose last W beat was sent", bid);

  // ---------------------------------------------------------------------------------------
  // Protocol corners the tests must reach
  // ---------------------------------------------------------------------------------------
  logic ar_hs_q, w_end_q;
  logic r_interleave;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ar_hs_q <= 1'b0;
      w_end_q <= 1'b0;
    end else begin
      ar_hs_q <= ar_hs;
      w_end_q <= w_end;
    end
  end
  always_comb begin
    // An R beat of one ID while a burst of another ID is part-way through.
    r_interleave = 1'b0;
    for (int unsigned i = 0; i < NID; i++) begin
      if (i != 32'(rid) && rbeat_q[i] != 8'd0) r_interleave = 1'b1;
    end
  end

  CoverRead1Beat: cover property (@(posedge clk_i) disable iff (!rst_ni) ar_hs && arlen == 8'd0);
  CoverWrite1Beat: cover property (@(posedge clk_i) disable iff (!rst_ni) aw_hs && awlen == 8'd0);
  CoverRead16Beats: cover property (@(posedge clk_i) disable iff (!rst_ni) ar_hs && arlen == 8'd15);
  CoverWrite16Beats: cover property (@(posedge clk_i) disable iff (!rst_ni) aw_hs && awlen == 8'd15);
  CoverBackToBackAr: cover property (@(posedge clk_i) disable iff (!rst_ni) ar_hs && ar_hs_q);
  CoverBackToBackW: cover property (@(posedge clk_i) disable iff (!rst_ni) w_hs && w_end_q);
  CoverReadInterleave: cover property (@(posedge clk_i) disable iff (!rst_ni) r_hs && r_interleave);
  CoverArStall: cover property (@(posedge clk_i) disable iff (!rst_ni) arvalid && !arready);
  CoverWStall: cover property (@(posedge clk_i) disable iff (!rst_ni) wvalid && !wready);

endmodule
