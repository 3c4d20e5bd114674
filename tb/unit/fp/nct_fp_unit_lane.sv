// One lane of the unit-test top nct_fp_unit: the operation selected by op_i applied to
// a_i/b_i (narrow results zero- or sign-extended as noted). The op codes are mirrored by
// tb/unit/fp/fp_unit_tests.cpp.

module nct_fp_unit_lane
  import nct_fp_pkg::*;
(
  input  logic [3:0]  op_i,
  input  logic [31:0] a_i,
  input  logic [31:0] b_i,
  output logic [31:0] res_o
);
  localparam logic [3:0] OP_F32_ADD     = 4'd0;
  localparam logic [3:0] OP_F32_SUB     = 4'd1;
  localparam logic [3:0] OP_F32_MUL     = 4'd2;
  localparam logic [3:0] OP_F32_MAX     = 4'd3;
  localparam logic [3:0] OP_F32_MIN     = 4'd4;
  localparam logic [3:0] OP_F32_RELU    = 4'd5;   // a_i
  localparam logic [3:0] OP_BF16_TO_F32 = 4'd6;   // a_i[15:0]
  localparam logic [3:0] OP_F32_TO_BF16 = 4'd7;   // a_i; result zero-extended
  localparam logic [3:0] OP_I32_TO_F32  = 4'd8;   // a_i
  localparam logic [3:0] OP_F32_TO_I32  = 4'd9;   // a_i
  localparam logic [3:0] OP_I32_TO_I8   = 4'd10;  // a_i; result sign-extended
  localparam logic [3:0] OP_PE_MUL_BF16 = 4'd11;  // a_i[15:0] x b_i[15:0]

  logic [7:0] i8_res;
  assign i8_res = i32_to_i8(a_i);

  always_comb begin
    unique case (op_i)
      OP_F32_ADD:     res_o = f32_add(a_i, b_i);
      OP_F32_SUB:     res_o = f32_sub(a_i, b_i);
      OP_F32_MUL:     res_o = f32_mul(a_i, b_i);
      OP_F32_MAX:     res_o = f32_max(a_i, b_i);
      OP_F32_MIN:     res_o = f32_min(a_i, b_i);
      OP_F32_RELU:    res_o = f32_relu(a_i);
      OP_BF16_TO_F32: res_o = bf16_to_f32(a_i[15:0]);
      OP_F32_TO_BF16: res_o = {16'h0, f32_to_bf16(a_i)};
      OP_I32_TO_F32:  res_o = i32_to_f32(a_i);
      OP_F32_TO_I32:  res_o = f32_to_i32(a_i);
      OP_I32_TO_I8:   res_o = {{24{i8_res[7]}}, i8_res};
      OP_PE_MUL_BF16: res_o = pe_mul_bf16(a_i[15:0], b_i[15:0]);
      default:        res_o = 32'h0;
    endcase
  end

endmodule
