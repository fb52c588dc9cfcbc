// Bindings of the microstructure engine: array conversion and GIL release only.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <array>
#include <string>
#include <vector>

#include "exports.hpp"
#include "micro_convert.hpp"
#include "mesolith/micro/connectivity.hpp"
#include "mesolith/micro/distance.hpp"
#include "mesolith/micro/random_field.hpp"
#include "mesolith/micro/spheres.hpp"
#include "mesolith/micro/spheroids.hpp"
#include "mesolith/micro/surface.hpp"
#include "mesolith/micro/transport.hpp"

namespace py = pybind11;

namespace mesolith::bindings {
namespace {

using Volume = py::array_t<std::uint8_t, py::array::c_style>;

micro::Shape shape_of(const Volume& v, const char* name) {
  if (v.ndim() != 3)
    throw py::value_error(std::string(name) + ": must be a 3-D uint8 array, got " +
                          std::to_string(v.ndim()) + " dimension(s)");
  return {v.shape(0), v.shape(1), v.shape(2)};
}

Volume new_volume(const micro::Shape& s) {
  return Volume({static_cast<py::ssize_t>(s.nx), static_cast<py::ssize_t>(s.ny),
                 static_cast<py::ssize_t>(s.nz)});
}

// Conductivity per label (256 entries), checked once for both conduction solves.
std::array<double, 256> conductivity_table(const Doubles& conductivity) {
  if (conductivity.ndim() != 1 || conductivity.shape(0) != 256)
    throw py::value_error("conductivity: must have shape (256,), one value per label");
  std::array<double, 256> sigma{};
  for (int i = 0; i < 256; ++i) sigma[i] = conductivity.data()[i];
  return sigma;
}

}  // namespace

void export_micro(py::module_& m) {
  py::module_ mm = m.def_submodule("micro", "Microstructure generators and effective properties.");
  export_sphere_packer(mm);
  export_spheroid_packer(mm);
  // The exception type lives as long as the module (a leaked handle, as pybind11 advises).
  static py::handle not_converged =
      py::exception<micro::NotConverged>(mm, "NotConvergedError", PyExc_RuntimeError).release();
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const micro::NotConverged& e) {
      py::object err = py::reinterpret_borrow<py::object>(not_converged)(e.what());
      err.attr("residual") = e.residual;
      err.attr("iterations") = e.iterations;
      PyErr_SetObject(not_converged.ptr(), err.ptr());
    }
  });

  mm.def(
      "reach_from_face",
      [](const Volume& mask, int axis, int side) {
        const auto s = shape_of(mask, "mask");
        Volume out = new_volume(s);
        std::size_t count;
        {
          py::gil_scoped_release release;
          count = micro::reach_from_face(mask.data(), s, axis, side, out.mutable_data());
        }
        return py::make_tuple(out, count);
      },
      py::arg("mask"), py::arg("axis"), py::arg("side"),
      "Voxels of the mask 6-connected to face `side` (0 or 1) of `axis`; returns (mask, count).");
  mm.def(
      "spanning_cluster",
      [](const Volume& mask, int axis) {
        const auto s = shape_of(mask, "mask");
        Volume out = new_volume(s);
        std::size_t count;
        {
          py::gil_scoped_release release;
          count = micro::spanning_cluster(mask.data(), s, axis, out.mutable_data());
        }
        return py::make_tuple(out, count);
      },
      py::arg("mask"), py::arg("axis"),
      "Voxels whose component touches both faces of `axis`; returns (mask, count).");
  mm.def(
      "percolation_axes",
      [](const Volume& mask) {
        const auto s = shape_of(mask, "mask");
        bool out[3];
        {
          py::gil_scoped_release release;
          micro::percolation_axes(mask.data(), s, out);
        }
        return py::make_tuple(out[0], out[1], out[2]);
      },
      py::arg("mask"),
      "Whether a 6-connected component of the mask touches both faces of x, y and z.");
  mm.def(
      "solve_conduction",
      [](const Volume& labels, const Doubles& conductivity, int axis, double rtol,
         std::int64_t max_iterations, const std::string& preconditioner, bool periodic_sides) {
        if (preconditioner != "multigrid" && preconditioner != "jacobi")
          throw py::value_error("preconditioner = '" + preconditioner +
                                "': must be 'multigrid' or 'jacobi'");
        const auto s = shape_of(labels, "labels");
        const auto sigma = conductivity_table(conductivity);
        micro::TransportOptions o;
        o.axis = axis;
        o.rtol = rtol;
        o.max_iterations = max_iterations;
        o.preconditioner = preconditioner == "jacobi" ? micro::Preconditioner::Jacobi
                                                      : micro::Preconditioner::Multigrid;
        o.periodic_sides = periodic_sides;
        micro::TransportResult r;
        {
          py::gil_scoped_release release;
          r = micro::solve_conduction(labels.data(), s, sigma, o);
        }
        py::dict d;
        d["effective_conductivity"] = r.effective_conductivity;
        d["flux_in"] = r.flux_in;
        d["flux_out"] = r.flux_out;
        d["iterations"] = r.iterations;
        d["residual"] = r.residual;
        d["unknowns"] = r.unknowns;
        d["percolates"] = r.percolates;
        d["working_bytes"] = r.working_bytes;
        return d;
      },
      py::arg("labels"), py::arg("conductivity"), py::arg("axis"), py::arg("rtol"),
      py::arg("max_iterations") = 0, py::arg("preconditioner") = "multigrid",
      py::arg("periodic_sides") = false,
      "Effective conductivity along `axis` (preconditioned CG, relative residual rtol).");
  mm.def(
      "solve_with_source",
      [](const Volume& labels, const Doubles& conductivity, const Doubles& source, int axis,
         double rtol, std::int64_t max_iterations, bool periodic_sides) {
        const auto s = shape_of(labels, "labels");
        if (source.ndim() != 3 || source.shape(0) != s.nx || source.shape(1) != s.ny ||
            source.shape(2) != s.nz)
          throw py::value_error("source: must have the shape of labels");
        const auto sigma = conductivity_table(conductivity);
        micro::TransportOptions o;
        o.axis = axis;
        o.rtol = rtol;
        o.max_iterations = max_iterations;
        o.periodic_sides = periodic_sides;
        micro::SourceResult r;
        {
          py::gil_scoped_release release;
          r = micro::solve_with_source(labels.data(), s, sigma, source.data(), o);
        }
        py::dict d;
        d["energy"] = r.energy;
        d["source_total"] = r.source_total;
        d["iterations"] = r.iterations;
        d["residual"] = r.residual;
        d["unknowns"] = r.unknowns;
        return d;
      },
      py::arg("labels"), py::arg("conductivity"), py::arg("source"), py::arg("axis"),
      py::arg("rtol"), py::arg("max_iterations") = 0, py::arg("periodic_sides") = false,
      "Conduction driven by a volumetric source, psi = 0 on the last face along axis.");
  mm.attr("SOLVER_BYTES_PER_VOXEL") = micro::kSolverBytesPerVoxel;
  mm.def(
      "interface_density",
      [](const Volume& labels, int n_labels, bool extrapolate, bool periodic) {
        const auto s = shape_of(labels, "labels");
        micro::InterfaceOptions o;
        o.extrapolate = extrapolate;
        o.periodic = periodic;
        std::vector<double> d;
        {
          py::gil_scoped_release release;
          d = micro::interface_density(labels.data(), s, n_labels, o);
        }
        Doubles out({n_labels, n_labels});
        std::copy(d.begin(), d.end(), out.mutable_data());
        return out;
      },
      py::arg("labels"), py::arg("n_labels"), py::arg("extrapolate") = false,
      py::arg("periodic") = false,
      "Interface area per unit volume [1/voxel] between label pairs (13-direction Crofton);\n"
      "extrapolate: Richardson from test-line steps 1 and 2; periodic: lines wrap around.");
  mm.def(
      "boolean_spheres",
      [](double lx, double ly, double lz, double intensity, double mean_radius, double log_sigma,
         double min_radius, double max_radius, std::uint64_t seed) {
        std::vector<micro::Sphere> s;
        {
          py::gil_scoped_release release;
          s = micro::boolean_spheres(lx, ly, lz, intensity,
                                     radii_of(mean_radius, log_sigma, min_radius, max_radius),
                                     seed);
        }
        return spheres_to(s);
      },
      py::arg("lx"), py::arg("ly"), py::arg("lz"), py::arg("intensity"), py::arg("mean_radius"),
      py::arg("log_sigma"), py::arg("min_radius"), py::arg("max_radius"), py::arg("seed"),
      "Boolean model (periodic box, voxel units): array (n, 4) of x, y, z, r.");
  mm.def(
      "pack_spheres",
      [](double lx, double ly, double lz, double target_fraction, double mean_radius,
         double log_sigma, double min_radius, double max_radius, double start_fraction,
         double growth, double overlap_tolerance, std::int64_t max_sweeps, std::uint64_t seed,
         bool periodic_z, std::int64_t jam_sweeps) {
        const micro::PackingOptions o = packing_options(
            lx, ly, lz, target_fraction, mean_radius, log_sigma, min_radius,
            max_radius, start_fraction, growth, overlap_tolerance, max_sweeps, seed,
            periodic_z, jam_sweeps);
        micro::PackingResult r;
        {
          py::gil_scoped_release release;
          r = micro::pack_spheres(o);
        }
        py::dict d;
        d["spheres"] = spheres_to(r.spheres);
        d["fraction"] = r.fraction;
        d["max_overlap"] = r.max_overlap;
        d["sweeps"] = r.sweeps;
        d["jammed"] = r.jammed;
        return d;
      },
      py::arg("lx"), py::arg("ly"), py::arg("lz"), py::arg("target_fraction"),
      py::arg("mean_radius"), py::arg("log_sigma"), py::arg("min_radius"), py::arg("max_radius"),
      py::arg("start_fraction"), py::arg("growth"), py::arg("overlap_tolerance"),
      py::arg("max_sweeps"), py::arg("seed"), py::arg("periodic_z") = false,
      py::arg("jam_sweeps") = 0,
      "Dense random packing (collective rearrangement), periodic x/y, walls in z (or periodic).");
  mm.def(
      "squared_distance",
      [](const Volume& mask) {
        const auto s = shape_of(mask, "mask");
        std::vector<double> d;
        {
          py::gil_scoped_release release;
          d = micro::squared_distance(mask.data(), s);
        }
        Doubles out({static_cast<py::ssize_t>(s.nx), static_cast<py::ssize_t>(s.ny),
                     static_cast<py::ssize_t>(s.nz)});
        std::copy(d.begin(), d.end(), out.mutable_data());
        return out;
      },
      py::arg("mask"), "Exact squared Euclidean distance to the nearest background voxel.");
  mm.def(
      "local_thickness",
      [](const Volume& mask) {
        const auto s = shape_of(mask, "mask");
        std::vector<float> t;
        {
          py::gil_scoped_release release;
          t = micro::local_thickness(mask.data(), s);
        }
        py::array_t<float> out({static_cast<py::ssize_t>(s.nx), static_cast<py::ssize_t>(s.ny),
                                static_cast<py::ssize_t>(s.nz)});
        std::copy(t.begin(), t.end(), out.mutable_data());
        return out;
      },
      py::arg("mask"), "Local thickness (diameter, voxels) of the masked phase.");
  mm.def(
      "gaussian_field",
      [](std::array<std::int64_t, 3> shape, double kernel_sigma, std::uint64_t seed,
         std::uint64_t stream) {
        const micro::Shape s{shape[0], shape[1], shape[2]};
        std::vector<float> f;
        {
          py::gil_scoped_release release;
          f = micro::gaussian_field(s, kernel_sigma, seed, stream);
        }
        py::array_t<float> out({static_cast<py::ssize_t>(s.nx), static_cast<py::ssize_t>(s.ny),
                                static_cast<py::ssize_t>(s.nz)});
        std::copy(f.begin(), f.end(), out.mutable_data());
        return out;
      },
      py::arg("shape"), py::arg("kernel_sigma"), py::arg("seed"), py::arg("stream"),
      "Unit-variance periodic Gaussian random field (white noise * Gaussian kernel).");
  mm.def(
      "calender_spheres",
      [](const Doubles& spheres, double lx, double ly, double lz, double lz_new,
         std::int64_t steps, double overlap_tolerance, std::int64_t max_sweeps_per_step,
         double spring_back) {
        auto sp = spheres_from(spheres);
        micro::CalenderOptions o;
        o.spring_back = spring_back;
        o.lz_new = lz_new;
        o.steps = steps;
        o.overlap_tolerance = overlap_tolerance;
        o.max_sweeps_per_step = max_sweeps_per_step;
        micro::CalenderResult r;
        {
          py::gil_scoped_release release;
          r = micro::calender_spheres(std::move(sp), lx, ly, lz, o);
        }
        py::dict d;
        d["spheres"] = spheres_to(r.spheres);
        d["lz"] = r.lz;
        d["lz_loaded"] = r.lz_loaded;
        d["max_overlap"] = r.max_overlap;
        d["sweeps"] = r.sweeps;
        return d;
      },
      py::arg("spheres"), py::arg("lx"), py::arg("ly"), py::arg("lz"), py::arg("lz_new"),
      py::arg("steps"), py::arg("overlap_tolerance"), py::arg("max_sweeps_per_step"),
      py::arg("spring_back") = 0.0,
      "Compress a packing in z to height lz_new with rearrangement, then release it with "
      "elastic spring-back (voxel units).");
  mm.def(
      "voxelise_spheres",
      [](const Volume& labels, const Doubles& spheres, std::array<bool, 3> periodic, int label) {
        const auto s = shape_of(labels, "labels");
        const auto sp = spheres_from(spheres);
        Volume out = new_volume(s);
        std::copy(labels.data(), labels.data() + s.size(), out.mutable_data());
        {
          py::gil_scoped_release release;
          micro::voxelise_spheres(sp, s, periodic.data(), static_cast<std::uint8_t>(label),
                                  out.mutable_data());
        }
        return out;
      },
      py::arg("labels"), py::arg("spheres"), py::arg("periodic"), py::arg("label"),
      "Copy of labels with every voxel centre inside a sphere set to `label`.");
  mm.def(
      "add_cbd",
      [](const Volume& labels, const Doubles& spheres, std::array<bool, 3> periodic,
         const std::string& mode, std::size_t count, std::uint64_t seed) {
        if (mode != "bridge" && mode != "film")
          throw py::value_error("mode = '" + mode + "': must be 'bridge' or 'film'");
        const auto s = shape_of(labels, "labels");
        const auto sp = spheres_from(spheres);
        Volume out = new_volume(s);
        std::copy(labels.data(), labels.data() + s.size(), out.mutable_data());
        {
          py::gil_scoped_release release;
          micro::add_cbd(out.mutable_data(), s, sp, periodic.data(),
                         mode == "bridge" ? micro::CbdMode::Bridge : micro::CbdMode::Film, count,
                         seed);
        }
        return out;
      },
      py::arg("labels"), py::arg("spheres"), py::arg("periodic"), py::arg("mode"),
      py::arg("count"), py::arg("seed"),
      "Copy of labels with `count` pore voxels turned into CBD (label 2).");
  mm.def(
      "pack_spheroids",
      [](double lx, double ly, double lz, double target_fraction, double mean_radius,
         double log_sigma, double min_radius, double max_radius, double aspect_ratio,
         double kappa, double start_fraction, double growth, double overlap_tolerance,
         std::int64_t max_sweeps, std::uint64_t seed, bool periodic_z, bool rotate,
         double order_stiffness, std::int64_t stage_steps) {
        const micro::SpheroidPackingOptions o = spheroid_packing_options(
            lx, ly, lz, target_fraction, mean_radius, log_sigma, min_radius,
            max_radius, aspect_ratio, kappa, start_fraction, growth,
            overlap_tolerance, max_sweeps, seed, periodic_z, rotate,
            order_stiffness, stage_steps);
        micro::SpheroidPackingResult r;
        {
          py::gil_scoped_release release;
          r = micro::pack_spheroids(o);
        }
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
      py::arg("lx"), py::arg("ly"), py::arg("lz"), py::arg("target_fraction"),
      py::arg("mean_radius"), py::arg("log_sigma"), py::arg("min_radius"), py::arg("max_radius"),
      py::arg("aspect_ratio"), py::arg("kappa"), py::arg("start_fraction"), py::arg("growth"),
      py::arg("overlap_tolerance"), py::arg("max_sweeps"), py::arg("seed"),
      py::arg("periodic_z") = false, py::arg("rotate") = true, py::arg("order_stiffness") = 1.0,
      py::arg("stage_steps") = 2000,
      "Dense packing of spheroids (Watson orientations, Perram-Wertheim contact) by compression "
      "with FIRE overlap-energy minimisation, voxel units: particles (n, 8) = x, y, z, a, c, "
      "ux, uy, uz; sweeps = FIRE steps, order = <P2(u_z)> at the end, order_sampled = sampled.");
  mm.def(
      "spheroid_overlap",
      [](const Doubles& particles, double lx, double ly, double lz, bool periodic_z) {
        const auto p = spheroids_from(particles);
        py::gil_scoped_release release;
        return micro::spheroid_overlap(p, lx, ly, lz, periodic_z);
      },
      py::arg("particles"), py::arg("lx"), py::arg("ly"), py::arg("lz"),
      py::arg("periodic_z") = false,
      "Worst overlap 1 - sqrt(F) over pairs (Perram-Wertheim) and walls.");
  mm.def(
      "perram_wertheim",
      [](const Doubles& a, const Doubles& b) {
        const auto pa = spheroids_from(a), pb = spheroids_from(b);
        if (pa.size() != 1 || pb.size() != 1)
          throw py::value_error("a, b: must each hold one spheroid (shape (1, 8))");
        return micro::perram_wertheim(pa[0], pb[0], pb[0].x - pa[0].x, pb[0].y - pa[0].y,
                                      pb[0].z - pa[0].z);
      },
      py::arg("a"), py::arg("b"), "Perram-Wertheim contact function F of two spheroids.");
  mm.def(
      "add_cbd_spheroids",
      [](const Volume& labels, const Doubles& particles, std::array<bool, 3> periodic,
         const std::string& mode, std::size_t count, std::uint64_t seed) {
        if (mode != "bridge" && mode != "film")
          throw py::value_error("mode = '" + mode + "': must be 'bridge' or 'film'");
        const auto s = shape_of(labels, "labels");
        const auto p = spheroids_from(particles);
        Volume out = new_volume(s);
        std::copy(labels.data(), labels.data() + s.size(), out.mutable_data());
        {
          py::gil_scoped_release release;
          micro::add_cbd_spheroids(out.mutable_data(), s, p, periodic.data(),
                                   mode == "bridge" ? micro::CbdMode::Bridge
                                                    : micro::CbdMode::Film,
                                   count, seed);
        }
        return out;
      },
      py::arg("labels"), py::arg("particles"), py::arg("periodic"), py::arg("mode"),
      py::arg("count"), py::arg("seed"),
      "Copy of labels with `count` pore voxels around spheroids turned into CBD (label 2).");
  mm.def(
      "calender_spheroids",
      [](const Doubles& particles, double lx, double ly, double lz, double lz_new,
         std::int64_t steps, double overlap_tolerance, std::int64_t max_sweeps_per_step,
         double spring_back) {
        auto p = spheroids_from(particles);
        micro::CalenderOptions o;
        o.lz_new = lz_new;
        o.steps = steps;
        o.overlap_tolerance = overlap_tolerance;
        o.max_sweeps_per_step = max_sweeps_per_step;
        o.spring_back = spring_back;
        micro::SpheroidCalenderResult r;
        {
          py::gil_scoped_release release;
          r = micro::calender_spheroids(std::move(p), lx, ly, lz, o);
        }
        py::dict d;
        d["particles"] = spheroids_to(r.particles);
        d["lz"] = r.lz;
        d["lz_loaded"] = r.lz_loaded;
        d["max_overlap"] = r.max_overlap;
        d["sweeps"] = r.sweeps;
        return d;
      },
      py::arg("particles"), py::arg("lx"), py::arg("ly"), py::arg("lz"), py::arg("lz_new"),
      py::arg("steps"), py::arg("overlap_tolerance"), py::arg("max_sweeps_per_step"),
      py::arg("spring_back") = 0.0,
      "Compress a spheroid packing in z to lz_new with rearrangement, then spring-back.");
  mm.def(
      "voxelise_spheroids",
      [](const Volume& labels, const Doubles& particles, std::array<bool, 3> periodic,
         int label) {
        const auto s = shape_of(labels, "labels");
        const auto p = spheroids_from(particles);
        Volume out = new_volume(s);
        std::copy(labels.data(), labels.data() + s.size(), out.mutable_data());
        {
          py::gil_scoped_release release;
          micro::voxelise_spheroids(p, s, periodic.data(), static_cast<std::uint8_t>(label),
                                    out.mutable_data());
        }
        return out;
      },
      py::arg("labels"), py::arg("particles"), py::arg("periodic"), py::arg("label"),
      "Copy of labels with every voxel centre inside a spheroid set to `label`.");
}

}  // namespace mesolith::bindings
