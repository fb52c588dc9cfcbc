// Polydisperse, overlap-corrected Rotne-Prager-Yamakawa mobility in free space
// (Zuk, Wajnryb, Mizerski, Szymczak, J. Fluid Mech. 741, R5, 2014).
//
// The 3x3 translational block between spheres i and j is written as
//     M_ij = f(r) I + g(r) r r^T          (r = x_j - x_i, not normalised)
// so that a matrix-vector product needs only f, g and one dot product per pair.
// Any consistent units work; the engine passes reduced units (see bd/system.hpp).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

namespace mesolith::bd {

constexpr double kPi = 3.14159265358979323846;

// Coefficients (f, g) of one pair block. Branches are chosen on r^2 so that the
// self block (r = 0, a_i = a_j) falls into the "one sphere inside the other"
// branch, which gives exactly 1 / (6 pi eta a). Written branch-free so the
// compiler can vectorise loops that call it.
struct RpyCoefficients {
  double f;
  double g;
};

// 1 / sqrt(x) for x > 0 to full double precision. With -fno-math-errno (GCC then
// defines __NO_MATH_ERRNO__) this is 1 / std::sqrt(x), which vectorises. Otherwise
// std::sqrt's errno handling would keep the pair loop scalar, so a bit-level first
// guess (relative error < 3.5 %) is refined by four Newton steps, each squaring
// the relative error (3.5e-2 -> 1.8e-3 -> 5e-6 -> 4e-11 -> rounding level).
inline double inverse_sqrt(double x) {
#if defined(__NO_MATH_ERRNO__)
  return 1.0 / std::sqrt(x);
#else
  std::uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  bits = 0x5fe6eb50c7b537a9ULL - (bits >> 1);
  double y;
  std::memcpy(&y, &bits, sizeof y);
  const double half = 0.5 * x;
  y = y * (1.5 - half * y * y);
  y = y * (1.5 - half * y * y);
  y = y * (1.5 - half * y * y);
  y = y * (1.5 - half * y * y);
  return y;
#endif
}

// inv_ai, inv_aj: 1 / a (precomputed so that the pair loop has one division).
inline RpyCoefficients rpy_coefficients(double r2, double ai, double aj, double inv_ai,
                                        double inv_aj, double eta) {
  const double r2s = r2 > 1e-300 ? r2 : 1e-300;  // keeps the unused branches finite at r = 0
  const double inv_r = inverse_sqrt(r2s);
  const double r = r2s * inv_r;
  const double inv_r2 = inv_r * inv_r;
  const double sum = ai + aj;
  const double dif = ai - aj;
  const double dif2 = dif * dif;
  const double q = ai * ai + aj * aj;
  const double c8 = 1.0 / (8.0 * kPi * eta);
  const double c192 = inv_ai * inv_aj / (192.0 * kPi * eta);
  // r > a_i + a_j: classical RPY
  const double f_far = (1.0 + q * inv_r2 * (1.0 / 3.0)) * inv_r * c8;
  const double g_far = (1.0 - q * inv_r2) * inv_r * inv_r2 * c8;
  // |a_i - a_j| < r <= a_i + a_j: partially overlapping spheres
  const double t = dif2 + 3.0 * r2s;
  const double u = dif2 - r2s;
  const double f_mid = (16.0 * r2s * r * sum - t * t) * inv_r * inv_r2 * c192;
  const double g_mid = 3.0 * u * u * inv_r2 * inv_r2 * inv_r * c192;
  // r <= |a_i - a_j|: the smaller sphere inside the larger one moves with it
  const double f_in = (inv_ai < inv_aj ? inv_ai : inv_aj) / (6.0 * kPi * eta);
  const bool far = r2 > sum * sum;
  const bool mid = r2 > dif2;
  return {far ? f_far : (mid ? f_mid : f_in), far ? g_far : (mid ? g_mid : 0.0)};
}

inline RpyCoefficients rpy_coefficients(double r2, double ai, double aj, double eta) {
  return rpy_coefficients(r2, ai, aj, 1.0 / ai, 1.0 / aj, eta);
}

// How the mobility couples particles.
enum class Hydrodynamics { FreeDraining = 0, Rpy = 1 };

// Mobility of N spheres. Positions are copied to structure-of-arrays form so
// that the pair loops run over contiguous arrays.
class Mobility {
 public:
  // positions: N x 3 row-major; radii: N; eta: viscosity.
  Mobility(const double* positions, const double* radii, std::size_t n, double eta,
           Hydrodynamics hydro = Hydrodynamics::Rpy);

  std::size_t size() const { return n_; }
  std::size_t dim() const { return 3 * n_; }
  double viscosity() const { return eta_; }
  Hydrodynamics hydrodynamics() const { return hydro_; }
  double radius(std::size_t i) const { return a_[i]; }

  // Dense 3N x 3N matrix, row-major, into out (size 9 N^2).
  void dense(double* out) const;

  // u = M f (both 3N, particle-major: x0 y0 z0 x1 ...). Matrix-free, O(N^2) pair
  // terms for RPY, parallel over rows, each row summed in a fixed order.
  void apply(const double* f, double* u) const;

  // The 3x3 block (row-major) between particles i and j.
  void block(std::size_t i, std::size_t j, double* out9) const;

 private:
  std::size_t n_;
  double eta_;
  Hydrodynamics hydro_;
  std::vector<double> x_, y_, z_, a_, inv_a_;
};

}  // namespace mesolith::bd
