// Invariants of the semaphores (rtl/tile/nct_sem.sv), bound into nct_sem
// (sva/tile/nct_tile_bind.sv): a semaphore changes only in a cycle after a CSR write
// (SEM_SET, SEM_INC, SEM_DEC), a SEM opcode or a post_sem naming it, or SOFT_RESET; and a
// cycle whose only updates of a semaphore are post_sem increments adds exactly their
// number. Tested alone in tb/cocotb/tile_sva_tests.py.

module nct_sem_sva #(
  parameter int unsigned NSEM = 32,
  parameter int unsigned NQ   = 4
) (
  input logic                  clk_i,
  input logic                  rst_ni,
  input logic                  soft_reset_i,
  input logic [NSEM-1:0]       csr_set_i,
  input logic [NSEM-1:0]       csr_inc_i,
  input logic [NSEM-1:0]       csr_dec_i,
  input logic [NQ-1:0]         op_valid_i,
  input logic [NQ-1:0][5:0]    op_idx_i,
  input logic [NQ-1:0]         post_valid_i,
  input logic [NQ-1:0][5:0]    post_idx_i,
  input logic [NSEM-1:0][15:0] sem_i
);

  // What this cycle's updates do to each semaphore (seen at the next edge).
  logic [NSEM-1:0]       cause, other;
  logic [NSEM-1:0][15:0] posts;
  always_comb begin
    for (int unsigned s = 0; s < NSEM; s++) begin
      other[s] = soft_reset_i || csr_set_i[s] || csr_inc_i[s] || csr_dec_i[s];
      posts[s] = '0;
      for (int unsigned q = 0; q < NQ; q++) begin
        if (op_valid_i[q] && 32'(op_idx_i[q]) == s) other[s] = 1'b1;
        if (post_valid_i[q] && 32'(post_idx_i[q]) == s) posts[s] = posts[s] + 16'd1;
      end
      cause[s] = other[s] || posts[s] != '0;
    end
  end

  logic [NSEM-1:0]       cause_q, other_q;
  logic [NSEM-1:0][15:0] posts_q, prev_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      cause_q <= '0;
      other_q <= '0;
      posts_q <= '0;
      prev_q <= '0;
    end else begin
      cause_q <= cause;
      other_q <= other;
      posts_q <= posts;
      prev_q <= sem_i;
    end
  end

  logic [NSEM-1:0] changed, post_wrong;
  always_comb begin
    for (int unsigned s = 0; s < NSEM; s++) begin
      changed[s] = sem_i[s] != prev_q[s];
      post_wrong[s] = !other_q[s] && posts_q[s] != '0 && sem_i[s] != prev_q[s] + posts_q[s];
    end
  end

  SemChangeHasCause: assert property (@(posedge clk_i) disable iff (!rst_ni)
    (changed & ~cause_q) == '0)
    else $error("sem: semaphores %b changed without a CSR write, SEM op, post or SOFT_RESET", changed & ~cause_q);
  SemPostStep: assert property (@(posedge clk_i) disable iff (!rst_ni)
    post_wrong == '0) else $error("sem: semaphores %b did not add exactly their posts", post_wrong);

endmodule
