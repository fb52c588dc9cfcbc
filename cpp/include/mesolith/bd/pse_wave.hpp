// Wave-space part of the positively split Ewald (PSE) RPY mobility (Fiore et al.,
// J. Chem. Phys. 146, 124116, 2017), by spectral Ewald with Gaussian spreading
// (Lindbo and Tornberg, J. Comput. Phys. 229, 8994, 2010; J. Chem. Phys. 136, 164111, 2012).
//
// With a Gaussian G(r) = (2 xi^2 / (pi eta))^{3/2} exp(-2 xi^2 r^2 / eta), whose
// transform is exp(-eta k^2 / (8 xi^2)), the wave-space product on an M^3 grid of
// spacing h = L / M is
//     u_i = h^3 sum_g G(x_g - x_i) [IFFT( K(k) FFT( sum_j G(x_g - x_j) F_j ) )](x_g),
//     K(k) = sinc^2(k a) (1 + k^2/(4 xi^2)) exp(-(1 - eta) k^2 / (4 xi^2)) (I - k k/k^2)/(mu k^2),
// K(0) = 0 (no net flow) and K = 0 on the Nyquist planes (keeps the real transform exact).
// The Brownian part replaces the spread forces by h^{-3/2} z, z white noise on the grid,
// and K by K^{1/2} (the projector is idempotent): its covariance is exactly the
// operator above. The FFTs are done by the caller (scipy.fft); these are the kernels.
#pragma once

#include <complex>
#include <cstddef>
#include <cstdint>

namespace mesolith::bd {

struct PseGrid {
  std::size_t m = 0;     // grid points per edge
  int support = 0;       // P: Gaussian support in grid points per direction
  double box = 0.0;      // L
  double xi = 0.0;       // Ewald split parameter
  double eta = 0.0;      // Gaussian width parameter (0 < eta < 1)
  double spacing() const { return box / static_cast<double>(m); }
};

// grid (3, M, M, M) = sum_j G(x_g - x_j) F_j (periodic, truncated to P^3 points).
// Deterministic for any thread count (particles binned into slabs processed in two phases).
void pse_spread(const PseGrid& g, const double* positions, std::size_t n, const double* forces,
                double* grid);

// u_i = h^3 sum_g G(x_g - x_i) field(x_g), field (3, M, M, M), u (n, 3).
void pse_interpolate(const PseGrid& g, const double* positions, std::size_t n,
                     const double* field, double* u);

// Scalar factor of K(k) on the real-transform grid (M, M, M/2 + 1), radius a, viscosity mu.
void pse_green(const PseGrid& g, double radius, double viscosity, double* green);

// In place on the transformed grid (3, M, M, M/2 + 1): v <- c(k) (I - k k/k^2) v with
// c = green (square_root = false) or sqrt(green) (square_root = true).
void pse_scale(const PseGrid& g, const double* green, bool square_root,
               std::complex<double>* fk);

// White noise for the wave-space Brownian part: 3 M^3 standard normals on the grid,
// from rng::Stream::for_step(seed, kPseGridStream + x M + y, step), one stream per grid row.
constexpr std::uint64_t kPseGridStream = 1ULL << 48;
void pse_grid_normals(const PseGrid& g, std::uint64_t seed, std::uint64_t step, double* grid);

}  // namespace mesolith::bd
