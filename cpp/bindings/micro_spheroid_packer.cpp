// Binding of the chunked spheroid packer: option and state conversion, GIL release only.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <string>

#include "exports.hpp"
#include "mesolith/micro/spheroid_packer.hpp"
#include "micro_convert.hpp"

namespace py = pybind11;

namespace mesolith::bindings {

void export_spheroid_packer(py::module_& mm) {
  py::class_<micro::SpheroidPacker>(
      mm, "SpheroidPacker",
      "Dense spheroid packing (as pack_spheroids) advanced in chunks of compression stages, "
      "with its state readable and settable for checkpoints.")
      .def(py::init([](double lx, double ly, double lz, double target_fraction,
                       double mean_radius, double log_sigma, double min_radius,
                       double max_radius, double aspect_ratio, double kappa,
                       double start_fraction, double growth, double overlap_tolerance,
                       std::int64_t max_sweeps, std::uint64_t seed, bool periodic_z,
                       bool rotate, double order_stiffness, std::int64_t stage_steps) {
             return micro::SpheroidPacker(spheroid_packing_options(
                 lx, ly, lz, target_fraction, mean_radius, log_sigma,
                 min_radius, max_radius, aspect_ratio, kappa, start_fraction,
                 growth, overlap_tolerance, max_sweeps, seed, periodic_z,
                 rotate, order_stiffness, stage_steps));
           }),
           py::arg("lx"), py::arg("ly"), py::arg("lz"), py::arg("target_fraction"),
           py::arg("mean_radius"), py::arg("log_sigma"), py::arg("min_radius"),
           py::arg("max_radius"), py::arg("aspect_ratio"), py::arg("kappa"),
           py::arg("start_fraction"), py::arg("growth"), py::arg("overlap_tolerance"),
           py::arg("max_sweeps"), py::arg("seed"), py::arg("periodic_z") = false,
           py::arg("rotate") = true, py::arg("order_stiffness") = 1.0,
           py::arg("stage_steps") = 2000)
      .def(
          "advance",
          [](micro::SpheroidPacker& p, std::int64_t stages) {
            if (stages < 1)
              throw py::value_error("stages: must be >= 1, got " + std::to_string(stages));
            py::gil_scoped_release release;
            return p.advance(stages);
          },
          py::arg("stages"),
          "Run at most `stages` more compression stages; True once the packing is done.")
      .def(
          "state",
          [](const micro::SpheroidPacker& p) {
            const micro::SpheroidPackerState& s = p.state();
            py::dict d;
            d["particles"] = spheroids_to(s.particles);
            d["relaxed"] = spheroids_to(s.relaxed);
            d["scale"] = s.scale;
            d["relaxed_scale"] = s.relaxed_scale;
            d["step"] = s.step;
            d["tolerance"] = s.tolerance;
            d["sweeps"] = s.sweeps;
            d["stages"] = s.stages;
            d["max_overlap"] = s.max_overlap;
            d["done"] = s.done;
            return d;
          },
          "The state between stages: particles and relaxed (n, 8) x y z a c ux uy uz [voxel], "
          "scale, relaxed_scale, step, tolerance, sweeps, stages, max_overlap, done.")
      .def(
          "set_state",
          [](micro::SpheroidPacker& p, const Doubles& particles, const Doubles& relaxed,
             double scale, double relaxed_scale, double step, double tolerance,
             std::int64_t sweeps, std::int64_t stages, double max_overlap, bool done) {
            micro::SpheroidPackerState s;
            s.particles = spheroids_from(particles);
            s.relaxed = spheroids_from(relaxed);
            s.scale = scale;
            s.relaxed_scale = relaxed_scale;
            s.step = step;
            s.tolerance = tolerance;
            s.sweeps = sweeps;
            s.stages = stages;
            s.max_overlap = max_overlap;
            s.done = done;
            try {
              p.set_state(s);
            } catch (const std::invalid_argument& e) {
              throw py::value_error(e.what());
            }
          },
          py::arg("particles"), py::arg("relaxed"), py::arg("scale"), py::arg("relaxed_scale"),
          py::arg("step"), py::arg("tolerance"), py::arg("sweeps"), py::arg("stages"),
          py::arg("max_overlap"), py::arg("done"),
          "Continue from a state read by state() of a packer with the same options.")
      .def(
          "result",
          [](const micro::SpheroidPacker& p) {
            const micro::SpheroidPackingResult r = p.result();
            py::dict d;
            d["particles"] = spheroids_to(r.particles);
            d["fraction"] = r.fraction;
            d["max_overlap"] = r.max_overlap;
            d["sweeps"] = r.sweeps;
            d["stages"] = r.stages;
            d["order_sampled"] = r.order_sampled;
            d["order"] = r.order;
            return d;
          },
          "The finished packing, as pack_spheroids returns it.")
      .def_property_readonly("stages",
                             [](const micro::SpheroidPacker& p) { return p.state().stages; })
      .def_property_readonly("done",
                             [](const micro::SpheroidPacker& p) { return p.state().done; })
      .def("__len__", &micro::SpheroidPacker::size);
}

}  // namespace mesolith::bindings
