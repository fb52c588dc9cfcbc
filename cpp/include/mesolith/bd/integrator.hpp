// Ermak-McCammon Brownian dynamics (Ermak & McCammon, J. Chem. Phys. 69, 1352, 1978):
//     r(t + dt) = r + M F dt + kT (div M) dt + sqrt(2 kT dt) B w + u_shear(r) dt,
// with B B^T = M. For the free-space RPY tensor of Zuk et al. (2014) div M = 0
// on every branch, so the drift term is omitted there. Near a wall it is not zero:
// with the wall mobility on (free-draining, wall_mobility.hpp) the drift
// kT d mu_perp/dz is added.
// The imposed simple shear u_shear = (shear_rate z, 0, 0) is added to the
// velocity (no stresslet coupling).
//
// Safeguard: a particle's deterministic displacement M F dt is shortened to
// max_drift when it is longer (stiff contact forces with too large a dt). Each
// shortened displacement is counted (drift_limited()); a run where the count
// stays zero is plain Ermak-McCammon.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "mesolith/bd/forces.hpp"
#include "mesolith/bd/noise.hpp"
#include "mesolith/bd/rpy.hpp"

namespace mesolith::bd {

struct IntegratorParams {
  double kT = 1.0;
  double viscosity = 1.0;
  double dt = 1e-3;
  double shear_rate = 0.0;
  double max_drift = 0.0;  // <= 0: no limit
  Hydrodynamics hydrodynamics = Hydrodynamics::Rpy;
  NoiseMethod noise = NoiseMethod::Lanczos;
  LanczosOptions lanczos{};
  std::uint64_t seed = 0;
  // Single-sphere no-slip wall mobility at z = 0 (free-draining only; wall_mobility.hpp),
  // with its Ermak-McCammon drift kT div M unless wall_drift is false.
  bool wall_mobility = false;
  bool wall_drift = true;
};

class Integrator {
 public:
  Integrator(std::vector<double> positions, ForceField forces, IntegratorParams params,
             std::uint64_t first_step = 0);

  // Switch the wall-corrected free-draining mobility on or off (defined in wall_mobility.cpp).
  void set_wall_mobility(bool enabled, bool with_drift = true);

  // Advance `steps` steps.
  void run(std::size_t steps);

  const std::vector<double>& positions() const { return x_; }
  std::uint64_t step() const { return step_; }
  const ForceField& force_field() const { return forces_; }
  ForceField& force_field() { return forces_; }
  double last_energy() const { return energy_; }
  int last_lanczos_iterations() const { return lanczos_iterations_; }
  std::size_t bonds_formed() const { return formed_; }
  std::size_t bonds_broken() const { return broken_; }
  std::size_t drift_limited() const { return limited_; }

 private:
  void one_step();

  std::vector<double> x_;
  ForceField forces_;
  IntegratorParams p_;
  std::uint64_t step_;
  std::vector<double> f_, u_, w_, bw_;
  double energy_ = 0.0;
  int lanczos_iterations_ = 0;
  std::size_t formed_ = 0, broken_ = 0, limited_ = 0;
};

}  // namespace mesolith::bd
