// Positively split Ewald (PSE) RPY mobility for spheres of unequal radii.
//
// For non-overlapping spheres the polydisperse RPY block is
//     (1 + a_i^2 lap / 6)(1 + a_j^2 lap / 6) Oseen(r),
// whose Fourier transform is t_i(k) t_j(k) (I - k k / k^2) / (mu k^2), t_i = 1 - k^2 a_i^2 / 6.
// The Hasimoto split H(k) = (1 + k^2/(4 xi^2)) exp(-k^2/(4 xi^2)) gives
//     M_wave(k)_ij = t_i(k) t_j(k) H(k) (I - k k / k^2) / (mu k^2)      (= sum_k B_i B_j^T),
//     M_real(r)_ij = RPY_ij(r) - W_ij(r),
//     W_ij = T_0 - (a_i^2 + a_j^2)/6 T_1 + a_i^2 a_j^2/36 T_2,
// with T_n the free-space inverse transform of k^(2n) H(k) (I - k k/k^2) / (mu k^2),
// tabulated once per xi (independent of the radii) as in pse_real.hpp. RPY_ij(r) is the
// closed form of Zuk et al. (2014), overlaps and r = 0 included, so M_wave + M_real is the
// periodic RPY mobility for every configuration. The wave part is positive semi-definite
// for any radii; the real part is checked numerically (docs/theory/bd.md).
//
// The wave product needs two spread fields, F_j and a_j^2 F_j, combined on the grid as
// F(k) - k^2/6 (a^2 F)(k), and two interpolated fields, v(k) and k^2 v(k), combined per
// particle as v_i - a_i^2/6 (k^2 v)_i (pse_scale_poly).
#pragma once

#include <complex>
#include <cstddef>
#include <vector>

#include "mesolith/bd/pse_wave.hpp"

namespace mesolith::bd {

class PsePolyRealKernel {
 public:
  // radii in [a_min, a_max], viscosity mu, split xi; the cut-off is the distance beyond
  // which |f| and |g| r^2 of every pair's M_real stay below tolerance / (6 pi mu a_max).
  PsePolyRealKernel(double a_min, double a_max, double viscosity, double xi, double tolerance);

  double cutoff() const { return cutoff_; }
  double xi() const { return xi_; }
  double a_min() const { return a_min_; }
  double a_max() const { return a_max_; }
  // M_real of the pair (a_i, a_j) at separation r (r^2 given) as f I + g r r^T; r = 0 and
  // a_i = a_j give the self block.
  void coefficients(double r2, double ai, double aj, double& f, double& g) const;
  // The smooth part W_ij(r) alone (for tests): A I + b r r^T.
  void wave_free_space(double r, double ai, double aj, double& a, double& b) const;

 private:
  double table_value(const std::vector<double>& t, double r) const;
  double a_min_, a_max_, mu_, xi_, cutoff_ = 0.0, step_ = 0.0;
  std::vector<double> ta_[3], tb_[3];  // A_n, b_n of T_n at r = i * step_
};

// Scalar factor H(k) exp(eta k^2/(4 xi^2)) / (mu k^2) on the real-transform grid
// (M, M, M/2 + 1), i.e. pse_green without the sinc^2 factor.
void pse_green_bare(const PseGrid& g, double viscosity, double* green);

// In place on two transformed grids (3, M, M, M/2 + 1) each:
//   v = c(k) (I - k k/k^2) (fa - k^2/6 fb)   (combine = true; fb is the spread a^2 F)
//   v = c(k) (I - k k/k^2) fa                (combine = false; noise)
// then fa <- v and fb <- k^2 v. c = green or sqrt(green) (square_root).
void pse_scale_poly(const PseGrid& g, const double* green, bool square_root, bool combine,
                    std::complex<double>* fa, std::complex<double>* fb);

}  // namespace mesolith::bd
