// The golden model's execution core (tile.md "Engines and queues"): four in-order queues
// fetching 128-bit instructions from rings in device memory, semaphores, per-queue scalar
// registers, every opcode, first-error latching, the notification ring, interrupt status
// and a retire log per queue. Plain C++17; the platform supplies device memory.
//
// The model retires an instruction when it executes it (all its writes are visible at
// once). Which queue goes next is the scheduler's choice: round-robin, or a seeded random
// legal order, so one program can be run under many interleavings.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "nct_isa.h"
#include "ncv/golden/engines.h"
#include "ncv/golden/tile_params.h"

namespace ncv::golden {

enum class MemStatus { kOk, kDecodeError, kBusError };

// Device memory as the tile's AXI4 master sees it (40-bit chip addresses).
class DeviceMemory {
 public:
  virtual ~DeviceMemory() = default;
  virtual MemStatus read(uint64_t addr, uint8_t *dst, size_t len) = 0;
  virtual MemStatus write(uint64_t addr, const uint8_t *src, size_t len) = 0;
};

enum class QState : uint8_t { kIdle = 0, kRun = 1, kWait = 2, kDone = 3, kErr = 4 };

// INTR_STATUS bits.
enum Intr : uint32_t {
  kIntrQDone0 = 1u << 0,  // ... bit q for queue q
  kIntrNotify = 1u << 4,
  kIntrError = 1u << 5,
  kIntrWatchdog = 1u << 6,
  kIntrNqOverflow = 1u << 7,
};

// Notification record types (16-byte records in the ring).
enum NotifyType : uint8_t { kNotifyHalt = 1, kNotifyTag = 2, kNotifyError = 3 };

struct RetireRecord {
  uint32_t index;  // ring index the instruction was fetched from
  uint8_t opcode;
  uint64_t digest;  // FNV-1a 64 of the bytes the instruction wrote (0 if it wrote no buffer or memory)
};

// Two instructions of different queues touching overlapping bytes, at least one writing,
// with no semaphore path ordering them (tile.md: such a program is racy).
struct Race {
  unsigned queue_a = 0, queue_b = 0;  // a came first in this run
  uint32_t index_a = 0, index_b = 0;  // ring indices
  uint8_t opcode_a = 0, opcode_b = 0;
  unsigned space = 0;       // 0 SBUF, 1 PSUM, 2 device memory
  unsigned partition = 0;   // for SBUF/PSUM
  uint64_t lo = 0, hi = 0;  // overlapping bytes [lo, hi) (offset in the partition, or address)
};

// Performance counters (tile.md PERF_*). MACs and DMA bytes are exact and equal the RTL's;
// the cycle counts come from the model's cost model (decision 0005: one element per lane
// per cycle, one moving column per cycle after fill, one AXI beat per cycle) and are an
// estimate, not the RTL's cycles.
struct Perf {
  uint64_t cycles = 0;
  uint64_t busy[4] = {};     // per engine (= queue)
  uint64_t semwait[4] = {};  // per queue: cycles its head waited for a semaphore
  uint64_t dma_rd = 0, dma_wr = 0;  // DMA payload bytes
  uint64_t macs = 0;                // PE multiply-accumulates (K x M x N per PE_MM)
};

// Bytes an instruction writes: space 0 SBUF, 1 PSUM (partition, byte offsets [lo, hi)),
// 2 device memory (addresses [lo, hi)).
struct Span {
  unsigned space = 0, partition = 0;
  uint64_t lo = 0, hi = 0;
};

struct ErrorInfo {
  Err code = Err::kNone;
  unsigned queue = 0;
  uint32_t index = 0;
  uint64_t addr = 0;
};

class Core {
 public:
  Core(const TileParams &p, DeviceMemory &mem);

  // Control (what the CSRs do).
  void soft_reset();  // queues, semaphores, errors, weights, notification ring pointers
  void set_ring(unsigned q, uint64_t base, unsigned size_log2);
  void doorbell(unsigned q, uint32_t tail);
  void set_notify_ring(uint64_t base, unsigned size_log2);
  void set_nq_head(uint32_t head) { nq_head_ = head; }
  void set_semaphore(unsigned s, uint32_t v);
  void set_enable(bool on) { enabled_ = on; }
  void set_hold(unsigned q, bool on) { q_[q].hold = on; }  // Qq_CTRL.HOLD: stop issuing on q
  void set_halt_all(bool on) { halt_all_ = on; }             // CTRL.HALT_ALL: stop issuing on all
  void sem_add(unsigned s, uint32_t d);  // SEM_INC / SEM_DEC (d = -n), 16-bit wrapping
  void intr_raise(uint32_t bits) { intr_ |= bits; }  // INTR_SET
  // Watchdog (tile.md 0x040): `cycles` without a retirement while busy stop every busy
  // queue with error 0x20; 0 = off. The model spends no time blocked on its own: the
  // platform says how much time passed with advance(), and run_until_blocked() of the
  // CSR front advances by the watchdog period when nothing can issue (a deadlock).
  void set_watchdog(uint32_t cycles) { watchdog_ = cycles; }
  void advance(uint64_t cycles);

  // Execution.
  bool can_issue(unsigned q) const;  // enabled, has work, not blocked, not DONE/ERR
  void step(unsigned q);             // fetch, check, execute and retire one instruction
  bool busy() const;                 // some queue has work and is not DONE/ERR
  // Runs until no queue can issue; `pick` chooses among the issuable queues (mask).
  // Returns the number of instructions executed; stops after `max_steps`.
  uint64_t run(const std::function<unsigned(unsigned mask)> &pick, uint64_t max_steps = 1ull << 32);
  uint64_t run_round_robin(uint64_t max_steps = 1ull << 32);
  uint64_t run_random(uint64_t seed, uint64_t max_steps = 1ull << 32);

  // Observation.
  QState state(unsigned q) const;
  uint32_t head(unsigned q) const { return q_[q].head; }
  uint32_t retired(unsigned q) const { return q_[q].retired; }
  uint32_t semaphore(unsigned s) const { return sem_.at(s); }
  uint32_t reg(unsigned q, unsigned r) const { return r ? q_[q].regs[r] : 0; }
  uint32_t intr_status() const { return intr_; }
  void intr_clear(uint32_t w1c) { intr_ &= ~w1c; }
  uint32_t nq_tail() const { return nq_tail_; }
  uint32_t nq_head() const { return nq_head_; }
  uint32_t tail(unsigned q) const { return q_[q].tail; }
  bool hold(unsigned q) const { return q_[q].hold; }
  const Perf &perf() const { return perf_; }
  // The instruction at the head of queue q (false if the ring read fails).
  bool head_word(unsigned q, isa::Word &w) const;
  // What instruction w at the head of queue q writes (for testbenches comparing results
  // instruction by instruction); uses the queue's registers and the loaded weights.
  std::vector<Span> writes_of(unsigned q, const isa::Word &w) const;
  const ErrorInfo &error() const { return err_; }
  const std::vector<RetireRecord> &retire_log(unsigned q) const { return q_[q].log; }
  Buffers &buffers() { return buf_; }

  // Race detection: vector clocks per queue, semaphores as release/acquire, every
  // SBUF/PSUM/device-memory access recorded. Enable before running; the first race found
  // is kept. Run the same program under several schedules to expose different orders.
  void enable_race_detection(bool on) { race_on_ = on; }
  bool race_found() const { return race_found_; }
  const Race &race() const { return race_; }
  const PeState &pe() const { return pe_; }

  static constexpr unsigned kQueues = 4;
  static constexpr uint32_t kSemMask = 0xFFFFu;  // semaphores are 16 bits, wrapping

 private:
  struct Queue {
    uint64_t base = 0;
    unsigned size_log2 = 0;
    uint32_t head = 0, tail = 0, retired = 0;
    bool halted = false, failed = false, hold = false;
    uint64_t t = 0;  // cost-model time at which the queue's last instruction finished
    uint32_t regs[16] = {};
    std::vector<RetireRecord> log;
  };

  struct Fetched {
    bool ok = false;  // false: the ring read failed (error 0x12 at issue)
    isa::Word word;
  };
  Fetched fetch(unsigned q) const;
  bool has_work(unsigned q) const;
  bool issuable(const Fetched &f) const;  // the semaphore condition of the head instruction
  void step(unsigned q, const Fetched &f);
  void fail(unsigned q, Err code, uint64_t addr);
  void notify(NotifyType t, unsigned q, uint32_t index, uint32_t tag);
  bool sem_ok(unsigned s) const { return s == isa::kNoSem || s < p_.NSEM; }
  Err exec(unsigned q, const isa::Word &w, uint64_t &addr, uint64_t &digest);

  struct Access {
    unsigned queue;
    uint32_t index;
    uint8_t opcode;
    bool write;
    unsigned space, partition;
    uint64_t lo, hi;
    std::vector<uint32_t> vc;
  };
  void race_accesses(unsigned q, const isa::Word &w, std::vector<Access> &out) const;
  void race_check_and_record(unsigned q, const isa::Word &w);

  bool race_on_ = false, race_found_ = false;
  Race race_;
  std::vector<uint32_t> vc_[kQueues];
  std::vector<std::vector<uint32_t>> sem_vc_;
  std::vector<Access> accesses_;

  TileParams p_;
  DeviceMemory &mem_;
  Buffers buf_;
  PeState pe_;
  Queue q_[kQueues];
  std::vector<uint32_t> sem_;
  bool enabled_ = false;
  uint32_t intr_ = 0;
  ErrorInfo err_;
  uint64_t nq_base_ = 0;
  unsigned nq_size_log2_ = 0;
  uint32_t nq_head_ = 0, nq_tail_ = 0;
  uint64_t steps_ = 0;
  bool halt_all_ = false;
  uint32_t watchdog_ = 0;
  uint64_t idle_ = 0;  // cycles since the last retirement while busy
  Perf perf_;
  std::vector<uint64_t> sem_t_;  // cost-model time of each semaphore's last update
  uint64_t cost(unsigned q, const isa::Word &w) const;
  void account(unsigned q, const isa::Word &w);
  void watchdog_expire();
  void count(const isa::Word &w, unsigned m);
  uint64_t now_ = 0;  // cost-model time of the event being recorded (notification cycle)
};

}  // namespace ncv::golden
