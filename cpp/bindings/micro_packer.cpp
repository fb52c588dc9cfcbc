// Binding of the chunked sphere packer: option and state conversion, GIL release only.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <string>

#include "exports.hpp"
#include "mesolith/micro/sphere_packer.hpp"
#include "micro_convert.hpp"

namespace py = pybind11;

namespace mesolith::bindings {

void export_sphere_packer(py::module_& mm) {
  py::class_<micro::SpherePacker>(mm, "SpherePacker",
                                  "Dense random packing (as pack_spheres) advanced in chunks of "
                                  "sweeps, with its state readable and settable for checkpoints.")
      .def(py::init([](double lx, double ly, double lz, double target_fraction,
                       double mean_radius, double log_sigma, double min_radius,
                       double max_radius, double start_fraction, double growth,
                       double overlap_tolerance, std::int64_t max_sweeps, std::uint64_t seed,
                       bool periodic_z, std::int64_t jam_sweeps) {
             return micro::SpherePacker(packing_options(
                 lx, ly, lz, target_fraction, mean_radius, log_sigma,
                 min_radius, max_radius, start_fraction, growth,
                 overlap_tolerance, max_sweeps, seed, periodic_z, jam_sweeps));
           }),
           py::arg("lx"), py::arg("ly"), py::arg("lz"), py::arg("target_fraction"),
           py::arg("mean_radius"), py::arg("log_sigma"), py::arg("min_radius"),
           py::arg("max_radius"), py::arg("start_fraction"), py::arg("growth"),
           py::arg("overlap_tolerance"), py::arg("max_sweeps"), py::arg("seed"),
           py::arg("periodic_z") = false, py::arg("jam_sweeps") = 0)
      .def(
          "advance",
          [](micro::SpherePacker& p, std::int64_t sweeps) {
            if (sweeps < 1) throw py::value_error("sweeps: must be >= 1, got " +
                                                  std::to_string(sweeps));
            py::gil_scoped_release release;
            return p.advance(sweeps);
          },
          py::arg("sweeps"), "Run at most `sweeps` more sweeps; True once the packing is done.")
      .def(
          "state",
          [](const micro::SpherePacker& p) {
            const micro::PackerState& s = p.state();
            py::dict d;
            d["spheres"] = spheres_to(s.spheres);
            d["scale"] = s.scale;
            d["last_growth"] = s.last_growth;
            d["sweep"] = s.sweep;
            d["max_overlap"] = s.max_overlap;
            d["done"] = s.done;
            d["jammed"] = s.jammed;
            return d;
          },
          "The state between sweeps: spheres (n, 4) x y z r [voxel], scale, last_growth, "
          "sweep, max_overlap, done, jammed.")
      .def(
          "set_state",
          [](micro::SpherePacker& p, const Doubles& spheres, double scale,
             std::int64_t last_growth, std::int64_t sweep, double max_overlap, bool done,
             bool jammed) {
            micro::PackerState s;
            s.spheres = spheres_from(spheres);
            s.scale = scale;
            s.last_growth = last_growth;
            s.sweep = sweep;
            s.max_overlap = max_overlap;
            s.done = done;
            s.jammed = jammed;
            try {
              p.set_state(s);
            } catch (const std::invalid_argument& e) {
              throw py::value_error(e.what());
            }
          },
          py::arg("spheres"), py::arg("scale"), py::arg("last_growth"), py::arg("sweep"),
          py::arg("max_overlap"), py::arg("done"), py::arg("jammed"),
          "Continue from a state read by state() of a packer with the same options.")
      .def(
          "result",
          [](const micro::SpherePacker& p) {
            const micro::PackingResult r = p.result();
            py::dict d;
            d["spheres"] = spheres_to(r.spheres);
            d["fraction"] = r.fraction;
            d["max_overlap"] = r.max_overlap;
            d["sweeps"] = r.sweeps;
            d["jammed"] = r.jammed;
            return d;
          },
          "The finished packing, as pack_spheres returns it.")
      .def_property_readonly("sweep", [](const micro::SpherePacker& p) { return p.state().sweep; })
      .def_property_readonly("done", [](const micro::SpherePacker& p) { return p.state().done; })
      .def("__len__", &micro::SpherePacker::size);
}

}  // namespace mesolith::bindings
