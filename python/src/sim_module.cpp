// ncv._sim: the SystemC sled platform from Python. SystemC elaborates once per process,
// so one Sled may exist per process; a second one is refused with a clear error.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

#include <systemc>

#include "fw_post.h"
#include "nct_csr_regs.h"
#include "ncv/devices/sled_devices.h"
#include "ncv/fw/fw_cpu.h"
#include "ncv/nhi/host_driver.h"
#include "ncv/nhi/host_memory.h"
#include "ncv/nhi/nhi.h"
#include "ncv/sled/sled.h"
#include "ncv/tb/log.h"
#include "sled_map.h"

namespace py = pybind11;

// libsystemc.so refers to sc_main; Python, not SystemC, owns this process.
extern "C" __attribute__((visibility("default"))) int sc_main(int, char **) {
  return 3;
}

namespace {

bool g_elaborated = false;

class PySled {
 public:
  PySled(const std::string &config, bool firmware, const std::string &mode) {
    if (config != ncv::sled::Sled::config_name()) {
      throw py::value_error("ncv._sim is built for configuration '" + std::string(ncv::sled::Sled::config_name()) +
                            "', not '" + config + "' (rebuild with -DNCV_PY_CONFIG=" + config + ")");
    }
    if (g_elaborated) {
      throw std::runtime_error(
          "ncv._sim: one simulation per process (SystemC elaborates once); "
          "start another process for another sled");
    }
    g_elaborated = true;
    ncv::tb::Log::get().set_echo(false);
    sc_core::sc_set_time_resolution(1, sc_core::SC_PS);
    ncv::tb::Log::get().set_time_source([] { return sc_core::sc_time_stamp().value(); });
    ncv::sled::SledOptions opt;
    opt.firmware = firmware;
    opt.mode = mode;
    try {
      sled_ = std::make_unique<ncv::sled::Sled>("sled", opt);
    } catch (const std::invalid_argument &e) {
      throw py::value_error(e.what());
    }
    sc_core::sc_start(sc_core::SC_ZERO_TIME);
  }

  // Runs the simulation until the firmware reports READY; returns the console's boot line.
  std::string run_until_ready(double timeout_us) {
    ncv::fw::FwCpu *fw = sled_->firmware();
    if (!fw) throw std::runtime_error("this sled was built without firmware");
    std::string line;
    run_in_sim([&] { line = sled_->wait_boot(sc_core::sc_time(timeout_us, sc_core::SC_US)); });
    if (line.empty()) {
      char b[128];
      std::snprintf(b, sizeof b, "firmware did not complete boot (FW_POST 0x%08X%s)", sled_->nhi().fw_post(),
                    fw->finished() ? ", firmware returned" : "");
      throw std::runtime_error(b);
    }
    return line;
  }

  uint32_t read32(uint32_t addr) {
    uint32_t v = 0;
    tlm::tlm_response_status st = tlm::TLM_INCOMPLETE_RESPONSE;
    run_in_sim([&] { v = sled_->tb_read32(addr, &st); });
    if (st != tlm::TLM_OK_RESPONSE) {
      char b[64];
      std::snprintf(b, sizeof b, "management-bus read of 0x%08X failed", addr);
      throw std::runtime_error(b);
    }
    return v;
  }

  uint32_t tile_id(unsigned chip) {
    if (chip >= sled_->chips()) throw py::index_error("chip " + std::to_string(chip) + " out of range");
    return read32(SLED_CHIP_CSR(chip) + CHIP_TILE_CSR + NCT_CSR_ID);
  }

  // ---- The host driver model (docs/nhi.md "Driver API"); every call runs simulated time.
  bool host_bring_up(double timeout_us) {
    bool ok = false;
    run_in_sim([&] { ok = sled_->host().bring_up(us(timeout_us)); });
    return ok;
  }
  bool host_create_io_queue_pair(uint16_t qid, uint32_t depth, double timeout_us) {
    bool ok = false;
    run_in_sim([&] { ok = sled_->host().create_io_queue_pair(qid, depth, us(timeout_us)); });
    return ok;
  }
  uint64_t host_alloc(uint64_t bytes, uint64_t align, const std::string &what) {
    return sled_->host_memory().alloc(bytes, align, what);
  }
  void host_write(uint64_t addr, const py::bytes &data) {
    const std::string d = data;
    if (!sled_->host_memory().write(addr, d.data(), d.size()))
      throw py::value_error("host memory write of " + std::to_string(d.size()) + " bytes at " + hex(addr) +
                            ": not inside one allocated buffer");
  }
  py::bytes host_read(uint64_t addr, uint64_t n) {
    std::string d(n, '\0');
    if (!sled_->host_memory().read(addr, d.data(), n))
      throw py::value_error("host memory read of " + std::to_string(n) + " bytes at " + hex(addr) +
                            ": not inside one allocated buffer");
    return py::bytes(d);
  }
  // Submits a command on queue `qid`; returns its cid (-1: the queue is full or missing).
  int host_submit(uint16_t qid, uint8_t opcode, uint32_t nsid, uint64_t addr, uint32_t len,
                  const std::vector<uint32_t> &cdw) {
    if (cdw.size() > 11) throw py::value_error("cdw: at most 11 command dwords, got " + std::to_string(cdw.size()));
    ncv::nhi::Command c;
    c.opcode = opcode;
    c.nsid = nsid;
    c.addr = addr;
    c.len = len;
    for (size_t i = 0; i < cdw.size(); ++i) c.cdw[i] = cdw[i];
    int cid = -1;
    run_in_sim([&] { cid = sled_->host().submit(qid, c); });
    return cid;
  }
  // Waits for the completion of `cid`; a dict, or None at the deadline.
  py::object host_wait(uint16_t qid, uint16_t cid, double timeout_us) {
    ncv::nhi::Completion cpl;
    bool ok = false;
    run_in_sim([&] { ok = sled_->host().wait_completion(qid, cid, us(timeout_us), &cpl); });
    if (!ok) return py::none();
    py::dict d;
    d["status"] = cpl.status;
    d["result"] = cpl.result;
    d["cid"] = cpl.cid;
    d["sq_id"] = cpl.sq_id;
    d["sq_head"] = cpl.sq_head;
    return std::move(d);
  }
  py::list host_events() {
    std::vector<ncv::nhi::Event> ev;
    run_in_sim([&] { ev = sled_->host().poll_events(); });
    py::list l;
    for (const auto &e : ev) {
      py::dict d;
      d["type"] = e.type;
      d["info"] = e.info;
      d["data"] = e.data;
      d["seq"] = e.seq;
      l.append(d);
    }
    return l;
  }
  void run_us(double t) {
    run_in_sim([&] { sc_core::wait(us(t)); });
  }
  uint64_t msix_count(uint32_t vector) const { return sled_->host_memory().msi_count(vector); }
  std::vector<std::string> host_errors() const {
    std::vector<std::string> e = sled_->host().errors();
    for (const auto &x : sled_->host_memory().errors()) e.push_back(x);
    return e;
  }

  std::vector<std::string> console() const { return sled_->devices().console_lines(); }
  uint64_t cycles() const { return sled_->cycles(); }
  unsigned chips() const { return sled_->chips(); }
  const char *mode() const { return sled_->mode(); }
  uint32_t fw_post() const { return sled_->nhi().fw_post(); }

 private:
  static sc_core::sc_time us(double t) { return sc_core::sc_time(t, sc_core::SC_US); }
  static std::string hex(uint64_t v) {
    char b[24];
    std::snprintf(b, sizeof b, "0x%llX", static_cast<unsigned long long>(v));
    return b;
  }

  // Runs `f` in a SystemC thread and advances the simulation until it returns.
  void run_in_sim(const std::function<void()> &f) {
    bool done = false;
    sc_core::sc_spawn([&] {
      f();
      done = true;
      sc_core::sc_pause();
    });
    py::gil_scoped_release nogil;
    while (!done) {
      sc_core::sc_start();
      if (!done && sc_core::sc_get_status() != sc_core::SC_PAUSED) throw std::runtime_error("simulation ended");
    }
  }

  std::unique_ptr<ncv::sled::Sled> sled_;
};

}  // namespace

PYBIND11_MODULE(_sim, m) {
  m.doc() = "The ncv sled platform (SystemC + Verilated RTL), one simulation per process.";
  m.attr("CONFIG") = ncv::sled::Sled::config_name();
  m.attr("FW_POST_READY") = FW_POST_READY;
  py::class_<PySled>(m, "Sled")
      .def(py::init<const std::string &, bool, const std::string &>(),
           py::arg("config") = std::string(ncv::sled::Sled::config_name()), py::arg("firmware") = true,
           py::arg("mode") = std::string(), "mode: rtl, golden or lockstep (default: the configuration's)")
      .def_property_readonly("mode", [](const PySled &s) { return std::string(s.mode()); })
      .def("run_until_ready", &PySled::run_until_ready, py::arg("timeout_us") = 100.0,
           "Run until the firmware reports READY; return the console's boot line.")
      .def("read32", &PySled::read32, py::arg("addr"), "Read a 32-bit word on the management bus.")
      .def("tile_id", &PySled::tile_id, py::arg("chip") = 0, "Read the ID register of a chip's tile.")
      .def("host_bring_up", &PySled::host_bring_up, py::arg("timeout_us") = 100.0,
           "Host driver: reset, admin and event queues, MSI-X vector 0, ENABLE, wait READY.")
      .def("host_create_io_queue_pair", &PySled::host_create_io_queue_pair, py::arg("qid"), py::arg("depth"),
           py::arg("timeout_us") = 100.0, "Host driver: CREATE_IO_CQ (MSI-X vector qid) and CREATE_IO_SQ.")
      .def("host_alloc", &PySled::host_alloc, py::arg("nbytes"), py::arg("align") = 64, py::arg("what") = "python",
           "Allocate a host-memory buffer (a 4 KiB unbacked guard follows it); returns its address.")
      .def("host_write", &PySled::host_write, py::arg("addr"), py::arg("data"), "Write host memory (no time).")
      .def("host_read", &PySled::host_read, py::arg("addr"), py::arg("n"), "Read host memory (no time).")
      .def("host_submit", &PySled::host_submit, py::arg("qid"), py::arg("opcode"), py::arg("nsid") = 0,
           py::arg("addr") = 0, py::arg("len") = 0, py::arg("cdw") = std::vector<uint32_t>{},
           "Queue a submission and ring the doorbell; returns the cid or -1.")
      .def("host_wait", &PySled::host_wait, py::arg("qid"), py::arg("cid"), py::arg("timeout_us") = 10000.0,
           "Wait for a completion: {status, result, cid, sq_id, sq_head}, or None at the deadline.")
      .def("host_events", &PySled::host_events, "Take new events: [{type, info, data, seq}].")
      .def("run_us", &PySled::run_us, py::arg("us"), "Advance simulated time.")
      .def("msix_count", &PySled::msix_count, py::arg("vector"), "MSI-X messages the host received on a vector.")
      .def_property_readonly("host_errors", &PySled::host_errors, "Protocol violations the driver and host memory saw.")
      .def_property_readonly("console", &PySled::console)
      .def_property_readonly("cycles", &PySled::cycles)
      .def_property_readonly("chips", &PySled::chips)
      .def_property_readonly("fw_post", &PySled::fw_post);
}
