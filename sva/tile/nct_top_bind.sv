// Assertions bound into the NCT tile: AXI-Lite protocol of its CSR port.
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
