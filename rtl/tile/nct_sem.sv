// Semaphores of the NCT tile: NSEM 16-bit wrapping counters. Updates of one cycle apply in
// a fixed order: the CSR writes (SEM_SET, SEM_INC, SEM_DEC), then per queue 0..3 its SEM
// opcode and its post_sem increment (a race-free program never depends on this order).

module nct_sem #(
  parameter int unsigned NSEM = 32,
  parameter int unsigned NQ   = 4
) (
  input  logic                  clk_i,
  input  logic                  rst_ni,
  input  logic                  soft_reset_i,
  input  logic [NSEM-1:0]       csr_set_i,
  input  logic [NSEM-1:0]       csr_inc_i,
  input  logic [NSEM-1:0]       csr_dec_i,
  input  logic [NSEM-1:0][15:0] csr_val_set_i,
  input  logic [NSEM-1:0][15:0] csr_val_inc_i,
  input  logic [NSEM-1:0][15:0] csr_val_dec_i,
  input  logic [NQ-1:0]         op_valid_i,
  input  logic [NQ-1:0][5:0]    op_idx_i,
  input  logic [NQ-1:0][1:0]    op_i,        // 0 SET, 1 ADD, 2 SUB
  input  logic [NQ-1:0][15:0]   op_imm_i,
  input  logic [NQ-1:0]         post_valid_i,
  input  logic [NQ-1:0][5:0]    post_idx_i,
  output logic [NSEM-1:0][15:0] sem_o
);

  logic [NSEM-1:0][15:0] sem_q, sem_d;

  always_comb begin
    sem_d = sem_q;
    for (int unsigned s = 0; s < NSEM; s++) begin
      if (csr_set_i[s]) sem_d[s] = csr_val_set_i[s];
      if (csr_inc_i[s]) sem_d[s] = sem_d[s] + csr_val_inc_i[s];
      if (csr_dec_i[s]) sem_d[s] = sem_d[s] - csr_val_dec_i[s];
      for (int unsigned q = 0; q < NQ; q++) begin
        if (op_valid_i[q] && 32'(op_idx_i[q]) == s) begin
          unique case (op_i[q])
            2'd0: sem_d[s] = op_imm_i[q];
            2'd1: sem_d[s] = sem_d[s] + op_imm_i[q];
            2'd2: sem_d[s] = sem_d[s] - op_imm_i[q];
            default: ;
          endcase
        end
        if (post_valid_i[q] && 32'(post_idx_i[q]) == s) sem_d[s] = sem_d[s] + 16'd1;
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) sem_q <= '0;
    else if (soft_reset_i) sem_q <= '0;
    else sem_q <= sem_d;
  end

  assign sem_o = sem_q;

endmodule
