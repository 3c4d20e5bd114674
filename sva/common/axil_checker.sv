// AXI4-Lite protocol checker (AMBA AXI4-Lite handshake rules), bound to a slave port.
// Every property is single-cycle (|->, |=>, $stable), with an explicit disable iff, so it
// behaves the same on every Verilator ncv supports. Each assertion has a test that makes
// it fire (tb/cocotb/axil_sva_tests.py).

module axil_checker #(
  parameter int unsigned ADDR_W = 12,
  parameter int unsigned DATA_W = 32
) (
  input logic              clk_i,
  input logic              rst_ni,
  input logic              awvalid,
  input logic              awready,
  input logic [ADDR_W-1:0] awaddr,
  input logic              wvalid,
  input logic              wready,
  input logic [DATA_W-1:0] wdata,
  input logic [DATA_W/8-1:0] wstrb,
  input logic              bvalid,
  input logic              bready,
  input logic [1:0]        bresp,
  input logic              arvalid,
  input logic              arready,
  input logic [ADDR_W-1:0] araddr,
  input logic              rvalid,
  input logic              rready,
  input logic [DATA_W-1:0] rdata,
  input logic [1:0]        rresp
);

  // Outstanding transactions: writes need both AW and W before B; reads need AR before R.
  logic [7:0] aw_q, w_q, b_q, ar_q, r_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      aw_q <= '0;
      w_q  <= '0;
      b_q  <= '0;
      ar_q <= '0;
      r_q  <= '0;
    end else begin
      aw_q <= aw_q + 8'(awvalid && awready);
      w_q  <= w_q + 8'(wvalid && wready);
      b_q  <= b_q + 8'(bvalid && bready);
      ar_q <= ar_q + 8'(arvalid && arready);
      r_q  <= r_q + 8'(rvalid && rready);
    end
  end

  // A valid, once raised, stays until its handshake; the payload holds still meanwhile.
  AwValidHeld: assert property (@(posedge clk_i) disable iff (!rst_ni)
    awvalid && !awready |=> awvalid) else $error("AXI-Lite: AWVALID dropped before AWREADY");
  AwAddrStable: assert property (@(posedge clk_i) disable iff (!rst_ni)
    awvalid && !awready |=> $stable(awaddr)) else $error("AXI-Lite: AWADDR changed while waiting");
  WValidHeld: assert property (@(posedge clk_i) disable iff (!rst_ni)
    wvalid && !wready |=> wvalid) else $error("AXI-Lite: WVALID dropped before WREADY");
  WDataStable: assert property (@(posedge clk_i) disable iff (!rst_ni)
    wvalid && !wready |=> $stable(wdata) && $stable(wstrb)) else $error("AXI-Lite: WDATA changed while waiting");
  BValidHeld: assert property (@(posedge clk_i) disable iff (!rst_ni)
    bvalid && !bready |=> bvalid && $stable(bresp)) else $error("AXI-Lite: B response dropped before BREADY");
  ArValidHeld: assert property (@(posedge clk_i) disable iff (!rst_ni)
    arvalid && !arready |=> arvalid) else $error("AXI-Lite: ARVALID dropped before ARREADY");
  ArAddrStable: assert property (@(posedge clk_i) disable iff (!rst_ni)
    arvalid && !arready |=> $stable(araddr)) else $error("AXI-Lite: ARADDR changed while waiting");
  RValidHeld: assert property (@(posedge clk_i) disable iff (!rst_ni)
    rvalid && !rready |=> rvalid && $stable(rdata) && $stable(rresp))
    else $error("AXI-Lite: R response dropped or changed before RREADY");

  // Responses only for requests that were accepted.
  BAfterAwW: assert property (@(posedge clk_i) disable iff (!rst_ni)
    bvalid |-> (aw_q != b_q) && (w_q != b_q)) else $error("AXI-Lite: B without an accepted AW and W");
  RAfterAr: assert property (@(posedge clk_i) disable iff (!rst_ni)
    rvalid |-> (ar_q != r_q)) else $error("AXI-Lite: R without an accepted AR");

  // No X check on the handshake signals: Verilator simulates two-state, so such an
  // assertion could never fire here (and ncv keeps no assertion that cannot fire).

  // Protocol corners the tests must reach.
  CoverArStall: cover property (@(posedge clk_i) disable iff (!rst_ni) arvalid && !arready);
  CoverRStall: cover property (@(posedge clk_i) disable iff (!rst_ni) rvalid && !rready);
  CoverBackToBackRead: cover property (@(posedge clk_i) disable iff (!rst_ni)
    rvalid && rready && arvalid && arready);

endmodule
