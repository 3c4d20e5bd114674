// ncv._golden: the golden model's numerics on numpy arrays (bit patterns in, bit
// patterns out), for Python tests, notebooks and oracles.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstdint>

#include "ncv/golden/numerics.h"

namespace py = pybind11;
namespace num = ncv::num;

namespace {

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
  m.attr("F32_QNAN") = num::kF32QNaN;
  m.attr("BF16_QNAN") = num::kBF16QNaN;
}
