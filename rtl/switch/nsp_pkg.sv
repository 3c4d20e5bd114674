// NSP (the scale-up switch port protocol of docs/switch.md): flit formats, opcodes, link
// control flits, CRCs and the fixed protocol parameters. Configurable sizes (ports, buffer
// depths, timers) are module parameters of nsp_link, nsp_port, nsp_switch, nsp_endpoint.

package nsp_pkg;

  localparam int unsigned FLIT_W         = 128;
  localparam int unsigned NVC            = 4;
  localparam int unsigned MAX_DATA_FLITS = 16;
  localparam int unsigned ID_W           = 10;
  localparam int unsigned SEQ_W          = 10;
  localparam int unsigned CR_W           = 12;  // absolute credit counters, mod 2^12
  localparam int unsigned RT_ENTRIES     = 1 << ID_W;
  localparam int unsigned DEF_BUF_FLITS  = 34;  // two largest packets (endpoints)
  // Ingress buffer per VC of a switch port, shared by its virtual output queues: eight
  // largest packets (docs/decisions/0007-nsp-switch.md, addendum on head-of-line blocking).
  localparam int unsigned SW_BUF_FLITS   = 136;

  typedef logic [FLIT_W-1:0] flit_t;

  // Flit kinds on the wire (a sideband the PHY keeps intact, like the sync header of
  // 128b/130b coding; bit errors hit the 128 data bits only).
  typedef enum logic [1:0] {
    KIND_CTL  = 2'd0,
    KIND_HDR  = 2'd1,
    KIND_DATA = 2'd2,
    KIND_TRL  = 2'd3
  } kind_e;

  // Opcodes (header bits 127:122).
  localparam logic [5:0] OP_NOP    = 6'd0;
  localparam logic [5:0] OP_RD     = 6'd1;
  localparam logic [5:0] OP_WR     = 6'd2;
  localparam logic [5:0] OP_RD_RSP = 6'd3;
  localparam logic [5:0] OP_WR_RSP = 6'd4;
  localparam logic [5:0] OP_MSG    = 6'd5;

  // Response status.
  localparam logic [3:0] ST_OK           = 4'd0;
  localparam logic [3:0] ST_DECODE_ERR   = 4'd1;
  localparam logic [3:0] ST_TARGET_ABORT = 4'd2;
  localparam logic [3:0] ST_POISON       = 4'd3;
  localparam logic [3:0] ST_TIMEOUT      = 4'd4;

  // VCs.
  localparam logic [1:0] VC_REQ  = 2'd0;
  localparam logic [1:0] VC_RSP  = 2'd1;
  localparam logic [1:0] VC_MGMT = 2'd2;

  // Header flit, MSB first: 6+2+10+10+11+5+4+4+1+4+48+23 = 128 bits.
  typedef struct packed {
    logic [5:0]  opcode;
    logic [1:0]  vc;
    logic [9:0]  dst;
    logic [9:0]  src;
    logic [10:0] tag;
    logic [4:0]  len;
    logic [3:0]  flow;
    logic [3:0]  status;
    logic        poison;
    logic [3:0]  ttl;
    logic [47:0] addr;
    logic [22:0] byte_en;
  } hdr_t;

  // Trailer flit: lsn, piggy-backed ACK and per-VC absolute credit limits, CRC-32C over
  // the header, the data flits and this flit with its crc field zero.
  typedef struct packed {
    logic [SEQ_W-1:0]         lsn;
    logic                     ack_valid;
    logic [SEQ_W-1:0]         ack_lsn;
    logic [NVC-1:0][CR_W-1:0] fccl;
    logic [26:0]              rsvd;
    logic [31:0]              crc;
  } trl_t;

  // Link-control flits: never forwarded, never credited, never replayed.
  typedef enum logic [3:0] {
    CTL_IDLE    = 4'd0,
    CTL_ACK     = 4'd1,
    CTL_NAK     = 4'd2,
    CTL_CREDIT  = 4'd3,
    CTL_INIT    = 4'd4,
    CTL_RETRAIN = 4'd5
  } ctl_e;

  // Control flit: type, INIT's "I have your INIT" bit, an lsn (ACK: acknowledged lsn,
  // NAK: expected lsn), four 12-bit values (CREDIT: fccl, INIT: buffer sizes) and CRC-16
  // over bits 127:16.
  typedef struct packed {
    ctl_e                     typ;
    logic                     got;
    logic [SEQ_W-1:0]         lsn;
    logic [NVC-1:0][CR_W-1:0] val;
    logic [48:0]              rsvd;
    logic [15:0]              crc;
  } ctl_t;

  // Link states (link_state CSR).
  localparam logic [2:0] LS_DOWN     = 3'd0;
  localparam logic [2:0] LS_INIT     = 3'd1;
  localparam logic [2:0] LS_UP       = 3'd2;
  localparam logic [2:0] LS_DEGRADED = 3'd3;
  localparam logic [2:0] LS_RETRAIN  = 3'd4;

  // CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), one flit, bit 0 first.
  function automatic logic [31:0] crc32c_flit(logic [31:0] crc, flit_t d);
    logic [31:0] c;
    c = crc;
    for (int unsigned i = 0; i < FLIT_W; i++) begin
      if (c[0] ^ d[i]) c = (c >> 1) ^ 32'h82F63B78;
      else c = c >> 1;
    end
    return c;
  endfunction

  // CRC-16/CCITT (reflected polynomial 0x8408) over bits 127:16 of a control flit.
  function automatic logic [15:0] crc16_ctl(flit_t d);
    logic [15:0] c;
    c = 16'hFFFF;
    for (int unsigned i = 16; i < FLIT_W; i++) begin
      if (c[0] ^ d[i]) c = (c >> 1) ^ 16'h8408;
      else c = c >> 1;
    end
    return c;
  endfunction

  localparam logic [31:0] CRC32_INIT = 32'hFFFFFFFF;

  // Link counters of nsp_link (read with cnt_idx; the switch maps them into its CSRs).
  localparam int unsigned CNT_STATE        = 0;
  localparam int unsigned CNT_CRC_ERR      = 1;   // bad packet frames + bad control flits
  localparam int unsigned CNT_SEQ_ERR      = 2;
  localparam int unsigned CNT_NAK_TX       = 3;
  localparam int unsigned CNT_NAK_RX       = 4;
  localparam int unsigned CNT_REPLAY       = 5;   // replays started (NAK or timeout)
  localparam int unsigned CNT_REPLAY_TO    = 6;
  localparam int unsigned CNT_CREDIT_OVF   = 7;   // sticky flag
  localparam int unsigned CNT_DUP_DROP     = 8;
  localparam int unsigned CNT_CTL_CRC_ERR  = 9;   // the control-flit part of crc_err
  localparam int unsigned CNT_POISON_RX    = 10;
  localparam int unsigned CNT_POISON_TX    = 11;
  localparam int unsigned CNT_PKT_IN       = 12;  // + vc
  localparam int unsigned CNT_PKT_OUT      = 16;  // + vc
  localparam int unsigned CNT_FLIT_IN      = 20;  // + vc
  localparam int unsigned CNT_FLIT_OUT     = 24;  // + vc
  localparam int unsigned CNT_HIWATER      = 28;  // + vc
  localparam int unsigned CNT_TX_CREDIT    = 32;  // + vc: limit - sent (debug)
  localparam int unsigned CNT_TX_LSN       = 36;
  localparam int unsigned CNT_RX_EXP       = 37;
  localparam int unsigned CNT_OUTSTANDING  = 38;  // packets in the replay buffer
  localparam int unsigned CNT_FRAMES_TX    = 39;  // packet transmissions incl. replays
  localparam int unsigned CNT_CTL_TX       = 40;
  localparam int unsigned CNT_FRAMES_RX    = 41;  // trailers seen (any frame)
  localparam int unsigned CNT_DEGRADED     = 42;  // entries into DEGRADED
  localparam int unsigned CNT_RX_OCC       = 44;  // + vc: ingress FIFO occupancy
  localparam int unsigned CNT_RB_USED      = 48;  // replay buffer flits in use
  localparam int unsigned CNT_RETRAIN      = 49;
  localparam int unsigned CNT_LIMIT        = 52;  // + vc: credit limit from the peer (debug)
  localparam int unsigned CNT_SENT         = 56;  // + vc: flits sent (debug)
  localparam int unsigned CNT_FREED        = 60;  // + vc: flits freed here (debug)
  localparam int unsigned NCNT             = 64;

endpackage
