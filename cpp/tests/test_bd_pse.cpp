// C++ unit tests of the PSE kernels: periodic neighbour list against brute force, the
// real-space kernel (decay, self term), spreading and interpolation as adjoints, and the
// Lanczos square root on the sparse real-space operator.
#include <cmath>
#include <cstdio>
#include <vector>

#include "check.hpp"
#include "mesolith/bd/noise.hpp"
#include "mesolith/bd/pse_neighbours.hpp"
#include "mesolith/bd/pse_real.hpp"
#include "mesolith/bd/pse_wave.hpp"
#include "mesolith/bd/rpy.hpp"
#include "mesolith/rng.hpp"

using mesolith::testing::check;
namespace bd = mesolith::bd;

int main() {
  const std::size_t n = 300;
  const double box = 20.0;
  std::vector<double> x(3 * n);
  mesolith::rng::Stream s(5, 0);
  for (double& v : x) v = s.uniform(-box, 2.0 * box);  // also outside the box: wrapped

  // Neighbour list: cell list (cutoff <= 2L/5) and the all-images path (9.0, 25.0) agree with a
  // brute-force count over images.
  for (double cutoff : {3.5, 6.0, 9.0, 25.0}) {
    const bd::NeighbourList nl = bd::periodic_neighbours(x.data(), n, box, cutoff);
    std::size_t brute = 0;
    const long images = static_cast<long>(std::ceil(cutoff / box)) + 1;
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = 0; j < n; ++j)
        for (long u = -images; u <= images; ++u)
          for (long v = -images; v <= images; ++v)
            for (long w = -images; w <= images; ++w) {
              if (i == j && u == 0 && v == 0 && w == 0) continue;
              double r2 = 0.0;
              const long sh[3] = {u, v, w};
              for (int k = 0; k < 3; ++k) {
                double d = x[3 * j + k] - x[3 * i + k];
                d -= box * std::floor(d / box);
                d += sh[k] * box;
                r2 += d * d;
              }
              brute += r2 < cutoff * cutoff;
            }
    char msg[96];
    std::snprintf(msg, sizeof msg, "neighbour count at cutoff %.1f: %zu vs %zu", cutoff,
                  nl.entries(), brute);
    check(nl.entries() == brute, msg);
  }

  // Real-space kernel: the wave part W(r) equals RPY far away, so M_real decays to below the
  // tolerance at the cut-off; at r = 0 the self term is positive and below 1/(6 pi).
  const double xi = 0.5, tol = 1e-6;
  const bd::PseRealKernel kernel(1.0, 1.0, xi, tol);
  double f, g;
  kernel.coefficients(kernel.cutoff() * kernel.cutoff(), f, g);
  const double unit = 1.0 / (6.0 * bd::kPi);
  check(std::abs(f) < tol * unit && std::abs(g) * kernel.cutoff() * kernel.cutoff() < tol * unit,
        "real part below tolerance at the cut-off");
  kernel.coefficients(0.0, f, g);
  check(f > 0.0 && f < unit, "self term of the real part in (0, 1/(6 pi mu a))");
  // Free-space wave part at r = 0: A(0) = (1/(3 pi^2)) int sinc^2(k) H(k) dk > 0, finite.
  double a0, b0;
  kernel.wave_free_space(0.0, a0, b0);
  check(std::abs(f + a0 - unit) < 1e-12, "real + wave self term = 1/(6 pi mu a)");

  // Spreading and interpolation are adjoint: <interp(field), F> = h^3 <field, spread(F)>.
  bd::PseGrid grid;
  grid.m = 24;
  grid.support = 6;
  grid.box = box;
  grid.xi = xi;
  grid.eta = 0.4;
  const std::size_t m3 = grid.m * grid.m * grid.m;
  std::vector<double> forces(3 * n), field(3 * m3), spread(3 * m3), u(3 * n);
  for (double& v : forces) v = s.normal();
  for (double& v : field) v = s.normal();
  bd::pse_spread(grid, x.data(), n, forces.data(), spread.data());
  bd::pse_interpolate(grid, x.data(), n, field.data(), u.data());
  double lhs = 0.0, rhs = 0.0;
  for (std::size_t q = 0; q < 3 * n; ++q) lhs += u[q] * forces[q];
  const double h = grid.spacing();
  for (std::size_t q = 0; q < 3 * m3; ++q) rhs += field[q] * spread[q] * h * h * h;
  check(std::abs(lhs - rhs) < 1e-10 * std::abs(rhs), "spread and interpolate are adjoint");

  // Lanczos square root of the real-space operator: (M^1/2 w) . (M^1/2 w) = w . M w.
  const bd::PseRealOperator op(kernel, x.data(), n, box);
  std::vector<double> wv(3 * n), y(3 * n), mw(3 * n);
  for (double& v : wv) v = s.normal();
  const bd::LanczosReport rep = bd::lanczos_sqrt(
      [&op](const double* v, double* out) { op.apply(v, out); }, op.dim(), wv.data(), y.data(),
      bd::LanczosOptions{1e-10, 200});
  op.apply(wv.data(), mw.data());
  double yy = 0.0, wmw = 0.0;
  for (std::size_t q = 0; q < 3 * n; ++q) {
    yy += y[q] * y[q];
    wmw += wv[q] * mw[q];
  }
  check(rep.converged, "Lanczos on the real part converged");
  check(std::abs(yy - wmw) < 1e-8 * wmw, "|M^1/2 w|^2 = w M w for the real part");
  return mesolith::testing::finish("test_bd_pse");
}
