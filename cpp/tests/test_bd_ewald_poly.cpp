// C++ unit tests of the polydisperse periodic (Ewald-summed) RPY mobility: equal radii
// against the equal-sphere sum, independence of the split parameter, Hasimoto's
// finite-size self-mobility per radius, symmetry, positive definiteness with
// overlapping pairs, and the same matrix for 1 and 2 threads.
#include <algorithm>
#include <cmath>
#include <vector>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "mesolith/bd/ewald.hpp"
#include "mesolith/bd/ewald_poly.hpp"
#include "mesolith/bd/linalg.hpp"
#include "mesolith/bd/rpy.hpp"
#include "mesolith/rng.hpp"

#include "check.hpp"

using mesolith::testing::check;

namespace {
using mesolith::bd::EwaldOptions;
using mesolith::bd::ewald_rpy_dense_poly;
using mesolith::bd::kPi;

// Hasimoto's cubic-lattice constant (J. Fluid Mech. 5, 317, 1959), to 15 digits.
constexpr double kHasimoto = 2.837297479480620;

std::vector<double> dense(const std::vector<double>& x, const std::vector<double>& a,
                          double eta, double box, double xi, double tol) {
  const std::size_t n = a.size();
  std::vector<double> m(9 * n * n);
  ewald_rpy_dense_poly(x.data(), a.data(), n, eta, box, EwaldOptions{xi, tol}, m.data());
  return m;
}

double max_abs(const std::vector<double>& v) {
  double s = 0.0;
  for (double e : v) s = std::max(s, std::abs(e));
  return s;
}

// Smallest nearest-image distance between two particles.
double closest_pair(const std::vector<double>& x, double box) {
  double best = box;
  for (std::size_t i = 0; 3 * i < x.size(); ++i)
    for (std::size_t j = i + 1; 3 * j < x.size(); ++j) {
      double r2 = 0.0;
      for (int p = 0; p < 3; ++p) {
        double dd = x[3 * j + p] - x[3 * i + p];
        dd -= box * std::nearbyint(dd / box);
        r2 += dd * dd;
      }
      best = std::min(best, std::sqrt(r2));
    }
  return best;
}

// Pairs (nearest image) closer than a_i + a_j.
std::size_t overlapping_pairs(const std::vector<double>& x, const std::vector<double>& a,
                              double box) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t j = i + 1; j < a.size(); ++j) {
      double r2 = 0.0;
      for (int p = 0; p < 3; ++p) {
        double dd = x[3 * j + p] - x[3 * i + p];
        dd -= box * std::nearbyint(dd / box);
        r2 += dd * dd;
      }
      count += r2 < (a[i] + a[j]) * (a[i] + a[j]);
    }
  return count;
}

double max_diff(const std::vector<double>& u, const std::vector<double>& v) {
  double s = 0.0;
  for (std::size_t i = 0; i < u.size(); ++i) s = std::max(s, std::abs(u[i] - v[i]));
  return s;
}
}  // namespace

int main() {
  const double eta = 0.9, box = 10.0;
  mesolith::rng::Stream s(7, 0);
  const std::size_t n = 24;
  std::vector<double> x(3 * n), a(n, 1.0);
  for (auto& v : x) v = s.uniform(0.0, box);

  // 1. Equal radii: the equal-sphere Ewald sum, to rounding (both converged: tolerance
  // 1e-16, same split). Without overlapping pairs they agree to 1e-14 of the largest
  // element. An overlapping pair at r < a (present in this cloud) cancels far-field
  // terms ~ (a/r)^3 against the overlap form, which multiplies the rounding by (a/r)^3.
  {
    const EwaldOptions both{std::sqrt(kPi) / box, 1e-16};
    std::vector<double> ref(9 * n * n);
    mesolith::bd::ewald_rpy_dense(x.data(), n, 1.0, eta, box, both, ref.data());
    const std::vector<double> m = dense(x, a, eta, box, both.xi, both.tolerance);
    check(overlapping_pairs(x, a, box) > 0, "the cloud has overlapping pairs");
    const double cancel = std::max(1.0, std::pow(1.0 / closest_pair(x, box), 3));
    check(max_diff(m, ref) <= 1e-14 * cancel * max_abs(ref),
          "equal radii reproduce the equal-sphere sum");
    // The same cloud spread out until no pair overlaps.
    std::vector<double> xs = x;
    for (auto& v : xs) v *= 8.0;
    check(overlapping_pairs(xs, a, 8 * box) == 0, "the spread cloud has no overlaps");
    const EwaldOptions spread{std::sqrt(kPi) / (8 * box), 1e-16};
    std::vector<double> refs(9 * n * n);
    mesolith::bd::ewald_rpy_dense(xs.data(), n, 1.0, eta, 8 * box, spread, refs.data());
    const std::vector<double> ms = dense(xs, a, eta, 8 * box, spread.xi, spread.tolerance);
    check(max_diff(ms, refs) <= 1e-14 * max_abs(refs),
          "equal radii, no overlaps: the equal-sphere sum to 1e-14");
  }
  // Polydisperse radii 0.3 ... 2.4 in a box of 10 (pairs overlap at these densities).
  for (auto& v : a) v = s.uniform(0.3, 2.4);

  // 2. The split parameter moves work between the sums, not the result.
  {
    const double xi0 = std::sqrt(kPi) / box;
    const std::vector<double> ref = dense(x, a, eta, box, xi0, 1e-15);
    for (double f : {0.6, 1.7, 2.5}) {
      const std::vector<double> m = dense(x, a, eta, box, f * xi0, 1e-15);
      check(max_diff(m, ref) <= 1e-10 * max_abs(ref), "independent of the Ewald split xi");
    }
  }
  const std::vector<double> m = dense(x, a, eta, box, 0.0, 1e-15);
  const std::size_t d = 3 * n;
  // 3. Self blocks: Hasimoto with each particle's own radius (exact for RPY when L > 2a).
  {
    double err = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      const double r = a[i] / box;
      const double hasimoto = 1.0 - kHasimoto * r + 4.0 * kPi / 3.0 * r * r * r;
      for (int p = 0; p < 3; ++p)
        err = std::max(err, std::abs(m[(3 * i + p) * d + 3 * i + p] * 6.0 * kPi * eta * a[i] -
                                     hasimoto));
      err = std::max(err, std::abs(m[(3 * i) * d + 3 * i + 1]));  // isotropic: no xy part
    }
    check(err <= 1e-11, "self mobility follows Hasimoto's correction per radius");
  }
  // 4. Symmetric and positive definite, with overlapping pairs present.
  {
    const std::size_t overlaps = overlapping_pairs(x, a, box);
    check(overlaps > 0, "the test configuration has overlapping pairs");
    double asym = 0.0;
    for (std::size_t i = 0; i < d; ++i)
      for (std::size_t j = 0; j < d; ++j) asym = std::max(asym, std::abs(m[i * d + j] - m[j * d + i]));
    check(asym == 0.0, "periodic polydisperse mobility is exactly symmetric");
    std::vector<double> l = m;
    bool pd = true;
    try {
      mesolith::bd::cholesky_inplace(l.data(), d);
    } catch (...) {
      pd = false;
    }
    check(pd, "periodic polydisperse mobility is positive definite (Cholesky succeeds)");
  }
  // 5. Nearly coincident centres: the r -> 0 series takes over from the direct sum at
  // xi r = 0.01 without a jump, and r = 0 (a sphere at another's centre) is finite.
  {
    const double xi0 = std::sqrt(kPi) / box;
    auto pair_xx = [&](double r) {
      const std::vector<double> xc = {1.0, 2.0, 3.0, 1.0 + r, 2.0, 3.0}, ac = {0.5, 1.5};
      const std::vector<double> mc = dense(xc, ac, eta, box, xi0, 1e-12);
      return mc[0 * 6 + 3];  // x-x element of the pair block
    };
    const double below = pair_xx(0.01 / xi0 * (1.0 - 1e-9));
    const double above = pair_xx(0.01 / xi0 * (1.0 + 1e-9));
    // The direct sum just above the switch cancels terms ~ s / r^3 ~ 3500 (units of
    // 1/(6 pi eta)) to a result ~ 0.4, so it carries ~ 3500 x 1e-16 / 0.4 ~ 1e-12 of
    // rounding; the series side is accurate to (xi r)^8.
    check(std::abs(below - above) <= 1e-11 * std::abs(above), "continuous at the series switch");
    const double at0 = pair_xx(0.0), near0 = pair_xx(1e-7);
    check(std::isfinite(at0) && std::abs(at0 - near0) <= 1e-12 * std::abs(at0),
          "finite and continuous at coincident centres");
  }
#ifdef _OPENMP
  // 6. Thread count does not change a bit.
  {
    const int before = omp_get_max_threads();
    omp_set_num_threads(1);
    const std::vector<double> m1 = dense(x, a, eta, box, 0.0, 1e-12);
    omp_set_num_threads(2);
    const std::vector<double> m2 = dense(x, a, eta, box, 0.0, 1e-12);
    omp_set_num_threads(before);
    check(max_diff(m1, m2) == 0.0, "same matrix for 1 and 2 threads");
  }
#endif
  return mesolith::testing::finish("test_bd_ewald_poly");
}
