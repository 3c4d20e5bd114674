// Assertions bound into the NCT tile's modules by module name (every instance): the
// instruction queues, the DMA engine, the notification ring writer and the semaphores.
// The checkers see the modules' internal state through these port connections.

bind nct_queue nct_queue_sva #(
  .FETCH_DEPTH(FETCH_DEPTH)
) u_sva_queue (
  .clk_i        (clk_i),
  .rst_ni       (rst_ni),
  .soft_reset_i (soft_reset_i),
  .mask_i       (mask),
  .head_i       (head_q),
  .fptr_i       (fptr_q),
  .fcnt_i       (fcnt_q),
  .pend_i       (pend_q),
  .drop_i       (drop_q),
  .ar_pend_i    (ar_pend_q),
  .ar_hs_i      (ar_valid_o && ar_ready_i),
  .push_i       (push),
  .eng_start_i  (eng_start_o),
  .eng_busy_i   (eng_busy_i),
  .infl_i       (infl_q),
  .retire_i     (retire_o),
  .retired_i    (retired_q),
  .state_i      (state_o)
);

bind nct_dma nct_dma_sva #(
  .AXI_DW  (AXI_DW),
  .MAX_OUT (MAX_OUT)
) u_sva_dma (
  .clk_i    (clk_i),
  .rst_ni   (rst_ni),
  .cnt_i    (cnt_q),
  .out_i    (out_q),
  .wq_cnt_i (wq_cnt_q),
  .bq_cnt_i (bq_cnt_q)
);

bind nct_nq nct_nq_sva u_sva_nq (
  .clk_i       (clk_i),
  .rst_ni      (rst_ni),
  .st_i        (st_q),
  .aw_valid_i  (aw_valid_o),
  .aw_ready_i  (aw_ready_i),
  .w_valid_i   (w_valid_o),
  .w_ready_i   (w_ready_i),
  .w_last_i    (w_last_o),
  .b_valid_i   (b_valid_i),
  .b_ready_i   (b_ready_o),
  .size_log2_i (size_log2_i),
  .tail_i      (tail_q)
);

bind nct_sem nct_sem_sva #(
  .NSEM (NSEM),
  .NQ   (NQ)
) u_sva_sem (
  .clk_i        (clk_i),
  .rst_ni       (rst_ni),
  .soft_reset_i (soft_reset_i),
  .csr_set_i    (csr_set_i),
  .csr_inc_i    (csr_inc_i),
  .csr_dec_i    (csr_dec_i),
  .op_valid_i   (op_valid_i),
  .op_idx_i     (op_idx_i),
  .post_valid_i (post_valid_i),
  .post_idx_i   (post_idx_i),
  .sem_i        (sem_q)
);
