// Invariants of the DMA engine (rtl/tile/nct_dma.sv), bound into nct_dma
// (sva/tile/nct_tile_bind.sv): the realigner never holds more bytes than it can, the burst
// generator keeps at most MAX_OUT bursts outstanding, and the DMA_ST burst FIFOs (W lengths,
// B row addresses) stay within their depth. Tested alone in tb/cocotb/tile_sva_tests.py.

module nct_dma_sva #(
  parameter int unsigned  AXI_DW  = 128,
  parameter int unsigned  MAX_OUT = 4,
  localparam int unsigned CAP     = 2 * AXI_DW / 8,     // realigner capacity in bytes
  localparam int unsigned CW      = $clog2(CAP + 1),
  localparam int unsigned OW      = $clog2(MAX_OUT + 1)
) (
  input logic          clk_i,
  input logic          rst_ni,
  input logic [CW-1:0] cnt_i,      // bytes in the realigner
  input logic [OW-1:0] out_i,      // bursts outstanding (address taken, not finished)
  input logic [OW-1:0] wq_cnt_i,   // DMA_ST: accepted bursts whose W beats are not all sent
  input logic [OW-1:0] bq_cnt_i    // DMA_ST: accepted bursts waiting for their B
);

  DmaRealignerBound: assert property (@(posedge clk_i) disable iff (!rst_ni)
    32'(cnt_i) <= CAP) else $error("dma: realigner holds %0d > %0d bytes", cnt_i, CAP);
  DmaOutstandingBound: assert property (@(posedge clk_i) disable iff (!rst_ni)
    32'(out_i) <= MAX_OUT) else $error("dma: %0d > MAX_OUT bursts outstanding", out_i);
  // A burst's W data goes before its B comes back, so those awaiting W are outstanding.
  DmaWFifoBound: assert property (@(posedge clk_i) disable iff (!rst_ni)
    wq_cnt_i <= out_i) else $error("dma: %0d bursts await W data, only %0d outstanding", wq_cnt_i, out_i);
  DmaBFifoBound: assert property (@(posedge clk_i) disable iff (!rst_ni)
    32'(bq_cnt_i) <= MAX_OUT) else $error("dma: %0d > MAX_OUT bursts await B", bq_cnt_i);

  CoverDmaMaxOut: cover property (@(posedge clk_i) disable iff (!rst_ni) 32'(out_i) == MAX_OUT);
  CoverDmaRealignerFull: cover property (@(posedge clk_i) disable iff (!rst_ni) 32'(cnt_i) == CAP);

endmodule
