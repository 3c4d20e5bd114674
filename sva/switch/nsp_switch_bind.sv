// Assertions bound into the NSP switch RTL by module name (every instance): each link side
// (in the switch ports and in the endpoints), each VC FIFO (endpoints), each buffer of
// virtual output queues (switch ports), each switch port and the switch's allocator and
// crossbar. Credit conservation across a link needs both of its
// sides and is instantiated by the testbench that joins them (tb/switch/nsp_tb_top.sv).

bind nsp_link nsp_link_sva #(
  .RB_FLITS (RB_FLITS),
  .RB_PKTS  (RB_PKTS)
) u_sva_link (
  .clk_i        (clk_i),
  .rst_ni       (rst_ni),
  .state_i      (state_q),
  .rf_st_i      (rf_st_q),
  .tx_lsn_i     (tx_lsn_q),
  .npend_i      (npend_q),
  .ack_tgt_i    (ack_tgt_q),
  .rx_exp_i     (rx_exp_q),
  .rb_used_i    (rb_used_q),
  .rb_wr_i      (rb_wr_q),
  .rb_wr_en_i   (rb_wr_en),
  .rb_oldest_i  (desc_start_q[fslot]),
  .desc_wr_en_i (desc_wr_en),
  .limit_i      (limit_q),
  .tx_valid_i   (tx_valid_o),
  .tx_kind_i    (tx_kind_o),
  .tx_data_i    (tx_data_o)
);

bind nsp_vc_fifo nsp_fifo_sva #(
  .DEPTH (DEPTH)
) u_sva_fifo (
  .clk_i      (clk_i),
  .rst_ni     (rst_ni),
  .rd_i       (rd_q),
  .wr_i       (wr_q),
  .spec_i     (spec_q),
  .cnt_i      (cnt_q),
  .spec_cnt_i (spec_cnt_q)
);

bind nsp_voq_buf nsp_voq_sva #(
  .DEPTH (DEPTH),
  .NQ    (NQ)
) u_sva_voq (
  .clk_i      (clk_i),
  .rst_ni     (rst_ni),
  .used_i     (used_q),
  .spec_i     (spec_q),
  .cnt_i      (cnt_q),
  .spec_cnt_i (scnt_q),
  .qcnt_i     (qcnt_q),
  .head_i     (head_q),
  .pop_i      (pop_i),
  .wen_i      (wen),
  .wslot_i    (wslot)
);

bind nsp_port nsp_port_sva u_sva_port (
  .clk_i  (clk_i),
  .rst_ni (rst_ni),
  .busy_i (busy_q),
  .src_i  (src_q),
  .rem_i  (rem_q),
  .gnt_i  (gnt_i),
  .drop_i (drop_q),
  .drem_i (drem_q)
);

bind nsp_switch nsp_xbar_sva #(
  .NPORTS (NPORTS)
) u_sva_xbar (
  .clk_i      (clk_i),
  .rst_ni     (rst_ni),
  .og_v_i     (og_v),
  .og_in_i    (og_in),
  .out_busy_i (out_busy_q),
  .owner_i    (owner_q),
  .in_busy_i  (in_busy),
  .conn_i     (conn_q),
  .eg_valid_i (eg_valid),
  .eg_ready_i (eg_ready),
  .eg_sop_i   (eg_sop),
  .eg_eop_i   (eg_eop),
  .eg_data_i  (eg_data)
);
