/* Indices of the NSP link counters (switch CSR PORT[p].LINK_CNT[i], endpoint LINK_CNT[i]):
 * the ones the firmware reads. They mirror nsp_pkg::CNT_* in rtl/switch/nsp_pkg.sv, and
 * python/tests/test_generated.py checks that they agree. */
#ifndef NCV_NSP_CNT_H
#define NCV_NSP_CNT_H

#define NSP_CNT_STATE 0u   /* 0 DOWN, 1 INIT, 2 UP, 3 DEGRADED, 4 RETRAIN */
#define NSP_CNT_CRC_ERR 1u /* bad packet frames + bad control flits */
#define NSP_CNT_REPLAY 5u  /* replays started (NAK or timeout) */
#define NSP_CNT_DEGRADED 42u
#define NSP_CNT_RETRAIN 49u

#define NSP_LINK_DOWN 0u
#define NSP_LINK_INIT 1u
#define NSP_LINK_UP 2u
#define NSP_LINK_DEGRADED 3u
#define NSP_LINK_RETRAIN 4u

#endif /* NCV_NSP_CNT_H */
