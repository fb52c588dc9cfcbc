// C++ unit tests of the Brownian noise: the Lanczos square root squares to M and
// has |M^1/2 w|^2 = w^T M w; both samplers are thread-count independent.
#include <cmath>
#include <cstdio>
#include <vector>

#include "mesolith/bd/noise.hpp"
#include "mesolith/parallel.hpp"
#include "mesolith/rng.hpp"

#include "check.hpp"

using mesolith::testing::check;

int main() {
  using namespace mesolith::bd;
  const std::size_t n = 300;  // > 256: the tiled product and the Cholesky panels run threaded
  mesolith::rng::Stream s(3, 0);
  std::vector<double> x(3 * n), a(n);
  for (auto& v : x) v = s.uniform(0.0, 12.0);
  for (auto& v : a) v = s.uniform(0.5, 1.5);
  const Mobility m(x.data(), a.data(), n, 1.0);
  const std::size_t d = m.dim();
  std::vector<double> w(d), yc(d), yl(d);
  standard_normals(42, 7, n, w.data());
  cholesky_sqrt(m, w.data(), yc.data());
  for (double tol : {1e-3, 1e-6}) {
    LanczosOptions opt;
    opt.tolerance = tol;
    const LanczosReport rep = lanczos_sqrt(m, w.data(), yl.data(), opt);
    check(rep.converged, "Lanczos converged");
    // L w and M^{1/2} w differ (different square roots) but have the same norm w^T M w.
    std::vector<double> mw(d);
    m.apply(w.data(), mw.data());
    double wmw = 0.0, nl = 0.0, nc = 0.0;
    for (std::size_t q = 0; q < d; ++q) {
      wmw += w[q] * mw[q];
      nl += yl[q] * yl[q];
      nc += yc[q] * yc[q];
    }
    (void)nc;  // |L w|^2 != w^T M w for a triangular L: covariance is tested in Python
    check(std::abs(nl - wmw) < 20 * tol * wmw, "|M^1/2 w|^2 = w^T M w within tolerance");
    // Applying the square root twice gives M w.
    std::vector<double> yy(d);
    lanczos_sqrt(m, yl.data(), yy.data(), opt);
    double err = 0.0, nrm = 0.0;
    for (std::size_t q = 0; q < d; ++q) {
      err += (yy[q] - mw[q]) * (yy[q] - mw[q]);
      nrm += mw[q] * mw[q];
    }
    check(std::sqrt(err / nrm) < 20 * tol, "M^1/2 M^1/2 w = M w within tolerance");
    std::printf("tol %.0e: %d iterations, |M^1/2 M^1/2 w - M w|/|M w| = %.2e\n", tol,
                rep.iterations, std::sqrt(err / nrm));
  }
  // Thread-count independence, bit for bit.
  mesolith::set_num_threads(1);
  std::vector<double> y1(d), y2(d), c1(d), c2(d);
  lanczos_sqrt(m, w.data(), y1.data(), LanczosOptions{});
  cholesky_sqrt(m, w.data(), c1.data());
  mesolith::set_num_threads(2);
  lanczos_sqrt(m, w.data(), y2.data(), LanczosOptions{});
  cholesky_sqrt(m, w.data(), c2.data());
  check(y1 == y2, "Lanczos bit-identical for 1 and 2 threads");
  check(c1 == c2, "Cholesky bit-identical for 1 and 2 threads");
  return mesolith::testing::finish("test_bd_noise");
}
