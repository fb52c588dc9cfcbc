// Real-space part of the positively split Ewald (PSE) RPY mobility
// (Fiore, Balboa Usabiaga, Donev, Swan, J. Chem. Phys. 146, 124116, 2017).
//
// The periodic RPY mobility of equal spheres (radius a, viscosity mu) is split with
// the Hasimoto function H(k) = (1 + k^2 / (4 xi^2)) exp(-k^2 / (4 xi^2)):
//     M = M_wave + M_real,
//     M_wave(k) = sinc^2(k a) H(k) (I - k k / k^2) / (mu k^2)           (spectral),
//     M_real(r) = RPY(r) - W(r),   W = free-space inverse transform of M_wave(k).
// Both parts have non-negative Fourier transforms (H <= 1), so both are positive
// semi-definite. W(r) = A(r) I + b(r) r r^T with
//     A(r) = 1/(2 pi^2) int_0^inf s(k) [j0(kr) - j1(kr)/(kr)] dk,
//     b(r) = 1/(2 pi^2) int_0^inf s(k) k^2 [3 j1(x)/x - j0(x)] / x^2 dk,  x = k r,
//     s(k) = sinc^2(k a) H(k) / mu,
// evaluated once by the trapezoidal rule (spectrally accurate: the integrand is even
// and Gaussian-damped) on a table in r, interpolated with 4-point Lagrange polynomials.
// RPY(r) itself is the closed form of Zuk et al. (2014), overlaps included. For
// r >= 2a (no overlap, almost every pair) the whole of M_real is tabulated once more in
// s = r^2, so a pair costs one interpolation and no square root.
#pragma once

#include <cstddef>
#include <vector>

#include "mesolith/bd/pse_neighbours.hpp"

namespace mesolith::bd {

// j0(x) - j1(x)/x and (3 j1(x)/x - j0(x)) / x^2 (series near x = 0): the radial parts of
// the inverse transform of (I - k k/k^2) phi(k) / k^2.
void pse_radial_parts(double x, double& p, double& q);

class PsePolyRealKernel;

class PseRealKernel {
 public:
  // radius a, viscosity mu, split parameter xi (1/length), tolerance: the cut-off is
  // the distance beyond which |f| and |g| r^2 of M_real stay below tolerance / (6 pi mu a).
  PseRealKernel(double radius, double viscosity, double xi, double tolerance);

  double cutoff() const { return cutoff_; }
  double radius() const { return a_; }
  double xi() const { return xi_; }
  double viscosity() const { return mu_; }
  // M_real at separation r (r^2 given) as f I + g r r^T; r = 0 gives the self block.
  void coefficients(double r2, double& f, double& g) const;
  // The smooth part W(r) alone (for tests): A(r) and b(r).
  void wave_free_space(double r, double& a, double& b) const;

 private:
  double table_value(const std::vector<double>& t, double r) const;
  void tabulate_in_r2();
  double a_, mu_, xi_, cutoff_ = 0.0, step_ = 0.0;
  std::vector<double> ta_, tb_;  // A and b at r = i * step_
  double s_start_ = 0.0, s_step_ = 1.0, s_end_ = 0.0;
  std::vector<double> sf_, sg_;  // f and g of M_real at s = s_start_ + i * s_step_
};

// Sparse real-space operator for one configuration in a cubic periodic box.
class PseRealOperator {
 public:
  PseRealOperator(const PseRealKernel& kernel, const double* positions, std::size_t n,
                  double box);
  // Unequal radii (radii[i] within the kernel's [a_min, a_max]).
  PseRealOperator(const PsePolyRealKernel& kernel, const double* positions, const double* radii,
                  std::size_t n, double box);
  std::size_t size() const { return n_; }
  std::size_t dim() const { return 3 * n_; }
  std::size_t pairs() const;
  // u = M_real f (3N), each row summed in a fixed order.
  void apply(const double* f, double* u) const;

 private:
  // Rows [first, first + start.size() - 1) with their partners, kept as built (no copy).
  struct Chunk {
    std::size_t first = 0;
    std::vector<std::size_t> start;  // local row offsets
    std::vector<std::uint32_t> idx;
    std::vector<double> coef;  // per entry: f, g, dx, dy, dz
  };
  template <class Pair>
  void build(const PeriodicCells& cells, double cutoff, double box, Pair&& pair);
  std::size_t n_;
  std::vector<double> self_;  // per particle
  std::vector<Chunk> chunks_;
};

}  // namespace mesolith::bd
