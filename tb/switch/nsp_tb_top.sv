// Top of the switch testbench: NPORTS endpoints and one nsp_switch. The link wires are
// ports, so the C++ link models sit between endpoint p and switch port p in both
// directions; the endpoints' core interfaces and the switch's register port are driven by
// the C++ testbench pin by pin.

module nsp_tb_top
  import nsp_pkg::*;
#(
  parameter int unsigned NPORTS = 4,
  localparam int unsigned OCC_W = $clog2(DEF_BUF_FLITS + 1)
) (
  input  logic                          clk_i,
  input  logic                          rst_ni,
  input  logic [NPORTS-1:0]             ep_enable_i,
  input  logic [NPORTS-1:0]             ep_retrain_i,
  input  logic [NPORTS-1:0]             ep_credit_ignore_i,
  input  logic                          sva_strict_i,  // check credit even where it is ignored (sw_sva_credit)
  // Endpoint -> link model -> switch.
  output logic [NPORTS-1:0]             ep_tx_valid_o,
  output logic [NPORTS-1:0][1:0]        ep_tx_kind_o,
  output flit_t [NPORTS-1:0]            ep_tx_data_o,
  input  logic [NPORTS-1:0]             sw_rx_valid_i,
  input  logic [NPORTS-1:0][1:0]        sw_rx_kind_i,
  input  flit_t [NPORTS-1:0]            sw_rx_data_i,
  // Switch -> link model -> endpoint.
  output logic [NPORTS-1:0]             sw_tx_valid_o,
  output logic [NPORTS-1:0][1:0]        sw_tx_kind_o,
  output flit_t [NPORTS-1:0]            sw_tx_data_o,
  input  logic [NPORTS-1:0]             ep_rx_valid_i,
  input  logic [NPORTS-1:0][1:0]        ep_rx_kind_i,
  input  flit_t [NPORTS-1:0]            ep_rx_data_i,
  // Core interfaces, index p * NVC + vc.
  input  logic [NPORTS*NVC-1:0]         in_valid_i,
  input  flit_t [NPORTS*NVC-1:0]        in_data_i,
  output logic [NPORTS*NVC-1:0]         in_ready_o,
  output logic [NPORTS*NVC-1:0]         out_valid_o,
  output flit_t [NPORTS*NVC-1:0]        out_data_o,
  input  logic [NPORTS*NVC-1:0]         out_ready_i,
  // Endpoint link counters and states.
  input  logic [5:0]                    ep_cnt_idx_i,
  output logic [NPORTS-1:0][31:0]       ep_cnt_o,
  output logic [NPORTS-1:0][2:0]        ep_state_o,
  // Switch registers and interrupts.
  input  logic                          csr_valid_i,
  input  logic                          csr_write_i,
  input  logic [15:0]                   csr_addr_i,
  input  logic [31:0]                   csr_wdata_i,
  output logic [31:0]                   csr_rdata_o,
  output logic                          irq_err_o,
  output logic                          irq_link_o
);

  for (genvar p = 0; p < NPORTS; p++) begin : g_ep
    logic [NVC-1:0][OCC_W-1:0] occ;
    logic unused_occ;
    assign unused_occ = ^occ;
    nsp_endpoint u_ep (
      .clk_i, .rst_ni, .enable_i(ep_enable_i[p]), .retrain_i(ep_retrain_i[p]),
      .tst_credit_ignore_i(ep_credit_ignore_i[p]),
      .tx_valid_o(ep_tx_valid_o[p]), .tx_kind_o(ep_tx_kind_o[p]), .tx_data_o(ep_tx_data_o[p]),
      .rx_valid_i(ep_rx_valid_i[p]), .rx_kind_i(ep_rx_kind_i[p]), .rx_data_i(ep_rx_data_i[p]),
      .in_valid_i(in_valid_i[p*NVC +: NVC]), .in_data_i(in_data_i[p*NVC +: NVC]),
      .in_ready_o(in_ready_o[p*NVC +: NVC]),
      .out_valid_o(out_valid_o[p*NVC +: NVC]), .out_data_o(out_data_o[p*NVC +: NVC]),
      .out_ready_i(out_ready_i[p*NVC +: NVC]), .out_count_o(occ),
      .state_o(ep_state_o[p]), .cnt_idx_i(ep_cnt_idx_i), .cnt_o(ep_cnt_o[p]));
  end

  // Credit conservation on both directions of every link (sva/switch/nsp_credit_sva.sv);
  // the endpoint -> switch check is off while that endpoint ignores credit on purpose.
  for (genvar p = 0; p < NPORTS; p++) begin : g_credit_sva
    nsp_credit_sva #(.BUF_FLITS(SW_BUF_FLITS)) u_up (
      .clk_i, .rst_ni, .en_i(!ep_credit_ignore_i[p] || sva_strict_i),
      .sent_i(g_ep[p].u_ep.u_link.sent_q), .limit_i(g_ep[p].u_ep.u_link.limit_q),
      .freed_i(u_sw.g_port[p].u_port.u_link.freed_q), .occ_i(u_sw.g_port[p].u_port.u_link.f_cnt));
    nsp_credit_sva u_down (
      .clk_i, .rst_ni, .en_i(1'b1),
      .sent_i(u_sw.g_port[p].u_port.u_link.sent_q), .limit_i(u_sw.g_port[p].u_port.u_link.limit_q),
      .freed_i(g_ep[p].u_ep.u_link.freed_q), .occ_i(g_ep[p].u_ep.u_link.f_cnt));
  end

  nsp_switch #(.NPORTS(NPORTS)) u_sw (
    .clk_i, .rst_ni,
    .tx_valid_o(sw_tx_valid_o), .tx_kind_o(sw_tx_kind_o), .tx_data_o(sw_tx_data_o),
    .rx_valid_i(sw_rx_valid_i), .rx_kind_i(sw_rx_kind_i), .rx_data_i(sw_rx_data_i),
    .csr_valid_i, .csr_write_i, .csr_addr_i, .csr_wdata_i, .csr_rdata_o, .irq_err_o, .irq_link_o);

endmodule
