#include "mesolith/bd/pse_poly.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "mesolith/bd/pse_real.hpp"
#include "mesolith/bd/rpy.hpp"

namespace mesolith::bd {

PsePolyRealKernel::PsePolyRealKernel(double a_min, double a_max, double mu, double xi,
                                     double tol)
    : a_min_(a_min), a_max_(a_max), mu_(mu), xi_(xi) {
  if (!(a_min > 0.0) || !(a_max >= a_min) || !(mu > 0.0) || !(xi > 0.0))
    throw std::invalid_argument("PSE real space: need 0 < a_min <= a_max, viscosity, xi > 0");
  if (!(tol > 0.0 && tol < 1.0)) throw std::invalid_argument("PSE: tolerance must be in (0, 1)");
  const double threshold = tol / (6.0 * kPi * mu * a_max);
  // The tables depend on xi only (smooth on the scale 1/xi); the radii enter as weights.
  step_ = 0.01 / xi;
  double r_max = 2.0 * a_max + (std::sqrt(-std::log(tol)) + 6.0) / xi;
  const double radii[2] = {a_min, a_max};
  for (int attempt = 0; attempt < 6; ++attempt, r_max *= 1.5) {
    const std::size_t nt = static_cast<std::size_t>(std::ceil(r_max / step_)) + 4;
    const double dk = kPi / (r_max + 8.0 / xi);
    const double k_end = 2.0 * xi * std::sqrt(60.0);
    const std::size_t nk = static_cast<std::size_t>(std::ceil(k_end / dk));
    std::vector<double> s(nk + 1);
    for (std::size_t m = 0; m <= nk; ++m) {
      const double k = m * dk, q = k * k / (4.0 * xi * xi);
      s[m] = (1.0 + q) * std::exp(-q) / mu * (m == 0 ? 0.5 : 1.0) * dk / (2.0 * kPi * kPi);
    }
    for (int n = 0; n < 3; ++n) {
      ta_[n].assign(nt, 0.0);
      tb_[n].assign(nt, 0.0);
    }
#pragma omp parallel for schedule(static)
    for (std::size_t t = 0; t < nt; ++t) {
      const double r = t * step_;
      double sa[3] = {0.0, 0.0, 0.0}, sb[3] = {0.0, 0.0, 0.0};
      for (std::size_t m = 0; m <= nk; ++m) {
        const double k = m * dk, k2 = k * k;
        double p, q;
        pse_radial_parts(k * r, p, q);
        double w = s[m];
        for (int n = 0; n < 3; ++n, w *= k2) {
          sa[n] += w * p;
          sb[n] += w * k2 * q;
        }
      }
      for (int n = 0; n < 3; ++n) {
        ta_[n][t] = sa[n];
        tb_[n][t] = sb[n];
      }
    }
    // cut-off: beyond the last table point where any pair's real part is above threshold
    // (pairs of the smallest and of the largest radius bound the weights' range)
    std::size_t last = 0;
    for (int x = 0; x < 2; ++x)
      for (int y = x; y < 2; ++y) {
        const double ai = radii[x], aj = radii[y];
        for (std::size_t t = 1; t + 3 < nt; ++t) {
          const double r = t * step_;
          if (r <= ai + aj) continue;
          double f, g;
          coefficients(r * r, ai, aj, f, g);
          if (std::abs(f) > threshold || std::abs(g) * r * r > threshold) last = std::max(last, t);
        }
      }
    if (last + 3 < nt - 8) {
      cutoff_ = std::max((last + 1) * step_, 2.0 * a_max);
      return;
    }
  }
  throw std::runtime_error("PSE real space: could not find a cut-off (tolerance too small?)");
}

double PsePolyRealKernel::table_value(const std::vector<double>& t, double r) const {
  const double u = r / step_;
  const std::size_t i = static_cast<std::size_t>(u);
  if (i + 2 >= t.size()) throw std::out_of_range("PSE table: r beyond the table");
  const double s = u - static_cast<double>(i);
  // points i-1, i, i+1, i+2 (the functions are even in r: t[-1] = t[1])
  const double y0 = i == 0 ? t[1] : t[i - 1], y1 = t[i], y2 = t[i + 1], y3 = t[i + 2];
  return -s * (s - 1.0) * (s - 2.0) / 6.0 * y0 + (s + 1.0) * (s - 1.0) * (s - 2.0) / 2.0 * y1 -
         (s + 1.0) * s * (s - 2.0) / 2.0 * y2 + (s + 1.0) * s * (s - 1.0) / 6.0 * y3;
}

void PsePolyRealKernel::wave_free_space(double r, double ai, double aj, double& a,
                                        double& b) const {
  const double alpha = (ai * ai + aj * aj) / 6.0, beta = ai * ai * aj * aj / 36.0;
  a = table_value(ta_[0], r) - alpha * table_value(ta_[1], r) + beta * table_value(ta_[2], r);
  b = table_value(tb_[0], r) - alpha * table_value(tb_[1], r) + beta * table_value(tb_[2], r);
}

void PsePolyRealKernel::coefficients(double r2, double ai, double aj, double& f,
                                     double& g) const {
  double wa, wb;
  wave_free_space(std::sqrt(r2), ai, aj, wa, wb);
  const RpyCoefficients c = rpy_coefficients(r2, ai, aj, mu_);
  f = c.f - wa;
  g = c.g - wb;
}

namespace {
double wavenumber(std::size_t i, std::size_t m, double box) {
  const long k = i <= m / 2 ? static_cast<long>(i) : static_cast<long>(i) - static_cast<long>(m);
  return 2.0 * kPi * static_cast<double>(k) / box;
}
bool nyquist(std::size_t i, std::size_t m) { return m % 2 == 0 && i == m / 2; }
}  // namespace

void pse_green_bare(const PseGrid& g, double mu, double* green) {
  if (g.m < 4 || !(g.box > 0.0) || !(g.xi > 0.0) || !(g.eta > 0.0) || !(mu > 0.0))
    throw std::invalid_argument("PSE grid: need M >= 4, box, xi, eta, viscosity > 0");
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
        const double k2 = kx * kx + ky * ky + kz * kz, q2 = k2 / four_xi2;
        green[q] = (1.0 + q2) * std::exp(-(1.0 - g.eta) * q2) / (mu * k2);
      }
}

void pse_scale_poly(const PseGrid& g, const double* green, bool square_root, bool combine,
                    std::complex<double>* fa, std::complex<double>* fb) {
  const std::size_t m = g.m, mh = m / 2 + 1, size = m * m * mh;
#pragma omp parallel for schedule(static) if (size > 100000)
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < m; ++j)
      for (std::size_t l = 0; l < mh; ++l) {
        const std::size_t q = (i * m + j) * mh + l;
        const double c = square_root ? std::sqrt(green[q]) : green[q];
        if (c == 0.0) {
          for (int p = 0; p < 3; ++p) fa[p * size + q] = fb[p * size + q] = 0.0;
          continue;
        }
        const double k[3] = {wavenumber(i, m, g.box), wavenumber(j, m, g.box),
                             wavenumber(l, m, g.box)};
        const double k2 = k[0] * k[0] + k[1] * k[1] + k[2] * k[2];
        std::complex<double> v[3];
        for (int p = 0; p < 3; ++p)
          v[p] = combine ? fa[p * size + q] - (k2 / 6.0) * fb[p * size + q] : fa[p * size + q];
        const std::complex<double> dot = (k[0] * v[0] + k[1] * v[1] + k[2] * v[2]) / k2;
        for (int p = 0; p < 3; ++p) {
          const std::complex<double> w = c * (v[p] - k[p] * dot);
          fa[p * size + q] = w;
          fb[p * size + q] = k2 * w;
        }
      }
}

}  // namespace mesolith::bd
