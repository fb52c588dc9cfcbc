// Bindings: bd aggregation (rigid-cluster DLCA) and the near-wall mobility. Arrays only.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mesolith/bd/dlca.hpp"
#include "mesolith/bd/integrator.hpp"
#include "mesolith/bd/wall_mobility.hpp"

namespace py = pybind11;

namespace mesolith::bindings {

// Called by export_bd with its submodule, after the Integrator class is registered.
void export_bd_physics(py::module_& b) {
  using Array = py::array_t<double, py::array::c_style | py::array::forcecast>;

  b.def(
      "dlca",
      [](const Array& x, const Array& radii, double box, double step, std::size_t target,
         std::uint64_t max_attempts, double max_time, std::uint64_t seed, bool rotation,
         std::optional<py::array_t<std::uint32_t, py::array::c_style | py::array::forcecast>>
             labels) {
        if (radii.ndim() != 1 || radii.shape(0) < 1)
          throw py::value_error("radii: must be a non-empty 1-D array");
        const auto n = static_cast<std::size_t>(radii.shape(0));
        if (x.ndim() != 2 || x.shape(1) != 3 || static_cast<std::size_t>(x.shape(0)) != n)
          throw py::value_error("positions: must have shape (" + std::to_string(n) + ", 3)");
        bd::DlcaParams p;
        p.box = box;
        p.step = step;
        p.target_clusters = target;
        p.max_attempts = max_attempts;
        p.max_time = max_time;
        p.seed = seed;
        p.rotation = rotation;
        std::vector<std::uint32_t> initial;
        if (labels) {
          if (labels->ndim() != 1 || static_cast<std::size_t>(labels->shape(0)) != n)
            throw py::value_error("labels: must have shape (" + std::to_string(n) + ",)");
          initial.assign(labels->data(), labels->data() + n);
        }
        bd::DlcaResult r;
        {
          py::gil_scoped_release release;
          r = bd::run_dlca(std::vector<double>(x.data(), x.data() + 3 * n),
                           std::vector<double>(radii.data(), radii.data() + n), p, initial);
        }
        py::array_t<double> pos({static_cast<py::ssize_t>(n), py::ssize_t{3}});
        std::copy(r.positions.begin(), r.positions.end(), pos.mutable_data());
        py::array_t<std::uint32_t> out_labels(static_cast<py::ssize_t>(n));
        std::copy(r.labels.begin(), r.labels.end(), out_labels.mutable_data());
        const auto m = static_cast<py::ssize_t>(r.merges.size());
        py::array_t<double> t(m), rg(m), rh(m);
        py::array_t<std::uint32_t> size(m);
        for (py::ssize_t k = 0; k < m; ++k) {
          const auto& e = r.merges[static_cast<std::size_t>(k)];
          t.mutable_data()[k] = e.time;
          size.mutable_data()[k] = e.size;
          rg.mutable_data()[k] = e.radius_of_gyration;
          rh.mutable_data()[k] = e.hydrodynamic_radius;
        }
        py::dict merges;
        merges["time"] = t;
        merges["size"] = size;
        merges["radius_of_gyration"] = rg;
        merges["hydrodynamic_radius"] = rh;
        py::dict info;
        info["attempts"] = r.attempts;
        info["moves"] = r.moves;
        info["time"] = r.time;
        info["clusters"] = r.clusters;
        return py::make_tuple(pos, out_labels, merges, info);
      },
      py::arg("positions"), py::arg("radii"), py::arg("box"), py::arg("step"),
      py::arg("target_clusters"), py::arg("max_attempts"), py::arg("max_time"), py::arg("seed"),
      py::arg("rotation") = false, py::arg("labels") = py::none(),
      "Rigid-cluster DLCA (lengths in the smallest radius). Returns (unwrapped positions, "
      "labels, merges, info).");

  b.def(
      "wall_mobility",
      [](const Array& z, double a) {
        if (z.ndim() != 1) throw py::value_error("z: must be a 1-D array");
        const auto n = static_cast<py::ssize_t>(z.shape(0));
        py::array_t<double> out({n, py::ssize_t{3}});
        double* po = out.mutable_data();
        for (py::ssize_t i = 0; i < n; ++i) {
          const bd::WallMobility m = bd::wall_mobility(z.data()[i], a);
          po[3 * i] = m.parallel;
          po[3 * i + 1] = m.perpendicular;
          po[3 * i + 2] = m.dperp_dz;
        }
        return out;
      },
      py::arg("z"), py::arg("radius"),
      "(mu_par / mu_0, mu_perp / mu_0, d(mu_perp / mu_0)/dz) of a sphere at heights z.");

  auto integrator = py::reinterpret_borrow<py::class_<bd::Integrator>>(b.attr("Integrator"));
  integrator.def("set_wall_mobility", &bd::Integrator::set_wall_mobility, py::arg("enabled"),
                 py::arg("with_drift") = true,
                 "Wall-corrected free-draining mobility near z = 0, with or without kT div M.");
}

}  // namespace mesolith::bindings
