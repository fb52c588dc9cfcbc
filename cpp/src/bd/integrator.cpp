#include "mesolith/bd/integrator.hpp"

#include <cmath>
#include <stdexcept>

#include "mesolith/bd/wall_mobility.hpp"

namespace mesolith::bd {

Integrator::Integrator(std::vector<double> positions, ForceField forces, IntegratorParams params,
                       std::uint64_t first_step)
    : x_(std::move(positions)), forces_(std::move(forces)), p_(params), step_(first_step) {
  const std::size_t n = forces_.size();
  if (x_.size() != 3 * n) throw std::invalid_argument("positions must be N x 3");
  if (!(p_.dt > 0.0) || !(p_.kT > 0.0) || !(p_.viscosity > 0.0))
    throw std::invalid_argument("dt, kT and viscosity must be > 0");
  f_.resize(3 * n);
  u_.resize(3 * n);
  w_.resize(3 * n);
  bw_.resize(3 * n);
}

void Integrator::run(std::size_t steps) {
  for (std::size_t s = 0; s < steps; ++s) one_step();
}

void Integrator::one_step() {
  const std::size_t n = forces_.size();
  const std::size_t d = 3 * n;
  energy_ = forces_.compute(x_.data(), f_.data());
  const Mobility m(x_.data(), forces_.radii().data(), n, p_.viscosity, p_.hydrodynamics);
  m.apply(f_.data(), u_.data());
  standard_normals(p_.seed, step_, n, w_.data());
  if (p_.hydrodynamics == Hydrodynamics::FreeDraining) {
    diagonal_sqrt(m, w_.data(), bw_.data());
  } else if (p_.noise == NoiseMethod::Cholesky) {
    cholesky_sqrt(m, w_.data(), bw_.data());
  } else {
    const LanczosReport rep = lanczos_sqrt(m, w_.data(), bw_.data(), p_.lanczos);
    lanczos_iterations_ = rep.iterations;
    if (!rep.converged)
      throw std::runtime_error("Lanczos noise did not converge: raise max_iterations or tolerance");
  }
  if (p_.wall_mobility)  // replaces M F and B w by their wall-corrected forms, adds kT div M
    wall_free_draining(x_.data(), forces_.radii().data(), n, p_.viscosity, p_.kT, f_.data(),
                       w_.data(), p_.wall_drift, u_.data(), bw_.data());
  const double noise = std::sqrt(2.0 * p_.kT * p_.dt);
  for (std::size_t q = 0; q < d; ++q) u_[q] *= p_.dt;  // u_ now holds the drift M F dt
  if (p_.max_drift > 0.0) {
    for (std::size_t i = 0; i < n; ++i) {
      const double len = std::sqrt(u_[3 * i] * u_[3 * i] + u_[3 * i + 1] * u_[3 * i + 1] +
                                   u_[3 * i + 2] * u_[3 * i + 2]);
      if (len > p_.max_drift) {
        const double s = p_.max_drift / len;
        for (int k = 0; k < 3; ++k) u_[3 * i + k] *= s;
        ++limited_;
      }
    }
  }
  for (std::size_t q = 0; q < d; ++q) x_[q] += u_[q] + noise * bw_[q];
  if (p_.shear_rate != 0.0) {
    // Flow evaluated at the start-of-step heights, already moved: use the old z = new z - dz.
    for (std::size_t i = 0; i < n; ++i) {
      const double z_old = x_[3 * i + 2] - (u_[3 * i + 2] + noise * bw_[3 * i + 2]);
      x_[3 * i] += p_.shear_rate * z_old * p_.dt;
    }
  }
  const auto fb = forces_.update_bonds(x_.data());
  formed_ += fb.first;
  broken_ += fb.second;
  ++step_;
}

}  // namespace mesolith::bd
