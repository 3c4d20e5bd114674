// Unit-test top for the vector engine (rtl/tile/nct_vec.sv): the engine with an SBUF and a
// PSUM (rtl/tile/nct_buf.sv), wired as in the tile (docs/tile-rtl.md "Engine ports"): read
// port 0 of each memory is the engine's port A, read port 1 its port B, and the engine owns
// the only vector write port. The DMA's wide port is tied off. The testbench loads and
// checks both memory arrays through their public mem_q (backdoor).

module nct_vec_unit #(
  parameter int unsigned P          = 4,
  parameter int unsigned SBUF_WORDS = 1024,
  parameter int unsigned PSUM_WORDS = 256,
  localparam int unsigned SAW       = $clog2(SBUF_WORDS),
  localparam int unsigned PAW       = $clog2(PSUM_WORDS),
  localparam int unsigned WIDE_W    = 128
) (
  input  logic         clk_i,
  input  logic         rst_ni,
  input  logic         start_i,
  input  logic [127:0] instr_i,
  input  logic [31:0]  rs0_i,
  input  logic [31:0]  rs1_i,
  output logic         busy_o,
  output logic         done_o
);

  logic [1:0][SAW-1:0]       sb_rd_addr;
  logic [1:0][P-1:0][31:0]   sb_rd_data;
  logic [1:0][PAW-1:0]       ps_rd_addr;
  logic [1:0][P-1:0][31:0]   ps_rd_data;
  logic [P-1:0]              sb_we, ps_we;
  logic [SAW-1:0]            sb_waddr;
  logic [PAW-1:0]            ps_waddr;
  logic [3:0]                sb_wbe, ps_wbe;
  logic [P-1:0][31:0]        sb_wdata, ps_wdata;
  logic [WIDE_W/32-1:0][31:0] sb_wide_rdata, ps_wide_rdata;

  nct_vec #(
    .P          (P),
    .SBUF_WORDS (SBUF_WORDS),
    .PSUM_WORDS (PSUM_WORDS)
  ) u_vec (
    .clk_i,
    .rst_ni,
    .start_i,
    .instr_i,
    .rs0_i,
    .rs1_i,
    .busy_o,
    .done_o,
    .sb_ra_addr_o (sb_rd_addr[0]),
    .sb_ra_data_i (sb_rd_data[0]),
    .sb_rb_addr_o (sb_rd_addr[1]),
    .sb_rb_data_i (sb_rd_data[1]),
    .ps_ra_addr_o (ps_rd_addr[0]),
    .ps_ra_data_i (ps_rd_data[0]),
    .ps_rb_addr_o (ps_rd_addr[1]),
    .ps_rb_data_i (ps_rd_data[1]),
    .sb_we_o      (sb_we),
    .sb_waddr_o   (sb_waddr),
    .sb_wbe_o     (sb_wbe),
    .sb_wdata_o   (sb_wdata),
    .ps_we_o      (ps_we),
    .ps_waddr_o   (ps_waddr),
    .ps_wbe_o     (ps_wbe),
    .ps_wdata_o   (ps_wdata)
  );

  nct_buf #(
    .P      (P),
    .WORDS  (SBUF_WORDS),
    .N_RD   (2),
    .N_WR   (1),
    .WIDE_W (WIDE_W)
  ) u_sbuf (
    .clk_i,
    .rd_addr_i    (sb_rd_addr),
    .rd_data_o    (sb_rd_data),
    .wr_en_i      (sb_we),
    .wr_addr_i    (sb_waddr),
    .wr_be_i      (sb_wbe),
    .wr_data_i    (sb_wdata),
    .wide_part_i  ('0),
    .wide_line_i  ('0),
    .wide_rdata_o (sb_wide_rdata),
    .wide_we_i    (1'b0),
    .wide_be_i    ('0),
    .wide_wdata_i ('0)
  );

  nct_buf #(
    .P      (P),
    .WORDS  (PSUM_WORDS),
    .N_RD   (2),
    .N_WR   (1),
    .WIDE_W (WIDE_W)
  ) u_psum (
    .clk_i,
    .rd_addr_i    (ps_rd_addr),
    .rd_data_o    (ps_rd_data),
    .wr_en_i      (ps_we),
    .wr_addr_i    (ps_waddr),
    .wr_be_i      (ps_wbe),
    .wr_data_i    (ps_wdata),
    .wide_part_i  ('0),
    .wide_line_i  ('0),
    .wide_rdata_o (ps_wide_rdata),
    .wide_we_i    (1'b0),
    .wide_be_i    ('0),
    .wide_wdata_i ('0)
  );

  logic unused_wide;
  assign unused_wide = ^{sb_wide_rdata, ps_wide_rdata};

endmodule
