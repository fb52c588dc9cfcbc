// C++ unit tests of the unequal-radius PSE kernel: the self block against its closed
// form, symmetry in the two radii, decay beyond the cut-off, and the combined
// wave-space scaling.
#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdio>
#include <vector>

#include "check.hpp"
#include "mesolith/bd/pse_poly.hpp"
#include "mesolith/bd/pse_real.hpp"
#include "mesolith/bd/rpy.hpp"

using mesolith::testing::check;
namespace bd = mesolith::bd;

int main() {
  const double pi = bd::kPi, sqrt_pi = std::sqrt(pi);
  const double a_max = 10.0, tol = 1e-6;
  for (double x : {0.2, 0.5, 0.8}) {
    const double xi = x / a_max;
    const bd::PsePolyRealKernel kernel(1.0, a_max, 1.0, xi, tol);
    // Self block: 1/(6 pi a) - W(0), W(0) = (xi - 10/9 xi^3 a^2 + 7/9 xi^5 a^4) / (2 pi^1.5)
    // from the Gaussian moments of k^(2n) (1 + q) exp(-q).
    for (double a : {1.0, 3.0, a_max}) {
      double f, g;
      kernel.coefficients(0.0, a, a, f, g);
      const double w0 = (xi - 10.0 / 9.0 * std::pow(xi, 3) * a * a +
                         7.0 / 9.0 * std::pow(xi, 5) * std::pow(a, 4)) /
                        (2.0 * pi * sqrt_pi);
      check(std::abs(f - (1.0 / (6.0 * pi * a) - w0)) < 1e-10 / a, "self block closed form");
      check(f > 0.0, "self block of the real part positive for xi a_max <= 0.8");
    }
    // symmetric in (a_i, a_j), small beyond the cut-off (relative to 1/(6 pi a_max))
    double f1, g1, f2, g2;
    kernel.coefficients(20.0, 1.0, 7.0, f1, g1);
    kernel.coefficients(20.0, 7.0, 1.0, f2, g2);
    check(f1 == f2 && g1 == g2, "real part symmetric in the radii");
    const double rc = kernel.cutoff() * 1.01, unit = 1.0 / (6.0 * pi * a_max);
    kernel.coefficients(rc * rc, a_max, a_max, f1, g1);
    check(std::abs(f1) < tol * unit && std::abs(g1) * rc * rc < tol * unit,
          "real part below tolerance beyond the cut-off");
  }
  // pse_scale_poly: combine = true on (F, a^2 F) equals scaling F (1 - k^2 a^2/6), and
  // fb returns k^2 times fa.
  {
    bd::PseGrid g;
    g.m = 8;
    g.support = 4;
    g.box = 10.0;
    g.xi = 0.4;
    g.eta = 0.5;
    const std::size_t mh = g.m / 2 + 1, size = g.m * g.m * mh;
    std::vector<double> green(size);
    bd::pse_green_bare(g, 1.0, green.data());
    std::vector<std::complex<double>> fa(3 * size), fb(3 * size), ref(3 * size);
    const double a2 = 4.0;
    for (std::size_t q = 0; q < 3 * size; ++q) {
      fa[q] = std::complex<double>(std::sin(0.3 * q), std::cos(0.7 * q));
      fb[q] = a2 * fa[q];
    }
    ref = fa;
    bd::pse_scale_poly(g, green.data(), false, true, fa.data(), fb.data());
    // reference: scale ref by (1 - k^2 a^2/6) first, then project and scale (equal path)
    bool ok = true;
    for (std::size_t i = 0; i < g.m; ++i)
      for (std::size_t j = 0; j < g.m; ++j)
        for (std::size_t l = 0; l < mh; ++l) {
          auto kk = [&](std::size_t u) {
            const long k = u <= g.m / 2 ? static_cast<long>(u) : static_cast<long>(u) - static_cast<long>(g.m);
            return 2.0 * pi * static_cast<double>(k) / g.box;
          };
          const double k2 = kk(i) * kk(i) + kk(j) * kk(j) + kk(l) * kk(l);
          const std::size_t q = (i * g.m + j) * mh + l;
          for (int p = 0; p < 3; ++p) {
            ref[p * size + q] *= 1.0 - k2 * a2 / 6.0;
            if (std::abs(fb[p * size + q] - k2 * fa[p * size + q]) > 1e-12 * (1 + std::abs(fb[p * size + q])))
              ok = false;
          }
        }
    check(ok, "fb = k^2 fa after pse_scale_poly");
    bd::pse_scale(g, green.data(), false, ref.data());
    double err = 0.0, norm = 0.0;
    for (std::size_t q = 0; q < 3 * size; ++q) {
      err = std::max(err, std::abs(fa[q] - ref[q]));
      norm = std::max(norm, std::abs(ref[q]));
    }
    check(err < 1e-12 * norm, "combined scaling = (1 - k^2 a^2/6) then projection");
  }
  return mesolith::testing::finish("test_bd_pse_poly");
}
