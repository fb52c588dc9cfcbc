// libFuzzer harness for the Rotne-Prager-Yamakawa mobility of the BD engine.
// Free space (polydisperse, overlap-corrected): the dense 3N x 3N matrix is finite,
// symmetric and positive definite (Zuk et al. 2014 prove it for every configuration); the
// matrix-free product, the 3x3 blocks and the dense matrix agree; the self block is
// 1 / (6 pi eta a). Periodic (Ewald sum, equal spheres): finite, symmetric, unchanged when a
// particle moves by a box vector and independent of the splitting parameter xi. Periodic
// with unequal radii: the same identities, and equal radii give the equal-sphere sum.
// Non-positive radius, viscosity or a box <= 2 a must be refused with std::invalid_argument.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "fuzz_input.hpp"
#include "mesolith/bd/ewald.hpp"
#include "mesolith/bd/ewald_poly.hpp"
#include "mesolith/bd/rpy.hpp"

using mesolith::fuzz::close;
using mesolith::fuzz::Input;
using mesolith::fuzz::require;
namespace bd = mesolith::bd;

namespace {

double max_abs(const std::vector<double>& m) {
  double v = 0.0;
  for (double x : m) v = std::max(v, std::fabs(x));
  return v;
}

void require_symmetric_finite(const std::vector<double>& m, std::size_t dim, double tol) {
  const double scale = max_abs(m);
  for (std::size_t i = 0; i < dim; ++i)
    for (std::size_t j = 0; j < dim; ++j) {
      require(std::isfinite(m[i * dim + j]), "mobility entry not finite");
      require(std::fabs(m[i * dim + j] - m[j * dim + i]) <= tol * scale, "mobility not symmetric");
    }
}

// Cholesky of m + shift I succeeds for a positive definite m (shift covers rounding).
bool positive_definite(std::vector<double> m, std::size_t dim, double shift) {
  for (std::size_t i = 0; i < dim; ++i) m[i * dim + i] += shift;
  for (std::size_t j = 0; j < dim; ++j) {
    double d = m[j * dim + j];
    for (std::size_t k = 0; k < j; ++k) d -= m[j * dim + k] * m[j * dim + k];
    if (!(d > 0.0)) return false;
    const double l = std::sqrt(d);
    m[j * dim + j] = l;
    for (std::size_t i = j + 1; i < dim; ++i) {
      double s = m[i * dim + j];
      for (std::size_t k = 0; k < j; ++k) s -= m[i * dim + k] * m[j * dim + k];
      m[i * dim + j] = s / l;
    }
  }
  return true;
}

void free_space(Input& in) {
  const std::size_t n = static_cast<std::size_t>(in.integer(1, 8));
  const double eta = in.byte() % 16 == 0 ? in.invalid() : in.real(0.1, 10.0);
  const bool rpy = in.flag();
  std::vector<double> x(3 * n), a(n);
  bool radii_ok = true;
  for (auto& v : x) v = in.real(-4.0, 4.0);
  for (auto& v : a) {
    v = in.byte() % 32 == 0 ? in.invalid() : in.real(0.05, 2.0);
    radii_ok &= v > 0.0 && std::isfinite(v);
  }
  const bool ok = eta > 0.0 && std::isfinite(eta) && radii_ok;
  try {
    const bd::Mobility m(x.data(), a.data(), n, eta,
                         rpy ? bd::Hydrodynamics::Rpy : bd::Hydrodynamics::FreeDraining);
    require(ok, "Mobility accepted a non-positive radius or viscosity");
    const std::size_t dim = 3 * n;
    std::vector<double> dense(dim * dim);
    m.dense(dense.data());
    require_symmetric_finite(dense, dim, 0.0);  // built exactly symmetric
    const double scale = max_abs(dense);
    require(positive_definite(dense, dim, 1e-12 * scale), "free-space mobility not positive definite");
    for (std::size_t i = 0; i < n; ++i) {
      const double self = 1.0 / (6.0 * bd::kPi * eta * a[i]);
      for (int p = 0; p < 3; ++p)
        for (int q = 0; q < 3; ++q) {
          const double v = dense[(3 * i + p) * dim + 3 * i + q];
          require(close(v, p == q ? self : 0.0, 1e-13), "self block is not 1 / (6 pi eta a) I");
        }
      for (std::size_t j = 0; j < n; ++j) {
        double b[9];
        m.block(i, j, b);
        for (int p = 0; p < 3; ++p)
          for (int q = 0; q < 3; ++q)
            require(b[3 * p + q] == dense[(3 * i + p) * dim + 3 * j + q], "block differs from dense");
        if (!rpy && i != j)
          for (double v : b) require(v == 0.0, "free-draining mobility couples particles");
      }
    }
    std::vector<double> f(dim), u(dim);
    for (auto& v : f) v = in.real(-1.0, 1.0);
    m.apply(f.data(), u.data());
    for (std::size_t i = 0; i < dim; ++i) {
      double ref = 0.0, mag = 0.0;
      for (std::size_t j = 0; j < dim; ++j) {
        ref += dense[i * dim + j] * f[j];
        mag += std::fabs(dense[i * dim + j] * f[j]);
      }
      require(std::fabs(u[i] - ref) <= 1e-12 * mag + 1e-300, "apply differs from dense product");
    }
  } catch (const std::invalid_argument&) {
    require(!ok, "Mobility refused valid radii and viscosity");
  }
}

void periodic(Input& in) {
  const std::size_t n = static_cast<std::size_t>(in.integer(1, 4));
  const double a = in.byte() % 32 == 0 ? in.invalid() : in.real(0.1, 1.0);
  const double eta = in.byte() % 32 == 0 ? in.invalid() : in.real(0.1, 10.0);
  const double box = (std::isfinite(a) && a > 0.0 ? a : 1.0) * in.real(1.5, 12.0);
  const bool ok = a > 0.0 && eta > 0.0 && std::isfinite(a) && std::isfinite(eta) &&
                  box > 2.0 * a;
  std::vector<double> x(3 * n);
  for (auto& v : x) v = in.real(-1.0, 2.0) * box;
  const std::size_t dim = 3 * n;
  std::vector<double> m1(dim * dim), m2(dim * dim), m3(dim * dim);
  bd::EwaldOptions opt;
  try {
    bd::ewald_rpy_dense(x.data(), n, a, eta, box, opt, m1.data());
  } catch (const std::invalid_argument&) {
    require(!ok, "ewald_rpy_dense refused valid input");
    return;
  }
  require(ok, "ewald_rpy_dense accepted a bad radius, viscosity or box");
  // A box under 4 a lets two images of one particle overlap another, and only the nearest
  // is overlap-corrected: there the matrix is only required to be finite.
  if (box < 4.0 * a) {
    for (double v : m1) require(std::isfinite(v), "mobility entry not finite");
    return;
  }
  // Each sum is truncated at tolerance 1e-12 (relative); hundreds of images and waves add up
  // to ~1e-11 of the largest entry, so the identities are checked at 1e-10.
  constexpr double kEwaldTol = 1e-10;
  require_symmetric_finite(m1, dim, kEwaldTol);
  const double scale = max_abs(m1);
  // Another split parameter moves work between the sums, not the result.
  opt.xi = std::sqrt(bd::kPi) / box * in.real(0.5, 2.0);
  bd::ewald_rpy_dense(x.data(), n, a, eta, box, opt, m2.data());
  for (std::size_t k = 0; k < m1.size(); ++k)
    require(std::fabs(m1[k] - m2[k]) <= kEwaldTol * scale, "Ewald result depends on xi");
  // Moving one particle by a box vector changes nothing.
  const std::size_t who = static_cast<std::size_t>(in.integer(0, static_cast<std::int64_t>(n) - 1));
  x[3 * who + static_cast<std::size_t>(in.integer(0, 2))] += box * static_cast<double>(in.integer(-2, 2));
  bd::ewald_rpy_dense(x.data(), n, a, eta, box, bd::EwaldOptions{}, m3.data());
  for (std::size_t k = 0; k < m1.size(); ++k)
    require(std::fabs(m1[k] - m3[k]) <= kEwaldTol * scale, "Ewald result changes under a box shift");
}

void periodic_polydisperse(Input& in) {
  const std::size_t n = static_cast<std::size_t>(in.integer(1, 4));
  const bool equal = in.byte() % 8 == 0;
  std::vector<double> a(n), x(3 * n);
  bool radii_ok = true;
  double a_max = 0.0;
  for (auto& v : a) {
    v = equal && &v != &a[0] ? a[0] : (in.byte() % 32 == 0 ? in.invalid() : in.real(0.05, 1.0));
    radii_ok &= v > 0.0 && std::isfinite(v);
    if (std::isfinite(v)) a_max = std::max(a_max, v);
  }
  const double eta = in.byte() % 32 == 0 ? in.invalid() : in.real(0.1, 10.0);
  const double box = (a_max > 0.0 ? a_max : 1.0) * in.real(1.5, 12.0);
  const bool ok = radii_ok && eta > 0.0 && std::isfinite(eta) && box > 2.0 * a_max;
  for (auto& v : x) v = in.real(-1.0, 2.0) * box;
  const std::size_t dim = 3 * n;
  std::vector<double> m1(dim * dim), m2(dim * dim), m3(dim * dim);
  bd::EwaldOptions opt;
  try {
    bd::ewald_rpy_dense_poly(x.data(), a.data(), n, eta, box, opt, m1.data());
  } catch (const std::invalid_argument&) {
    require(!ok, "ewald_rpy_dense_poly refused valid input");
    return;
  }
  require(ok, "ewald_rpy_dense_poly accepted a bad radius, viscosity or box");
  if (box < 4.0 * a_max) {
    for (double v : m1) require(std::isfinite(v), "mobility entry not finite");
    return;
  }
  constexpr double kEwaldTol = 1e-10;  // as for equal spheres above
  require_symmetric_finite(m1, dim, kEwaldTol);
  const double scale = max_abs(m1);
  if (equal) {
    bd::ewald_rpy_dense(x.data(), n, a[0], eta, box, bd::EwaldOptions{}, m2.data());
    for (std::size_t k = 0; k < m1.size(); ++k)
      require(std::fabs(m1[k] - m2[k]) <= kEwaldTol * scale,
              "equal radii differ from the equal-sphere sum");
  }
  opt.xi = 3.0 / box * in.real(0.5, 2.0);
  bd::ewald_rpy_dense_poly(x.data(), a.data(), n, eta, box, opt, m2.data());
  for (std::size_t k = 0; k < m1.size(); ++k)
    require(std::fabs(m1[k] - m2[k]) <= kEwaldTol * scale, "polydisperse Ewald depends on xi");
  const std::size_t who = static_cast<std::size_t>(in.integer(0, static_cast<std::int64_t>(n) - 1));
  x[3 * who + static_cast<std::size_t>(in.integer(0, 2))] += box * static_cast<double>(in.integer(-2, 2));
  bd::ewald_rpy_dense_poly(x.data(), a.data(), n, eta, box, bd::EwaldOptions{}, m3.data());
  for (std::size_t k = 0; k < m1.size(); ++k)
    require(std::fabs(m1[k] - m3[k]) <= kEwaldTol * scale,
            "polydisperse Ewald changes under a box shift");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Input in(data, size);
  switch (in.integer(0, 2)) {
    case 0:
      free_space(in);
      break;
    case 1:
      periodic(in);
      break;
    default:
      periodic_polydisperse(in);
      break;
  }
  return 0;
}
