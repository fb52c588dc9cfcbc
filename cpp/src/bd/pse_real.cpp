#include "mesolith/bd/pse_real.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>

#include "mesolith/bd/pse_poly.hpp"
#include "mesolith/bd/rpy.hpp"

namespace mesolith::bd {

// j0(x) - j1(x)/x and (3 j1(x)/x - j0(x)) / x^2, with series near 0 (cancellation).
void pse_radial_parts(double x, double& p, double& q) {
  if (x < 0.05) {
    const double x2 = x * x;
    p = 2.0 / 3.0 - x2 * (2.0 / 15.0) + x2 * x2 * (1.0 / 140.0);
    q = 1.0 / 15.0 - x2 / 210.0 + x2 * x2 / 7560.0;
    return;
  }
  const double s = std::sin(x), c = std::cos(x);
  const double j0 = s / x;
  const double j1x = (s / x - c) / (x * x);  // j1(x) / x
  p = j0 - j1x;
  q = (3.0 * j1x - j0) / (x * x);
}

PseRealKernel::PseRealKernel(double a, double mu, double xi, double tol)
    : a_(a), mu_(mu), xi_(xi) {
  if (!(a > 0.0) || !(mu > 0.0) || !(xi > 0.0))
    throw std::invalid_argument("PSE real space: need radius, viscosity and xi > 0");
  if (!(tol > 0.0 && tol < 1.0)) throw std::invalid_argument("PSE: tolerance must be in (0, 1)");
  const double unit = 1.0 / (6.0 * kPi * mu * a);
  const double threshold = tol * unit;
  // Real part decays like exp(-xi^2 r^2): start with a generous range, widen if needed.
  double r_max = 2.0 * a + (std::sqrt(-std::log(tol)) + 4.0) / xi;
  for (int attempt = 0; attempt < 6; ++attempt, r_max *= 1.5) {
    // table step: 4-point interpolation error ~ (step * max(xi, 1/a))^4 / 100
    const double scale = std::max(xi, 1.0 / a);
    step_ = std::min(0.01 / scale, r_max / 64.0);
    const std::size_t nt = static_cast<std::size_t>(std::ceil(r_max / step_)) + 4;
    ta_.assign(nt, 0.0);
    tb_.assign(nt, 0.0);
    // k quadrature: spacing well below 2 pi / (support of the integrand's transform)
    const double dk = kPi / (r_max + 2.0 * a + 8.0 / xi);
    const double k_end = 2.0 * xi * std::sqrt(50.0);
    const std::size_t nk = static_cast<std::size_t>(std::ceil(k_end / dk));
    std::vector<double> s(nk + 1);
    for (std::size_t m = 0; m <= nk; ++m) {
      const double k = m * dk, ka = k * a, q = k * k / (4.0 * xi * xi);
      const double sinc = ka < 1e-8 ? 1.0 : std::sin(ka) / ka;
      s[m] = sinc * sinc * (1.0 + q) * std::exp(-q) / mu * (m == 0 ? 0.5 : 1.0) * dk /
             (2.0 * kPi * kPi);
    }
#pragma omp parallel for schedule(static)
    for (std::size_t t = 0; t < nt; ++t) {
      const double r = t * step_;
      double sa = 0.0, sb = 0.0;
      for (std::size_t m = 0; m <= nk; ++m) {
        const double k = m * dk;
        double p, q;
        pse_radial_parts(k * r, p, q);
        sa += s[m] * p;
        sb += s[m] * k * k * q;
      }
      ta_[t] = sa;
      tb_[t] = sb;
    }
    // cut-off: beyond the last table point where the real part is above the threshold
    std::size_t last = 0;
    for (std::size_t t = 1; t + 3 < nt; ++t) {
      const double r = t * step_;
      const RpyCoefficients c = rpy_coefficients(r * r, a, a, mu);
      if (std::abs(c.f - ta_[t]) > threshold || std::abs(c.g - tb_[t]) * r * r > threshold)
        last = t;
    }
    if (last + 3 < nt - 8) {
      cutoff_ = (last + 1) * step_;
      tabulate_in_r2();
      return;
    }
  }
  throw std::runtime_error("PSE real space: could not find a cut-off (tolerance too small?)");
}

double PseRealKernel::table_value(const std::vector<double>& t, double r) const {
  const double u = r / step_;
  const std::size_t i = static_cast<std::size_t>(u);
  const double s = u - static_cast<double>(i);
  // points i-1, i, i+1, i+2 (the functions are even in r: t[-1] = t[1])
  const double y0 = i == 0 ? t[1] : t[i - 1], y1 = t[i], y2 = t[i + 1], y3 = t[i + 2];
  return -s * (s - 1.0) * (s - 2.0) / 6.0 * y0 + (s + 1.0) * (s - 1.0) * (s - 2.0) / 2.0 * y1 -
         (s + 1.0) * s * (s - 2.0) / 2.0 * y2 + (s + 1.0) * s * (s - 1.0) / 6.0 * y3;
}

void PseRealKernel::tabulate_in_r2() {
  // f, g of M_real for r >= 2a (far-field RPY minus W) on a grid in s = r^2 whose r-spacing
  // at r = 2a equals the r-table step (finer beyond); one node below 4a^2 for the stencil.
  const double c8 = 1.0 / (8.0 * kPi * mu_), a2 = a_ * a_;
  s_step_ = 4.0 * a_ * step_;
  s_start_ = 4.0 * a2 - s_step_;
  s_end_ = cutoff_ * cutoff_;
  const std::size_t ns = static_cast<std::size_t>(std::ceil((s_end_ - s_start_) / s_step_)) + 4;
  sf_.assign(ns, 0.0);
  sg_.assign(ns, 0.0);
  for (std::size_t i = 0; i < ns; ++i) {
    const double r2 = s_start_ + i * s_step_, r = std::sqrt(r2);
    sf_[i] = (1.0 + 2.0 * a2 / (3.0 * r2)) / r * c8 - table_value(ta_, r);
    sg_[i] = (1.0 - 2.0 * a2 / r2) / (r * r2) * c8 - table_value(tb_, r);
  }
}

void PseRealKernel::wave_free_space(double r, double& a, double& b) const {
  if (r >= (ta_.size() - 3) * step_) throw std::out_of_range("PSE table: r beyond the table");
  a = table_value(ta_, r);
  b = table_value(tb_, r);
}

void PseRealKernel::coefficients(double r2, double& f, double& g) const {
  if (r2 >= 4.0 * a_ * a_ && r2 < s_end_) {
    const double u = (r2 - s_start_) / s_step_;
    const std::size_t i = static_cast<std::size_t>(u);  // >= 1
    const double t = u - static_cast<double>(i);
    const double w0 = -t * (t - 1.0) * (t - 2.0) / 6.0, w1 = (t + 1.0) * (t - 1.0) * (t - 2.0) / 2.0,
                 w2 = -(t + 1.0) * t * (t - 2.0) / 2.0, w3 = (t + 1.0) * t * (t - 1.0) / 6.0;
    f = w0 * sf_[i - 1] + w1 * sf_[i] + w2 * sf_[i + 1] + w3 * sf_[i + 2];
    g = w0 * sg_[i - 1] + w1 * sg_[i] + w2 * sg_[i + 1] + w3 * sg_[i + 2];
    return;
  }
  const double r = std::sqrt(r2);
  const RpyCoefficients c = rpy_coefficients(r2, a_, a_, mu_);
  f = c.f - table_value(ta_, r);
  g = c.g - table_value(tb_, r);
}

template <class Pair>
void PseRealOperator::build(const PeriodicCells& cells, double rc, double box, Pair&& pair) {
  const std::size_t n = n_;
  // Rows in chunks of 256, each chunk built by one thread into its own buffers
  // (coefficients computed while the pairs are found) and kept as it is.
  constexpr std::size_t kChunk = 256;
  chunks_.resize((n + kChunk - 1) / kChunk);
  // expected partners per particle (uniform density), to size the buffers once
  const double per_particle = 4.0 / 3.0 * kPi * rc * rc * rc * static_cast<double>(n) /
                              (box * box * box);
  const std::size_t reserve =
      static_cast<std::size_t>(1.2 * std::min(per_particle, 1e4) * kChunk) + 64;
#pragma omp parallel for schedule(dynamic, 1) if (n > 1000)
  for (std::size_t c = 0; c < chunks_.size(); ++c) {
    Chunk& ch = chunks_[c];
    ch.first = c * kChunk;
    const std::size_t last = std::min(n, (c + 1) * kChunk);
    ch.start.assign(last - ch.first + 1, 0);
    ch.idx.reserve(reserve);
    ch.coef.reserve(5 * reserve);
    for (std::size_t i = ch.first; i < last; ++i) {
      cells.visit(i, [&](std::uint32_t j, const double* d) {
        double f, g;
        pair(i, j, d[0] * d[0] + d[1] * d[1] + d[2] * d[2], f, g);
        ch.idx.push_back(j);
        ch.coef.push_back(f);
        ch.coef.push_back(g);
        ch.coef.push_back(d[0]);
        ch.coef.push_back(d[1]);
        ch.coef.push_back(d[2]);
      });
      ch.start[i - ch.first + 1] = ch.idx.size();
    }
  }
}

PseRealOperator::PseRealOperator(const PseRealKernel& kernel, const double* x, std::size_t n,
                                 double box)
    : n_(n) {
  const PeriodicCells cells(x, n, box, kernel.cutoff());
  double self, g0;
  kernel.coefficients(0.0, self, g0);
  self_.assign(n, self);
  build(cells, kernel.cutoff(), box,
        [&kernel](std::size_t, std::uint32_t, double r2, double& f, double& g) {
          kernel.coefficients(r2, f, g);
        });
}

PseRealOperator::PseRealOperator(const PsePolyRealKernel& kernel, const double* x,
                                 const double* radii, std::size_t n, double box)
    : n_(n) {
  for (std::size_t i = 0; i < n; ++i)
    if (!(radii[i] >= kernel.a_min() && radii[i] <= kernel.a_max()))
      throw std::invalid_argument("PSE real space: radius " + std::to_string(radii[i]) +
                                  " outside the kernel's [a_min, a_max]");
  const PeriodicCells cells(x, n, box, kernel.cutoff());
  self_.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    double g0;
    kernel.coefficients(0.0, radii[i], radii[i], self_[i], g0);
  }
  build(cells, kernel.cutoff(), box,
        [&kernel, radii](std::size_t i, std::uint32_t j, double r2, double& f, double& g) {
          kernel.coefficients(r2, radii[i], radii[j], f, g);
        });
}

std::size_t PseRealOperator::pairs() const {
  std::size_t total = 0;
  for (const Chunk& ch : chunks_) total += ch.idx.size();
  return total;
}

void PseRealOperator::apply(const double* f, double* u) const {
#pragma omp parallel for schedule(dynamic, 1) if (n_ > 1000)
  for (std::size_t c = 0; c < chunks_.size(); ++c) {
    const Chunk& ch = chunks_[c];
    for (std::size_t r = 0; r + 1 < ch.start.size(); ++r) {
      const std::size_t i = ch.first + r;
      const double si = self_[i];
      double ux = si * f[3 * i], uy = si * f[3 * i + 1], uz = si * f[3 * i + 2];
      for (std::size_t e = ch.start[r]; e < ch.start[r + 1]; ++e) {
        const double* cf = &ch.coef[5 * e];
        const double* fj = &f[3 * static_cast<std::size_t>(ch.idx[e])];
        const double dot = cf[1] * (cf[2] * fj[0] + cf[3] * fj[1] + cf[4] * fj[2]);
        ux += cf[0] * fj[0] + dot * cf[2];
        uy += cf[0] * fj[1] + dot * cf[3];
        uz += cf[0] * fj[2] + dot * cf[4];
      }
      u[3 * i] = ux;
      u[3 * i + 1] = uy;
      u[3 * i + 2] = uz;
    }
  }
}

}  // namespace mesolith::bd
