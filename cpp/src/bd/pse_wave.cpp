#include "mesolith/bd/pse_wave.hpp"

#include <cmath>
#include <stdexcept>
#include <vector>

#include "mesolith/bd/rpy.hpp"
#include "mesolith/rng.hpp"

namespace mesolith::bd {

namespace {

void check(const PseGrid& g) {
  if (g.m < 4 || g.support < 1 || static_cast<std::size_t>(g.support) > g.m || !(g.box > 0.0) ||
      !(g.xi > 0.0) || !(g.eta > 0.0))
    throw std::invalid_argument("PSE grid: need M >= 4, 1 <= P <= M, box, xi, eta > 0");
}

// First grid index of a particle's support along one axis and the P Gaussian factors.
long weights(const PseGrid& g, double x, double* w) {
  const double h = g.spacing();
  const double u = x / h - std::floor(x / g.box) * static_cast<double>(g.m);  // wrapped, in h
  const long first = static_cast<long>(std::floor(u - 0.5 * g.support)) + 1;
  const double c = 2.0 * g.xi * g.xi / g.eta;
  const double norm = std::sqrt(c / kPi);
  for (int p = 0; p < g.support; ++p) {
    const double d = (static_cast<double>(first + p) - u) * h;
    w[p] = norm * std::exp(-c * d * d);
  }
  return first;
}

std::size_t wrap_index(long i, std::size_t m) {
  const long mm = static_cast<long>(m);
  return static_cast<std::size_t>(((i % mm) + mm) % mm);
}

void spread_one(const PseGrid& g, const double* x, const double* f, double* grid) {
  const int P = g.support;
  const std::size_t m = g.m, m3 = m * m * m;
  double wx[64], wy[64], wz[64];
  const long fx = weights(g, x[0], wx), fy = weights(g, x[1], wy), fz = weights(g, x[2], wz);
  std::size_t iz[64];
  for (int c = 0; c < P; ++c) iz[c] = wrap_index(fz + c, m);
  for (int a = 0; a < P; ++a) {
    const std::size_t ix = wrap_index(fx + a, m);
    for (int b = 0; b < P; ++b) {
      const std::size_t row = (ix * m + wrap_index(fy + b, m)) * m;
      const double wab = wx[a] * wy[b];
      for (int c = 0; c < P; ++c) {
        const double w = wab * wz[c];
        const std::size_t q = row + iz[c];
        grid[q] += w * f[0];
        grid[m3 + q] += w * f[1];
        grid[2 * m3 + q] += w * f[2];
      }
    }
  }
}

}  // namespace

void pse_spread(const PseGrid& g, const double* x, std::size_t n, const double* f, double* grid) {
  check(g);
  if (g.support > 64) throw std::invalid_argument("PSE grid: support P must be <= 64");
  const std::size_t m = g.m;
  std::fill(grid, grid + 3 * m * m * m, 0.0);
  // Slabs of x planes, each >= P planes wide, an even number of them: a particle whose
  // support starts in slab s touches slabs s and s + 1 only, so all even slabs can be
  // spread at once, then all odd ones. Inside a slab particles go in index order, so every
  // grid value is summed in the same order for any thread count.
  const std::size_t slabs = 2 * (m / (2 * static_cast<std::size_t>(g.support)));
  if (slabs < 2) {
    for (std::size_t i = 0; i < n; ++i) spread_one(g, x + 3 * i, f + 3 * i, grid);
    return;
  }
  std::vector<std::vector<std::size_t>> members(slabs);
  const double h = g.spacing();
  for (std::size_t i = 0; i < n; ++i) {
    const double u = x[3 * i] / h - std::floor(x[3 * i] / g.box) * static_cast<double>(m);
    const std::size_t first = wrap_index(static_cast<long>(std::floor(u - 0.5 * g.support)) + 1, m);
    members[first * slabs / m].push_back(i);
  }
  // Threads only pay off for many particles (small parallel regions cost more than they save
  // on a loaded machine).
  for (std::size_t phase = 0; phase < 2; ++phase) {
#pragma omp parallel for schedule(dynamic, 1) if (n > 1000)
    for (std::size_t s = phase; s < slabs; s += 2)
      for (std::size_t i : members[s]) spread_one(g, x + 3 * i, f + 3 * i, grid);
  }
}

void pse_interpolate(const PseGrid& g, const double* x, std::size_t n, const double* field,
                     double* u) {
  check(g);
  if (g.support > 64) throw std::invalid_argument("PSE grid: support P must be <= 64");
  const int P = g.support;
  const std::size_t m = g.m, m3 = m * m * m;
  const double h = g.spacing(), h3 = h * h * h;
#pragma omp parallel for schedule(static) if (n > 1000)
  for (std::size_t i = 0; i < n; ++i) {
    double wx[64], wy[64], wz[64];
    std::size_t iz[64];
    const long fx = weights(g, x[3 * i], wx), fy = weights(g, x[3 * i + 1], wy),
               fz = weights(g, x[3 * i + 2], wz);
    for (int c = 0; c < P; ++c) iz[c] = wrap_index(fz + c, m);
    double s0 = 0.0, s1 = 0.0, s2 = 0.0;
    for (int a = 0; a < P; ++a) {
      const std::size_t ix = wrap_index(fx + a, m);
      for (int b = 0; b < P; ++b) {
        const std::size_t row = (ix * m + wrap_index(fy + b, m)) * m;
        const double wab = wx[a] * wy[b];
        for (int c = 0; c < P; ++c) {
          const double w = wab * wz[c];
          const std::size_t q = row + iz[c];
          s0 += w * field[q];
          s1 += w * field[m3 + q];
          s2 += w * field[2 * m3 + q];
        }
      }
    }
    u[3 * i] = h3 * s0;
    u[3 * i + 1] = h3 * s1;
    u[3 * i + 2] = h3 * s2;
  }
}

namespace {
double wavenumber(std::size_t i, std::size_t m, double box) {
  const long k = i <= m / 2 ? static_cast<long>(i) : static_cast<long>(i) - static_cast<long>(m);
  return 2.0 * kPi * static_cast<double>(k) / box;
}
bool nyquist(std::size_t i, std::size_t m) { return m % 2 == 0 && i == m / 2; }
}  // namespace

void pse_green(const PseGrid& g, double a, double mu, double* green) {
  check(g);
  const std::size_t m = g.m, mh = m / 2 + 1;
  const double four_xi2 = 4.0 * g.xi * g.xi;
#pragma omp parallel for schedule(static)
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < m; ++j)
      for (std::size_t l = 0; l < mh; ++l) {
        const std::size_t q = (i * m + j) * mh + l;
        if ((i == 0 && j == 0 && l == 0) || nyquist(i, m) || nyquist(j, m) || nyquist(l, m)) {
          green[q] = 0.0;
          continue;
        }
        const double kx = wavenumber(i, m, g.box), ky = wavenumber(j, m, g.box),
                     kz = wavenumber(l, m, g.box);
        const double k2 = kx * kx + ky * ky + kz * kz, ka = std::sqrt(k2) * a;
        const double sinc = std::sin(ka) / ka;
        const double q2 = k2 / four_xi2;
        green[q] = sinc * sinc * (1.0 + q2) * std::exp(-(1.0 - g.eta) * q2) / (mu * k2);
      }
}

void pse_scale(const PseGrid& g, const double* green, bool square_root,
               std::complex<double>* fk) {
  check(g);
  const std::size_t m = g.m, mh = m / 2 + 1, size = m * m * mh;
#pragma omp parallel for schedule(static) if (size > 100000)
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < m; ++j)
      for (std::size_t l = 0; l < mh; ++l) {
        const std::size_t q = (i * m + j) * mh + l;
        const double c = square_root ? std::sqrt(green[q]) : green[q];
        if (c == 0.0) {
          fk[q] = fk[size + q] = fk[2 * size + q] = 0.0;
          continue;
        }
        const double k[3] = {wavenumber(i, m, g.box), wavenumber(j, m, g.box),
                             wavenumber(l, m, g.box)};
        const double k2 = k[0] * k[0] + k[1] * k[1] + k[2] * k[2];
        const std::complex<double> dot = (k[0] * fk[q] + k[1] * fk[size + q] + k[2] * fk[2 * size + q]) / k2;
        for (int p = 0; p < 3; ++p) fk[p * size + q] = c * (fk[p * size + q] - k[p] * dot);
      }
}

void pse_grid_normals(const PseGrid& g, std::uint64_t seed, std::uint64_t step, double* grid) {
  check(g);
  if (step > 0xffffffffULL) throw std::out_of_range("step does not fit the 32-bit step counter");
  const std::size_t m = g.m, m3 = m * m * m;
#pragma omp parallel for schedule(static) if (m3 > 100000)
  for (std::size_t row = 0; row < m * m; ++row) {
    rng::Stream s = rng::Stream::for_step(seed, kPseGridStream + row, static_cast<std::uint32_t>(step));
    for (std::size_t l = 0; l < m; ++l)
      for (int p = 0; p < 3; ++p) grid[p * m3 + row * m + l] = s.normal();
  }
}

}  // namespace mesolith::bd
