// NCT tile top (tile.md, docs/tile-rtl.md): the generated CSR block, four instruction
// queues, the DMA, tensor (PE), activation and vector engines, SBUF and PSUM, semaphores,
// first-error latch, notification ring, interrupts, watchdog, performance counters, the
// AXI4 master shared by instruction fetch, DMA and the notification ring, and the retire
// trace port. Build parameters come from the generated package nct_cfg_pkg.

module nct_top
  import nct_cfg_pkg::*;
#(
  parameter int unsigned AXI_DATA_W = AXI_DW,
  parameter int unsigned AXI_ID_W   = 4
) (
  input  logic                    clk_i,
  input  logic                    rst_ni,

  // AXI-Lite slave: the tile's 4 KiB CSR page.
  input  logic                    s_axil_awvalid_i,
  output logic                    s_axil_awready_o,
  input  logic [11:0]             s_axil_awaddr_i,
  input  logic [2:0]              s_axil_awprot_i,
  input  logic                    s_axil_wvalid_i,
  output logic                    s_axil_wready_o,
  input  logic [31:0]             s_axil_wdata_i,
  input  logic [3:0]              s_axil_wstrb_i,
  output logic                    s_axil_bvalid_o,
  input  logic                    s_axil_bready_i,
  output logic [1:0]              s_axil_bresp_o,
  input  logic                    s_axil_arvalid_i,
  output logic                    s_axil_arready_o,
  input  logic [11:0]             s_axil_araddr_i,
  input  logic [2:0]              s_axil_arprot_i,
  output logic                    s_axil_rvalid_o,
  input  logic                    s_axil_rready_i,
  output logic [31:0]             s_axil_rdata_o,
  output logic [1:0]              s_axil_rresp_o,

  // AXI4 master: instruction fetch and DMA (40-bit chip address space).
  output logic                    m_axi_awvalid_o,
  input  logic                    m_axi_awready_i,
  output logic [AXI_ID_W-1:0]     m_axi_awid_o,
  output logic [39:0]             m_axi_awaddr_o,
  output logic [7:0]              m_axi_awlen_o,
  output logic [2:0]              m_axi_awsize_o,
  output logic [1:0]              m_axi_awburst_o,
  output logic                    m_axi_wvalid_o,
  input  logic                    m_axi_wready_i,
  output logic [AXI_DATA_W-1:0]   m_axi_wdata_o,
  output logic [AXI_DATA_W/8-1:0] m_axi_wstrb_o,
  output logic                    m_axi_wlast_o,
  input  logic                    m_axi_bvalid_i,
  output logic                    m_axi_bready_o,
  input  logic [AXI_ID_W-1:0]     m_axi_bid_i,
  input  logic [1:0]              m_axi_bresp_i,
  output logic                    m_axi_arvalid_o,
  input  logic                    m_axi_arready_i,
  output logic [AXI_ID_W-1:0]     m_axi_arid_o,
  output logic [39:0]             m_axi_araddr_o,
  output logic [7:0]              m_axi_arlen_o,
  output logic [2:0]              m_axi_arsize_o,
  output logic [1:0]              m_axi_arburst_o,
  input  logic                    m_axi_rvalid_i,
  output logic                    m_axi_rready_o,
  input  logic [AXI_ID_W-1:0]     m_axi_rid_i,
  input  logic [AXI_DATA_W-1:0]   m_axi_rdata_i,
  input  logic [1:0]              m_axi_rresp_i,
  input  logic                    m_axi_rlast_i,

  output logic                    irq_o,

  // Clock gating by the platform (docs/decisions/0011-tile-clock-gating.md). idle_o: the
  // next rising edge would change nothing but PERF_CYCLES, given the inputs as they stand
  // (no queue or engine working, the notification ring idle, no bus or CSR handshake
  // possible, no interrupt or strobe pending). A clock gate may then hold the clock; it
  // presents the number of rising edges it held back on gated_cycles_i for the first edge
  // after it lets the clock run again, so PERF_CYCLES still counts every cycle since reset.
  // Tied to 0 where the clock is never gated.
  output logic                    idle_o,
  input  logic [31:0]             gated_cycles_i,

  // Retire trace port: one retirement per queue per cycle at most.
  output logic [3:0]              trace_valid_o,
  output logic [3:0][15:0]        trace_index_o,
  output logic [3:0][7:0]         trace_opcode_o
);

  localparam int unsigned SBUF_WORDS = SBUF_PART_BYTES / 4;
  localparam int unsigned PSUM_WORDS = PSUM_PART_BYTES / 4;
  localparam int unsigned SAW        = $clog2(SBUF_WORDS);
  localparam int unsigned PAW        = $clog2(PSUM_WORDS);
  localparam int unsigned BW         = AXI_DATA_W / 8;
  localparam int unsigned PW         = (P > 1) ? $clog2(P) : 1;
  localparam int unsigned LW         = SAW - $clog2(BW / 4);
  localparam int unsigned KW         = $clog2(P + 1);
  localparam int unsigned NQ         = 4;
  localparam logic [3:0]  ID_DMA     = 4'd4;
  localparam logic [3:0]  ID_NQ      = 4'd5;

  // ---------------------------------------------------------------------------------------
  // CSR block (generated from rtl/tile/data/nct_csr.rdl by PeakRDL-regblock)
  // ---------------------------------------------------------------------------------------
  nct_csr_pkg::nct_csr__in_t  hwif_in;
  nct_csr_pkg::nct_csr__out_t hwif_out;

  logic                        soft_reset, enable, halt_all;
  logic [NQ-1:0][39:0]         q_base;
  logic [NQ-1:0][4:0]          q_size;
  logic [NQ-1:0][31:0]         q_tail;
  logic [NQ-1:0]               q_hold;
  logic [39:0]                 nq_base;
  logic [4:0]                  nq_size;
  logic [31:0]                 nq_head, nq_tail;
  logic [31:0]                 watchdog_cycles;
  logic [7:0]                  intr_enable;

  assign soft_reset      = hwif_out.CTRL.SOFT_RESET.value;
  assign enable          = hwif_out.CTRL.ENABLE.value;
  assign halt_all        = hwif_out.CTRL.HALT_ALL.value;
  assign nq_base         = {hwif_out.NQ_BASE_HI.ADDR.value, hwif_out.NQ_BASE_LO.ADDR.value};
  assign nq_size         = hwif_out.NQ_SIZE.LOG2.value;
  assign nq_head         = hwif_out.NQ_HEAD.INDEX.value;
  assign watchdog_cycles = hwif_out.WATCHDOG.CYCLES.value;
  assign intr_enable     = hwif_out.INTR_ENABLE.MASK.value;
  for (genvar q = 0; q < NQ; q++) begin : g_qcsr
    assign q_base[q] = {hwif_out.Q[q].BASE_HI.ADDR.value, hwif_out.Q[q].BASE_LO.ADDR.value[31:4], 4'd0};
    assign q_size[q] = hwif_out.Q[q].SIZE.LOG2.value;
    assign q_tail[q] = hwif_out.Q[q].TAIL.INDEX.value;
    assign q_hold[q] = hwif_out.Q[q].CTRL.HOLD.value;
  end

  // Write strobes of value-with-strobe registers (swmod) take effect one cycle later, when
  // the stored value holds what was written.
  logic              intr_set_q;
  logic [NSEM-1:0]   sem_set_q, sem_inc_q, sem_dec_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      intr_set_q <= 1'b0;
      sem_set_q <= '0;
      sem_inc_q <= '0;
      sem_dec_q <= '0;
    end else begin
      intr_set_q <= hwif_out.INTR_SET.SET.swmod;
      for (int unsigned s = 0; s < NSEM; s++) begin
        sem_set_q[s] <= hwif_out.SEM_SET[s].VALUE.swmod;
        sem_inc_q[s] <= hwif_out.SEM_INC[s].VALUE.swmod;
        sem_dec_q[s] <= hwif_out.SEM_DEC[s].VALUE.swmod;
      end
    end
  end

  // ---------------------------------------------------------------------------------------
  // Semaphores
  // ---------------------------------------------------------------------------------------
  logic [NSEM-1:0][15:0] sem;
  logic [NSEM-1:0][15:0] sem_set_v, sem_inc_v, sem_dec_v;
  logic [NQ-1:0]         sem_op_valid, post_valid;
  logic [NQ-1:0][5:0]    sem_op_idx, post_idx;
  logic [NQ-1:0][1:0]    sem_op;
  logic [NQ-1:0][15:0]   sem_op_imm;

  for (genvar s = 0; s < NSEM; s++) begin : g_semcsr
    assign sem_set_v[s] = hwif_out.SEM_SET[s].VALUE.value;
    assign sem_inc_v[s] = hwif_out.SEM_INC[s].VALUE.value;
    assign sem_dec_v[s] = hwif_out.SEM_DEC[s].VALUE.value;
  end

  nct_sem #(.NSEM(NSEM), .NQ(NQ)) u_sem (
    .clk_i, .rst_ni,
    .soft_reset_i  (soft_reset),
    .csr_set_i     (sem_set_q),
    .csr_inc_i     (sem_inc_q),
    .csr_dec_i     (sem_dec_q),
    .csr_val_set_i (sem_set_v),
    .csr_val_inc_i (sem_inc_v),
    .csr_val_dec_i (sem_dec_v),
    .op_valid_i    (sem_op_valid),
    .op_idx_i      (sem_op_idx),
    .op_i          (sem_op),
    .op_imm_i      (sem_op_imm),
    .post_valid_i  (post_valid),
    .post_idx_i    (post_idx),
    .sem_o         (sem)
  );

  // ---------------------------------------------------------------------------------------
  // Queues
  // ---------------------------------------------------------------------------------------
  logic [NQ-1:0]          f_ar_valid, f_ar_ready, f_r_valid, f_r_ready;
  logic [NQ-1:0][39:0]    f_ar_addr;
  logic [NQ-1:0][7:0]     f_ar_len;
  logic [NQ-1:0][2:0]     f_ar_size;
  logic [NQ-1:0]          e_start, e_busy, e_done;
  logic [NQ-1:0][127:0]   e_instr;
  logic [NQ-1:0][31:0]    e_rs0, e_rs1;
  logic [NQ-1:0][7:0]     e_err;
  logic [NQ-1:0][39:0]    e_err_addr;
  logic [NQ-1:0]          rec_valid, rec_ready;
  logic [NQ-1:0][7:0]     rec_type, rec_intr;
  logic [NQ-1:0][31:0]    rec_index, rec_tag;
  logic [NQ-1:0]          fault;
  logic [NQ-1:0][7:0]     fault_code;
  logic [NQ-1:0][31:0]    fault_index;
  logic [NQ-1:0][39:0]    fault_addr;
  logic [NQ-1:0][31:0]    head;
  logic [NQ-1:0][2:0]     qstate;
  logic [NQ-1:0][23:0]    retired;
  logic [NQ-1:0]          qbusy, retire, semwait, active;
  logic [NQ-1:0][7:0]     retire_op;
  logic                   watchdog_fire;
  logic                   pe_loaded;
  logic [KW-1:0]          pe_k, pe_m;
  logic [2:0]             pe_dtype;

  for (genvar q = 0; q < NQ; q++) begin : g_queue
    nct_queue #(
      .Q(q), .P(P), .SBUF_BYTES(SBUF_PART_BYTES), .PSUM_BYTES(PSUM_PART_BYTES), .NMAX(NMAX),
      .NSEM(NSEM), .AXI_DW(AXI_DATA_W)
    ) u_queue (
      .clk_i, .rst_ni,
      .soft_reset_i    (soft_reset),
      .enable_i        (enable),
      .issue_en_i      (!halt_all && !q_hold[q]),
      .base_i          (q_base[q]),
      .size_log2_i     (q_size[q]),
      .tail_i          (q_tail[q]),
      .sem_i           (sem),
      .ar_valid_o      (f_ar_valid[q]),
      .ar_ready_i      (f_ar_ready[q]),
      .ar_addr_o       (f_ar_addr[q]),
      .ar_len_o        (f_ar_len[q]),
      .ar_size_o       (f_ar_size[q]),
      .r_valid_i       (f_r_valid[q]),
      .r_ready_o       (f_r_ready[q]),
      .r_data_i        (m_axi_rdata_i),
      .r_resp_i        (m_axi_rresp_i),
      .r_last_i        (m_axi_rlast_i),
      .eng_start_o     (e_start[q]),
      .eng_instr_o     (e_instr[q]),
      .eng_rs0_o       (e_rs0[q]),
      .eng_rs1_o       (e_rs1[q]),
      .eng_busy_i      (e_busy[q]),
      .eng_done_i      (e_done[q]),
      .eng_err_i       (e_err[q]),
      .eng_err_addr_i  (e_err_addr[q]),
      .pe_loaded_i     (pe_loaded),
      .pe_k_i          (8'(pe_k)),
      .pe_m_i          (8'(pe_m)),
      .pe_dtype_i      (pe_dtype),
      .sem_op_valid_o  (sem_op_valid[q]),
      .sem_op_idx_o    (sem_op_idx[q]),
      .sem_op_o        (sem_op[q]),
      .sem_op_imm_o    (sem_op_imm[q]),
      .post_valid_o    (post_valid[q]),
      .post_idx_o      (post_idx[q]),
      .rec_valid_o     (rec_valid[q]),
      .rec_ready_i     (rec_ready[q]),
      .rec_type_o      (rec_type[q]),
      .rec_index_o     (rec_index[q]),
      .rec_tag_o       (rec_tag[q]),
      .rec_intr_o      (rec_intr[q]),
      .fault_o         (fault[q]),
      .fault_code_o    (fault_code[q]),
      .fault_index_o   (fault_index[q]),
      .fault_addr_o    (fault_addr[q]),
      .watchdog_i      (watchdog_fire),
      .head_o          (head[q]),
      .state_o         (qstate[q]),
      .retired_o       (retired[q]),
      .busy_o          (qbusy[q]),
      .retire_o        (retire[q]),
      .retire_opcode_o (retire_op[q]),
      .semwait_o       (semwait[q]),
      .active_o        (active[q])
    );
  end

  // ---------------------------------------------------------------------------------------
  // SBUF and PSUM
  // ---------------------------------------------------------------------------------------
  // SBUF read ports: 0 PE, 1-2 ACT (a, b), 3-4 DVE (a, b); write ports: 0 ACT, 1 DVE.
  // PSUM read ports: 0 PE (acc), 1-2 ACT, 3-4 DVE; write ports: 0 PE, 1 ACT, 2 DVE.
  logic [4:0][SAW-1:0]        sb_raddr;
  logic [4:0][P-1:0][31:0]    sb_rdata;
  logic [1:0][P-1:0]          sb_we;
  logic [1:0][SAW-1:0]        sb_waddr;
  logic [1:0][3:0]            sb_wbe;
  logic [1:0][P-1:0][31:0]    sb_wdata;
  logic [4:0][PAW-1:0]        ps_raddr;
  logic [4:0][P-1:0][31:0]    ps_rdata;
  logic [2:0][P-1:0]          ps_we;
  logic [2:0][PAW-1:0]        ps_waddr;
  logic [2:0][3:0]            ps_wbe;
  logic [2:0][P-1:0][31:0]    ps_wdata;
  logic [PW-1:0]              dma_part;
  logic [LW-1:0]              dma_line;
  logic [AXI_DATA_W-1:0]      dma_rdata, dma_wdata;
  logic                       dma_we;
  logic [BW-1:0]              dma_be;

  nct_buf #(.P(P), .WORDS(SBUF_WORDS), .N_RD(5), .N_WR(2), .WIDE_W(AXI_DATA_W)) u_sbuf (
    .clk_i,
    .rd_addr_i    (sb_raddr),
    .rd_data_o    (sb_rdata),
    .wr_en_i      (sb_we),
    .wr_addr_i    (sb_waddr),
    .wr_be_i      (sb_wbe),
    .wr_data_i    (sb_wdata),
    .wide_part_i  (dma_part),
    .wide_line_i  (dma_line),
    .wide_rdata_o (dma_rdata),
    .wide_we_i    (dma_we),
    .wide_be_i    (dma_be),
    .wide_wdata_i (dma_wdata)
  );

  logic [31:0] ps_wide_unused;
  nct_buf #(.P(P), .WORDS(PSUM_WORDS), .N_RD(5), .N_WR(3), .WIDE_W(0)) u_psum (
    .clk_i,
    .rd_addr_i    (ps_raddr),
    .rd_data_o    (ps_rdata),
    .wr_en_i      (ps_we),
    .wr_addr_i    (ps_waddr),
    .wr_be_i      (ps_wbe),
    .wr_data_i    (ps_wdata),
    .wide_part_i  ('0),
    .wide_line_i  ('0),
    .wide_rdata_o (ps_wide_unused),
    .wide_we_i    (1'b0),
    .wide_be_i    ('0),
    .wide_wdata_i ('0)
  );

  // ---------------------------------------------------------------------------------------
  // Engines
  // ---------------------------------------------------------------------------------------
  logic                  d_ar_valid, d_ar_ready, d_r_valid, d_r_ready;
  logic [39:0]           d_ar_addr, d_aw_addr;
  logic [7:0]            d_ar_len, d_aw_len;
  logic                  d_aw_valid, d_aw_ready, d_w_valid, d_w_ready, d_w_last, d_b_valid;
  logic [AXI_DATA_W-1:0] d_w_data;
  logic [BW-1:0]         d_w_strb;
  logic [31:0]           dma_bytes;
  logic                  d_b_ready, n_b_ready;

  nct_dma #(.P(P), .SBUF_WORDS(SBUF_WORDS), .AXI_DW(AXI_DATA_W)) u_dma (
    .clk_i, .rst_ni,
    .start_i    (e_start[0]),
    .instr_i    (e_instr[0]),
    .rs0_i      (e_rs0[0]),
    .busy_o     (e_busy[0]),
    .done_o     (e_done[0]),
    .err_o      (e_err[0]),
    .err_addr_o (e_err_addr[0]),
    .bytes_o    (dma_bytes),
    .ar_valid_o (d_ar_valid),
    .ar_ready_i (d_ar_ready),
    .ar_addr_o  (d_ar_addr),
    .ar_len_o   (d_ar_len),
    .r_valid_i  (d_r_valid),
    .r_ready_o  (d_r_ready),
    .r_data_i   (m_axi_rdata_i),
    .r_resp_i   (m_axi_rresp_i),
    .r_last_i   (m_axi_rlast_i),
    .aw_valid_o (d_aw_valid),
    .aw_ready_i (d_aw_ready),
    .aw_addr_o  (d_aw_addr),
    .aw_len_o   (d_aw_len),
    .w_valid_o  (d_w_valid),
    .w_ready_i  (d_w_ready),
    .w_data_o   (d_w_data),
    .w_strb_o   (d_w_strb),
    .w_last_o   (d_w_last),
    .b_valid_i  (d_b_valid),
    .b_ready_o  (d_b_ready),
    .b_resp_i   (m_axi_bresp_i),
    .sb_part_o  (dma_part),
    .sb_line_o  (dma_line),
    .sb_rdata_i (dma_rdata),
    .sb_we_o    (dma_we),
    .sb_be_o    (dma_be),
    .sb_wdata_o (dma_wdata)
  );

  nct_pe #(.P(P), .SBUF_WORDS(SBUF_WORDS), .PSUM_WORDS(PSUM_WORDS), .NMAX(NMAX)) u_pe (
    .clk_i, .rst_ni,
    .clear_i    (soft_reset),
    .start_i    (e_start[1]),
    .instr_i    (e_instr[1]),
    .busy_o     (e_busy[1]),
    .done_o     (e_done[1]),
    .loaded_o   (pe_loaded),
    .k_o        (pe_k),
    .m_o        (pe_m),
    .dtype_o    (pe_dtype),
    .sb_raddr_o (sb_raddr[0]),
    .sb_rdata_i (sb_rdata[0]),
    .ps_raddr_o (ps_raddr[0]),
    .ps_rdata_i (ps_rdata[0]),
    .ps_we_o    (ps_we[0]),
    .ps_waddr_o (ps_waddr[0]),
    .ps_wbe_o   (ps_wbe[0]),
    .ps_wdata_o (ps_wdata[0])
  );
  assign e_err[1] = '0;
  assign e_err_addr[1] = '0;

  for (genvar v = 0; v < 2; v++) begin : g_vec
    // v = 0: ACT on queue 2; v = 1: DVE on queue 3.
    nct_vec #(.P(P), .SBUF_WORDS(SBUF_WORDS), .PSUM_WORDS(PSUM_WORDS)) u_vec (
      .clk_i, .rst_ni,
      .start_i      (e_start[2 + v]),
      .instr_i      (e_instr[2 + v]),
      .rs0_i        (e_rs0[2 + v]),
      .rs1_i        (e_rs1[2 + v]),
      .busy_o       (e_busy[2 + v]),
      .done_o       (e_done[2 + v]),
      .sb_ra_addr_o (sb_raddr[1 + 2 * v]),
      .sb_ra_data_i (sb_rdata[1 + 2 * v]),
      .sb_rb_addr_o (sb_raddr[2 + 2 * v]),
      .sb_rb_data_i (sb_rdata[2 + 2 * v]),
      .ps_ra_addr_o (ps_raddr[1 + 2 * v]),
      .ps_ra_data_i (ps_rdata[1 + 2 * v]),
      .ps_rb_addr_o (ps_raddr[2 + 2 * v]),
      .ps_rb_data_i (ps_rdata[2 + 2 * v]),
      .sb_we_o      (sb_we[v]),
      .sb_waddr_o   (sb_waddr[v]),
      .sb_wbe_o     (sb_wbe[v]),
      .sb_wdata_o   (sb_wdata[v]),
      .ps_we_o      (ps_we[1 + v]),
      .ps_waddr_o   (ps_waddr[1 + v]),
      .ps_wbe_o     (ps_wbe[1 + v]),
      .ps_wdata_o   (ps_wdata[1 + v])
    );
    assign e_err[2 + v] = '0;
    assign e_err_addr[2 + v] = '0;
  end

  // ---------------------------------------------------------------------------------------
  // Notification ring
  // ---------------------------------------------------------------------------------------
  logic [31:0]           cycles_q, cycles_now;
  logic [7:0]            nq_intr;
  logic                  nq_ovf;
  logic [1:0]            nq_ovf_queue;
  logic [31:0]           nq_ovf_index;
  logic [39:0]           nq_ovf_addr;
  logic                  n_aw_valid, n_aw_ready, n_w_valid, n_w_ready, n_w_last, n_b_valid;
  logic [39:0]           n_aw_addr;
  logic [7:0]            n_aw_len;
  logic [2:0]            n_aw_size;
  logic [AXI_DATA_W-1:0] n_w_data;
  logic [BW-1:0]         n_w_strb;

  nct_nq #(.AXI_DW(AXI_DATA_W), .NQ(NQ)) u_nq (
    .clk_i, .rst_ni,
    .soft_reset_i     (soft_reset),
    .base_i           (nq_base),
    .size_log2_i      (nq_size),
    .head_i           (nq_head),
    .cycle_i          (cycles_now),
    .rec_valid_i      (rec_valid),
    .rec_ready_o      (rec_ready),
    .rec_type_i       (rec_type),
    .rec_index_i      (rec_index),
    .rec_tag_i        (rec_tag),
    .rec_intr_i       (rec_intr),
    .tail_o           (nq_tail),
    .intr_o           (nq_intr),
    .overflow_o       (nq_ovf),
    .overflow_queue_o (nq_ovf_queue),
    .overflow_index_o (nq_ovf_index),
    .overflow_addr_o  (nq_ovf_addr),
    .aw_valid_o       (n_aw_valid),
    .aw_ready_i       (n_aw_ready),
    .aw_addr_o        (n_aw_addr),
    .aw_len_o         (n_aw_len),
    .aw_size_o        (n_aw_size),
    .w_valid_o        (n_w_valid),
    .w_ready_i        (n_w_ready),
    .w_data_o         (n_w_data),
    .w_strb_o         (n_w_strb),
    .w_last_o         (n_w_last),
    .b_valid_i        (n_b_valid),
    .b_ready_o        (n_b_ready),
    .b_resp_i         (m_axi_bresp_i)
  );

  // ---------------------------------------------------------------------------------------
  // AXI4 master: reads from the four fetch units (IDs 0-3) and the DMA (ID 4), round-robin;
  // writes from the DMA (ID 4) and the notification ring (ID 5); W follows AW order.
  // ---------------------------------------------------------------------------------------
  logic [2:0] ar_rr_q, ar_sel, ar_hold_sel_q;
  logic       ar_any, ar_hold_q;
  always_comb begin
    ar_any = 1'b0;
    ar_sel = ar_rr_q;
    for (int unsigned i = 0; i < 5; i++) begin
      logic [2:0] c;
      c = 3'((32'(ar_rr_q) + i) % 5);
      if (!ar_any && ((c == 3'd4) ? d_ar_valid : f_ar_valid[c[1:0]])) begin
        ar_any = 1'b1;
        ar_sel = c;
      end
    end
    if (ar_hold_q) begin  // AXI: the offered request stays until ARREADY
      ar_any = 1'b1;
      ar_sel = ar_hold_sel_q;
    end
  end
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ar_hold_q <= 1'b0;
      ar_hold_sel_q <= '0;
    end else begin
      ar_hold_q <= m_axi_arvalid_o && !m_axi_arready_i;
      ar_hold_sel_q <= ar_sel;
    end
  end

  assign m_axi_arvalid_o = ar_any;
  assign m_axi_arid_o    = {1'b0, ar_sel};
  assign m_axi_araddr_o  = (ar_sel == 3'd4) ? d_ar_addr : f_ar_addr[ar_sel[1:0]];
  assign m_axi_arlen_o   = (ar_sel == 3'd4) ? d_ar_len : f_ar_len[ar_sel[1:0]];
  assign m_axi_arsize_o  = (ar_sel == 3'd4) ? 3'($clog2(BW)) : f_ar_size[ar_sel[1:0]];
  assign m_axi_arburst_o = 2'b01;
  for (genvar q = 0; q < NQ; q++) begin : g_fetch_hs
    assign f_ar_ready[q] = m_axi_arready_i && ar_any && ar_sel == 3'(q);
    assign f_r_valid[q]  = m_axi_rvalid_i && m_axi_rid_i == AXI_ID_W'(q);
  end
  assign d_ar_ready     = m_axi_arready_i && ar_any && ar_sel == 3'd4;
  assign d_r_valid      = m_axi_rvalid_i && m_axi_rid_i == AXI_ID_W'(ID_DMA);
  assign m_axi_rready_o = (m_axi_rid_i == AXI_ID_W'(ID_DMA)) ? d_r_ready : 1'b1;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) ar_rr_q <= '0;
    else if (m_axi_arvalid_o && m_axi_arready_i) ar_rr_q <= (ar_sel == 3'd4) ? 3'd0 : ar_sel + 3'd1;
  end

  // Writes: the DMA has priority over the notification ring unless the ring waited last.
  logic       aw_sel_nq, aw_turn_q;
  logic [3:0] wsrc_q;            // FIFO of W sources (1 = notification ring), in AW order
  logic [2:0] wcnt_q;
  logic       wsrc_head;
  logic aw_hold_q, aw_hold_nq_q;
  assign aw_sel_nq = aw_hold_q ? aw_hold_nq_q : n_aw_valid && (!d_aw_valid || aw_turn_q);
  always_ff @(posedge clk_i or negedge rst_ni) begin  // AXI: the offered AW stays until AWREADY
    if (!rst_ni) begin
      aw_hold_q <= 1'b0;
      aw_hold_nq_q <= 1'b0;
    end else begin
      aw_hold_q <= m_axi_awvalid_o && !m_axi_awready_i;
      aw_hold_nq_q <= aw_sel_nq;
    end
  end
  assign m_axi_awvalid_o = (d_aw_valid || n_aw_valid) && wcnt_q < 3'd4;
  assign m_axi_awid_o    = aw_sel_nq ? AXI_ID_W'(ID_NQ) : AXI_ID_W'(ID_DMA);
  assign m_axi_awaddr_o  = aw_sel_nq ? n_aw_addr : d_aw_addr;
  assign m_axi_awlen_o   = aw_sel_nq ? n_aw_len : d_aw_len;
  assign m_axi_awsize_o  = aw_sel_nq ? n_aw_size : 3'($clog2(BW));
  assign m_axi_awburst_o = 2'b01;
  assign n_aw_ready = m_axi_awready_i && m_axi_awvalid_o && aw_sel_nq;
  assign d_aw_ready = m_axi_awready_i && m_axi_awvalid_o && !aw_sel_nq;

  assign wsrc_head       = wsrc_q[0];
  assign m_axi_wvalid_o  = wcnt_q != 3'd0 && (wsrc_head ? n_w_valid : d_w_valid);
  assign m_axi_wdata_o   = wsrc_head ? n_w_data : d_w_data;
  assign m_axi_wstrb_o   = wsrc_head ? n_w_strb : d_w_strb;
  assign m_axi_wlast_o   = wsrc_head ? n_w_last : d_w_last;
  assign n_w_ready = m_axi_wready_i && wcnt_q != 3'd0 && wsrc_head;
  assign d_w_ready = m_axi_wready_i && wcnt_q != 3'd0 && !wsrc_head;
  assign m_axi_bready_o = 1'b1;
  assign n_b_valid = m_axi_bvalid_i && m_axi_bid_i == AXI_ID_W'(ID_NQ);
  assign d_b_valid = m_axi_bvalid_i && m_axi_bid_i == AXI_ID_W'(ID_DMA);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      aw_turn_q <= 1'b0;
      wsrc_q <= '0;
      wcnt_q <= '0;
    end else begin
      logic [3:0] src;
      logic [2:0] cnt;
      src = wsrc_q;
      cnt = wcnt_q;
      if (m_axi_wvalid_o && m_axi_wready_i && m_axi_wlast_o) begin
        src = {1'b0, src[3:1]};
        cnt = cnt - 3'd1;
      end
      if (m_axi_awvalid_o && m_axi_awready_i) begin
        src[cnt[1:0]] = aw_sel_nq;
        cnt = cnt + 3'd1;
        aw_turn_q <= !aw_sel_nq && n_aw_valid;
      end
      wsrc_q <= src;
      wcnt_q <= cnt;
    end
  end

  // ---------------------------------------------------------------------------------------
  // First error, interrupts, watchdog
  // ---------------------------------------------------------------------------------------
  logic        err_valid_q;
  logic [7:0]  err_code_q;
  logic [1:0]  err_queue_q;
  logic [31:0] err_index_q;
  logic [39:0] err_addr_q;
  logic [31:0] wd_cnt_q;
  logic        busy;

  assign busy = |qbusy;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      err_valid_q <= 1'b0;
      err_code_q <= '0;
      err_queue_q <= '0;
      err_index_q <= '0;
      err_addr_q <= '0;
    end else if (soft_reset) begin
      err_valid_q <= 1'b0;
      err_code_q <= '0;
      err_queue_q <= '0;
      err_index_q <= '0;
      err_addr_q <= '0;
    end else if (!err_valid_q) begin
      // The lowest queue faulting in a cycle is first; then the notification ring.
      for (int q = NQ - 1; q >= 0; q--) begin
        if (fault[q]) begin
          err_valid_q <= 1'b1;
          err_code_q <= fault_code[q];
          err_queue_q <= 2'(q);
          err_index_q <= fault_index[q];
          err_addr_q <= fault_addr[q];
        end
      end
      if (nq_ovf && !(|fault)) begin
        err_valid_q <= 1'b1;
        err_code_q <= 8'h21;
        err_queue_q <= nq_ovf_queue;
        err_index_q <= nq_ovf_index;
        err_addr_q <= nq_ovf_addr;
      end
    end
  end

  // Watchdog: WATCHDOG cycles in a row while busy without a retirement.
  assign watchdog_fire = watchdog_cycles != 32'd0 && busy && !(|retire) && wd_cnt_q + 32'd1 >= watchdog_cycles;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) wd_cnt_q <= '0;
    else if (soft_reset || !busy || (|retire) || watchdog_fire) wd_cnt_q <= '0;
    else wd_cnt_q <= wd_cnt_q + 32'd1;
  end

  logic [7:0] intr_raise, intr_status;
  assign intr_raise = nq_intr | (watchdog_fire ? 8'h40 : 8'h00) | (intr_set_q ? hwif_out.INTR_SET.SET.value : 8'h00);
  assign intr_status = {hwif_out.INTR_STATUS.NQ_OVERFLOW.value, hwif_out.INTR_STATUS.WATCHDOG.value,
                        hwif_out.INTR_STATUS.ERROR.value, hwif_out.INTR_STATUS.NOTIFY.value,
                        hwif_out.INTR_STATUS.Q_DONE.value};
  assign irq_o = |(intr_status & intr_enable);

  // ---------------------------------------------------------------------------------------
  // Performance counters
  // ---------------------------------------------------------------------------------------
  logic [31:0]       perf_dma_rd_q, perf_dma_wr_q;
  logic [63:0]       perf_macs_q;
  logic [NQ-1:0][31:0] perf_busy_q, perf_semwait_q;
  logic [63:0]       macs_now;

  assign macs_now = 64'(8'(e_instr[1][nct_isa_pkg::PE_MM_PR_P_CNT_LSB +: nct_isa_pkg::PE_MM_PR_P_CNT_W]) + 8'd1) *
                    64'(pe_m) *
                    64'(11'(e_instr[1][nct_isa_pkg::PE_MM_N_CNT_LSB +: nct_isa_pkg::PE_MM_N_CNT_W]) + 11'd1);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      cycles_q <= '0;
      perf_dma_rd_q <= '0;
      perf_dma_wr_q <= '0;
      perf_macs_q <= '0;
      perf_busy_q <= '0;
      perf_semwait_q <= '0;
    end else begin
      cycles_q <= cycles_now + 32'd1;
      if (retire[0] && retire_op[0] == nct_isa_pkg::OP_DMA_LD) perf_dma_rd_q <= perf_dma_rd_q + dma_bytes;
      if (retire[0] && retire_op[0] == nct_isa_pkg::OP_DMA_ST) perf_dma_wr_q <= perf_dma_wr_q + dma_bytes;
      if (retire[1] && retire_op[1] == nct_isa_pkg::OP_PE_MM) perf_macs_q <= perf_macs_q + macs_now;
      for (int unsigned q = 0; q < NQ; q++) begin
        if (active[q]) perf_busy_q[q] <= perf_busy_q[q] + 32'd1;
        if (semwait[q]) perf_semwait_q[q] <= perf_semwait_q[q] + 32'd1;
      end
    end
  end

  // Cycles since reset, with the edges a platform clock gate held back (gated_cycles_i).
  assign cycles_now = cycles_q + gated_cycles_i;

  // CSR accesses in flight: from the address handshake until the response is taken. The
  // register block acts on a write a cycle or two after its address handshake, while the
  // AXI-Lite pins are quiet.
  logic [1:0] csr_wr_q, csr_rd_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      csr_wr_q <= '0;
      csr_rd_q <= '0;
    end else begin
      csr_wr_q <= csr_wr_q + 2'(s_axil_awvalid_i && s_axil_awready_o) - 2'(s_axil_bvalid_o && s_axil_bready_i);
      csr_rd_q <= csr_rd_q + 2'(s_axil_arvalid_i && s_axil_arready_o) - 2'(s_axil_rvalid_o && s_axil_rready_i);
    end
  end

  // The retire trace registers copy the queue heads and opcodes every edge.
  logic trace_settled;
  always_comb begin
    trace_settled = 1'b1;
    for (int unsigned q = 0; q < NQ; q++) begin
      if (trace_index_o[q] != head[q][15:0] || trace_opcode_o[q] != retire_op[q]) trace_settled = 1'b0;
    end
  end

  // Clock-gate hint (see the port). Every register of the tile holds its value on an edge
  // where all of these are quiet; each term names the activity that would change one.
  assign idle_o = !(|qbusy) && !(|active) && !(|semwait) && !(|retire) && !(|fault) &&
                  !(|e_start) && !(|e_busy) &&
                  !(|rec_valid) && !n_aw_valid && !n_w_valid && !n_b_ready &&    // ring idle
                  !m_axi_arvalid_o && !m_axi_awvalid_o && !m_axi_wvalid_o &&     // no request offered
                  !m_axi_rvalid_i && !m_axi_bvalid_i &&                         // no response arriving
                  !s_axil_awvalid_i && !s_axil_wvalid_i && !s_axil_arvalid_i &&  // no CSR access
                  !s_axil_bvalid_o && !s_axil_rvalid_o && csr_wr_q == 2'd0 && csr_rd_q == 2'd0 &&
                  !soft_reset && !intr_set_q && !(|sem_set_q) && !(|sem_inc_q) && !(|sem_dec_q) &&
                  wd_cnt_q == 32'd0 && !(|trace_valid_o) && trace_settled;

  // ---------------------------------------------------------------------------------------
  // CSR inputs from the hardware
  // ---------------------------------------------------------------------------------------
  always_comb begin
    hwif_in = '{default: '0};
    hwif_in.VERSION.MAJOR.next      = 8'(VERSION_MAJOR);
    hwif_in.VERSION.MINOR.next      = 8'(VERSION_MINOR);
    hwif_in.VERSION.PATCH.next      = 8'(VERSION_PATCH);
    hwif_in.CONFIG0.P.next          = 8'(P);
    hwif_in.CONFIG0.NSEM.next       = 8'(NSEM);
    hwif_in.CONFIG0.NMAX_DIV16.next = 8'(NMAX / 16);
    hwif_in.CONFIG0.AXI_BYTES.next  = 8'(AXI_DATA_W / 8);
    hwif_in.CONFIG1.SBUF_KB.next    = 12'(SBUF_PART_BYTES / 1024);
    hwif_in.CONFIG1.PSUM_KB.next    = 12'(PSUM_PART_BYTES / 1024);
    hwif_in.CONFIG1.FEATURES.next   = 8'(FEATURES);
    hwif_in.STATUS.Q0_STATE.next    = (qstate[0] > 3'd3) ? 2'd3 : qstate[0][1:0];
    hwif_in.STATUS.Q1_STATE.next    = (qstate[1] > 3'd3) ? 2'd3 : qstate[1][1:0];
    hwif_in.STATUS.Q2_STATE.next    = (qstate[2] > 3'd3) ? 2'd3 : qstate[2][1:0];
    hwif_in.STATUS.Q3_STATE.next    = (qstate[3] > 3'd3) ? 2'd3 : qstate[3][1:0];
    hwif_in.STATUS.BUSY.next        = busy;
    {hwif_in.INTR_STATUS.NQ_OVERFLOW.next, hwif_in.INTR_STATUS.WATCHDOG.next,
     hwif_in.INTR_STATUS.ERROR.next, hwif_in.INTR_STATUS.NOTIFY.next,
     hwif_in.INTR_STATUS.Q_DONE.next} = intr_raise;
    hwif_in.ERR_CODE.CODE.next      = err_code_q;
    hwif_in.ERR_QUEUE.QUEUE.next    = err_queue_q;
    hwif_in.ERR_INDEX.INDEX.next    = err_index_q;
    hwif_in.ERR_ADDR_LO.ADDR.next   = err_addr_q[31:0];
    hwif_in.ERR_ADDR_HI.ADDR.next   = err_addr_q[39:32];
    for (int unsigned q = 0; q < NQ; q++) begin
      hwif_in.Q[q].HEAD.INDEX.next     = head[q];
      hwif_in.Q[q].TAIL.INDEX.hwclr    = soft_reset;
      hwif_in.Q[q].STATUS.STATE.next   = qstate[q];
      hwif_in.Q[q].STATUS.RETIRED.next = retired[q];
    end
    for (int unsigned s = 0; s < NSEM; s++) hwif_in.SEM_VAL[s].VALUE.next = sem[s];
    hwif_in.NQ_HEAD.INDEX.hwclr      = soft_reset;
    hwif_in.NQ_TAIL.INDEX.next       = nq_tail;
    hwif_in.PERF_CYCLES.COUNT.next   = cycles_now;
    for (int unsigned q = 0; q < NQ; q++) begin
      hwif_in.PERF_BUSY[q].COUNT.next    = perf_busy_q[q];
      hwif_in.PERF_SEMWAIT[q].COUNT.next = perf_semwait_q[q];
    end
    hwif_in.PERF_DMA_RD.COUNT.next   = perf_dma_rd_q;
    hwif_in.PERF_DMA_WR.COUNT.next   = perf_dma_wr_q;
    hwif_in.PERF_MACS_LO.COUNT.next  = perf_macs_q[31:0];
    hwif_in.PERF_MACS_HI.COUNT.next  = perf_macs_q[63:32];
  end

  nct_csr u_csr (
    .clk            (clk_i),
    .arst_n         (rst_ni),
    .s_axil_awready (s_axil_awready_o),
    .s_axil_awvalid (s_axil_awvalid_i),
    .s_axil_awaddr  (s_axil_awaddr_i),
    .s_axil_awprot  (s_axil_awprot_i),
    .s_axil_wready  (s_axil_wready_o),
    .s_axil_wvalid  (s_axil_wvalid_i),
    .s_axil_wdata   (s_axil_wdata_i),
    .s_axil_wstrb   (s_axil_wstrb_i),
    .s_axil_bready  (s_axil_bready_i),
    .s_axil_bvalid  (s_axil_bvalid_o),
    .s_axil_bresp   (s_axil_bresp_o),
    .s_axil_arready (s_axil_arready_o),
    .s_axil_arvalid (s_axil_arvalid_i),
    .s_axil_araddr  (s_axil_araddr_i),
    .s_axil_arprot  (s_axil_arprot_i),
    .s_axil_rready  (s_axil_rready_i),
    .s_axil_rvalid  (s_axil_rvalid_o),
    .s_axil_rdata   (s_axil_rdata_o),
    .s_axil_rresp   (s_axil_rresp_o),
    .hwif_in        (hwif_in),
    .hwif_out       (hwif_out)
  );

  // ---------------------------------------------------------------------------------------
  // Retire trace: registered, so a retirement shows the cycle after its last write landed.
  // ---------------------------------------------------------------------------------------
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      trace_valid_o <= '0;
      trace_index_o <= '0;
      trace_opcode_o <= '0;
    end else begin
      for (int unsigned q = 0; q < NQ; q++) begin
        trace_valid_o[q] <= retire[q];
        trace_index_o[q] <= head[q][15:0];
        trace_opcode_o[q] <= retire_op[q];
      end
    end
  end

  logic unused;
  assign unused = ^{e_rs0[1], e_rs1[1:0], hwif_out.INTR_SET.SET.swmod, m_axi_rlast_i, f_r_ready, ps_wide_unused, d_b_ready,
                    n_b_ready};

endmodule
