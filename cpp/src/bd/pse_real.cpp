#include "mesolith/bd/pse_real.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

#include "mesolith/bd/rpy.hpp"

namespace mesolith::bd {

namespace {

// j0(x) - j1(x)/x and (3 j1(x)/x - j0(x)) / x^2, with series near 0 (cancellation).
void radial_parts(double x, double& p, double& q) {
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

}  // namespace

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
        radial_parts(k * r, p, q);
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

void PseRealKernel::wave_free_space(double r, double& a, double& b) const {
  if (r >= (ta_.size() - 3) * step_) throw std::out_of_range("PSE table: r beyond the table");
  a = table_value(ta_, r);
  b = table_value(tb_, r);
}

void PseRealKernel::coefficients(double r2, double& f, double& g) const {
  const double r = std::sqrt(r2);
  const RpyCoefficients c = rpy_coefficients(r2, a_, a_, mu_);
  f = c.f - table_value(ta_, r);
  g = c.g - table_value(tb_, r);
}

PseRealOperator::PseRealOperator(const PseRealKernel& kernel, const double* x, std::size_t n,
                                 double box)
    : n_(n) {
  const PeriodicCells cells(x, n, box, kernel.cutoff());
  double g0;
  kernel.coefficients(0.0, self_, g0);
  // Rows in chunks of 256, each chunk by one thread into its own buffers (coefficients
  // computed while the pairs are found), joined in chunk order: thread-count independent.
  constexpr std::size_t kChunk = 256;
  const std::size_t chunks = (n + kChunk - 1) / kChunk;
  std::vector<std::vector<std::uint32_t>> idx(chunks);
  std::vector<std::vector<double>> coef(chunks);
  start_.assign(n + 1, 0);
#pragma omp parallel for schedule(dynamic, 1) if (n > 1000)
  for (std::size_t c = 0; c < chunks; ++c) {
    for (std::size_t i = c * kChunk; i < std::min(n, (c + 1) * kChunk); ++i) {
      const std::size_t before = idx[c].size();
      cells.visit(i, [&](std::uint32_t j, const double* d) {
        double f, g;
        kernel.coefficients(d[0] * d[0] + d[1] * d[1] + d[2] * d[2], f, g);
        idx[c].push_back(j);
        coef[c].insert(coef[c].end(), {f, g, d[0], d[1], d[2]});
      });
      start_[i + 1] = idx[c].size() - before;
    }
  }
  for (std::size_t i = 0; i < n; ++i) start_[i + 1] += start_[i];
  idx_.reserve(start_[n]);
  coef_.reserve(5 * start_[n]);
  for (std::size_t c = 0; c < chunks; ++c) {
    idx_.insert(idx_.end(), idx[c].begin(), idx[c].end());
    coef_.insert(coef_.end(), coef[c].begin(), coef[c].end());
    std::vector<std::uint32_t>().swap(idx[c]);
    std::vector<double>().swap(coef[c]);
  }
}

void PseRealOperator::apply(const double* f, double* u) const {
#pragma omp parallel for schedule(static) if (n_ > 1000)
  for (std::size_t i = 0; i < n_; ++i) {
    double ux = self_ * f[3 * i], uy = self_ * f[3 * i + 1], uz = self_ * f[3 * i + 2];
    for (std::size_t e = start_[i]; e < start_[i + 1]; ++e) {
      const double* c = &coef_[5 * e];
      const double* fj = &f[3 * static_cast<std::size_t>(idx_[e])];
      const double dot = c[1] * (c[2] * fj[0] + c[3] * fj[1] + c[4] * fj[2]);
      ux += c[0] * fj[0] + dot * c[2];
      uy += c[0] * fj[1] + dot * c[3];
      uz += c[0] * fj[2] + dot * c[4];
    }
    u[3 * i] = ux;
    u[3 * i + 1] = uy;
    u[3 * i + 2] = uz;
  }
}

}  // namespace mesolith::bd
