#include "mesolith/bd/ewald.hpp"

#include <cmath>
#include <stdexcept>
#include <vector>

#include "mesolith/bd/erf_series.hpp"
#include "mesolith/bd/rpy.hpp"

namespace mesolith::bd {

namespace {
const double kSqrtPi = std::sqrt(kPi);

// Real-space part for one image at separation vector d (|d| = r > 0), dimensionless
// (units of 1/(6 pi eta a)); adds f I + g d d^T / r^2 into b.
void add_real(const double* d, double r, double a, double xi, double* b) {
  const double r2 = r * r, r4 = r2 * r2;
  const double a3 = a * a * a;
  const double xi2 = xi * xi, xi3 = xi2 * xi, xi5 = xi3 * xi2, xi7 = xi5 * xi2;
  const double ec = std::erfc(xi * r);
  const double ex = std::exp(-xi2 * r2) / kSqrtPi;
  const double f = ec * (0.75 * a / r + 0.5 * a3 / (r2 * r)) +
                   ex * (4.0 * xi7 * a3 * r4 + 3.0 * xi3 * a * r2 - 20.0 * xi5 * a3 * r2 -
                         4.5 * xi * a + 14.0 * xi3 * a3 + xi * a3 / r2);
  const double g = ec * (0.75 * a / r - 1.5 * a3 / (r2 * r)) +
                   ex * (-4.0 * xi7 * a3 * r4 - 3.0 * xi3 * a * r2 + 16.0 * xi5 * a3 * r2 +
                         1.5 * xi * a - 2.0 * xi3 * a3 - 3.0 * xi * a3 / r2);
  for (int p = 0; p < 3; ++p)
    for (int q = 0; q < 3; ++q) b[3 * p + q] += (p == q ? f : 0.0) + g * d[p] * d[q] / r2;
}


// add_real(d) minus the far-field RPY block (0.75 a / r + 0.5 a^3 / r^3) I +
// (0.75 a / r - 1.5 a^3 / r^3) d d^T / r^2, for an overlapping nearest image (0 < r < 2 a).
// Written with S(xi r) so that the a^3 / r^3 terms, which cancel between the two, are never
// formed: the direct difference loses all digits as r -> 0 (found by fuzzing).
void add_real_minus_far(const double* d, double r, double a, double xi, double* b) {
  const double r2 = r * r, r4 = r2 * r2;
  const double a3 = a * a * a;
  const double xi2 = xi * xi, xi3 = xi2 * xi, xi5 = xi3 * xi2, xi7 = xi5 * xi2;
  const double x = xi * r;
  const double erf_term = std::erf(x) * 0.75 * a / r;
  const double s3 = erf_minus_gauss(x) * a3 / (r2 * r);  // finite as r -> 0: ~ xi^3 a^3
  const double ex = std::exp(-xi2 * r2) / kSqrtPi;
  const double f = -erf_term - 0.5 * s3 +
                   ex * (4.0 * xi7 * a3 * r4 + 3.0 * xi3 * a * r2 - 20.0 * xi5 * a3 * r2 -
                         4.5 * xi * a + 14.0 * xi3 * a3);
  const double g = -erf_term + 1.5 * s3 +
                   ex * (-4.0 * xi7 * a3 * r4 - 3.0 * xi3 * a * r2 + 16.0 * xi5 * a3 * r2 +
                         1.5 * xi * a - 2.0 * xi3 * a3);
  for (int p = 0; p < 3; ++p)
    for (int q = 0; q < 3; ++q) b[3 * p + q] += (p == q ? f : 0.0) + g * d[p] * d[q] / r2;
}
}  // namespace

void ewald_rpy_dense(const double* x, std::size_t n, double a, double eta, double box,
                     const EwaldOptions& opt, double* out) {
  if (!(a > 0.0) || !(eta > 0.0) || !(box > 2.0 * a) || !std::isfinite(eta) ||
      !std::isfinite(box))
    throw std::invalid_argument("need finite radius > 0, viscosity > 0 and box > 2 radius");
  const double xi = opt.xi > 0.0 ? opt.xi : kSqrtPi / box;
  const double ln_tol = -std::log(std::max(opt.tolerance, 1e-16));
  // Both sums decay as P(q) exp(-q) with q = xi^2 r^2 (real) or k^2 / (4 xi^2) (wave), where
  // P(q) ~ 1 + q + 2 q^2 is the polynomial prefactor of the RPY terms. Cut at the q_c with
  // P(q_c) exp(-q_c) = tol (three fixed-point steps from q = ln(1/tol) converge to < 1 %);
  // cutting at exp(-q) = tol alone left errors ~1e3 tol (found by fuzzing the xi-independence).
  double q_cut = ln_tol;
  for (int k = 0; k < 3; ++k) q_cut = ln_tol + std::log(1.0 + q_cut + 2.0 * q_cut * q_cut);
  const double r_cut = std::sqrt(q_cut) / xi + 2.0 * a;
  const double k_cut = 2.0 * xi * std::sqrt(q_cut);
  const int nr = static_cast<int>(std::ceil(r_cut / box));
  const int nk = static_cast<int>(std::ceil(k_cut * box / (2.0 * kPi)));
  const double volume = box * box * box;
  const double unit = 1.0 / (6.0 * kPi * eta * a);
  const double a3 = a * a * a;
  // Reciprocal-space coefficients for every wave vector kept.
  struct Wave {
    double k[3];
    double coef;
  };
  std::vector<Wave> waves;
  for (int i = -nk; i <= nk; ++i)
    for (int j = -nk; j <= nk; ++j)
      for (int l = -nk; l <= nk; ++l) {
        if (i == 0 && j == 0 && l == 0) continue;
        const double k[3] = {2.0 * kPi * i / box, 2.0 * kPi * j / box, 2.0 * kPi * l / box};
        const double k2 = k[0] * k[0] + k[1] * k[1] + k[2] * k[2];
        if (k2 > k_cut * k_cut) continue;
        const double q = k2 / (4.0 * xi * xi);
        const double c = (a - a3 * k2 / 3.0) * (1.0 + q + 2.0 * q * q) * (6.0 * kPi / k2) *
                         std::exp(-q) / volume;
        waves.push_back({{k[0], k[1], k[2]}, c});
      }
  const std::size_t ld = 3 * n;
  const double self = 1.0 - (6.0 * a - 40.0 / 3.0 * xi * xi * a3) * xi / kSqrtPi;
#pragma omp parallel for schedule(dynamic, 1)
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      double b[9] = {0, 0, 0, 0, 0, 0, 0, 0, 0};
      double d0[3];
      for (int p = 0; p < 3; ++p) {
        d0[p] = x[3 * j + p] - x[3 * i + p];
        d0[p] -= box * std::nearbyint(d0[p] / box);  // nearest image
      }
      const double r2 = d0[0] * d0[0] + d0[1] * d0[1] + d0[2] * d0[2];
      // A distinct pair whose nearest images overlap: that image's real-space term is taken
      // together with the overlap correction below.
      const bool overlap = i != j && r2 > 0.0 && r2 < 4.0 * a * a;
      for (int u = -nr; u <= nr; ++u)
        for (int v = -nr; v <= nr; ++v)
          for (int w = -nr; w <= nr; ++w) {
            if (overlap && u == 0 && v == 0 && w == 0) continue;
            const double d[3] = {d0[0] + u * box, d0[1] + v * box, d0[2] + w * box};
            const double r = std::sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
            if (r == 0.0 || r > r_cut) continue;
            add_real(d, r, a, xi, b);
          }
      for (const Wave& wv : waves) {
        const double k2 = wv.k[0] * wv.k[0] + wv.k[1] * wv.k[1] + wv.k[2] * wv.k[2];
        const double c = wv.coef * std::cos(wv.k[0] * d0[0] + wv.k[1] * d0[1] + wv.k[2] * d0[2]);
        for (int p = 0; p < 3; ++p)
          for (int q = 0; q < 3; ++q) b[3 * p + q] += c * ((p == q ? 1.0 : 0.0) - wv.k[p] * wv.k[q] / k2);
      }
      if (i == j || r2 == 0.0) {
        // Two equal spheres at one place (nearest image) move as one: the pair block is the
        // r -> 0 limit of the overlap-corrected form, which is the self block (the real sum
        // above skipped r = 0 as for i == j). Without this the correction divides by r = 0.
        for (int p = 0; p < 3; ++p) b[4 * p] += self;
      } else {
        // Overlapping nearest images: replace the far-field RPY by the Zuk et al. form.
        if (overlap) {
          const double r = std::sqrt(r2);
          const RpyCoefficients near = rpy_coefficients(r2, a, a, eta);
          add_real_minus_far(d0, r, a, xi, b);
          for (int p = 0; p < 3; ++p)
            for (int q = 0; q < 3; ++q)
              b[3 * p + q] += (p == q ? near.f / unit : 0.0) + near.g / unit * d0[p] * d0[q];
        }
      }
      for (int p = 0; p < 3; ++p)
        for (int q = 0; q < 3; ++q) out[(3 * i + p) * ld + 3 * j + q] = unit * b[3 * p + q];
    }
  }
}

}  // namespace mesolith::bd
