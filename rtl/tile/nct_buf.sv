// SBUF or PSUM of the NCT tile: P partitions of WORDS 32-bit words, byte-writable.
//
// Vector ports share one word address across all lanes (lane p = partition p): every
// instruction uses the same byte offset in each partition. Reads are combinational; writes
// land at the clock edge, later ports overriding earlier ones byte by byte (race-free
// programs never write the same byte from two engines in one cycle). An optional wide port
// (used by the DMA) reads and writes WIDE_W bits of one partition at a WIDE_W-aligned line.
// The array is public so testbenches can read and load it directly (backdoor).

module nct_buf #(
  parameter int unsigned P      = 4,
  parameter int unsigned WORDS  = 1024,
  parameter int unsigned N_RD   = 2,
  parameter int unsigned N_WR   = 2,
  parameter int unsigned WIDE_W = 128,  // bits of the wide port; 0 = no wide port
  localparam int unsigned AW    = $clog2(WORDS),
  localparam int unsigned WW    = (WIDE_W == 0) ? 1 : WIDE_W / 32,  // words per wide line
  localparam int unsigned LW    = (WIDE_W == 0) ? 1 : ((AW > $clog2(WW)) ? AW - $clog2(WW) : 1),
  localparam int unsigned PW    = (P > 1) ? $clog2(P) : 1,
  localparam int unsigned WBW   = (WIDE_W == 0) ? 1 : WIDE_W / 8
) (
  input  logic                          clk_i,

  input  logic [N_RD-1:0][AW-1:0]       rd_addr_i,
  output logic [N_RD-1:0][P-1:0][31:0]  rd_data_o,

  input  logic [N_WR-1:0][P-1:0]        wr_en_i,
  input  logic [N_WR-1:0][AW-1:0]       wr_addr_i,
  input  logic [N_WR-1:0][3:0]          wr_be_i,
  input  logic [N_WR-1:0][P-1:0][31:0]  wr_data_i,

  input  logic [PW-1:0]                 wide_part_i,
  input  logic [LW-1:0]                 wide_line_i,
  output logic [WW-1:0][31:0]           wide_rdata_o,
  input  logic                          wide_we_i,
  input  logic [WBW-1:0]                wide_be_i,
  input  logic [WW-1:0][31:0]           wide_wdata_i
);

  logic [31:0] mem_q [P][WORDS] /*verilator public_flat_rw*/;

  always_comb begin
    for (int unsigned r = 0; r < N_RD; r++) begin
      for (int unsigned p = 0; p < P; p++) begin
        rd_data_o[r][p] = mem_q[p][rd_addr_i[r]];
      end
    end
  end

  if (WIDE_W != 0) begin : g_wide_rd
    always_comb begin
      for (int unsigned w = 0; w < WW; w++) begin
        wide_rdata_o[w] = mem_q[wide_part_i][AW'(32'(wide_line_i) * WW + w)];
      end
    end
  end else begin : g_no_wide_rd
    assign wide_rdata_o = '0;
    logic unused_wide;
    assign unused_wide = ^{wide_part_i, wide_line_i, wide_we_i, wide_be_i, wide_wdata_i};
  end

  always_ff @(posedge clk_i) begin
    if (WIDE_W != 0 && wide_we_i) begin
      for (int unsigned w = 0; w < WW; w++) begin
        for (int unsigned b = 0; b < 4; b++) begin
          if (wide_be_i[4 * w + b]) begin
            mem_q[wide_part_i][AW'(32'(wide_line_i) * WW + w)][8 * b +: 8] <= wide_wdata_i[w][8 * b +: 8];
          end
        end
      end
    end
    for (int unsigned r = 0; r < N_WR; r++) begin
      for (int unsigned p = 0; p < P; p++) begin
        if (wr_en_i[r][p]) begin
          for (int unsigned b = 0; b < 4; b++) begin
            if (wr_be_i[r][b]) begin
              mem_q[p][wr_addr_i[r]][8 * b +: 8] <= wr_data_i[r][p][8 * b +: 8];
            end
          end
        end
      end
    end
  end

endmodule
