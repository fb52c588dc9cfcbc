// Bindings for the kinetic Monte Carlo engine: array conversion and GIL release only.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "exports.hpp"
#include "mesolith/kmc/dla.hpp"
#include "mesolith/kmc/lattice_gas.hpp"
#include "mesolith/kmc/rate_tree.hpp"
#include "mesolith/kmc/replicas.hpp"
#include "mesolith/kmc/sublattice.hpp"

namespace py = pybind11;

namespace mesolith::bindings {
namespace {

using Bytes = py::array_t<std::uint8_t, py::array::c_style>;
using Doubles = py::array_t<double, py::array::c_style>;

kmc::LatticeGasParams make_params(const std::vector<int>& shape, double hop, double ads,
                                  double des, double eps, double temperature) {
  if (shape.size() != 2 && shape.size() != 3)
    throw py::value_error("shape: must have 2 or 3 entries");
  kmc::LatticeGasParams p;
  p.nx = shape[0];
  p.ny = shape[1];
  p.nz = shape.size() == 3 ? shape[2] : 1;
  p.hop_rate = hop;
  p.adsorption_rate = ads;
  p.desorption_rate = des;
  p.interaction = eps;
  p.temperature = temperature;
  return p;
}

std::size_t site_count(const kmc::LatticeGasParams& p) {
  return static_cast<std::size_t>(p.nx) * p.ny * p.nz;
}

void check_size(const py::array& a, std::size_t n, const char* name) {
  if (static_cast<std::size_t>(a.size()) != n)
    throw py::value_error(std::string(name) + ": expected " + std::to_string(n) + " elements, got " +
                          std::to_string(a.size()));
}

template <class T>
py::array_t<T> to_array(const std::vector<T>& v) {
  py::array_t<T> out(static_cast<py::ssize_t>(v.size()));
  std::copy(v.begin(), v.end(), out.mutable_data());
  return out;
}

template <class T>
std::vector<T> from_array(const py::dict& d, const char* key) {
  if (!d.contains(key)) throw py::value_error(std::string("checkpoint: missing '") + key + "'");
  const auto a = py::array_t<T, py::array::c_style | py::array::forcecast>::ensure(d[key]);
  if (!a) throw py::value_error(std::string("checkpoint: '") + key + "' is not an array");
  return std::vector<T>(a.data(), a.data() + a.size());
}

py::dict lattice_gas_state(const kmc::LatticeGas& g) {
  const kmc::LatticeGasState s = g.state();
  py::dict d;
  d["occupancy"] = to_array(s.occupancy);
  d["displacement"] = to_array(s.displacement);
  d["class_counts"] = to_array(s.class_counts);
  d["rng_block"] = s.rng_block;
  d["rng_words_used"] = s.rng_words_used;
  d["time"] = s.time;
  d["pending"] = s.pending;
  d["occupancy_integral"] = s.occupancy_integral;
  d["averaging_time"] = s.averaging_time;
  d["events"] = s.events;
  return d;
}

kmc::LatticeGasState lattice_gas_state_from(const py::dict& d) {
  kmc::LatticeGasState s;
  s.occupancy = from_array<std::uint8_t>(d, "occupancy");
  s.displacement = from_array<std::int32_t>(d, "displacement");
  s.class_counts = from_array<std::uint64_t>(d, "class_counts");
  s.rng_block = d["rng_block"].cast<std::uint64_t>();
  s.rng_words_used = d["rng_words_used"].cast<int>();
  s.time = d["time"].cast<double>();
  s.pending = d["pending"].cast<double>();
  s.occupancy_integral = d["occupancy_integral"].cast<double>();
  s.averaging_time = d["averaging_time"].cast<double>();
  s.events = d["events"].cast<std::uint64_t>();
  return s;
}

}  // namespace

void export_kmc_anode(py::module_& k);  // kmc_anode.cpp

void export_kmc(py::module_& m) {
  py::module_ k = m.def_submodule("kmc", "Kinetic Monte Carlo core (BKL: rate classes for lattice gases, a rate tree for the anode model).");
  export_kmc_anode(k);

  py::class_<kmc::RateTree>(k, "RateTree", "Binary sum tree over event rates.")
      .def(py::init<std::size_t>(), py::arg("n"))
      .def("set", [](kmc::RateTree& t, std::size_t i, double r) {
        if (i >= t.size()) throw py::index_error("leaf index out of range");
        if (!(r >= 0.0)) throw py::value_error("rate must be >= 0");
        t.set(i, r);
      })
      .def("rate", &kmc::RateTree::rate)
      .def_property_readonly("total", &kmc::RateTree::total)
      .def("select", [](const kmc::RateTree& t, double target) {
        if (!(t.total() > 0.0)) throw py::value_error("total rate is zero");
        double offset = target;
        const std::size_t i = t.select(offset);
        return py::make_tuple(i, offset);
      })
      .def("max_sum_error", &kmc::RateTree::max_sum_error);

  py::class_<kmc::LatticeGas>(k, "LatticeGas")
      .def(py::init([](const std::vector<int>& shape, double hop, double ads, double des,
                       double eps, double temperature, std::uint64_t seed, std::uint64_t stream,
                       bool tracers) {
             auto p = make_params(shape, hop, ads, des, eps, temperature);
             p.tracers = tracers;
             return new kmc::LatticeGas(p, seed, stream);
           }),
           py::arg("shape"), py::arg("hop_rate"), py::arg("adsorption_rate"),
           py::arg("desorption_rate"), py::arg("interaction"), py::arg("temperature"),
           py::arg("seed"), py::arg("stream") = 0, py::arg("tracers") = true)
      .def("set_occupancy",
           [](kmc::LatticeGas& g, const Bytes& occ) {
             check_size(occ, g.sites(), "occupancy");
             g.set_occupancy(occ.data());
           })
      .def(
          "run",
          [](kmc::LatticeGas& g, std::uint64_t max_events, double t_end) {
            py::gil_scoped_release release;
            return g.run(max_events, t_end);
          },
          py::arg("max_events"), py::arg("t_end"))
      .def("run_recorded",
           [](kmc::LatticeGas& g, std::int64_t n) {
             if (n < 0) throw py::value_error("n must be >= 0");
             Doubles dt(n), rate(n);
             double* pdt = dt.mutable_data();
             double* prate = rate.mutable_data();
             {
               py::gil_scoped_release release;
               g.run_recorded(static_cast<std::uint64_t>(n), pdt, prate);
             }
             return py::make_tuple(dt, rate);
           })
      .def("occupancy_view",
           [](py::object self) {
             auto& g = self.cast<kmc::LatticeGas&>();
             return py::array_t<std::uint8_t>({static_cast<py::ssize_t>(g.sites())},
                                              {static_cast<py::ssize_t>(1)}, g.occupancy(), self);
           })
      .def_property_readonly("time", &kmc::LatticeGas::time)
      .def_property_readonly("events", &kmc::LatticeGas::events)
      .def_property_readonly("occupied", &kmc::LatticeGas::occupied)
      .def_property_readonly("total_rate", &kmc::LatticeGas::total_rate)
      .def_property_readonly("occupancy_integral", &kmc::LatticeGas::occupancy_integral)
      .def_property_readonly("averaging_time", &kmc::LatticeGas::averaging_time)
      .def("reset_average", &kmc::LatticeGas::reset_average)
      .def("state", &lattice_gas_state, "Everything the trajectory depends on, as a dict.")
      .def(
          "restore",
          [](kmc::LatticeGas& g, const py::dict& d) {
            const auto s = lattice_gas_state_from(d);
            try {
              g.restore(s);
            } catch (const std::invalid_argument& e) {
              throw py::value_error(e.what());
            }
          },
          "Continue from a dict written by state() of a gas with the same parameters and seed.")
      .def("tracer_msd", &kmc::LatticeGas::tracer_msd);

  k.def(
      "replica_coverage_samples",
      [](const std::vector<int>& shape, double hop, double ads, double des, double eps,
         double temperature, const Bytes& initial, std::uint64_t seed, std::uint64_t first_stream,
         int n_replicas, double t_equilibrate, double interval, int n_samples) {
        const auto p = make_params(shape, hop, ads, des, eps, temperature);
        check_size(initial, site_count(p), "initial");
        if (n_replicas < 1 || n_samples < 1) throw py::value_error("counts must be >= 1");
        Doubles out({n_replicas, n_samples});
        double* o = out.mutable_data();
        const std::uint8_t* init = initial.data();
        {
          py::gil_scoped_release release;
          kmc::replica_coverage_samples(p, init, seed, first_stream, n_replicas, t_equilibrate,
                                        interval, n_samples, o);
        }
        return out;
      },
      py::arg("shape"), py::arg("hop_rate"), py::arg("adsorption_rate"),
      py::arg("desorption_rate"), py::arg("interaction"), py::arg("temperature"),
      py::arg("initial"), py::arg("seed"), py::arg("first_stream"), py::arg("n_replicas"),
      py::arg("t_equilibrate"), py::arg("interval"), py::arg("n_samples"));

  py::class_<kmc::SublatticeGas>(k, "SublatticeGas")
      .def(py::init([](const std::vector<int>& shape, double hop, double ads, double des,
                       double eps, double temperature, int domain, double tau,
                       std::uint64_t seed) {
             return new kmc::SublatticeGas(make_params(shape, hop, ads, des, eps, temperature),
                                           domain, tau, seed);
           }),
           py::arg("shape"), py::arg("hop_rate"), py::arg("adsorption_rate"),
           py::arg("desorption_rate"), py::arg("interaction"), py::arg("temperature"),
           py::arg("domain"), py::arg("tau"), py::arg("seed"))
      .def("set_occupancy",
           [](kmc::SublatticeGas& g, const Bytes& occ) {
             check_size(occ, g.sites(), "occupancy");
             g.set_occupancy(occ.data());
           })
      .def("run",
           [](kmc::SublatticeGas& g, double t_end) {
             py::gil_scoped_release release;
             g.run(t_end);
           })
      .def("occupancy",
           [](const kmc::SublatticeGas& g) {
             py::array_t<std::uint8_t> out(static_cast<py::ssize_t>(g.sites()));
             std::copy(g.occupancy(), g.occupancy() + g.sites(), out.mutable_data());
             return out;
           })
      .def_property_readonly("time", &kmc::SublatticeGas::time)
      .def_property_readonly("events", &kmc::SublatticeGas::events)
      .def_property_readonly("occupied", &kmc::SublatticeGas::occupied)
      .def("state",
           [](const kmc::SublatticeGas& g) {
             const kmc::SublatticeGasState s = g.state();
             py::dict d;
             d["occupancy"] = to_array(s.occupancy);
             d["rng_block"] = to_array(s.rng_block);
             d["rng_words_used"] = to_array(s.rng_words_used);
             d["pending"] = to_array(s.pending);
             d["block_events"] = to_array(s.block_events);
             d["time"] = s.time;
             return d;
           })
      .def("restore", [](kmc::SublatticeGas& g, const py::dict& d) {
        kmc::SublatticeGasState s;
        s.occupancy = from_array<std::uint8_t>(d, "occupancy");
        s.rng_block = from_array<std::uint64_t>(d, "rng_block");
        s.rng_words_used = from_array<std::int32_t>(d, "rng_words_used");
        s.pending = from_array<double>(d, "pending");
        s.block_events = from_array<std::uint64_t>(d, "block_events");
        s.time = d["time"].cast<double>();
        try {
          g.restore(s);
        } catch (const std::invalid_argument& e) {
          throw py::value_error(e.what());
        }
      });

  k.def(
      "dla_gyration_replicas",
      [](int dimension, int n, double sticking, std::uint64_t seed, std::uint64_t first_stream,
         int n_clusters) {
        if (n_clusters < 1 || n < 2) throw py::value_error("n_clusters >= 1 and n >= 2");
        std::vector<double> r;
        {
          py::gil_scoped_release release;
          r = kmc::dla_gyration_replicas(dimension, n, sticking, seed, first_stream, n_clusters);
        }
        Doubles out({n_clusters, n});
        std::copy(r.begin(), r.end(), out.mutable_data());
        return out;
      },
      py::arg("dimension"), py::arg("n"), py::arg("sticking"), py::arg("seed"),
      py::arg("first_stream"), py::arg("n_clusters"));
  k.def(
      "dla_cluster",
      [](int dimension, int n, double sticking, std::uint64_t seed) {
        kmc::DlaResult c;
        {
          py::gil_scoped_release release;
          c = kmc::grow_dla(dimension, n, sticking, seed, 0);
        }
        py::array_t<std::int32_t> out({n, dimension});
        std::copy(c.coords.begin(), c.coords.end(), out.mutable_data());
        return out;
      },
      py::arg("dimension"), py::arg("n"), py::arg("sticking"), py::arg("seed"));

  k.def(
      "replica_tracer_msd",
      [](const std::vector<int>& shape, double hop, double ads, double des, double eps,
         double temperature, const Bytes& initial, std::uint64_t seed, std::uint64_t first_stream,
         int n_replicas, const Doubles& times) {
        const auto p = make_params(shape, hop, ads, des, eps, temperature);
        check_size(initial, site_count(p), "initial");
        if (n_replicas < 1) throw py::value_error("n_replicas must be >= 1");
        const int n_times = static_cast<int>(times.size());
        Doubles out({n_replicas, n_times});
        double* o = out.mutable_data();
        const std::uint8_t* init = initial.data();
        const double* t = times.data();
        {
          py::gil_scoped_release release;
          kmc::replica_tracer_msd(p, init, seed, first_stream, n_replicas, t, n_times, o);
        }
        return out;
      },
      py::arg("shape"), py::arg("hop_rate"), py::arg("adsorption_rate"),
      py::arg("desorption_rate"), py::arg("interaction"), py::arg("temperature"),
      py::arg("initial"), py::arg("seed"), py::arg("first_stream"), py::arg("n_replicas"),
      py::arg("times"));
}

}  // namespace mesolith::bindings
