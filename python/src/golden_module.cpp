// ncv._golden: the golden model's numerics on numpy arrays (bit patterns in, bit
// patterns out), for Python tests, notebooks and oracles.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <vector>

#include "ncv/golden/builder.h"
#include "ncv/golden/core.h"
#include "ncv/golden/tile_model.h"
#include "ncv/golden/engines.h"
#include "ncv/golden/numerics.h"

namespace py = pybind11;
namespace num = ncv::num;

namespace {

ncv::isa::Word to_word(const py::int_ &word) {
  const py::int_ mask64 = py::int_(0xFFFFFFFFFFFFFFFFull);
  ncv::isa::Word w;
  w.lo = (word & mask64).cast<uint64_t>();
  w.hi = ((word >> py::int_(64)) & mask64).cast<uint64_t>();
  return w;
}

template <typename In, typename Out, Out (*F)(In)>
py::array_t<Out> unary(py::array_t<In, py::array::c_style | py::array::forcecast> x) {
  py::array_t<Out> out(x.request().shape);
  const In *src = x.data();
  Out *dst = out.mutable_data();
  const py::ssize_t n = x.size();
  for (py::ssize_t i = 0; i < n; ++i) dst[i] = F(src[i]);
  return out;
}

template <typename In, uint32_t (*F)(In, In)>
py::array_t<uint32_t> binary(py::array_t<In, py::array::c_style | py::array::forcecast> a,
                             py::array_t<In, py::array::c_style | py::array::forcecast> b) {
  if (a.size() != b.size()) throw py::value_error("operands must have the same number of elements");
  py::array_t<uint32_t> out(a.request().shape);
  const In *x = a.data();
  const In *y = b.data();
  uint32_t *dst = out.mutable_data();
  const py::ssize_t n = a.size();
  for (py::ssize_t i = 0; i < n; ++i) dst[i] = F(x[i], y[i]);
  return out;
}

// Runs one vector/activation instruction on SBUF/PSUM images (uint8 arrays of
// P * part_bytes, updated in place). Returns (error code, where).
py::tuple exec_vector(py::int_ word, py::array_t<uint8_t, py::array::c_style> sbuf,
                      py::array_t<uint8_t, py::array::c_style> psum, const std::vector<uint32_t> &regs, uint32_t P,
                      uint32_t sbuf_part_bytes, uint32_t psum_part_bytes) {
  ncv::golden::TileParams prm;
  prm.P = P;
  prm.SBUF_PART_BYTES = sbuf_part_bytes;
  prm.PSUM_PART_BYTES = psum_part_bytes;
  if (regs.size() != 16) throw py::value_error("regs must have 16 entries");
  if (size_t(sbuf.size()) != size_t(P) * sbuf_part_bytes || size_t(psum.size()) != size_t(P) * psum_part_bytes)
    throw py::value_error("sbuf/psum sizes must be P * part_bytes");
  ncv::golden::Buffers b(prm);
  std::memcpy(b.sbuf.data(), sbuf.data(), b.sbuf.size());
  std::memcpy(b.psum.data(), psum.data(), b.psum.size());
  const auto r = ncv::golden::exec_vector(to_word(word), b, regs.data(), prm);
  std::memcpy(sbuf.mutable_data(), b.sbuf.data(), b.sbuf.size());
  std::memcpy(psum.mutable_data(), b.psum.data(), b.psum.size());
  return py::make_tuple(static_cast<int>(r.err), r.where);
}

py::tuple exec_pe(py::int_ word, py::array_t<uint8_t, py::array::c_style> sbuf,
                  py::array_t<uint8_t, py::array::c_style> psum, ncv::golden::PeState &pe, uint32_t P,
                  uint32_t sbuf_part_bytes, uint32_t psum_part_bytes, uint32_t nmax) {
  ncv::golden::TileParams prm;
  prm.P = P;
  prm.SBUF_PART_BYTES = sbuf_part_bytes;
  prm.PSUM_PART_BYTES = psum_part_bytes;
  prm.NMAX = nmax;
  if (size_t(sbuf.size()) != size_t(P) * sbuf_part_bytes || size_t(psum.size()) != size_t(P) * psum_part_bytes)
    throw py::value_error("sbuf/psum sizes must be P * part_bytes");
  ncv::golden::Buffers b(prm);
  std::memcpy(b.sbuf.data(), sbuf.data(), b.sbuf.size());
  std::memcpy(b.psum.data(), psum.data(), b.psum.size());
  const auto r = ncv::golden::exec_pe(to_word(word), b, pe, prm);
  std::memcpy(psum.mutable_data(), b.psum.data(), b.psum.size());
  return py::make_tuple(static_cast<int>(r.err), r.where);
}

// Device memory for Python tests: a flat byte array from address 0; beyond it, decode
// errors; a settable range answers bus errors.
class FlatMemory : public ncv::golden::DeviceMemory {
 public:
  explicit FlatMemory(size_t size) : m_(size) {}
  ncv::golden::MemStatus read(uint64_t a, uint8_t *d, size_t n) override {
    const auto st = check(a, n);
    if (st == ncv::golden::MemStatus::kOk) std::memcpy(d, m_.data() + a, n);
    return st;
  }
  ncv::golden::MemStatus write(uint64_t a, const uint8_t *s, size_t n) override {
    const auto st = check(a, n);
    if (st == ncv::golden::MemStatus::kOk) std::memcpy(m_.data() + a, s, n);
    return st;
  }
  ncv::golden::MemStatus check(uint64_t a, size_t n) const {
    if (a + n > m_.size()) return ncv::golden::MemStatus::kDecodeError;
    if (a < bus_hi_ && a + n > bus_lo_) return ncv::golden::MemStatus::kBusError;
    return ncv::golden::MemStatus::kOk;
  }
  std::vector<uint8_t> m_;
  uint64_t bus_lo_ = 0, bus_hi_ = 0;
};

ncv::golden::TileParams tile_params(uint32_t P, uint32_t sbuf, uint32_t psum, uint32_t nmax, uint32_t nsem) {
  ncv::golden::TileParams p;
  p.P = P;
  p.SBUF_PART_BYTES = sbuf;
  p.PSUM_PART_BYTES = psum;
  p.NMAX = nmax;
  p.NSEM = nsem;
  p.AXI_DW = 128;
  return p;
}

// A flat device memory with byte access from Python.
class PyMem {
 public:
  explicit PyMem(size_t size) : mem_(size) {}
  void mem_write(uint64_t a, py::bytes b) {
    const std::string s = b;
    if (mem_.write(a, reinterpret_cast<const uint8_t *>(s.data()), s.size()) != ncv::golden::MemStatus::kOk)
      throw py::index_error("outside device memory");
  }
  py::bytes mem_read(uint64_t a, size_t n) {
    std::string s(n, '\0');
    if (mem_.read(a, reinterpret_cast<uint8_t *>(s.data()), n) != ncv::golden::MemStatus::kOk)
      throw py::index_error("outside device memory");
    return py::bytes(s);
  }
  FlatMemory mem_;
};

class PyCore : public PyMem {
 public:
  PyCore(uint32_t P, uint32_t sbuf, uint32_t psum, uint32_t nmax, uint32_t nsem, size_t mem_size)
      : PyMem(mem_size), core_(tile_params(P, sbuf, psum, nmax, nsem), mem_) {}
  ncv::golden::Core &core() { return core_; }
  ncv::golden::Core core_;
};

// The whole tile behind its CSR page (TileModel), with a flat device memory.
class PyTile : public PyMem {
 public:
  PyTile(uint32_t P, uint32_t sbuf, uint32_t psum, uint32_t nmax, uint32_t nsem, size_t mem_size)
      : PyMem(mem_size), tile_(tile_params(P, sbuf, psum, nmax, nsem), &mem_) {}
  ncv::golden::Core &core() { return tile_.core(); }
  ncv::golden::TileModel tile_;
};

// A built program as Python values: (queues: 4 lists of 128-bit ints, memory: [(addr,
// bytes)], outputs: {name: (addr, rows, cols, element bytes)}, end).
py::tuple program_to_py(const ncv::golden::build::Program &p) {
  py::list queues;
  for (const auto &q : p.queues) {
    py::list l;
    for (const auto &w : q) {
      py::int_ hi(w.hi), lo(w.lo);
      l.append(hi.attr("__lshift__")(64).attr("__or__")(lo));
    }
    queues.append(l);
  }
  py::list mem;
  for (const auto &seg : p.memory)
    mem.append(py::make_tuple(seg.addr, py::bytes(reinterpret_cast<const char *>(seg.bytes.data()), seg.bytes.size())));
  py::dict outs;
  for (const auto &kv : p.outputs)
    outs[py::str(kv.first)] = py::make_tuple(kv.second.addr, kv.second.rows, kv.second.cols, kv.second.elem_bytes);
  return py::make_tuple(queues, mem, outs, p.end);
}

using U16 = py::array_t<uint16_t, py::array::c_style | py::array::forcecast>;
using F32 = py::array_t<float, py::array::c_style | py::array::forcecast>;

py::tuple build_matmul(U16 a, U16 b, uint32_t P, uint32_t sbuf, uint32_t psum, uint32_t nmax, uint64_t base,
                       std::optional<F32> bias, float scale, bool row_max) {
  if (a.ndim() != 2 || b.ndim() != 2 || a.shape(1) != b.shape(0))
    throw std::invalid_argument("build_matmul: expected A [M, K] and B [K, N]");
  ncv::golden::build::MatmulOptions o;
  o.base = base;
  o.scale = scale;
  o.row_max = row_max;
  if (bias) {
    if (bias->ndim() != 1 || bias->shape(0) != b.shape(1)) throw std::invalid_argument("build_matmul: bias must be [N]");
    o.bias = bias->data();
  }
  const auto prog = ncv::golden::build::matmul(a.data(), b.data(), unsigned(a.shape(0)), unsigned(a.shape(1)),
                                               unsigned(b.shape(1)), tile_params(P, sbuf, psum, nmax, 32), o);
  return program_to_py(prog);
}

py::tuple build_attention(U16 q, U16 k, float scale, uint32_t P, uint32_t sbuf, uint32_t psum, uint32_t nmax,
                          uint64_t base) {
  if (q.ndim() != 2 || k.ndim() != 2 || q.shape(1) != k.shape(1))
    throw std::invalid_argument("build_attention_scores: expected Q [S, D] and K [T, D]");
  return program_to_py(ncv::golden::build::attention_scores(q.data(), k.data(), unsigned(q.shape(0)),
                                                            unsigned(k.shape(0)), unsigned(q.shape(1)), scale,
                                                            tile_params(P, sbuf, psum, nmax, 32), base));
}

py::tuple build_reduce_rows(F32 x, unsigned op, uint32_t P, uint32_t sbuf, uint64_t base) {
  if (x.ndim() != 2) throw std::invalid_argument("build_reduce_rows: expected X [R, L]");
  return program_to_py(ncv::golden::build::reduce_rows(x.data(), unsigned(x.shape(0)), unsigned(x.shape(1)), op,
                                                       tile_params(P, sbuf, 1024, 64, 32), base));
}

// Methods that observe the core, shared by Core and Tile.
template <class T>
void bind_core_common(py::class_<T> &cls) {
  cls.def("mem_write", [](T &c, uint64_t a, py::bytes b) { c.mem_write(a, b); })
      .def("mem_read", [](T &c, uint64_t a, size_t n) { return c.mem_read(a, n); })
      .def("set_bus_error", [](T &c, uint64_t lo, uint64_t hi) { c.mem_.bus_lo_ = lo, c.mem_.bus_hi_ = hi; })
      .def("enable_race_detection", [](T &c, bool on) { c.core().enable_race_detection(on); })
      .def("race",
           [](T &c) -> py::object {
             if (!c.core().race_found()) return py::none();
             const auto &r = c.core().race();
             py::dict d;
             d["a"] = py::make_tuple(r.queue_a, r.index_a, r.opcode_a);
             d["b"] = py::make_tuple(r.queue_b, r.index_b, r.opcode_b);
             d["space"] = std::string(r.space == 0 ? "sbuf" : r.space == 1 ? "psum" : "memory");
             d["partition"] = r.partition;
             d["range"] = py::make_tuple(r.lo, r.hi);
             return d;
           })
      .def("state", [](T &c, unsigned q) { return static_cast<int>(c.core().state(q)); })
      .def("head", [](T &c, unsigned q) { return c.core().head(q); })
      .def("retired", [](T &c, unsigned q) { return c.core().retired(q); })
      .def("semaphore", [](T &c, unsigned s) { return c.core().semaphore(s); })
      .def("reg", [](T &c, unsigned q, unsigned r) { return c.core().reg(q, r); })
      .def("intr_status", [](T &c) { return c.core().intr_status(); })
      .def("nq_tail", [](T &c) { return c.core().nq_tail(); })
      .def("busy", [](T &c) { return c.core().busy(); })
      .def("error",
           [](T &c) {
             const auto &e = c.core().error();
             return py::make_tuple(static_cast<int>(e.code), e.queue, e.index, e.addr);
           })
      .def("retire_log",
           [](T &c, unsigned q) {
             py::list l;
             for (const auto &r : c.core().retire_log(q)) l.append(py::make_tuple(r.index, r.opcode, r.digest));
             return l;
           })
      .def("perf",
           [](T &c) {
             const auto &f = c.core().perf();
             py::dict d;
             d["cycles"] = f.cycles;
             d["busy"] = py::make_tuple(f.busy[0], f.busy[1], f.busy[2], f.busy[3]);
             d["semwait"] = py::make_tuple(f.semwait[0], f.semwait[1], f.semwait[2], f.semwait[3]);
             d["dma_rd"] = f.dma_rd;
             d["dma_wr"] = f.dma_wr;
             d["macs"] = f.macs;
             return d;
           })
      .def("sbuf",
           [](T &c) {
             return py::bytes(reinterpret_cast<const char *>(c.core().buffers().sbuf.data()),
                              c.core().buffers().sbuf.size());
           })
      .def("psum", [](T &c) {
        return py::bytes(reinterpret_cast<const char *>(c.core().buffers().psum.data()),
                         c.core().buffers().psum.size());
      });
}

}  // namespace

PYBIND11_MODULE(_golden, m) {
  m.doc() = "Bit-exact numerics of the NCT tile (tile.md): arrays of bit patterns, uint16 BF16, uint32 FP32.";
  m.def("bf16_to_f32", &unary<uint16_t, uint32_t, num::bf16_to_f32>, "BF16 -> FP32 (exact; DAZ, NaN canonical)");
  m.def("f32_to_bf16", &unary<uint32_t, uint16_t, num::f32_to_bf16>, "FP32 -> BF16 (RNE, FTZ, NaN canonical)");
  m.def("f32_add", &binary<uint32_t, num::f32_add>);
  m.def("f32_sub", &binary<uint32_t, num::f32_sub>);
  m.def("f32_mul", &binary<uint32_t, num::f32_mul>);
  m.def("f32_max", &binary<uint32_t, num::f32_max>);
  m.def("f32_min", &binary<uint32_t, num::f32_min>);
  m.def("pe_mul_bf16", &binary<uint16_t, num::pe_mul_bf16>, "BF16 x BF16 -> FP32 product of the PE");
  m.def("exec_vector", &exec_vector, py::arg("word"), py::arg("sbuf"), py::arg("psum"), py::arg("regs"), py::arg("P"),
        py::arg("sbuf_part_bytes"), py::arg("psum_part_bytes"),
        "Execute one ACT/TT/TS/TRED/COPY/MEMSET/IOTA word; returns (error code, where).");
  py::class_<ncv::golden::PeState>(m, "PeState", "Stationary weights of the PE array")
      .def(py::init<>())
      .def_readonly("loaded", &ncv::golden::PeState::loaded)
      .def_readonly("K", &ncv::golden::PeState::K)
      .def_readonly("M", &ncv::golden::PeState::M);
  m.def("exec_pe", &exec_pe, py::arg("word"), py::arg("sbuf"), py::arg("psum"), py::arg("pe"), py::arg("P"),
        py::arg("sbuf_part_bytes"), py::arg("psum_part_bytes"), py::arg("nmax"),
        "Execute PE_LDW or PE_MM; returns (error code, where).");
  using ncv::golden::Core;
  py::class_<PyCore> core(m, "Core", "The golden model's execution core with a flat device memory");
  core.def(py::init<uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, size_t>(), py::arg("P"),
           py::arg("sbuf_part_bytes"), py::arg("psum_part_bytes"), py::arg("nmax"), py::arg("nsem"),
           py::arg("mem_size") = size_t(1) << 20)
      .def("soft_reset", [](PyCore &c) { c.core_.soft_reset(); })
      .def("set_ring", [](PyCore &c, unsigned q, uint64_t base, unsigned lg) { c.core_.set_ring(q, base, lg); })
      .def("doorbell", [](PyCore &c, unsigned q, uint32_t t) { c.core_.doorbell(q, t); })
      .def("set_notify_ring", [](PyCore &c, uint64_t base, unsigned lg) { c.core_.set_notify_ring(base, lg); })
      .def("set_nq_head", [](PyCore &c, uint32_t h) { c.core_.set_nq_head(h); })
      .def("set_semaphore", [](PyCore &c, unsigned s, uint32_t v) { c.core_.set_semaphore(s, v); })
      .def("enable", [](PyCore &c, bool on) { c.core_.set_enable(on); })
      .def("run_round_robin", [](PyCore &c) { return c.core_.run_round_robin(); })
      .def("run_random", [](PyCore &c, uint64_t seed) { return c.core_.run_random(seed); });
  bind_core_common(core);
  py::class_<PyTile> tile(m, "Tile",
                          "The golden tile behind its CSR page (launch as firmware does) with a flat device memory");
  tile.def(py::init<uint32_t, uint32_t, uint32_t, uint32_t, uint32_t, size_t>(), py::arg("P"),
           py::arg("sbuf_part_bytes"), py::arg("psum_part_bytes"), py::arg("nmax"), py::arg("nsem"),
           py::arg("mem_size") = size_t(1) << 20)
      .def("csr_read", [](PyTile &t, uint32_t off) { return t.tile_.csr_read(off); })
      .def("csr_write", [](PyTile &t, uint32_t off, uint32_t v) { t.tile_.csr_write(off, v); })
      .def("irq", [](PyTile &t) { return t.tile_.irq(); })
      .def("run", [](PyTile &t, uint64_t seed) { return t.tile_.run(seed); }, py::arg("seed") = 0,
           "Run until no queue can issue (seed 0: round-robin, else a seeded random order)")
      .def("advance", [](PyTile &t, uint64_t cycles) { t.tile_.advance(cycles); });
  bind_core_common(tile);
  m.def("build_matmul", &build_matmul, py::arg("a"), py::arg("b"), py::arg("P"), py::arg("sbuf_part_bytes"),
        py::arg("psum_part_bytes"), py::arg("nmax"), py::arg("base") = 0x10000, py::arg("bias") = py::none(),
        py::arg("scale") = 1.0f, py::arg("row_max") = false,
        "The C++ program builder's tiled matmul / MLP layer: (queues, memory, outputs, end)");
  m.def("build_attention_scores", &build_attention, py::arg("q"), py::arg("k"), py::arg("scale"), py::arg("P"),
        py::arg("sbuf_part_bytes"), py::arg("psum_part_bytes"), py::arg("nmax"), py::arg("base") = 0x10000);
  m.def("build_reduce_rows", &build_reduce_rows, py::arg("x"), py::arg("op"), py::arg("P"),
        py::arg("sbuf_part_bytes"), py::arg("base") = 0x10000);
  m.attr("F32_QNAN") = num::kF32QNaN;
  m.attr("BF16_QNAN") = num::kBF16QNaN;
}
