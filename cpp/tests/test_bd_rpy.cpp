// C++ unit tests of the polydisperse RPY mobility: symmetry, positive
// definiteness, continuity at the branch points, contact values, and the
// matrix-free product against the dense matrix.
#include <cmath>
#include <cstdio>
#include <vector>

#include "mesolith/bd/linalg.hpp"
#include "mesolith/bd/rpy.hpp"
#include "mesolith/rng.hpp"

#include "check.hpp"

using mesolith::testing::check;

namespace {
using mesolith::bd::kPi;
using mesolith::bd::Mobility;
using mesolith::bd::rpy_coefficients;

// Random polydisperse cloud, dense enough that many pairs overlap.
void random_cloud(std::uint64_t seed, std::size_t n, double box, std::vector<double>& x,
                  std::vector<double>& a) {
  mesolith::rng::Stream s(seed, 0);
  x.resize(3 * n);
  a.resize(n);
  for (auto& v : x) v = s.uniform(0.0, box);
  for (auto& v : a) v = s.uniform(0.3, 2.0);
}
}  // namespace

int main() {
  const double eta = 0.7;
  // 1. Symmetry and positive definiteness on random overlapping configurations.
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    std::vector<double> x, a;
    const std::size_t n = 60;
    random_cloud(seed, n, 6.0, x, a);
    const Mobility m(x.data(), a.data(), n, eta);
    const std::size_t d = m.dim();
    std::vector<double> mat(d * d);
    m.dense(mat.data());
    double asym = 0.0, scale = 0.0;
    for (std::size_t i = 0; i < d; ++i)
      for (std::size_t j = 0; j < d; ++j) {
        asym = std::max(asym, std::abs(mat[i * d + j] - mat[j * d + i]));
        scale = std::max(scale, std::abs(mat[i * d + j]));
      }
    check(asym <= 1e-14 * scale, "dense mobility is symmetric");
    std::vector<double> l = mat;
    bool pd = true;
    try {
      mesolith::bd::cholesky_inplace(l.data(), d);
    } catch (...) {
      pd = false;
    }
    check(pd, "dense mobility is positive definite (Cholesky succeeds)");
    // Matrix-free product equals the dense product.
    mesolith::rng::Stream s(seed, 1);
    std::vector<double> f(d), u(d), ud(d, 0.0);
    for (auto& v : f) v = s.normal();
    m.apply(f.data(), u.data());
    double err = 0.0, nrm = 0.0;
    for (std::size_t i = 0; i < d; ++i) {
      for (std::size_t j = 0; j < d; ++j) ud[i] += mat[i * d + j] * f[j];
    }
    for (std::size_t i = 0; i < d; ++i) {
      err = std::max(err, std::abs(u[i] - ud[i]));
      nrm = std::max(nrm, std::abs(ud[i]));
    }
    check(err <= 1e-12 * nrm, "apply() equals dense() times a vector");
    // L L^T reproduces M.
    double rec = 0.0;
    for (std::size_t i = 0; i < d; i += 7)
      for (std::size_t j = 0; j <= i; j += 5) {
        double s2 = 0.0;
        for (std::size_t k = 0; k <= j; ++k) s2 += l[i * d + k] * l[j * d + k];
        rec = std::max(rec, std::abs(s2 - mat[i * d + j]));
      }
    check(rec <= 1e-12 * scale, "Cholesky factor reproduces the matrix");
  }

  // 2. Continuity of f and g r^2 at r = a_i + a_j and r = |a_i - a_j|.
  const double radii[][2] = {{1.0, 1.0}, {1.0, 0.4}, {0.3, 2.5}};
  for (const auto& ra : radii) {
    const double ai = ra[0], aj = ra[1];
    for (double rb : {ai + aj, std::abs(ai - aj)}) {
      if (rb == 0.0) continue;
      const double h = 1e-9 * rb;
      const auto lo = rpy_coefficients((rb - h) * (rb - h), ai, aj, eta);
      const auto hi = rpy_coefficients((rb + h) * (rb + h), ai, aj, eta);
      const double scale = 1.0 / (6.0 * kPi * eta * std::min(ai, aj));
      check(std::abs(lo.f - hi.f) < 1e-7 * scale, "f continuous at a branch point");
      check(std::abs(lo.g * (rb - h) * (rb - h) - hi.g * (rb + h) * (rb + h)) < 1e-7 * scale,
            "g r^2 continuous at a branch point");
    }
  }

  // 3. Equal spheres at contact: 0.625 along, 0.4375 across, in units of 1/(6 pi eta a).
  {
    const double a = 1.3;
    const auto c = rpy_coefficients(4 * a * a, a, a, eta);
    const double unit = 1.0 / (6.0 * kPi * eta * a);
    check(std::abs(c.f / unit - 0.4375) < 1e-12, "contact perpendicular 0.4375");
    check(std::abs((c.f + c.g * 4 * a * a) / unit - 0.625) < 1e-12, "contact parallel 0.625");
    const auto self = rpy_coefficients(0.0, a, a, eta);
    check(std::abs(self.f / unit - 1.0) < 1e-14 && self.g == 0.0, "self mobility");
  }

  // 4. Free-draining mode is diagonal.
  {
    std::vector<double> x, a;
    random_cloud(9, 10, 3.0, x, a);
    const Mobility m(x.data(), a.data(), 10, eta, mesolith::bd::Hydrodynamics::FreeDraining);
    std::vector<double> mat(900);
    m.dense(mat.data());
    double off = 0.0;
    for (std::size_t i = 0; i < 30; ++i)
      for (std::size_t j = 0; j < 30; ++j)
        if (i != j) off = std::max(off, std::abs(mat[i * 30 + j]));
    check(off == 0.0, "free-draining mobility is diagonal");
    check(std::abs(mat[0] - 1.0 / (6.0 * kPi * eta * a[0])) < 1e-15, "free-draining value");
  }

  return mesolith::testing::finish("test_bd_rpy");
}
