#include "mesolith/bd/rpy.hpp"

#include <stdexcept>

namespace mesolith::bd {

namespace {
// One row of u = M f: sum over all j of the pair blocks times f_j, in a fixed
// order. Compiled for several instruction sets, picked at load time, so a
// portable build still uses AVX-512/AVX2 where the CPU has them.
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
__attribute__((target_clones("avx512f", "avx2", "default")))
#endif
void rpy_row(std::size_t i, std::size_t n, const double* xs, const double* ys, const double* zs,
             const double* as, const double* inv_as, const double* px, const double* py,
             const double* pz, double eta, double* out) {
  const double xi = xs[i], yi = ys[i], zi = zs[i], ai = as[i], inv_ai = inv_as[i];
  double sx = 0.0, sy = 0.0, sz = 0.0;
#pragma omp simd reduction(+ : sx, sy, sz)
  for (std::size_t j = 0; j < n; ++j) {
    const double dx = xs[j] - xi, dy = ys[j] - yi, dz = zs[j] - zi;
    const RpyCoefficients c =
        rpy_coefficients(dx * dx + dy * dy + dz * dz, ai, as[j], inv_ai, inv_as[j], eta);
    const double dot = dx * px[j] + dy * py[j] + dz * pz[j];
    sx += c.f * px[j] + c.g * dx * dot;
    sy += c.f * py[j] + c.g * dy * dot;
    sz += c.f * pz[j] + c.g * dz * dot;
  }
  out[0] = sx;
  out[1] = sy;
  out[2] = sz;
}
}  // namespace

Mobility::Mobility(const double* positions, const double* radii, std::size_t n, double eta,
                   Hydrodynamics hydro)
    : n_(n), eta_(eta), hydro_(hydro), x_(n), y_(n), z_(n), a_(n), inv_a_(n) {
  if (!(eta > 0.0)) throw std::invalid_argument("viscosity must be > 0");
  for (std::size_t i = 0; i < n; ++i) {
    x_[i] = positions[3 * i];
    y_[i] = positions[3 * i + 1];
    z_[i] = positions[3 * i + 2];
    a_[i] = radii[i];
    if (!(a_[i] > 0.0)) throw std::invalid_argument("radii must be > 0");
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
  const double* xs = x_.data();
  const double* ys = y_.data();
  const double* zs = z_.data();
  const double* as = a_.data();
  const double* px = fx.data();
  const double* py = fy.data();
  const double* pz = fz.data();
  const double eta = eta_;
#pragma omp parallel for schedule(dynamic, 16) if (n > 128)
  for (std::size_t i = 0; i < n; ++i)
    rpy_row(i, n, xs, ys, zs, as, inv_a_.data(), px, py, pz, eta, u + 3 * i);
}

}  // namespace mesolith::bd
