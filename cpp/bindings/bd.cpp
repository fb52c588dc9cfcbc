// Bindings: Brownian dynamics (mobility, noise, forces, integrator). Arrays only.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <string>
#include <vector>

#include "exports.hpp"
#include "mesolith/bd/deposition.hpp"
#include "mesolith/bd/ewald.hpp"
#include "mesolith/bd/ewald_poly.hpp"
#include "mesolith/bd/forces.hpp"
#include "mesolith/bd/integrator.hpp"
#include "mesolith/bd/noise.hpp"
#include "mesolith/bd/rpy.hpp"

namespace py = pybind11;

namespace mesolith::bindings {

void export_bd_physics(py::module_& b);  // bd_physics.cpp: aggregation, wall mobility

namespace {

using Array = py::array_t<double, py::array::c_style | py::array::forcecast>;

const double* rows3(const Array& a, const char* name, std::size_t n) {
  if (a.ndim() != 2 || a.shape(1) != 3 || static_cast<std::size_t>(a.shape(0)) != n)
    throw py::value_error(std::string(name) + ": must have shape (" + std::to_string(n) + ", 3)");
  return a.data();
}

std::size_t count(const Array& radii) {
  if (radii.ndim() != 1 || radii.shape(0) < 1)
    throw py::value_error("radii: must be a non-empty 1-D array");
  return static_cast<std::size_t>(radii.shape(0));
}

bd::Hydrodynamics hydro_of(const std::string& s) {
  if (s == "rpy") return bd::Hydrodynamics::Rpy;
  if (s == "none") return bd::Hydrodynamics::FreeDraining;
  throw py::value_error("hydrodynamics = '" + s + "': must be 'rpy' or 'none'");
}

py::array_t<double> new_rows3(std::size_t n) {
  return py::array_t<double>({static_cast<py::ssize_t>(n), static_cast<py::ssize_t>(3)});
}

}  // namespace

void export_bd(py::module_& m) {
  py::module_ b = m.def_submodule("bd", "Brownian dynamics with hydrodynamic interactions.");

  b.def(
      "mobility_matrix",
      [](const Array& x, const Array& radii, double eta, const std::string& hydro) {
        const std::size_t n = count(radii);
        const double* px = rows3(x, "positions", n);
        py::array_t<double> out({static_cast<py::ssize_t>(3 * n), static_cast<py::ssize_t>(3 * n)});
        double* po = out.mutable_data();
        {
          py::gil_scoped_release release;
          bd::Mobility(px, radii.data(), n, eta, hydro_of(hydro)).dense(po);
        }
        return out;
      },
      py::arg("positions"), py::arg("radii"), py::arg("viscosity"), py::arg("hydrodynamics") = "rpy",
      "Dense 3N x 3N mobility (units of 1/(viscosity * length)).");

  b.def(
      "ewald_mobility_matrix",
      [](const Array& x, double radius, double eta, double box, double xi, double tol) {
        if (x.ndim() != 2 || x.shape(1) != 3 || x.shape(0) < 1)
          throw py::value_error("positions: must have shape (N, 3)");
        const std::size_t n = static_cast<std::size_t>(x.shape(0));
        py::array_t<double> out({static_cast<py::ssize_t>(3 * n), static_cast<py::ssize_t>(3 * n)});
        double* po = out.mutable_data();
        const double* px = x.data();
        {
          py::gil_scoped_release release;
          bd::ewald_rpy_dense(px, n, radius, eta, box, bd::EwaldOptions{xi, tol}, po);
        }
        return out;
      },
      py::arg("positions"), py::arg("radius"), py::arg("viscosity"), py::arg("box"),
      py::arg("xi") = 0.0, py::arg("tolerance") = 1e-12,
      "Dense periodic RPY mobility of equal spheres in a cubic box (Beenakker Ewald sum).");

  b.def(
      "ewald_mobility_matrix_poly",
      [](const Array& x, const Array& radii, double eta, double box, double xi, double tol) {
        const std::size_t n = count(radii);
        const double* px = rows3(x, "positions", n);
        py::array_t<double> out({static_cast<py::ssize_t>(3 * n), static_cast<py::ssize_t>(3 * n)});
        double* po = out.mutable_data();
        const double* pa = radii.data();
        {  // std::invalid_argument reaches Python as ValueError
          py::gil_scoped_release release;
          bd::ewald_rpy_dense_poly(px, pa, n, eta, box, bd::EwaldOptions{xi, tol}, po);
        }
        return out;
      },
      py::arg("positions"), py::arg("radii"), py::arg("viscosity"), py::arg("box"),
      py::arg("xi") = 0.0, py::arg("tolerance") = 1e-12,
      "Dense periodic RPY mobility of spheres of unequal radii in a cubic box (Beenakker "
      "Ewald sum with a^2 -> (a_i^2 + a_j^2)/2, Zuk et al. overlap correction).");

  b.def(
      "deposition",
      [](double cell, double step, double probability, double release_gap, double kill_gap,
         std::size_t walkers, std::uint64_t max_steps, std::uint64_t seed) {
        bd::DepositionParams p;
        p.cell = cell;
        p.step = step;
        p.probability = probability;
        p.release_gap = release_gap;
        p.kill_gap = kill_gap;
        p.walkers = walkers;
        p.max_steps = max_steps;
        p.seed = seed;
        bd::DepositionResult r;
        {
          py::gil_scoped_release release;
          r = bd::run_deposition(p);
        }
        auto out = new_rows3(r.positions.size() / 3);
        std::copy(r.positions.begin(), r.positions.end(), out.mutable_data());
        py::dict info;
        info["steps"] = r.steps;
        info["attempts"] = r.attempts;
        info["complete"] = r.complete;
        return py::make_tuple(out, info);
      },
      py::arg("cell"), py::arg("step"), py::arg("probability"), py::arg("release_gap"),
      py::arg("kill_gap"), py::arg("walkers"), py::arg("max_steps"), py::arg("seed"),
      "Reactive deposition by Brownian walkers (lengths in particle radii).");

  b.def(
      "mobility_apply",
      [](const Array& x, const Array& radii, double eta, const Array& f, const std::string& hydro) {
        const std::size_t n = count(radii);
        const double* px = rows3(x, "positions", n);
        const double* pf = rows3(f, "forces", n);
        auto out = new_rows3(n);
        double* po = out.mutable_data();
        {
          py::gil_scoped_release release;
          bd::Mobility(px, radii.data(), n, eta, hydro_of(hydro)).apply(pf, po);
        }
        return out;
      },
      py::arg("positions"), py::arg("radii"), py::arg("viscosity"), py::arg("forces"),
      py::arg("hydrodynamics") = "rpy", "Matrix-free product M F, shape (N, 3).");

  b.def(
      "standard_normals",
      [](std::uint64_t seed, std::uint64_t step, std::size_t n) {
        auto out = new_rows3(n);
        double* po = out.mutable_data();
        {
          py::gil_scoped_release release;
          bd::standard_normals(seed, step, n, po);
        }
        return out;
      },
      py::arg("seed"), py::arg("step"), py::arg("n"),
      "Three standard normals per particle, keyed by (seed, particle, step).");

  b.def(
      "sqrt_apply",
      [](const Array& x, const Array& radii, double eta, const Array& w, const std::string& method,
         double tol, int max_iter, const std::string& hydro) {
        const std::size_t n = count(radii);
        const double* px = rows3(x, "positions", n);
        const double* pw = rows3(w, "w", n);
        auto out = new_rows3(n);
        double* po = out.mutable_data();
        bd::LanczosReport rep;
        rep.converged = true;
        if (method != "cholesky" && method != "lanczos")
          throw py::value_error("method = '" + method + "': must be 'cholesky' or 'lanczos'");
        {
          py::gil_scoped_release release;
          const bd::Mobility mob(px, radii.data(), n, eta, hydro_of(hydro));
          if (mob.hydrodynamics() == bd::Hydrodynamics::FreeDraining)
            bd::diagonal_sqrt(mob, pw, po);
          else if (method == "cholesky")
            bd::cholesky_sqrt(mob, pw, po);
          else
            rep = bd::lanczos_sqrt(mob, pw, po, bd::LanczosOptions{tol, max_iter});
        }
        py::dict info;
        info["iterations"] = rep.iterations;
        info["error_estimate"] = rep.error_estimate;
        info["converged"] = rep.converged;
        return py::make_tuple(out, info);
      },
      py::arg("positions"), py::arg("radii"), py::arg("viscosity"), py::arg("w"),
      py::arg("method") = "lanczos", py::arg("tolerance") = 1e-4, py::arg("max_iterations") = 200,
      py::arg("hydrodynamics") = "rpy",
      "B w with B B^T = M: lower Cholesky factor or Lanczos M^(1/2). Returns (B w, info).");

  py::class_<bd::ForceParams>(b, "ForceParams")
      .def(py::init<>())
      .def_readwrite("n_species", &bd::ForceParams::n_species)
      .def_readwrite("repulsion_energy", &bd::ForceParams::repulsion_energy)
      .def_readwrite("repulsion_range", &bd::ForceParams::repulsion_range)
      .def_readwrite("hamaker", &bd::ForceParams::hamaker)
      .def_readwrite("surface_potential", &bd::ForceParams::surface_potential)
      .def_readwrite("double_layer_prefactor", &bd::ForceParams::double_layer_prefactor)
      .def_readwrite("debye_kappa", &bd::ForceParams::debye_kappa)
      .def_readwrite("min_gap", &bd::ForceParams::min_gap)
      .def_readwrite("dlvo_cutoff_gap", &bd::ForceParams::dlvo_cutoff_gap)
      .def_readwrite("bondable", &bd::ForceParams::bondable)
      .def_readwrite("bond_stiffness", &bd::ForceParams::bond_stiffness)
      .def_readwrite("bond_break_force", &bd::ForceParams::bond_break_force)
      .def_readwrite("bond_capture_gap", &bd::ForceParams::bond_capture_gap)
      .def_readwrite("wall", &bd::ForceParams::wall);

  b.def(
      "pair_term",
      [](double r, double ai, double aj, int si, int sj, const bd::ForceParams& p) {
        const bd::PairTerm t = bd::pair_term(r, ai, aj, si, sj, p);
        return py::make_tuple(t.energy, t.dudr);
      },
      py::arg("r"), py::arg("ai"), py::arg("aj"), py::arg("si"), py::arg("sj"), py::arg("params"),
      "(energy, dU/dr) of one pair.");

  py::class_<bd::Integrator>(b, "Integrator")
      .def(py::init([](const Array& x, const Array& radii, py::array_t<int> species,
                       const Array& external, const bd::ForceParams& fp, double kT, double eta,
                       double dt, double shear_rate, const std::string& hydro,
                       const std::string& noise, double tol, int max_iter, std::uint64_t seed,
                       std::uint64_t first_step, double max_drift) {
             const std::size_t n = count(radii);
             const double* px = rows3(x, "positions", n);
             const double* pe = rows3(external, "external", n);
             if (species.ndim() != 1 || static_cast<std::size_t>(species.shape(0)) != n)
               throw py::value_error("species: must have shape (N,)");
             if (noise != "cholesky" && noise != "lanczos")
               throw py::value_error("noise = '" + noise + "': must be 'cholesky' or 'lanczos'");
             bd::IntegratorParams ip;
             ip.kT = kT;
             ip.viscosity = eta;
             ip.dt = dt;
             ip.shear_rate = shear_rate;
             ip.max_drift = max_drift;
             ip.hydrodynamics = hydro_of(hydro);
             ip.noise = noise == "cholesky" ? bd::NoiseMethod::Cholesky : bd::NoiseMethod::Lanczos;
             ip.lanczos = bd::LanczosOptions{tol, max_iter};
             ip.seed = seed;
             bd::ForceField ff(fp, std::vector<double>(radii.data(), radii.data() + n),
                               std::vector<int>(species.data(), species.data() + n),
                               std::vector<double>(pe, pe + 3 * n));
             return bd::Integrator(std::vector<double>(px, px + 3 * n), std::move(ff), ip,
                                   first_step);
           }),
           py::arg("positions"), py::arg("radii"), py::arg("species"), py::arg("external"),
           py::arg("force_params"), py::arg("kT"), py::arg("viscosity"), py::arg("dt"),
           py::arg("shear_rate"), py::arg("hydrodynamics"), py::arg("noise"),
           py::arg("tolerance"), py::arg("max_iterations"), py::arg("seed"),
           py::arg("first_step") = 0, py::arg("max_drift") = 0.0)
      .def(
          "run",
          [](bd::Integrator& self, std::size_t steps) {
            py::gil_scoped_release release;
            self.run(steps);
          },
          py::arg("steps"))
      .def_property_readonly("positions",
                             [](const bd::Integrator& self) {
                               const auto& x = self.positions();
                               auto out = new_rows3(x.size() / 3);
                               std::copy(x.begin(), x.end(), out.mutable_data());
                               return out;
                             })
      .def_property_readonly("step", &bd::Integrator::step)
      .def_property_readonly("energy", &bd::Integrator::last_energy)
      .def_property_readonly("lanczos_iterations", &bd::Integrator::last_lanczos_iterations)
      .def_property_readonly("bonds_formed", &bd::Integrator::bonds_formed)
      .def_property_readonly("bonds_broken", &bd::Integrator::bonds_broken)
      .def_property_readonly("drift_limited", &bd::Integrator::drift_limited)
      .def_property_readonly("bonds",
                             [](const bd::Integrator& self) {
                               const auto& bonds = self.force_field().bonds();
                               py::array_t<std::uint32_t> out(
                                   {static_cast<py::ssize_t>(bonds.size()), py::ssize_t{2}});
                               auto* p = out.mutable_data();
                               for (std::size_t k = 0; k < bonds.size(); ++k) {
                                 p[2 * k] = bonds[k].first;
                                 p[2 * k + 1] = bonds[k].second;
                               }
                               return out;
                             })
      .def(
          "set_bonds",
          [](bd::Integrator& self, py::array_t<std::uint32_t, py::array::c_style> pairs) {
            if (pairs.ndim() != 2 || pairs.shape(1) != 2)
              throw py::value_error("bonds: must have shape (K, 2)");
            std::vector<bd::Bond> v(static_cast<std::size_t>(pairs.shape(0)));
            for (std::size_t k = 0; k < v.size(); ++k)
              v[k] = {pairs.data()[2 * k], pairs.data()[2 * k + 1]};
            self.force_field().set_bonds(std::move(v));
          },
          py::arg("pairs"))
      .def(
          "forces",
          [](const bd::Integrator& self, const Array& x) {
            const std::size_t n = self.force_field().size();
            const double* px = rows3(x, "positions", n);
            auto out = new_rows3(n);
            double e;
            {
              py::gil_scoped_release release;
              e = self.force_field().compute(px, out.mutable_data());
            }
            return py::make_tuple(out, e);
          },
          py::arg("positions"), "(forces (N, 3), potential energy) at the given positions.");

  export_bd_physics(b);
  export_bd_pse(b);
}

}  // namespace mesolith::bindings
