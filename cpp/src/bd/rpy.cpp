#include "mesolith/bd/rpy.hpp"

#include <algorithm>
#include <stdexcept>

namespace mesolith::bd {

namespace {

// Structure-of-arrays views used by the pair kernel.
struct Soa {
  const double *x, *y, *z, *a, *inv_a;
};
struct Vec3s {
  double *x, *y, *z;
};
struct CVec3s {
  const double *x, *y, *z;
};

// All pairs (i in [i0, i1), j in [j0, j1), and j > i when `upper`): each pair's
// block is evaluated once and used twice, u_i += M_ij f_j and u_j += M_ji f_i
// (M_ji = M_ij: f I + g r r^T is even in r). Results go to ui[i - i0] and
// uj[j - j0] (the same buffer for a diagonal tile). The loop over j vectorises.
// Compiled for several instruction sets and picked at load time, so a portable
// build still uses AVX-512/AVX2.
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
__attribute__((target_clones("avx512f", "avx2", "default")))
#endif
void rpy_tile(std::size_t i0, std::size_t i1, std::size_t j0, std::size_t j1, bool upper,
              Soa p, CVec3s f, Vec3s ui, Vec3s uj, double eta) {
  for (std::size_t i = i0; i < i1; ++i) {
    const double xi = p.x[i], yi = p.y[i], zi = p.z[i], ai = p.a[i], inv_ai = p.inv_a[i];
    const double fxi = f.x[i], fyi = f.y[i], fzi = f.z[i];
    double sx = 0.0, sy = 0.0, sz = 0.0;
    const std::size_t jstart = upper ? i + 1 : j0;
#pragma omp simd reduction(+ : sx, sy, sz)
    for (std::size_t j = jstart; j < j1; ++j) {
      const double dx = p.x[j] - xi, dy = p.y[j] - yi, dz = p.z[j] - zi;
      const RpyCoefficients c =
          rpy_coefficients(dx * dx + dy * dy + dz * dz, ai, p.a[j], inv_ai, p.inv_a[j], eta);
      const double dot_j = dx * f.x[j] + dy * f.y[j] + dz * f.z[j];
      sx += c.f * f.x[j] + c.g * dx * dot_j;
      sy += c.f * f.y[j] + c.g * dy * dot_j;
      sz += c.f * f.z[j] + c.g * dz * dot_j;
      const double dot_i = dx * fxi + dy * fyi + dz * fzi;
      uj.x[j - j0] += c.f * fxi + c.g * dx * dot_i;
      uj.y[j - j0] += c.f * fyi + c.g * dy * dot_i;
      uj.z[j - j0] += c.f * fzi + c.g * dz * dot_i;
    }
    ui.x[i - i0] += sx;
    ui.y[i - i0] += sy;
    ui.z[i - i0] += sz;
  }
}

// Tiles of at least 256 particles and at most 32 tiles (31 synchronised rounds). The
// tiling depends only on N, never on the thread count, so neither do the sums.
std::size_t tile_size(std::size_t n) {
  const std::size_t blocks = std::min<std::size_t>(32, (n + 255) / 256);
  return std::max<std::size_t>(1, (n + blocks - 1) / blocks);
}

}  // namespace

Mobility::Mobility(const double* positions, const double* radii, std::size_t n, double eta,
                   Hydrodynamics hydro)
    : n_(n), eta_(eta), hydro_(hydro), x_(n), y_(n), z_(n), a_(n), inv_a_(n) {
  if (!(eta > 0.0) || !std::isfinite(eta))
    throw std::invalid_argument("viscosity must be finite and > 0");
  for (std::size_t i = 0; i < n; ++i) {
    x_[i] = positions[3 * i];
    y_[i] = positions[3 * i + 1];
    z_[i] = positions[3 * i + 2];
    a_[i] = radii[i];
    if (!(a_[i] > 0.0) || !std::isfinite(a_[i]))
      throw std::invalid_argument("radii must be finite and > 0");
    inv_a_[i] = 1.0 / a_[i];
  }
}

void Mobility::block(std::size_t i, std::size_t j, double* out) const {
  const double d[3] = {x_[j] - x_[i], y_[j] - y_[i], z_[j] - z_[i]};
  double f, g;
  if (hydro_ == Hydrodynamics::FreeDraining) {
    f = i == j ? 1.0 / (6.0 * kPi * eta_ * a_[i]) : 0.0;
    g = 0.0;
  } else {
    const RpyCoefficients c =
        rpy_coefficients(d[0] * d[0] + d[1] * d[1] + d[2] * d[2], a_[i], a_[j], eta_);
    f = c.f;
    g = c.g;
  }
  for (int p = 0; p < 3; ++p)
    for (int q = 0; q < 3; ++q) out[3 * p + q] = (p == q ? f : 0.0) + g * (d[p] * d[q]);  // exactly symmetric
}

void Mobility::dense(double* out) const {
  const std::size_t n = n_;
  const std::size_t ld = 3 * n;
#pragma omp parallel for schedule(static) if (n > 200)
  for (std::size_t i = 0; i < n; ++i) {
    double b[9];
    for (std::size_t j = 0; j < n; ++j) {
      block(i, j, b);
      for (int p = 0; p < 3; ++p)
        for (int q = 0; q < 3; ++q) out[(3 * i + p) * ld + 3 * j + q] = b[3 * p + q];
    }
  }
}

void Mobility::apply(const double* f, double* u) const {
  const std::size_t n = n_;
  if (hydro_ == Hydrodynamics::FreeDraining) {
    for (std::size_t i = 0; i < n; ++i) {
      const double m = 1.0 / (6.0 * kPi * eta_ * a_[i]);  // small loop: no threads
      for (int p = 0; p < 3; ++p) u[3 * i + p] = m * f[3 * i + p];
    }
    return;
  }
  // Forces in structure-of-arrays form for unit-stride vector loads.
  std::vector<double> fx(n), fy(n), fz(n);
  for (std::size_t j = 0; j < n; ++j) {
    fx[j] = f[3 * j];
    fy[j] = f[3 * j + 1];
    fz[j] = f[3 * j + 2];
  }
  const Soa soa{x_.data(), y_.data(), z_.data(), a_.data(), inv_a_.data()};
  const CVec3s fs{fx.data(), fy.data(), fz.data()};
  const double eta = eta_;
  const std::size_t tile = tile_size(n);
  const std::size_t blocks = (n + tile - 1) / tile;
  auto lo = [&](std::size_t b) { return b * tile; };
  auto hi = [&](std::size_t b) { return std::min(n, (b + 1) * tile); };
  // One partial-result buffer per ordered tile pair (I, J): rows of I, contributions from J.
  // Every tile pair writes only its own buffers, so all pairs run in one parallel loop
  // with no barrier between them; the buffers are then summed over J in a fixed order,
  // which makes the result independent of the thread count.
  const std::size_t stride = 3 * tile;
  std::vector<double> buf(blocks * blocks * stride, 0.0);
  auto part = [&](std::size_t bi, std::size_t bj) {
    double* base = buf.data() + (bi * blocks + bj) * stride;
    return Vec3s{base, base + tile, base + 2 * tile};
  };
  const std::size_t pairs = blocks * (blocks + 1) / 2;
#pragma omp parallel for schedule(dynamic, 1) if (n > 256)
  for (std::size_t t = 0; t < pairs; ++t) {
    std::size_t bi = 0, rest = t;  // t -> (bi <= bj), row by row of the upper triangle
    while (rest >= blocks - bi) {
      rest -= blocks - bi;
      ++bi;
    }
    const std::size_t bj = bi + rest;
    if (bi == bj) {
      const Vec3s u = part(bi, bi);
      for (std::size_t i = lo(bi); i < hi(bi); ++i) {
        const double m = 1.0 / (6.0 * kPi * eta * soa.a[i]);
        u.x[i - lo(bi)] += m * fs.x[i];
        u.y[i - lo(bi)] += m * fs.y[i];
        u.z[i - lo(bi)] += m * fs.z[i];
      }
      rpy_tile(lo(bi), hi(bi), lo(bi), hi(bi), true, soa, fs, u, u, eta);
    } else {
      rpy_tile(lo(bi), hi(bi), lo(bj), hi(bj), false, soa, fs, part(bi, bj), part(bj, bi), eta);
    }
  }
#pragma omp parallel for schedule(static) if (n > 256)
  for (std::size_t bi = 0; bi < blocks; ++bi) {
    for (std::size_t i = lo(bi); i < hi(bi); ++i) {
      double sx = 0.0, sy = 0.0, sz = 0.0;
      for (std::size_t bj = 0; bj < blocks; ++bj) {
        const Vec3s p = part(bi, bj);
        sx += p.x[i - lo(bi)];
        sy += p.y[i - lo(bi)];
        sz += p.z[i - lo(bi)];
      }
      u[3 * i] = sx;
      u[3 * i + 1] = sy;
      u[3 * i + 2] = sz;
    }
  }
}

}  // namespace mesolith::bd
