// Bindings: the Philox-4x32-10 block function and parallel array fills.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <string>

#include "exports.hpp"
#include "mesolith/random_fill.hpp"
#include "mesolith/rng.hpp"

namespace py = pybind11;

namespace mesolith::bindings {
namespace {

template <typename T, typename Fill>
py::array_t<T> filled(std::int64_t n, Fill fill) {
  if (n < 0) throw py::value_error("n = " + std::to_string(n) + ": must be >= 0");
  py::array_t<T> out(static_cast<py::ssize_t>(n));
  T* data = out.mutable_data();
  {
    py::gil_scoped_release release;
    fill(data, static_cast<std::size_t>(n));
  }
  return out;
}

}  // namespace

void export_rng(py::module_& m) {
  py::module_ r = m.def_submodule("rng", "Counter-based Philox-4x32-10 random numbers.");
  r.def(
      "philox4x32_10",
      [](rng::Counter ctr, rng::Key key) { return rng::philox4x32(ctr, key, 10); },
      py::arg("counter"), py::arg("key"),
      "One Philox-4x32-10 block: four 32-bit words from a 4-word counter and a 2-word key.");
  r.def(
      "uniform",
      [](std::uint64_t seed, std::uint64_t stream, std::int64_t n, std::uint64_t block) {
        return filled<double>(n, [&](double* p, std::size_t k) {
          rng::fill_uniform(seed, stream, block, p, k);
        });
      },
      py::arg("seed"), py::arg("stream"), py::arg("n"), py::arg("block") = 0,
      "n uniform draws on (0, 1); element i from block `block + i // 2`.");
  r.def(
      "normal",
      [](std::uint64_t seed, std::uint64_t stream, std::int64_t n, std::uint64_t block) {
        return filled<double>(n, [&](double* p, std::size_t k) {
          rng::fill_normal(seed, stream, block, p, k);
        });
      },
      py::arg("seed"), py::arg("stream"), py::arg("n"), py::arg("block") = 0,
      "n standard normal draws (Box-Muller).");
  r.def(
      "exponential",
      [](std::uint64_t seed, std::uint64_t stream, std::int64_t n, std::uint64_t block) {
        return filled<double>(n, [&](double* p, std::size_t k) {
          rng::fill_exponential(seed, stream, block, p, k);
        });
      },
      py::arg("seed"), py::arg("stream"), py::arg("n"), py::arg("block") = 0,
      "n exponential draws with unit mean.");
  r.def(
      "u32",
      [](std::uint64_t seed, std::uint64_t stream, std::int64_t n, std::uint64_t block) {
        return filled<std::uint32_t>(n, [&](std::uint32_t* p, std::size_t k) {
          rng::fill_u32(seed, stream, block, p, k);
        });
      },
      py::arg("seed"), py::arg("stream"), py::arg("n"), py::arg("block") = 0,
      "n raw 32-bit words; element i from block `block + i // 4`.");
  r.def(
      "stream_draws",
      [](std::uint64_t seed, std::uint64_t stream, std::uint64_t block, const std::string& kind,
         std::int64_t n) {
        if (kind != "uniform" && kind != "normal" && kind != "exponential")
          throw py::value_error("kind = '" + kind +
                                "': must be one of 'uniform', 'normal', 'exponential'");
        return filled<double>(n, [&](double* p, std::size_t k) {
          rng::Stream s(seed, stream, block);
          for (std::size_t i = 0; i < k; ++i)
            p[i] = kind == "uniform" ? s.uniform()
                   : kind == "normal" ? s.normal()
                                      : s.exponential();
        });
      },
      py::arg("seed"), py::arg("stream"), py::arg("block"), py::arg("kind"), py::arg("n"),
      "Sequential draws from one rng::Stream, the object the engines use.");
}

}  // namespace mesolith::bindings
