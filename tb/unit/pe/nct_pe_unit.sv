// Unit-test top of the tensor engine: nct_pe with its SBUF (one read port) and PSUM (one
// read and one write port), both nct_buf without a wide port. The test loads and checks
// the memories through nct_buf's public mem_q (backdoor).

module nct_pe_unit #(
  parameter int unsigned P          = 4,
  parameter int unsigned SBUF_WORDS = 1024,
  parameter int unsigned PSUM_WORDS = 256,
  parameter int unsigned NMAX       = 64,
  localparam int unsigned KW        = $clog2(P + 1)
) (
  input  logic          clk_i,
  input  logic          rst_ni,
  input  logic          clear_i,
  input  logic          start_i,
  input  logic [127:0]  instr_i,
  output logic          busy_o,
  output logic          done_o,
  output logic          loaded_o,
  output logic [KW-1:0] k_o,
  output logic [KW-1:0] m_o,
  output logic [2:0]    dtype_o
);

  localparam int unsigned SAW = $clog2(SBUF_WORDS);
  localparam int unsigned PAW = $clog2(PSUM_WORDS);

  logic [SAW-1:0]     sb_raddr;
  logic [P-1:0][31:0] sb_rdata;
  logic [PAW-1:0]     ps_raddr;
  logic [P-1:0][31:0] ps_rdata;
  logic [P-1:0]       ps_we;
  logic [PAW-1:0]     ps_waddr;
  logic [3:0]         ps_wbe;
  logic [P-1:0][31:0] ps_wdata;
  logic [31:0]        unused_sb_wide, unused_ps_wide;  // wide ports are absent (WIDE_W = 0)

  nct_pe #(
    .P         (P),
    .SBUF_WORDS(SBUF_WORDS),
    .PSUM_WORDS(PSUM_WORDS),
    .NMAX      (NMAX)
  ) u_pe (
    .clk_i,
    .rst_ni,
    .clear_i,
    .start_i,
    .instr_i,
    .busy_o,
    .done_o,
    .loaded_o,
    .k_o,
    .m_o,
    .dtype_o,
    .sb_raddr_o(sb_raddr),
    .sb_rdata_i(sb_rdata),
    .ps_raddr_o(ps_raddr),
    .ps_rdata_i(ps_rdata),
    .ps_we_o   (ps_we),
    .ps_waddr_o(ps_waddr),
    .ps_wbe_o  (ps_wbe),
    .ps_wdata_o(ps_wdata)
  );

  // SBUF: read only (the test writes it through the backdoor).
  nct_buf #(
    .P     (P),
    .WORDS (SBUF_WORDS),
    .N_RD  (1),
    .N_WR  (1),
    .WIDE_W(0)
  ) u_sbuf (
    .clk_i,
    .rd_addr_i   (sb_raddr),
    .rd_data_o   (sb_rdata),
    .wr_en_i     ('0),
    .wr_addr_i   ('0),
    .wr_be_i     ('0),
    .wr_data_i   ('0),
    .wide_part_i ('0),
    .wide_line_i ('0),
    .wide_rdata_o(unused_sb_wide),
    .wide_we_i   (1'b0),
    .wide_be_i   ('0),
    .wide_wdata_i('0)
  );

  nct_buf #(
    .P     (P),
    .WORDS (PSUM_WORDS),
    .N_RD  (1),
    .N_WR  (1),
    .WIDE_W(0)
  ) u_psum (
    .clk_i,
    .rd_addr_i   (ps_raddr),
    .rd_data_o   (ps_rdata),
    .wr_en_i     (ps_we),
    .wr_addr_i   (ps_waddr),
    .wr_be_i     (ps_wbe),
    .wr_data_i   (ps_wdata),
    .wide_part_i ('0),
    .wide_line_i ('0),
    .wide_rdata_o(unused_ps_wide),
    .wide_we_i   (1'b0),
    .wide_be_i   ('0),
    .wide_wdata_i('0)
  );

endmodule
