// Unit-test top for the arithmetic of rtl/common/nct_fp_pkg.sv: LANES independent lanes
// (nct_fp_unit_lane), all running the operation selected by op_i, so that one evaluation
// of the Verilated model checks LANES operand pairs.

module nct_fp_unit #(
  parameter int unsigned LANES = 8
) (
  input  logic [3:0]  op_i,
  input  logic [31:0] a_i   [LANES],
  input  logic [31:0] b_i   [LANES],
  output logic [31:0] res_o [LANES]
);

  for (genvar l = 0; l < LANES; l++) begin : g_lane
    nct_fp_unit_lane u_lane (
      .op_i,
      .a_i   (a_i[l]),
      .b_i   (b_i[l]),
      .res_o (res_o[l])
    );
  end

endmodule
