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
  PySled(const std::string &config, bool firmware) {
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
    sled_ = std::make_unique<ncv::sled::Sled>("sled", opt);
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

  std::vector<std::string> console() const { return sled_->devices().console_lines(); }
  uint64_t cycles() const { return sled_->cycles(); }
  unsigned chips() const { return sled_->chips(); }
  uint32_t fw_post() const { return sled_->nhi().fw_post(); }

 private:
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
      .def(py::init<const std::string &, bool>(), py::arg("config") = std::string(ncv::sled::Sled::config_name()),
           py::arg("firmware") = true)
      .def("run_until_ready", &PySled::run_until_ready, py::arg("timeout_us") = 100.0,
           "Run until the firmware reports READY; return the console's boot line.")
      .def("read32", &PySled::read32, py::arg("addr"), "Read a 32-bit word on the management bus.")
      .def("tile_id", &PySled::tile_id, py::arg("chip") = 0, "Read the ID register of a chip's tile.")
      .def_property_readonly("console", &PySled::console)
      .def_property_readonly("cycles", &PySled::cycles)
      .def_property_readonly("chips", &PySled::chips)
      .def_property_readonly("fw_post", &PySled::fw_post);
}
