// Brownian displacements: correlated Gaussian vectors B w with B B^T = M.
//
// w is drawn from the counter-based generator keyed by (seed, particle, step),
// three normals per particle, so the noise of a particle never depends on the
// thread that drew it. B w comes from a dense Cholesky factor (small N) or
// from the matrix-free Krylov/Lanczos approximation of M^{1/2} w
// (Ando, Chow, Saad, Skolnick, J. Chem. Phys. 137, 064106, 2012).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "mesolith/bd/rpy.hpp"

namespace mesolith::bd {

// Three standard normals per particle into w (3 n), from
// rng::Stream::for_step(seed, particle, step).
void standard_normals(std::uint64_t seed, std::uint64_t step, std::size_t n, double* w);

enum class NoiseMethod { Cholesky = 0, Lanczos = 1 };

struct LanczosOptions {
  double tolerance = 1e-4;  // stop when |y_k - y_{k-1}| / |y_k| < tolerance
  int max_iterations = 200;
};

struct LanczosReport {
  int iterations = 0;
  double error_estimate = 0.0;  // the last relative change |y_k - y_{k-1}| / |y_k|
  bool converged = false;
};

// y = M^{1/2} w by Lanczos with the Ando et al. stopping rule.
LanczosReport lanczos_sqrt(const Mobility& m, const double* w, double* y,
                           const LanczosOptions& opt);

// The same for any symmetric positive semi-definite operator y = A x of dimension dim
// (the real-space part of the PSE mobility uses it).
using LinearOperator = std::function<void(const double*, double*)>;
LanczosReport lanczos_sqrt(const LinearOperator& apply, std::size_t dim, const double* w,
                           double* y, const LanczosOptions& opt);

// y = L w with L the Cholesky factor of the dense mobility.
void cholesky_sqrt(const Mobility& m, const double* w, double* y);

// y = M^{1/2} w for the free-draining (diagonal) mobility.
void diagonal_sqrt(const Mobility& m, const double* w, double* y);

}  // namespace mesolith::bd
