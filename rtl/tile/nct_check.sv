// Instruction checks of one queue (tile.md "Errors"), made before issue, in the golden
// model's order and with its ERR_ADDR (decision 0005, models/golden/src/core.cpp and
// engines.cpp): opcode, queue legality, reserved bits, semaphore indices, then the
// opcode's own checks (enumerations, dtypes, partition range, alignment, SBUF/PSUM range,
// PE state, NMAX). Purely combinational; err_o = 0 means the instruction may issue.

module nct_check
  import nct_isa_pkg::*;
#(
  parameter int unsigned Q          = 0,
  parameter int unsigned P          = 4,
  parameter int unsigned SBUF_BYTES = 4096,
  parameter int unsigned PSUM_BYTES = 1024,
  parameter int unsigned NMAX       = 64,
  parameter int unsigned NSEM       = 32
) (
  input  logic [127:0] instr_i,
  // State of the tensor engine (the last successful PE_LDW).
  input  logic         pe_loaded_i,
  input  logic [7:0]   pe_k_i,
  input  logic [7:0]   pe_m_i,
  input  logic [2:0]   pe_dtype_i,
  output logic [7:0]   err_o,
  output logic         err_at_instr_o,  // ERR_ADDR is the instruction's address
  output logic [39:0]  err_addr_o       // otherwise this value
);

  localparam logic [7:0] E_ILLEGAL = 8'h01, E_QUEUE = 8'h02, E_RESERVED = 8'h03, E_DTYPE = 8'h04,
                         E_PART = 8'h05, E_SBUF = 8'h06, E_PSUM = 8'h07, E_ALIGN = 8'h08,
                         E_NOWEIGHTS = 8'h09, E_PEDTYPE = 8'h0A, E_NMAX = 8'h0B;

  typedef struct packed {
    logic [7:0]  err;
    logic [39:0] addr;
  } res_t;

  localparam res_t OK = '{err: 8'h00, addr: 40'h0};

  function automatic logic [2:0] dsize(logic [2:0] dt);
    return (dt == 3'(DTYPE_BF16)) ? 3'd2 : (dt == 3'(DTYPE_INT8)) ? 3'd1 : 3'd4;
  endfunction

  function automatic logic is_int(logic [2:0] dt);
    return dt == 3'(DTYPE_INT8) || dt == 3'(DTYPE_INT32);
  endfunction

  // One operand: n elements per partition of [p0, p0 + pc) (engines.cpp Ctx::check).
  function automatic res_t check_opd(logic mem, logic [2:0] dt, logic [17:0] off, logic [12:0] n,
                                     logic [7:0] p0, logic [7:0] pc);
    logic [31:0] end_b;
    logic [2:0]  sz;
    sz = dsize(dt);
    end_b = 32'(off) + 32'(n) * 32'(sz);
    if (dt > 3'(DTYPE_INT32)) return '{err: E_DTYPE, addr: 40'(off)};
    if (mem && !(dt == 3'(DTYPE_FP32) || dt == 3'(DTYPE_INT32))) return '{err: E_DTYPE, addr: 40'(off)};
    if (32'(p0) + 32'(pc) > P) return '{err: E_PART, addr: 40'(p0)};
    if ((sz == 3'd2 && off[0]) || (sz == 3'd4 && off[1:0] != 2'd0)) return '{err: E_ALIGN, addr: 40'(off)};
    if (end_b > (mem ? PSUM_BYTES : SBUF_BYTES)) return '{err: mem ? E_PSUM : E_SBUF, addr: 40'(off)};
    return OK;
  endfunction

  function automatic logic [12:0] len_of(logic [11:0] raw);
    return (raw == 12'd0) ? 13'd4096 : 13'(raw);
  endfunction

  function automatic logic sem_bad(logic [5:0] s);
    return s != 6'(NO_SEM) && 32'(s) >= NSEM;
  endfunction

  logic [7:0] opcode;
  logic [6:0] plsb;
  logic       resv;
  res_t       head_r, op_r;

  assign opcode = instr_i[OPCODE_LSB +: OPCODE_W];
  assign plsb   = payload_lsb(opcode);

  always_comb begin
    resv = 1'b0;
    for (int unsigned b = 0; b < 96; b++) begin
      if (7'(b) < plsb && instr_i[b]) resv = 1'b1;
    end
  end

  // Fetch-level checks: ERR_ADDR is the instruction's address.
  always_comb begin
    head_r = OK;
    if (queue_mask(opcode) == 4'h0) head_r.err = E_ILLEGAL;
    else if (!queue_mask(opcode)[Q]) head_r.err = E_QUEUE;
    else if (resv) head_r.err = E_RESERVED;
    else if (sem_bad(instr_i[WAIT_SEM_LSB +: WAIT_SEM_W]) || sem_bad(instr_i[POST_SEM_LSB +: POST_SEM_W]))
      head_r.err = E_RESERVED;
  end

  // Operand fields shared by TS, TRED, COPY and ACT (and by MEMSET and IOTA), as the golden
  // model decodes them (isa.yaml keeps these layouts equal).
  logic [7:0]  p0, pc;
  logic        s_mem, d_mem, d1_mem;
  logic [2:0]  s_dt, d_dt, d1_dt;
  logic [17:0] s_off, d_off, d1_off;
  logic [12:0] n, n1;
  logic        ic_ts;

  always_comb begin
    p0     = 8'(instr_i[TS_PR_P_START_LSB +: TS_PR_P_START_W]);
    pc     = 8'(instr_i[TS_PR_P_CNT_LSB +: TS_PR_P_CNT_W]) + 8'd1;
    s_mem  = instr_i[TS_SRC_MEM_LSB];
    s_dt   = instr_i[TS_SRC_DTYPE_LSB +: TS_SRC_DTYPE_W];
    s_off  = instr_i[TS_SRC_OFF_LSB +: TS_SRC_OFF_W];
    d_mem  = instr_i[TS_DST_MEM_LSB];
    d_dt   = instr_i[TS_DST_DTYPE_LSB +: TS_DST_DTYPE_W];
    d_off  = instr_i[TS_DST_OFF_LSB +: TS_DST_OFF_W];
    n      = len_of(instr_i[TS_LEN_LSB +: TS_LEN_W]);
    d1_mem = instr_i[MEMSET_DST_MEM_LSB];
    d1_dt  = instr_i[MEMSET_DST_DTYPE_LSB +: MEMSET_DST_DTYPE_W];
    d1_off = instr_i[MEMSET_DST_OFF_LSB +: MEMSET_DST_OFF_W];
    n1     = len_of(instr_i[MEMSET_LEN_LSB +: MEMSET_LEN_W]);
    ic_ts  = is_int(s_dt) && is_int(d_dt);
  end

  // The opcode's own checks (engines.cpp exec_vector / exec_pe, core.cpp exec).
  always_comb begin
    logic [3:0]  alu, op0, op1;
    logic [2:0]  dt;
    logic [7:0]  k, m;
    logic [10:0] nn;
    logic [31:0] bytes;
    logic        ic;
    logic        a_mem, b_mem, o_mem;
    logic [2:0]  a_dt, b_dt, o_dt;
    logic [17:0] a_off, b_off, o_off;
    logic [12:0] tlen;
    logic [7:0]  xp0, xpc;
    op_r = OK;
    alu = '0; op0 = '0; op1 = '0; dt = '0; k = '0; m = '0; nn = '0; bytes = '0; ic = 1'b0;
    a_mem = 1'b0; b_mem = 1'b0; o_mem = 1'b0; a_dt = '0; b_dt = '0; o_dt = '0;
    a_off = '0; b_off = '0; o_off = '0; tlen = '0;
    xp0 = p0; xpc = pc;
    unique case (opcode)
      OP_SEM: begin
        if (32'(instr_i[SEM_SEM_LSB +: SEM_SEM_W]) >= NSEM)
          op_r = '{err: E_RESERVED, addr: 40'(instr_i[SEM_SEM_LSB +: SEM_SEM_W])};
        else if (instr_i[SEM_OP_LSB +: SEM_OP_W] == 2'd3)
          op_r = '{err: E_RESERVED, addr: 40'd3};
      end
      OP_DMA_LD, OP_DMA_ST: begin
        xp0 = 8'(instr_i[DMA_LD_PR_P_START_LSB +: DMA_LD_PR_P_START_W]);
        xpc = 8'(instr_i[DMA_LD_PR_P_CNT_LSB +: DMA_LD_PR_P_CNT_W]) + 8'd1;
        bytes = (instr_i[DMA_LD_BYTES_LSB +: DMA_LD_BYTES_W] == 12'd0) ? 32'd4096 :
                32'(instr_i[DMA_LD_BYTES_LSB +: DMA_LD_BYTES_W]);
        if (32'(xp0) + 32'(xpc) > P) op_r = '{err: E_PART, addr: 40'(xp0)};
        else if (32'(instr_i[DMA_LD_SB_OFF_LSB +: DMA_LD_SB_OFF_W]) + bytes > SBUF_BYTES)
          op_r = '{err: E_SBUF, addr: 40'(instr_i[DMA_LD_SB_OFF_LSB +: DMA_LD_SB_OFF_W])};
      end
      OP_PE_LDW: begin
        xp0 = 8'(instr_i[PE_LDW_PR_P_START_LSB +: PE_LDW_PR_P_START_W]);
        k  = 8'(instr_i[PE_LDW_PR_P_CNT_LSB +: PE_LDW_PR_P_CNT_W]) + 8'd1;
        m  = 8'(instr_i[PE_LDW_M_CNT_LSB +: PE_LDW_M_CNT_W]) + 8'd1;
        dt = instr_i[PE_LDW_DTYPE_LSB +: PE_LDW_DTYPE_W];
        if (dt != 3'(DTYPE_BF16) && dt != 3'(DTYPE_INT8)) op_r = '{err: E_DTYPE, addr: 40'(dt)};
        else if (32'(m) > P) op_r = '{err: E_PART, addr: 40'(m)};
        else op_r = check_opd(1'b0, dt, instr_i[PE_LDW_SRC_OFF_LSB +: PE_LDW_SRC_OFF_W], 13'(m), xp0, k);
      end
      OP_PE_MM: begin
        xp0 = 8'(instr_i[PE_MM_PR_P_START_LSB +: PE_MM_PR_P_START_W]);
        k  = 8'(instr_i[PE_MM_PR_P_CNT_LSB +: PE_MM_PR_P_CNT_W]) + 8'd1;
        nn = 11'(instr_i[PE_MM_N_CNT_LSB +: PE_MM_N_CNT_W]) + 11'd1;
        dt = instr_i[PE_MM_DTYPE_LSB +: PE_MM_DTYPE_W];
        if (dt != 3'(DTYPE_BF16) && dt != 3'(DTYPE_INT8)) op_r = '{err: E_DTYPE, addr: 40'(dt)};
        else if (!pe_loaded_i || pe_k_i != k) op_r = '{err: E_NOWEIGHTS, addr: 40'(k)};
        else if (dt != pe_dtype_i) op_r = '{err: E_PEDTYPE, addr: 40'(dt)};
        else if (32'(nn) > NMAX) op_r = '{err: E_NMAX, addr: 40'(nn)};
        else begin
          op_r = check_opd(1'b0, dt, instr_i[PE_MM_SRC_OFF_LSB +: PE_MM_SRC_OFF_W], 13'(nn), xp0, k);
          if (op_r.err == 8'h00)
            op_r = check_opd(1'b1, (dt == 3'(DTYPE_BF16)) ? 3'(DTYPE_FP32) : 3'(DTYPE_INT32),
                             instr_i[PE_MM_PSUM_OFF_LSB +: PE_MM_PSUM_OFF_W], 13'(nn), 8'd0, pe_m_i);
        end
      end
      OP_TT: begin
        a_mem = instr_i[TT_A_MEM_LSB];  a_dt = instr_i[TT_A_DTYPE_LSB +: TT_A_DTYPE_W];
        a_off = instr_i[TT_A_OFF_LSB +: TT_A_OFF_W];
        b_mem = instr_i[TT_B_MEM_LSB];  b_dt = instr_i[TT_B_DTYPE_LSB +: TT_B_DTYPE_W];
        b_off = instr_i[TT_B_OFF_LSB +: TT_B_OFF_W];
        o_mem = instr_i[TT_DST_MEM_LSB]; o_dt = instr_i[TT_DST_DTYPE_LSB +: TT_DST_DTYPE_W];
        o_off = instr_i[TT_DST_OFF_LSB +: TT_DST_OFF_W];
        tlen  = len_of(instr_i[TT_LEN_LSB +: TT_LEN_W]);
        alu   = instr_i[TT_ALU_LSB +: TT_ALU_W];
        xp0    = 8'(instr_i[TT_PR_P_START_LSB +: TT_PR_P_START_W]);
        xpc    = 8'(instr_i[TT_PR_P_CNT_LSB +: TT_PR_P_CNT_W]) + 8'd1;
        ic    = is_int(a_dt) && is_int(b_dt) && is_int(o_dt);
        if (alu > 4'd7) op_r = '{err: E_RESERVED, addr: 40'(alu)};
        else if (a_mem && b_mem) op_r = '{err: E_DTYPE, addr: 40'(b_off)};
        else if (alu >= 4'd5 && !ic && a_dt <= 3'd3 && b_dt <= 3'd3 && o_dt <= 3'd3)
          op_r = '{err: E_DTYPE, addr: 40'(o_off)};
        else begin
          op_r = check_opd(a_mem, a_dt, a_off, tlen, xp0, xpc);
          if (op_r.err == 8'h00) op_r = check_opd(b_mem, b_dt, b_off, tlen, xp0, xpc);
          if (op_r.err == 8'h00) op_r = check_opd(o_mem, o_dt, o_off, tlen, xp0, xpc);
        end
      end
      OP_TS: begin
        op0 = instr_i[TS_OP0_LSB +: TS_OP0_W];
        op1 = instr_i[TS_OP1_LSB +: TS_OP1_W];
        if (op0 > 4'd7) op_r = '{err: E_RESERVED, addr: 40'(op0)};
        else if (op1 > 4'd7 && op1 != 4'(ALU_NONE)) op_r = '{err: E_RESERVED, addr: 40'(op1)};
        else if ((op0 >= 4'd5 || (op1 >= 4'd5 && op1 != 4'(ALU_NONE))) && !ic_ts && s_dt <= 3'd3 && d_dt <= 3'd3)
          op_r = '{err: E_DTYPE, addr: 40'(d_off)};
        else begin
          op_r = check_opd(s_mem, s_dt, s_off, n, xp0, xpc);
          if (op_r.err == 8'h00) op_r = check_opd(d_mem, d_dt, d_off, n, xp0, xpc);
        end
      end
      OP_TRED: begin
        if (instr_i[TRED_OP_LSB +: TRED_OP_W] > 3'd2)
          op_r = '{err: E_RESERVED, addr: 40'(instr_i[TRED_OP_LSB +: TRED_OP_W])};
        else begin
          op_r = check_opd(s_mem, s_dt, s_off, n, xp0, xpc);
          if (op_r.err == 8'h00) op_r = check_opd(d_mem, d_dt, d_off, 13'd1, xp0, xpc);
        end
      end
      OP_COPY: begin
        op_r = check_opd(s_mem, s_dt, s_off, n, xp0, xpc);
        if (op_r.err == 8'h00) op_r = check_opd(d_mem, d_dt, d_off, n, xp0, xpc);
      end
      OP_ACT: begin
        if (instr_i[ACT_FUNC_LSB +: ACT_FUNC_W] > 4'd1)
          op_r = '{err: E_RESERVED, addr: 40'(instr_i[ACT_FUNC_LSB +: ACT_FUNC_W])};
        else begin
          op_r = check_opd(s_mem, s_dt, s_off, n, xp0, xpc);
          if (op_r.err == 8'h00) op_r = check_opd(d_mem, d_dt, d_off, n, xp0, xpc);
        end
      end
      OP_MEMSET, OP_IOTA: op_r = check_opd(d1_mem, d1_dt, d1_off, n1, xp0, xpc);
      default: op_r = OK;
    endcase
  end

  always_comb begin
    if (head_r.err != 8'h00) begin
      err_o = head_r.err;
      err_at_instr_o = 1'b1;
      err_addr_o = '0;
    end else begin
      err_o = op_r.err;
      err_at_instr_o = 1'b0;
      err_addr_o = op_r.addr;
    end
  end

  logic unused_m;
  assign unused_m = ^{pe_m_i[7], head_r.addr};

endmodule
