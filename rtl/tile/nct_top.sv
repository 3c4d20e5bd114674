// NCT tile top (tile.md). This first increment carries the tile's real interfaces and its
// generated CSR block; the engines, queues and the AXI4 master traffic come with the tile
// issue. Build parameters come from the generated package nct_cfg_pkg (configs/*.yaml).

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

  // Retire trace port: one retirement per queue per cycle at most.
  output logic [3:0]              trace_valid_o,
  output logic [3:0][15:0]        trace_index_o,
  output logic [3:0][7:0]         trace_opcode_o
);

  // ---------------------------------------------------------------------------------------
  // CSR block (generated from rtl/tile/data/nct_csr.rdl by PeakRDL-regblock)
  // ---------------------------------------------------------------------------------------
  nct_csr_pkg::nct_csr__in_t  hwif_in;
  nct_csr_pkg::nct_csr__out_t hwif_out;
  logic                       intr_set_q;

  always_comb begin
    // Status, error, queue, semaphore and performance registers read 0 until the engines
    // drive them; build parameters and interrupts are driven below.
    hwif_in = '{default: '0};
    hwif_in.VERSION.MAJOR.next        = 8'(VERSION_MAJOR);
    hwif_in.VERSION.MINOR.next        = 8'(VERSION_MINOR);
    hwif_in.VERSION.PATCH.next        = 8'(VERSION_PATCH);
    hwif_in.CONFIG0.P.next            = 8'(P);
    hwif_in.CONFIG0.NSEM.next         = 8'(NSEM);
    hwif_in.CONFIG0.NMAX_DIV16.next   = 8'(NMAX / 16);
    hwif_in.CONFIG0.AXI_BYTES.next    = 8'(AXI_DATA_W / 8);
    hwif_in.CONFIG1.SBUF_KB.next      = 12'(SBUF_PART_BYTES / 1024);
    hwif_in.CONFIG1.PSUM_KB.next      = 12'(PSUM_PART_BYTES / 1024);
    hwif_in.CONFIG1.FEATURES.next     = 8'(FEATURES);
    // Interrupt status bits are sticky; INTR_SET raises them (engines will too).
    {hwif_in.INTR_STATUS.NQ_OVERFLOW.next, hwif_in.INTR_STATUS.WATCHDOG.next,
     hwif_in.INTR_STATUS.ERROR.next, hwif_in.INTR_STATUS.NOTIFY.next,
     hwif_in.INTR_STATUS.Q_DONE.next} = intr_set_q ? hwif_out.INTR_SET.SET.value : 8'h00;
  end

  // INTR_SET's stored value changes at the edge that ends its write strobe (swmod): use
  // the strobe one cycle later, when the value holds what was written.
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      intr_set_q <= 1'b0;
    end else begin
      intr_set_q <= hwif_out.INTR_SET.SET.swmod;
    end
  end

  // The single interrupt output: any enabled status bit.
  logic [7:0] intr_status;
  assign intr_status = {hwif_out.INTR_STATUS.NQ_OVERFLOW.value, hwif_out.INTR_STATUS.WATCHDOG.value,
                        hwif_out.INTR_STATUS.ERROR.value, hwif_out.INTR_STATUS.NOTIFY.value,
                        hwif_out.INTR_STATUS.Q_DONE.value};

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
  // Engines: not in this increment. The AXI4 master is idle, no interrupt, no retirements.
  // ---------------------------------------------------------------------------------------
  assign m_axi_awvalid_o = 1'b0;
  assign m_axi_awid_o    = '0;
  assign m_axi_awaddr_o  = '0;
  assign m_axi_awlen_o   = '0;
  assign m_axi_awsize_o  = 3'($clog2(AXI_DATA_W / 8));
  assign m_axi_awburst_o = 2'b01;
  assign m_axi_wvalid_o  = 1'b0;
  assign m_axi_wdata_o   = '0;
  assign m_axi_wstrb_o   = '0;
  assign m_axi_wlast_o   = 1'b0;
  assign m_axi_bready_o  = 1'b1;
  assign m_axi_arvalid_o = 1'b0;
  assign m_axi_arid_o    = '0;
  assign m_axi_araddr_o  = '0;
  assign m_axi_arlen_o   = '0;
  assign m_axi_arsize_o  = 3'($clog2(AXI_DATA_W / 8));
  assign m_axi_arburst_o = 2'b01;
  assign m_axi_rready_o  = 1'b1;

  assign irq_o           = |(intr_status & hwif_out.INTR_ENABLE.MASK.value);
  assign trace_valid_o   = '0;
  assign trace_index_o   = '0;
  assign trace_opcode_o  = '0;

  // Inputs and control registers the engines will consume; until then they are
  // intentionally unused (the remaining hwif_out fields are waived in rtl/lint.vlt).
  logic unused_inputs;
  assign unused_inputs = ^{m_axi_awready_i, m_axi_wready_i, m_axi_bvalid_i, m_axi_bid_i,
                           m_axi_bresp_i, m_axi_arready_i, m_axi_rvalid_i, m_axi_rid_i,
                           m_axi_rdata_i, m_axi_rresp_i, m_axi_rlast_i,
                           hwif_out.CTRL.ENABLE.value, hwif_out.CTRL.SOFT_RESET.value,
                           hwif_out.CTRL.HALT_ALL.value};

endmodule
