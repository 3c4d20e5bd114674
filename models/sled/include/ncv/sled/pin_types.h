// The C++ type Verilator's SystemC output uses for a port of W bits.
#pragma once

#include <cstdint>
#include <type_traits>

#include <systemc>

namespace ncv::sled {

template <int W>
using pin_t =
    std::conditional_t<W == 1, bool,
                       std::conditional_t<W <= 32, uint32_t, std::conditional_t<W <= 64, uint64_t, sc_dt::sc_bv<W>>>>;

}  // namespace ncv::sled
