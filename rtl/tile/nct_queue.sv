// One instruction queue of the NCT tile (tile.md "Engines and queues"): fetches 128-bit
// instructions from its ring in device memory (AXI4 reads, up to FETCH_DEPTH ahead),
// checks the head instruction (nct_check), waits for its semaphore, executes the control
// opcodes itself (SEM, SETR, HALT, NOTIFY) and hands the others to its engine, one at a
// time. At retirement post_sem increments, the head advances and the retire trace fires;
// a failing instruction stops the queue in ERR with an error record.

module nct_queue
  import nct_isa_pkg::*;
#(
  parameter int unsigned Q           = 0,
  parameter int unsigned P           = 4,
  parameter int unsigned SBUF_BYTES  = 4096,
  parameter int unsigned PSUM_BYTES  = 1024,
  parameter int unsigned NMAX        = 64,
  parameter int unsigned NSEM        = 32,
  parameter int unsigned AXI_DW      = 128,
  parameter int unsigned FETCH_DEPTH = 2
) (
  input  logic                  clk_i,
  input  logic                  rst_ni,
  input  logic                  soft_reset_i,
  input  logic                  enable_i,      // CTRL.ENABLE
  input  logic                  issue_en_i,    // neither HALT_ALL nor Qq_CTRL.HOLD
  input  logic [39:0]           base_i,
  input  logic [4:0]            size_log2_i,
  input  logic [31:0]           tail_i,
  input  logic [NSEM-1:0][15:0] sem_i,

  // Instruction fetch (AXI4 read address and data, this queue's ID).
  output logic                  ar_valid_o,
  input  logic                  ar_ready_i,
  output logic [39:0]           ar_addr_o,
  output logic [7:0]            ar_len_o,
  output logic [2:0]            ar_size_o,
  input  logic                  r_valid_i,
  output logic                  r_ready_o,
  input  logic [AXI_DW-1:0]     r_data_i,
  input  logic [1:0]            r_resp_i,
  input  logic                  r_last_i,

  // The engine.
  output logic                  eng_start_o,
  output logic [127:0]          eng_instr_o,
  output logic [31:0]           eng_rs0_o,
  output logic [31:0]           eng_rs1_o,
  input  logic                  eng_busy_i,
  input  logic                  eng_done_i,
  input  logic [7:0]            eng_err_i,
  input  logic [39:0]           eng_err_addr_i,
  input  logic                  pe_loaded_i,
  input  logic [7:0]            pe_k_i,
  input  logic [7:0]            pe_m_i,
  input  logic [2:0]            pe_dtype_i,

  // Semaphore updates made this cycle: the SEM opcode, then post_sem.
  output logic                  sem_op_valid_o,
  output logic [5:0]            sem_op_idx_o,
  output logic [1:0]            sem_op_o,
  output logic [15:0]           sem_op_imm_o,
  output logic                  post_valid_o,
  output logic [5:0]            post_idx_o,

  // A notification record (HALT, NOTIFY, ERROR) for the ring; intr: INTR bits it raises.
  output logic                  rec_valid_o,
  input  logic                  rec_ready_i,
  output logic [7:0]            rec_type_o,
  output logic [31:0]           rec_index_o,
  output logic [31:0]           rec_tag_o,
  output logic [7:0]            rec_intr_o,

  // Faults (first-error latch in the top) and the watchdog's stop.
  output logic                  fault_o,
  output logic [7:0]            fault_code_o,
  output logic [31:0]           fault_index_o,
  output logic [39:0]           fault_addr_o,
  input  logic                  watchdog_i,

  // Status, retire trace and performance events.
  output logic [31:0]           head_o,
  output logic [2:0]            state_o,
  output logic [23:0]           retired_o,
  output logic                  busy_o,        // has work and is neither DONE nor ERR
  output logic                  retire_o,
  output logic [7:0]            retire_opcode_o,
  output logic                  semwait_o,
  output logic                  active_o       // an instruction executes (engine or control)
);

  localparam int unsigned BEAT_BYTES = AXI_DW / 8;
  localparam int unsigned BEATS      = (BEAT_BYTES >= 16) ? 1 : 16 / BEAT_BYTES;
  // Width of one narrow beat in the assembled word (only used when BEATS > 1).
  localparam int unsigned ASM_W      = (AXI_DW < 128) ? AXI_DW : 128;
  localparam int unsigned FCW        = $clog2(FETCH_DEPTH + 1);
  localparam int unsigned OFFW       = (BEAT_BYTES > 16) ? $clog2(BEAT_BYTES / 16) : 1;

  localparam logic [7:0] REC_HALT = 8'd1, REC_NOTIFY = 8'd2, REC_ERROR = 8'd3;
  localparam logic [7:0] INTR_NOTIFY = 8'h10, INTR_ERROR = 8'h20;

  // ---------------------------------------------------------------------------------------
  // Ring pointers
  // ---------------------------------------------------------------------------------------
  logic [31:0] mask, tail, head_q, head_d, fptr_q, fptr_d;
  assign mask = (32'd1 << size_log2_i) - 32'd1;
  assign tail = tail_i & mask;

  // ---------------------------------------------------------------------------------------
  // Fetch: requests ahead of the head into a FIFO of (word, fetch error)
  // ---------------------------------------------------------------------------------------
  logic [FETCH_DEPTH-1:0][127:0] fifo_q;
  logic [FETCH_DEPTH-1:0]        ferr_q;
  logic [FCW-1:0]                fcnt_q, fcnt_d;     // entries in the FIFO
  logic [FCW-1:0]                pend_q, pend_d;     // fetches requested, data not yet in
  logic [FCW-1:0]                drop_q, drop_d;     // responses to discard (soft reset)
  logic                          ar_pend_q, ar_pend_d;
  logic [39:0]                   ar_addr_q, ar_addr_d;
  logic [FETCH_DEPTH-1:0][OFFW-1:0] off_q;           // lane of each outstanding fetch
  logic [$clog2(BEATS + 1)-1:0]  beat_q, beat_d;
  logic [127:0]                  asm_q, asm_d;       // words assembled from narrow beats
  logic                          aerr_q, aerr_d;
  logic                          pop, push;
  logic [127:0]                  push_word;
  logic                          push_err;

  assign ar_valid_o = ar_pend_q;
  assign ar_addr_o  = ar_addr_q;
  assign ar_len_o   = 8'(BEATS - 1);
  assign ar_size_o  = (BEAT_BYTES >= 16) ? 3'd4 : 3'($clog2(BEAT_BYTES));
  assign r_ready_o  = 1'b1;

  always_comb begin
    logic [127:0] lane;
    lane = '0;
    if (BEAT_BYTES > 16) begin
      lane = r_data_i[128 * off_q[0] +: 128];
    end else if (BEAT_BYTES == 16) begin
      lane = r_data_i[127:0];
    end
    beat_d = beat_q;
    asm_d = asm_q;
    aerr_d = aerr_q;
    push = 1'b0;
    push_word = lane;
    push_err = 1'b0;
    if (r_valid_i) begin
      if (BEATS == 1) begin
        push = 1'b1;
        push_err = r_resp_i != 2'b00;
      end else begin
        asm_d[ASM_W * beat_q[$clog2(BEATS + 1)-1:0] +: ASM_W] = r_data_i[ASM_W-1:0];
        aerr_d = aerr_q | (r_resp_i != 2'b00);
        beat_d = beat_q + 1'b1;
        if (r_last_i) begin
          push = 1'b1;
          push_word = asm_d;
          push_err = aerr_d;
          beat_d = '0;
          aerr_d = 1'b0;
        end
      end
    end
  end

  // ---------------------------------------------------------------------------------------
  // Issue
  // ---------------------------------------------------------------------------------------
  logic         done_q, done_d, err_q, err_d, infl_q, infl_d;
  logic [23:0]  retired_q, retired_d;
  logic [31:0]  regs_q [16];
  logic [127:0] word;
  logic         have, ferr;
  logic [7:0]   opcode;
  logic [5:0]   ws, ps;
  logic [11:0]  wv;
  logic         wait_ok;
  logic [7:0]   chk_err;
  logic         chk_at_instr;
  logic [39:0]  chk_addr, instr_addr;
  logic         rec_pend_q, rec_pend_d;
  logic [7:0]   rec_type_q, rec_type_d, rec_intr_q, rec_intr_d;
  logic [31:0]  rec_index_q, rec_index_d, rec_tag_q, rec_tag_d;
  logic         wd_q, wd_d;
  logic         setr_we;
  logic [3:0]   setr_rd;
  logic [31:0]  setr_val;

  assign word   = fifo_q[0];
  assign ferr   = ferr_q[0];
  assign have   = fcnt_q != '0;
  assign opcode = word[OPCODE_LSB +: OPCODE_W];
  assign ws     = word[WAIT_SEM_LSB +: WAIT_SEM_W];
  assign wv     = word[WAIT_VAL_LSB +: WAIT_VAL_W];
  assign ps     = word[POST_SEM_LSB +: POST_SEM_W];
  assign instr_addr = base_i + {4'd0, head_q, 4'd0};

  // tile.md: issue when sem[wait_sem] >= wait_val; an invalid index is an error at issue.
  always_comb begin
    wait_ok = 1'b1;
    if (ws != 6'(NO_SEM) && 32'(ws) < NSEM) wait_ok = sem_i[ws[$clog2(NSEM)-1:0]] >= 16'(wv);
  end

  nct_check #(
    .Q(Q), .P(P), .SBUF_BYTES(SBUF_BYTES), .PSUM_BYTES(PSUM_BYTES), .NMAX(NMAX), .NSEM(NSEM)
  ) u_check (
    .instr_i        (word),
    .pe_loaded_i    (pe_loaded_i),
    .pe_k_i         (pe_k_i),
    .pe_m_i         (pe_m_i),
    .pe_dtype_i     (pe_dtype_i),
    .err_o          (chk_err),
    .err_at_instr_o (chk_at_instr),
    .err_addr_o     (chk_addr)
  );

  // Register operands of the engine opcodes (R0 reads 0).
  /* verilator lint_off UNUSEDSIGNAL */  // each opcode reads only its own fields
  function automatic logic [3:0] rs_field(logic [127:0] w, int unsigned which);
    unique case (w[OPCODE_LSB +: OPCODE_W])
      OP_ACT: return which == 0 ? w[ACT_SCALE_R_LSB +: ACT_SCALE_R_W] : w[ACT_BIAS_R_LSB +: ACT_BIAS_R_W];
      OP_TS: return which == 0 ? w[TS_R0_LSB +: TS_R0_W] : w[TS_R1_LSB +: TS_R1_W];
      OP_MEMSET: return which == 0 ? w[MEMSET_R_LSB +: MEMSET_R_W] : 4'd0;
      OP_DMA_LD, OP_DMA_ST: return which == 0 ? w[DMA_LD_STRIDE_R_LSB +: DMA_LD_STRIDE_R_W] : 4'd0;
      default: return 4'd0;
    endcase
  endfunction
  /* verilator lint_on UNUSEDSIGNAL */

  logic [3:0] rs0_idx, rs1_idx;
  assign rs0_idx     = rs_field(word, 0);
  assign rs1_idx     = rs_field(word, 1);
  assign eng_instr_o = word;
  assign eng_rs0_o   = (rs0_idx == 4'd0) ? 32'd0 : regs_q[rs0_idx];
  assign eng_rs1_o   = (rs1_idx == 4'd0) ? 32'd0 : regs_q[rs1_idx];

  logic is_ctrl;
  assign is_ctrl = opcode == OP_SEM || opcode == OP_SETR || opcode == OP_HALT || opcode == OP_NOTIFY;

  always_comb begin
    head_d = head_q;
    done_d = done_q;
    err_d = err_q;
    infl_d = infl_q;
    retired_d = retired_q;
    rec_pend_d = rec_pend_q;
    rec_type_d = rec_type_q;
    rec_intr_d = rec_intr_q;
    rec_index_d = rec_index_q;
    rec_tag_d = rec_tag_q;
    wd_d = wd_q | watchdog_i;
    pop = 1'b0;
    eng_start_o = 1'b0;
    sem_op_valid_o = 1'b0;
    sem_op_idx_o = word[SEM_SEM_LSB +: SEM_SEM_W];
    sem_op_o = word[SEM_OP_LSB +: SEM_OP_W];
    sem_op_imm_o = word[SEM_IMM_LSB +: SEM_IMM_W];
    post_valid_o = 1'b0;
    post_idx_o = ps;
    fault_o = 1'b0;
    fault_code_o = '0;
    fault_index_o = head_q;
    fault_addr_o = instr_addr;
    retire_o = 1'b0;
    retire_opcode_o = opcode;
    semwait_o = 1'b0;
    active_o = infl_q;
    setr_we = 1'b0;
    setr_rd = word[SETR_RD_LSB +: SETR_RD_W];
    setr_val = word[SETR_IMM_LSB +: SETR_IMM_W];

    if (rec_pend_q && rec_ready_i) rec_pend_d = 1'b0;

    if (infl_q && eng_done_i) begin
      // The engine finished the head instruction.
      infl_d = 1'b0;
      if (!err_q) begin
        if (eng_err_i != 8'h00) begin
          fault_o = 1'b1;
          fault_code_o = eng_err_i;
          fault_addr_o = eng_err_addr_i;
        end else begin
          retire_o = 1'b1;
        end
      end
    end else if (wd_q && busy_o && !rec_pend_d) begin
      // The watchdog expired: this busy queue stops in ERR (an instruction still in its
      // engine completes there, unretired).
      fault_o = 1'b1;
      fault_code_o = 8'h20;
      infl_d = 1'b0;
    end else if (enable_i && issue_en_i && have && !infl_q && !done_q && !err_q && !rec_pend_d &&
                 head_q != tail) begin
      if (ferr) begin
        fault_o = 1'b1;
        fault_code_o = 8'h12;
      end else if (!wait_ok) begin
        semwait_o = 1'b1;
      end else if (chk_err != 8'h00) begin
        fault_o = 1'b1;
        fault_code_o = chk_err;
        if (!chk_at_instr) fault_addr_o = chk_addr;
      end else if (is_ctrl) begin
        active_o = 1'b1;
        retire_o = 1'b1;
        unique case (opcode)
          OP_SEM: sem_op_valid_o = 1'b1;
          OP_SETR: setr_we = setr_rd != 4'd0;
          OP_HALT: begin
            done_d = 1'b1;
            rec_pend_d = 1'b1;
            rec_type_d = REC_HALT;
            rec_index_d = head_q;
            rec_tag_d = 32'(word[HALT_CODE_LSB +: HALT_CODE_W]);
            rec_intr_d = word[HALT_IRQ_LSB] ? 8'(1 << Q) : 8'h00;
          end
          OP_NOTIFY: begin
            rec_pend_d = 1'b1;
            rec_type_d = REC_NOTIFY;
            rec_index_d = head_q;
            rec_tag_d = 32'(word[NOTIFY_TAG_LSB +: NOTIFY_TAG_W]);
            rec_intr_d = word[NOTIFY_IRQ_LSB] ? INTR_NOTIFY : 8'h00;
          end
          default: ;
        endcase
      end else if (!eng_busy_i) begin
        eng_start_o = 1'b1;
        infl_d = 1'b1;
        active_o = 1'b1;
      end
    end

    if (fault_o) begin
      err_d = 1'b1;
      wd_d = 1'b0;
      rec_pend_d = 1'b1;
      rec_type_d = REC_ERROR;
      rec_index_d = head_q;
      rec_tag_d = 32'(fault_code_o);
      rec_intr_d = INTR_ERROR;
    end
    if (retire_o) begin
      pop = 1'b1;
      head_d = (head_q + 32'd1) & mask;
      retired_d = retired_q + 24'd1;
      post_valid_o = ps != 6'(NO_SEM);
    end
    if (!busy_o) wd_d = 1'b0;
  end

  assign busy_o = head_q != tail && !done_q && !err_q;

  // Fetch requests.
  always_comb begin
    fptr_d = fptr_q;
    ar_pend_d = ar_pend_q;
    ar_addr_d = ar_addr_q;
    pend_d = pend_q;
    drop_d = drop_q;
    fcnt_d = fcnt_q;
    if (ar_pend_q && ar_ready_i) ar_pend_d = 1'b0;
    if (push) begin
      if (drop_q != '0) drop_d = drop_q - 1'b1;
      else pend_d = pend_q - 1'b1;
    end
    if (push && drop_q == '0) fcnt_d = fcnt_d + 1'b1;
    if (pop) fcnt_d = fcnt_d - 1'b1;
    // Responses still to be dropped after a SOFT_RESET count against the limit, so at most
    // FETCH_DEPTH fetches are ever on the bus (and the counters cannot overflow).
    if (enable_i && !ar_pend_q && fptr_q != tail && 32'(fcnt_q) + 32'(pend_q) + 32'(drop_q) < FETCH_DEPTH &&
        !done_q && !err_q) begin
      ar_pend_d = 1'b1;
      ar_addr_d = base_i + {4'd0, fptr_q, 4'd0};
      fptr_d = (fptr_q + 32'd1) & mask;
      pend_d = pend_d + 1'b1;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      head_q <= '0;
      fptr_q <= '0;
      fcnt_q <= '0;
      pend_q <= '0;
      drop_q <= '0;
      ar_pend_q <= 1'b0;
      ar_addr_q <= '0;
      beat_q <= '0;
      asm_q <= '0;
      aerr_q <= 1'b0;
      done_q <= 1'b0;
      err_q <= 1'b0;
      infl_q <= 1'b0;
      retired_q <= '0;
      rec_pend_q <= 1'b0;
      rec_type_q <= '0;
      rec_intr_q <= '0;
      rec_index_q <= '0;
      rec_tag_q <= '0;
      wd_q <= 1'b0;
    end else if (soft_reset_i) begin
      head_q <= '0;
      fptr_q <= '0;
      fcnt_q <= '0;
      pend_q <= '0;
      // Fetches in flight (including one whose address is still offered) answer later.
      drop_q <= drop_d + pend_d - ((!ar_pend_q && ar_pend_d) ? FCW'(1) : FCW'(0));
      ar_pend_q <= ar_pend_q && !ar_ready_i;
      ar_addr_q <= ar_addr_q;
      beat_q <= beat_d;
      asm_q <= asm_d;
      aerr_q <= aerr_d;
      done_q <= 1'b0;
      err_q <= 1'b0;
      infl_q <= 1'b0;
      retired_q <= '0;
      rec_pend_q <= 1'b0;
      wd_q <= 1'b0;
    end else begin
      head_q <= head_d;
      fptr_q <= fptr_d;
      fcnt_q <= fcnt_d;
      pend_q <= pend_d;
      drop_q <= drop_d;
      ar_pend_q <= ar_pend_d;
      ar_addr_q <= ar_addr_d;
      beat_q <= beat_d;
      asm_q <= asm_d;
      aerr_q <= aerr_d;
      done_q <= done_d;
      err_q <= err_d;
      infl_q <= infl_d;
      retired_q <= retired_d;
      rec_pend_q <= rec_pend_d;
      rec_type_q <= rec_type_d;
      rec_intr_q <= rec_intr_d;
      rec_index_q <= rec_index_d;
      rec_tag_q <= rec_tag_d;
      wd_q <= wd_d;
    end
  end

  // FIFO storage (shift on pop) and the lane offsets of outstanding fetches.
  always_ff @(posedge clk_i) begin
    logic [$clog2(FETCH_DEPTH)-1:0] at;
    if (pop) begin
      for (int unsigned i = 0; i + 1 < FETCH_DEPTH; i++) begin
        fifo_q[i] <= fifo_q[i + 1];
        ferr_q[i] <= ferr_q[i + 1];
      end
    end
    at = $clog2(FETCH_DEPTH)'(fcnt_q - (pop ? FCW'(1) : FCW'(0)));
    if (push && drop_q == '0 && !soft_reset_i) begin
      fifo_q[at] <= push_word;
      ferr_q[at] <= push_err;
    end
  end

  if (BEAT_BYTES > 16) begin : g_lanes
    // Responses come back in request order (one ID per queue): keep the lanes in order.
    logic [FCW-1:0] lcnt_q;
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        lcnt_q <= '0;
        off_q <= '0;
      end else begin
        logic [FCW-1:0] n;
        n = lcnt_q;
        if (push) begin
          for (int unsigned i = 0; i + 1 < FETCH_DEPTH; i++) off_q[i] <= off_q[i + 1];
          n = n - 1'b1;
        end
        if (ar_pend_q && ar_ready_i) begin
          off_q[n[$clog2(FETCH_DEPTH)-1:0]] <= ar_addr_q[4 +: OFFW];
          n = n + 1'b1;
        end
        lcnt_q <= n;
      end
    end
  end else begin : g_no_lanes
    assign off_q = '0;
  end

  // Scalar registers R1..R15 (SETR); R0 reads 0.
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      for (int unsigned i = 0; i < 16; i++) regs_q[i] <= '0;
    end else if (soft_reset_i) begin
      for (int unsigned i = 0; i < 16; i++) regs_q[i] <= '0;
    end else if (setr_we) begin
      regs_q[setr_rd] <= setr_val;
    end
  end

  assign rec_valid_o = rec_pend_q;
  assign rec_type_o  = rec_type_q;
  assign rec_index_o = rec_index_q;
  assign rec_tag_o   = rec_tag_q;
  assign rec_intr_o  = rec_intr_q;
  assign head_o      = head_q;
  assign retired_o   = retired_q;

  always_comb begin
    if (err_q) state_o = 3'd4;
    else if (done_q) state_o = 3'd3;
    else if (head_q == tail) state_o = 3'd0;
    else if (!enable_i || !issue_en_i) state_o = 3'd2;
    else if (have && !infl_q && !wait_ok) state_o = 3'd2;
    else state_o = 3'd1;
  end

  logic unused;
  assign unused = ^{r_last_i, off_q};

endmodule
