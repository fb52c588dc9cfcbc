// Bindings: positively split Ewald (PSE) kernels for the periodic RPY mobility.
// Arrays only; the FFTs and the orchestration are in mesolith/bd/pse.py.
#include <pybind11/complex.h>
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <complex>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "exports.hpp"
#include "mesolith/bd/noise.hpp"
#include "mesolith/bd/pse_forces.hpp"
#include "mesolith/bd/pse_poly.hpp"
#include "mesolith/bd/pse_real.hpp"
#include "mesolith/bd/pse_wave.hpp"

namespace py = pybind11;

namespace mesolith::bindings {
namespace {

using Array = py::array_t<double, py::array::c_style | py::array::forcecast>;
using Complex = py::array_t<std::complex<double>, py::array::c_style>;

std::size_t rows3(const Array& a, const char* name, long n = -1) {
  if (a.ndim() != 2 || a.shape(1) != 3 || (n >= 0 && a.shape(0) != n))
    throw py::value_error(std::string(name) + ": must have shape (N, 3)" +
                          (n >= 0 ? " with N = " + std::to_string(n) : ""));
  return static_cast<std::size_t>(a.shape(0));
}

py::array_t<double> new_rows3(std::size_t n) {
  return py::array_t<double>({static_cast<py::ssize_t>(n), static_cast<py::ssize_t>(3)});
}

void check_grid(const py::array& a, const bd::PseGrid& g, std::size_t last, const char* name) {
  const auto m = static_cast<py::ssize_t>(g.m);
  if (a.ndim() != 4 || a.shape(0) != 3 || a.shape(1) != m || a.shape(2) != m ||
      a.shape(3) != static_cast<py::ssize_t>(last))
    throw py::value_error(std::string(name) + ": must have shape (3, M, M, " +
                          std::to_string(last) + ") with M = " + std::to_string(g.m));
}

py::array_t<double> new_grid(const bd::PseGrid& g) {
  const auto m = static_cast<py::ssize_t>(g.m);
  return py::array_t<double>({py::ssize_t{3}, m, m, m});
}

}  // namespace

void export_bd_pse(py::module_& b) {
  py::class_<bd::PseGrid>(b, "PseGrid")
      .def(py::init([](std::size_t m, int support, double box, double xi, double eta) {
             bd::PseGrid g;
             g.m = m;
             g.support = support;
             g.box = box;
             g.xi = xi;
             g.eta = eta;
             return g;
           }),
           py::arg("m"), py::arg("support"), py::arg("box"), py::arg("xi"), py::arg("eta"))
      .def_readonly("m", &bd::PseGrid::m)
      .def_readonly("support", &bd::PseGrid::support)
      .def_readonly("box", &bd::PseGrid::box)
      .def_readonly("xi", &bd::PseGrid::xi)
      .def_readonly("eta", &bd::PseGrid::eta);

  py::class_<bd::PseRealKernel, std::shared_ptr<bd::PseRealKernel>>(b, "PseRealKernel")
      .def(py::init<double, double, double, double>(), py::arg("radius"), py::arg("viscosity"),
           py::arg("xi"), py::arg("tolerance"))
      .def_property_readonly("cutoff", &bd::PseRealKernel::cutoff)
      .def(
          "coefficients",
          [](const bd::PseRealKernel& k, double r) {
            double f, g;
            k.coefficients(r * r, f, g);
            return py::make_tuple(f, g);
          },
          py::arg("r"), "(f, g) of the real-space block f I + g r r^T at distance r.")
      .def(
          "wave_free_space",
          [](const bd::PseRealKernel& k, double r) {
            double a, bb;
            k.wave_free_space(r, a, bb);
            return py::make_tuple(a, bb);
          },
          py::arg("r"), "(A, b) of the free-space wave part A I + b r r^T at distance r.");

  py::class_<bd::PsePolyRealKernel, std::shared_ptr<bd::PsePolyRealKernel>>(b,
                                                                          "PsePolyRealKernel")
      .def(py::init<double, double, double, double, double>(), py::arg("a_min"),
           py::arg("a_max"), py::arg("viscosity"), py::arg("xi"), py::arg("tolerance"))
      .def_property_readonly("cutoff", &bd::PsePolyRealKernel::cutoff)
      .def(
          "coefficients",
          [](const bd::PsePolyRealKernel& k, double r, double ai, double aj) {
            double f, g;
            k.coefficients(r * r, ai, aj, f, g);
            return py::make_tuple(f, g);
          },
          py::arg("r"), py::arg("a_i"), py::arg("a_j"),
          "(f, g) of the real-space block f I + g r r^T of the pair (a_i, a_j) at distance r.");

  py::class_<bd::PseRealOperator>(b, "PseRealOperator")
      .def(py::init([](std::shared_ptr<bd::PseRealKernel> kernel, const Array& x, double box) {
             const std::size_t n = rows3(x, "positions");
             const double* px = x.data();
             py::gil_scoped_release release;
             return bd::PseRealOperator(*kernel, px, n, box);
           }),
           py::arg("kernel"), py::arg("positions"), py::arg("box"))
      .def(py::init([](std::shared_ptr<bd::PsePolyRealKernel> kernel, const Array& x,
                       const Array& radii, double box) {
             const std::size_t n = rows3(x, "positions");
             if (radii.ndim() != 1 || static_cast<std::size_t>(radii.shape(0)) != n)
               throw py::value_error("radii: must have shape (N,) with N = " + std::to_string(n));
             const double *px = x.data(), *pr = radii.data();
             py::gil_scoped_release release;
             return bd::PseRealOperator(*kernel, px, pr, n, box);
           }),
           py::arg("kernel"), py::arg("positions"), py::arg("radii"), py::arg("box"))
      .def_property_readonly("pairs", &bd::PseRealOperator::pairs)
      .def(
          "apply",
          [](const bd::PseRealOperator& op, const Array& f) {
            rows3(f, "forces", static_cast<long>(op.size()));
            auto out = new_rows3(op.size());
            double* po = out.mutable_data();
            const double* pf = f.data();
            py::gil_scoped_release release;
            op.apply(pf, po);
            return out;
          },
          py::arg("forces"), "u = M_real F, shape (N, 3).")
      .def(
          "sqrt_apply",
          [](const bd::PseRealOperator& op, const Array& w, double tol, int max_iter) {
            rows3(w, "w", static_cast<long>(op.size()));
            auto out = new_rows3(op.size());
            double* po = out.mutable_data();
            const double* pw = w.data();
            bd::LanczosReport rep;
            {
              py::gil_scoped_release release;
              rep = bd::lanczos_sqrt([&op](const double* v, double* u) { op.apply(v, u); },
                                     op.dim(), pw, po, bd::LanczosOptions{tol, max_iter});
            }
            py::dict info;
            info["iterations"] = rep.iterations;
            info["error_estimate"] = rep.error_estimate;
            info["converged"] = rep.converged;
            return py::make_tuple(out, info);
          },
          py::arg("w"), py::arg("tolerance") = 1e-4, py::arg("max_iterations") = 200,
          "M_real^(1/2) w by Lanczos; returns (y, info).");

  b.def(
      "pse_spread",
      [](const bd::PseGrid& g, const Array& x, const Array& f) {
        const std::size_t n = rows3(x, "positions");
        rows3(f, "forces", static_cast<long>(n));
        auto out = new_grid(g);
        double* po = out.mutable_data();
        const double *px = x.data(), *pf = f.data();
        py::gil_scoped_release release;
        bd::pse_spread(g, px, n, pf, po);
        return out;
      },
      py::arg("grid"), py::arg("positions"), py::arg("forces"),
      "Gaussian spreading of (N, 3) forces onto a (3, M, M, M) grid.");

  b.def(
      "pse_interpolate",
      [](const bd::PseGrid& g, const Array& x, const Array& field) {
        const std::size_t n = rows3(x, "positions");
        check_grid(field, g, g.m, "field");
        auto out = new_rows3(n);
        double* po = out.mutable_data();
        const double *px = x.data(), *pf = field.data();
        py::gil_scoped_release release;
        bd::pse_interpolate(g, px, n, pf, po);
        return out;
      },
      py::arg("grid"), py::arg("positions"), py::arg("field"),
      "h^3 sum_g G(x_g - x_i) field(x_g), shape (N, 3).");

  b.def(
      "pse_green",
      [](const bd::PseGrid& g, double radius, double viscosity) {
        const auto m = static_cast<py::ssize_t>(g.m);
        py::array_t<double> out({m, m, m / 2 + 1});
        double* po = out.mutable_data();
        py::gil_scoped_release release;
        bd::pse_green(g, radius, viscosity, po);
        return out;
      },
      py::arg("grid"), py::arg("radius"), py::arg("viscosity"),
      "Scalar wave-space factor on the real-FFT grid (M, M, M/2 + 1).");

  b.def(
      "pse_scale",
      [](const bd::PseGrid& g, const Array& green, Complex fk, bool square_root) {
        check_grid(fk, g, g.m / 2 + 1, "fk");
        const auto m = static_cast<py::ssize_t>(g.m);
        if (green.ndim() != 3 || green.shape(0) != m || green.shape(1) != m ||
            green.shape(2) != m / 2 + 1)
          throw py::value_error("green: must have shape (M, M, M/2 + 1)");
        const double* pg = green.data();
        std::complex<double>* pk = fk.mutable_data();
        py::gil_scoped_release release;
        bd::pse_scale(g, pg, square_root, pk);
      },
      py::arg("grid"), py::arg("green"), py::arg("fk").noconvert(), py::arg("square_root"),
      "In place: fk <- c(k) (I - k k / k^2) fk, c = green or sqrt(green).");

  b.def(
      "pse_green_bare",
      [](const bd::PseGrid& g, double viscosity) {
        const auto m = static_cast<py::ssize_t>(g.m);
        py::array_t<double> out({m, m, m / 2 + 1});
        double* po = out.mutable_data();
        py::gil_scoped_release release;
        bd::pse_green_bare(g, viscosity, po);
        return out;
      },
      py::arg("grid"), py::arg("viscosity"),
      "Wave-space factor without the sinc^2 (unequal radii) on the grid (M, M, M/2 + 1).");

  b.def(
      "pse_scale_poly",
      [](const bd::PseGrid& g, const Array& green, Complex fa, Complex fb, bool square_root,
         bool combine) {
        check_grid(fa, g, g.m / 2 + 1, "fa");
        check_grid(fb, g, g.m / 2 + 1, "fb");
        const auto m = static_cast<py::ssize_t>(g.m);
        if (green.ndim() != 3 || green.shape(0) != m || green.shape(1) != m ||
            green.shape(2) != m / 2 + 1)
          throw py::value_error("green: must have shape (M, M, M/2 + 1)");
        const double* pg = green.data();
        std::complex<double>* pa = fa.mutable_data();
        std::complex<double>* pb = fb.mutable_data();
        py::gil_scoped_release release;
        bd::pse_scale_poly(g, pg, square_root, combine, pa, pb);
      },
      py::arg("grid"), py::arg("green"), py::arg("fa").noconvert(), py::arg("fb").noconvert(),
      py::arg("square_root"), py::arg("combine"),
      "In place: v = c(k) (I - k k/k^2) (fa - k^2/6 fb) (or fa when combine is false); "
      "fa <- v, fb <- k^2 v.");

  b.def(
      "pse_grid_normals",
      [](const bd::PseGrid& g, std::uint64_t seed, std::uint64_t step) {
        auto out = new_grid(g);
        double* po = out.mutable_data();
        py::gil_scoped_release release;
        bd::pse_grid_normals(g, seed, step, po);
        return out;
      },
      py::arg("grid"), py::arg("seed"), py::arg("step"),
      "3 M^3 standard normals on the grid, keyed by (seed, grid row, step).");

  b.def(
      "periodic_forces",
      [](const Array& x, double box, const Array& radii, py::array_t<int> species,
         const Array& external, const bd::ForceParams& params) {
        const std::size_t n = rows3(x, "positions");
        rows3(external, "external", static_cast<long>(n));
        if (radii.ndim() != 1 || static_cast<std::size_t>(radii.shape(0)) != n ||
            species.ndim() != 1 || static_cast<std::size_t>(species.shape(0)) != n)
          throw py::value_error("radii, species: must have shape (N,)");
        auto out = new_rows3(n);
        double* po = out.mutable_data();
        double e;
        {
          py::gil_scoped_release release;
          e = bd::periodic_pair_forces(x.data(), n, box, radii.data(), species.data(),
                                       external.data(), params, po);
        }
        return py::make_tuple(out, e);
      },
      py::arg("positions"), py::arg("box"), py::arg("radii"), py::arg("species"),
      py::arg("external"), py::arg("params"),
      "(forces (N, 3), pair energy) in a cubic periodic box.");
}

}  // namespace mesolith::bindings
