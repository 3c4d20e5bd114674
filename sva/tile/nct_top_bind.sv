// Assertions bound into the NCT tile top: AXI-Lite protocol of its CSR port, AXI4 protocol
// of its master port, and the top's own invariants (W source FIFO, first-error latch).
bind nct_top axil_checker #(
  .ADDR_W(12),
  .DATA_W(32)
) u_sva_csr_axil (
  .clk_i   (clk_i),
  .rst_ni  (rst_ni),
  .awvalid (s_axil_awvalid_i),
  .awready (s_axil_awready_o),
  .awaddr  (s_axil_awaddr_i),
  .wvalid  (s_axil_wvalid_i),
  .wready  (s_axil_wready_o),
  .wdata   (s_axil_wdata_i),
  .wstrb   (s_axil_wstrb_i),
  .bvalid  (s_axil_bvalid_o),
  .bready  (s_axil_bready_i),
  .bresp   (s_axil_bresp_o),
  .arvalid (s_axil_arvalid_i),
  .arready (s_axil_arready_o),
  .araddr  (s_axil_araddr_i),
  .rvalid  (s_axil_rvalid_o),
  .rready  (s_axil_rready_i),
  .rdata   (s_axil_rdata_o),
  .rresp   (s_axil_rresp_o)
);

// Up to 2 fetches per queue ID (4 across a SOFT_RESET) and 4 DMA bursts outstanding; at
// most 4 AWs wait for their W data (the top's W source FIFO).
bind nct_top axi4_checker #(
  .ADDR_W    (40),
  .DATA_W    (AXI_DATA_W),
  .ID_W      (AXI_ID_W),
  .MAX_BYTES (256),
  .INCR_ONLY (1'b1),
  .RD_DEPTH  (4),
  .WR_DEPTH  (4)
) u_sva_axi4 (
  .clk_i   (clk_i),
  .rst_ni  (rst_ni),
  .awvalid (m_axi_awvalid_o),
  .awready (m_axi_awready_i),
  .awid    (m_axi_awid_o),
  .awaddr  (m_axi_awaddr_o),
  .awlen   (m_axi_awlen_o),
  .awsize  (m_axi_awsize_o),
  .awburst (m_axi_awburst_o),
  .wvalid  (m_axi_wvalid_o),
  .wready  (m_axi_wready_i),
  .wdata   (m_axi_wdata_o),
  .wstrb   (m_axi_wstrb_o),
  .wlast   (m_axi_wlast_o),
  .bvalid  (m_axi_bvalid_i),
  .bready  (m_axi_bready_o),
  .bid     (m_axi_bid_i),
  .bresp   (m_axi_bresp_i),
  .arvalid (m_axi_arvalid_o),
  .arready (m_axi_arready_i),
  .arid    (m_axi_arid_o),
  .araddr  (m_axi_araddr_o),
  .arlen   (m_axi_arlen_o),
  .arsize  (m_axi_arsize_o),
  .arburst (m_axi_arburst_o),
  .rvalid  (m_axi_rvalid_i),
  .rready  (m_axi_rready_o),
  .rid     (m_axi_rid_i),
  .rdata   (m_axi_rdata_i),
  .rresp   (m_axi_rresp_i),
  .rlast   (m_axi_rlast_i)
);

// idle_state_i: queue heads and states, the ring tail, the watchdog and W-source counts,
// the error latch, every PERF counter but PERF_CYCLES, the retire trace index and opcode.
bind nct_top nct_top_sva #(
  .WSRC_DEPTH(4),
  .IDLE_W    (770)
) u_sva_top (
  .clk_i        (clk_i),
  .rst_ni       (rst_ni),
  .soft_reset_i (soft_reset),
  .wcnt_i       (wcnt_q),
  .err_valid_i  (err_valid_q),
  .err_info_i   ({err_code_q, err_queue_q, err_index_q, err_addr_q}),
  .idle_i       (idle_o),
  .idle_state_i ({head, qstate, nq_tail, wd_cnt_q, wcnt_q, err_valid_q, err_code_q, err_queue_q, err_index_q,
                  err_addr_q, perf_dma_rd_q, perf_dma_wr_q, perf_macs_q, perf_busy_q, perf_semwait_q,
                  trace_index_o, trace_opcode_o})
);
