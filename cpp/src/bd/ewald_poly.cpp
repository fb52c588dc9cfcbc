#include "mesolith/bd/ewald_poly.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "mesolith/bd/erf_series.hpp"
#include "mesolith/bd/rpy.hpp"

namespace mesolith::bd {

namespace {
const double kSqrtPi = std::sqrt(kPi);

// f I + g d d^T added to the symmetric block b6 (xx, yy, zz, xy, xz, yz).
inline void add_block(const double* d, double f, double g, double* b6) {
  b6[0] += f + g * d[0] * d[0];
  b6[1] += f + g * d[1] * d[1];
  b6[2] += f + g * d[2] * d[2];
  b6[3] += g * d[0] * d[1];
  b6[4] += g * d[0] * d[2];
  b6[5] += g * d[1] * d[2];
}

// Beenakker's real-space term of one image at separation d (|d| = r > 0) with a^2 -> s,
// in units of 1/(6 pi eta): f I + g d d^T / r^2 added to the symmetric block b6
// (xx, yy, zz, xy, xz, yz).
void add_real(const double* d, double r, double s, double xi, double* b6) {
  const double r2 = r * r, r4 = r2 * r2;
  const double xi2 = xi * xi, xi3 = xi2 * xi, xi5 = xi3 * xi2, xi7 = xi5 * xi2;
  const double ec = std::erfc(xi * r);
  const double ex = std::exp(-xi2 * r2) / kSqrtPi;
  const double f = ec * (0.75 / r + 0.5 * s / (r2 * r)) +
                   ex * (4.0 * xi7 * s * r4 + 3.0 * xi3 * r2 - 20.0 * xi5 * s * r2 - 4.5 * xi +
                         14.0 * xi3 * s + xi * s / r2);
  const double g = (ec * (0.75 / r - 1.5 * s / (r2 * r)) +
                    ex * (-4.0 * xi7 * s * r4 - 3.0 * xi3 * r2 + 16.0 * xi5 * s * r2 + 1.5 * xi -
                          2.0 * xi3 * s - 3.0 * xi * s / r2)) /
                   r2;
  add_block(d, f, g, b6);
}


// Overlapping image (0 < r < a_i + a_j): its real-space term plus the Zuk et al. block minus
// the far-field RPY, units of 1/(6 pi eta). The s / r^3 parts of the real-space term and of
// the far field cancel; writing their difference with S(xi r) never forms them (adding the
// two separately lost ~ s / r^3 times the rounding error; found by fuzzing).
void add_real_overlap(const double* d, double r, double ai, double aj, double s, double xi,
                      double eta, double* b6) {
  const double r2 = r * r, r4 = r2 * r2;
  const double xi2 = xi * xi, xi3 = xi2 * xi, xi5 = xi3 * xi2, xi7 = xi5 * xi2;
  const double x = xi * r;
  const double erf_term = 0.75 * std::erf(x) / r;
  const double s3 = erf_minus_gauss(x) * s / (r2 * r);  // finite as r -> 0: ~ xi^3 s
  const double ex = std::exp(-xi2 * r2) / kSqrtPi;
  const RpyCoefficients near = rpy_coefficients(r2, ai, aj, eta);  // SI, g times d d^T
  const double six_pi_eta = 6.0 * kPi * eta;
  const double f = near.f * six_pi_eta - erf_term - 0.5 * s3 +
                   ex * (4.0 * xi7 * s * r4 + 3.0 * xi3 * r2 - 20.0 * xi5 * s * r2 - 4.5 * xi +
                         14.0 * xi3 * s);
  const double g = near.g * six_pi_eta +
                   (-erf_term + 1.5 * s3 +
                    ex * (-4.0 * xi7 * s * r4 - 3.0 * xi3 * r2 + 16.0 * xi5 * s * r2 + 1.5 * xi -
                          2.0 * xi3 * s)) /
                       r2;
  add_block(d, f, g, b6);
}

// Nearly coincident centres (xi r < 0.01, r < a_i + a_j): the Zuk block plus the Taylor
// series of (real-space term - far-field RPY) about r = 0, units of 1/(6 pi eta). Both
// terms are regular at r = 0, whereas evaluating them apart cancels ~ s xi / r^2.
// The series (to r^6, error ~ (xi r)^8 < 1e-16) is exact algebra of add_real's formulas;
// its r = 0 value, (-6 xi + 40/3 xi^3 s) / sqrt(pi), is Beenakker's self term.
constexpr double kSeriesLimit = 0.01;
void add_near_series(const double* d, double r2, double ai, double aj, double s, double xi,
                     double eta, double* b6) {
  const RpyCoefficients near = rpy_coefficients(r2, ai, aj, eta);  // finite at r = 0
  const double six_pi_eta = 6.0 * kPi * eta;
  const double xi2 = xi * xi, xi3 = xi2 * xi, xi5 = xi3 * xi2, xi7 = xi5 * xi2,
               xi9 = xi7 * xi2;
  const double r4 = r2 * r2;
  const double f = near.f * six_pi_eta +
                   (-6.0 * xi + 40.0 / 3.0 * xi3 * s + r2 * (8.0 * xi3 - 168.0 / 5.0 * xi5 * s) +
                    r4 * (216.0 / 7.0 * xi7 * s - 27.0 / 5.0 * xi5) +
                    r4 * r2 * (16.0 / 7.0 * xi7 - 440.0 / 27.0 * xi9 * s)) /
                       kSqrtPi;
  const double g = near.g * six_pi_eta +
                   (-4.0 * xi3 + 84.0 / 5.0 * xi5 * s + r2 * (18.0 / 5.0 * xi5 - 144.0 / 7.0 * xi7 * s) +
                    r4 * (110.0 / 9.0 * xi9 * s - 12.0 / 7.0 * xi7)) /
                       kSqrtPi;
  add_block(d, f, g, b6);
}

struct Wave {
  double k[3];
  double base;      // 2 (1 + q + 2 q^2) e^{-q} 6 pi / (k^2 V), q = k^2 / (4 xi^2); 2: k and -k
  double k2_third;  // k^2 / 3: the finite-size factor is 1 - s k^2 / 3
  double proj[6];   // I - k k^T / k^2 (xx, yy, zz, xy, xz, yz)
};
}  // namespace

void ewald_rpy_dense_poly(const double* x, const double* radii, std::size_t n, double eta,
                          double box, const EwaldOptions& opt, double* out) {
  if (n == 0) throw std::invalid_argument("need at least one particle");
  if (!(eta > 0.0) || !std::isfinite(eta)) throw std::invalid_argument("need viscosity > 0");
  double a_max = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!(radii[i] > 0.0) || !std::isfinite(radii[i]))
      throw std::invalid_argument("radii must be finite and > 0");
    a_max = std::max(a_max, radii[i]);
  }
  if (!(box > 2.0 * a_max) || !std::isfinite(box))
    throw std::invalid_argument("need box > 2 * largest radius");
  for (std::size_t i = 0; i < 3 * n; ++i)
    if (!std::isfinite(x[i])) throw std::invalid_argument("positions must be finite");
  // Default split: xi L = 3 balances the cost of the two sums here (about 20 real-space
  // images and 500 waves per pair at tolerance 1e-12).
  const double xi = opt.xi > 0.0 ? opt.xi : 3.0 / box;
  // erfc(xi r_c) ~ exp(-xi^2 r_c^2) = tol; exp(-k_c^2 / (4 xi^2)) = tol, with e^8 to spare
  // for the polynomial factors (up to (xi r)^4 and q^2) that multiply both Gaussians. Every
  // overlapping image (r < a_i + a_j <= 2 a_max) lies inside r_c.
  const double ln_tol = -std::log(std::max(opt.tolerance, 1e-16)) + 8.0;
  const double r_cut = std::sqrt(ln_tol) / xi + 2.0 * a_max;
  const double k_cut = 2.0 * xi * std::sqrt(ln_tol);
  const int nr = static_cast<int>(std::ceil(r_cut / box));
  const int nk = static_cast<int>(std::ceil(k_cut * box / (2.0 * kPi)));
  const double volume = box * box * box;
  std::vector<Wave> waves;
  // k and -k contribute alike (cos and the projector are even): keep one half-space of
  // wave vectors with twice the weight.
  for (int i = 0; i <= nk; ++i)
    for (int j = (i == 0 ? 0 : -nk); j <= nk; ++j)
      for (int l = (i == 0 && j == 0 ? 1 : -nk); l <= nk; ++l) {  // k = 0 left out: no net flow
        const double k[3] = {2.0 * kPi * i / box, 2.0 * kPi * j / box, 2.0 * kPi * l / box};
        const double k2 = k[0] * k[0] + k[1] * k[1] + k[2] * k[2];
        if (k2 > k_cut * k_cut) continue;
        const double q = k2 / (4.0 * xi * xi);
        Wave w{{k[0], k[1], k[2]},
               2.0 * (1.0 + q + 2.0 * q * q) * (6.0 * kPi / k2) * std::exp(-q) / volume,
               k2 / 3.0,
               {1.0 - k[0] * k[0] / k2, 1.0 - k[1] * k[1] / k2, 1.0 - k[2] * k[2] / k2,
                -k[0] * k[1] / k2, -k[0] * k[2] / k2, -k[1] * k[2] / k2}};
        waves.push_back(w);
      }
  const std::size_t nw = waves.size();
  // cos(k.(x_j - x_i)) = cos(k.x_i) cos(k.x_j) + sin(k.x_i) sin(k.x_j): one table of
  // phases per particle turns the wave sum of a pair into products (table kept below
  // 64 MB; beyond it the cosine is evaluated per pair).
  const bool table = n * nw <= (std::size_t{1} << 22);
  std::vector<double> cs(table ? n * nw : 0), sn(table ? n * nw : 0);
  if (table) {
#pragma omp parallel for schedule(static) if (n > 32)
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t w = 0; w < nw; ++w) {
        const double ph = waves[w].k[0] * x[3 * i] + waves[w].k[1] * x[3 * i + 1] +
                          waves[w].k[2] * x[3 * i + 2];
        cs[i * nw + w] = std::cos(ph);
        sn[i * nw + w] = std::sin(ph);
      }
  }
  const std::size_t ld = 3 * n;
  const double unit = 1.0 / (6.0 * kPi * eta);
#pragma omp parallel for schedule(dynamic, 1) if (n > 32)
  for (std::size_t i = 0; i < n; ++i) {
    const double ai = radii[i];
    for (std::size_t j = i; j < n; ++j) {
      const double aj = radii[j];
      const double s = 0.5 * (ai * ai + aj * aj);
      const double contact = ai + aj;
      double b6[6] = {0, 0, 0, 0, 0, 0};
      double d0[3];
      for (int p = 0; p < 3; ++p) {
        d0[p] = x[3 * j + p] - x[3 * i + p];
        d0[p] -= box * std::nearbyint(d0[p] / box);  // nearest image
      }
      for (int u = -nr; u <= nr; ++u) {
        const double dx = d0[0] + u * box;
        if (std::abs(dx) > r_cut) continue;  // the whole slab of images is out of range
        for (int v = -nr; v <= nr; ++v) {
          const double dy = d0[1] + v * box;
          if (dx * dx + dy * dy > r_cut * r_cut) continue;
          for (int w = -nr; w <= nr; ++w) {
            const double d[3] = {dx, dy, d0[2] + w * box};
            const double r = std::sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
            if (r > r_cut) continue;
            if (r < contact && xi * r < kSeriesLimit) {  // includes r = 0: the self block
              add_near_series(d, r * r, ai, aj, s, xi, eta, b6);
              continue;
            }
            if (r < contact)
              add_real_overlap(d, r, ai, aj, s, xi, eta, b6);
            else
              add_real(d, r, s, xi, b6);
          }
        }
      }
      if (table) {
        const double* ci = cs.data() + i * nw;
        const double* si = sn.data() + i * nw;
        const double* cj = cs.data() + j * nw;
        const double* sj = sn.data() + j * nw;
        for (std::size_t w = 0; w < nw; ++w) {
          const Wave& wv = waves[w];
          const double c = wv.base * (1.0 - s * wv.k2_third) * (ci[w] * cj[w] + si[w] * sj[w]);
          for (int p = 0; p < 6; ++p) b6[p] += c * wv.proj[p];
        }
      } else {
        for (const Wave& wv : waves) {
          const double c = wv.base * (1.0 - s * wv.k2_third) *
                           std::cos(wv.k[0] * d0[0] + wv.k[1] * d0[1] + wv.k[2] * d0[2]);
          for (int p = 0; p < 6; ++p) b6[p] += c * wv.proj[p];
        }
      }
      const double blk[9] = {b6[0], b6[3], b6[4], b6[3], b6[1], b6[5], b6[4], b6[5], b6[2]};
      for (int p = 0; p < 3; ++p)
        for (int q = 0; q < 3; ++q) {
          const double v = unit * blk[3 * p + q];
          out[(3 * i + p) * ld + 3 * j + q] = v;
          out[(3 * j + p) * ld + 3 * i + q] = v;  // M_ji = M_ij^T = M_ij (symmetric blocks)
        }
    }
  }
}

}  // namespace mesolith::bd
