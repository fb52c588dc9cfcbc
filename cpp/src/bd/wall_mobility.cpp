#include "mesolith/bd/wall_mobility.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "mesolith/bd/integrator.hpp"
#include "mesolith/bd/rpy.hpp"

namespace mesolith::bd {

WallMobility wall_mobility(double z, double a) {
  const double h = std::max(z - a, kWallMinGap * a);
  const double x = a / (h + a);
  const double x3 = x * x * x;
  WallMobility m;
  m.parallel = 1.0 - 9.0 / 16.0 * x + 0.125 * x3 - 45.0 / 256.0 * x3 * x - 0.0625 * x3 * x * x;
  const double num = 6.0 * h * h + 2.0 * a * h;
  const double den = 6.0 * h * h + 9.0 * a * h + 2.0 * a * a;
  m.perpendicular = num / den;
  // Inside the clamp the mobility is constant, so its derivative is zero there.
  m.dperp_dz = z - a > kWallMinGap * a
                   ? ((12.0 * h + 2.0 * a) * den - num * (12.0 * h + 9.0 * a)) / (den * den)
                   : 0.0;
  return m;
}

void wall_free_draining(const double* positions, const double* radii, std::size_t n,
                        double viscosity, double kT, const double* forces, const double* w,
                        bool with_drift, double* drift, double* noise) {
#pragma omp parallel for schedule(static)
  for (long long ii = 0; ii < static_cast<long long>(n); ++ii) {
    const auto i = static_cast<std::size_t>(ii);
    const double a = radii[i];
    const double mu0 = 1.0 / (6.0 * kPi * viscosity * a);
    const WallMobility m = wall_mobility(positions[3 * i + 2], a);
    const double mu[3] = {m.parallel * mu0, m.parallel * mu0, m.perpendicular * mu0};
    for (int k = 0; k < 3; ++k) {
      drift[3 * i + k] = mu[k] * forces[3 * i + k];
      noise[3 * i + k] = std::sqrt(mu[k]) * w[3 * i + k];
    }
    if (with_drift) drift[3 * i + 2] += kT * m.dperp_dz * mu0;
  }
}

void Integrator::set_wall_mobility(bool enabled, bool with_drift) {
  if (enabled && p_.hydrodynamics != Hydrodynamics::FreeDraining)
    throw std::invalid_argument(
        "wall mobility: only with hydrodynamics = 'none' (pair hydrodynamics near a wall, "
        "the Rotne-Prager-Blake tensor, is not implemented)");
  p_.wall_mobility = enabled;
  p_.wall_drift = with_drift;
}

}  // namespace mesolith::bd
