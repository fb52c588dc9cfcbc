// Self-mobility of a sphere near a plane no-slip wall at z = 0, in units of the
// free-space mobility mu_0 = 1 / (6 pi eta a):
//   parallel:      Faxen's method-of-reflections series (Happel & Brenner, Low
//                  Reynolds Number Hydrodynamics, 1965, eq. 7-4.28), x = a / z:
//                    mu_par = 1 - 9/16 x + 1/8 x^3 - 45/256 x^4 - 1/16 x^5;
//   perpendicular: the rational fit of Bevan & Prieve (J. Chem. Phys. 113, 1228,
//                  2000) to Brenner's exact series (Chem. Eng. Sci. 16, 242, 1961),
//                  h = z - a the surface gap:
//                    mu_perp = (6 h^2 + 2 a h) / (6 h^2 + 9 a h + 2 a^2).
// Pair hydrodynamics are not included (free-draining particles, each with its own
// wall correction); the Rotne-Prager-Blake tensor of Swan & Brady (Phys. Fluids 19,
// 113306, 2007) would add the wall-reflected pair terms.
//
// Because mu_perp depends on z, the Ermak-McCammon drift kT (div M) = kT d mu_perp/dz e_z
// is not zero: without it the Ito update samples exp(-U/kT) / mu_perp, which piles
// particles up against the wall, instead of the Boltzmann distribution exp(-U/kT).
#pragma once

#include <cstddef>

namespace mesolith::bd {

// Smallest gap (in units of a) used in the formulas: the WCA wall keeps particles
// off contact, the clamp only keeps the mobility positive if one gets through.
constexpr double kWallMinGap = 1e-4;

struct WallMobility {
  double parallel = 1.0;       // mu_par / mu_0
  double perpendicular = 1.0;  // mu_perp / mu_0
  double dperp_dz = 0.0;       // d(mu_perp / mu_0) / dz, per unit length
};

// Wall-corrected self-mobility of a sphere of radius a at height z above the wall.
WallMobility wall_mobility(double z, double a);

// Free-draining update terms near the wall, for N particles:
//   drift[3i..]  = mu_i F_i + kT d mu_perp/dz e_z   (if with_drift, else without the last term)
//   noise[3i..]  = mu_i^(1/2) w_i                   (B w with B B^T = M, M diagonal)
// with mu_i = diag(mu_par, mu_par, mu_perp) / (6 pi eta a_i).
void wall_free_draining(const double* positions, const double* radii, std::size_t n,
                        double viscosity, double kT, const double* forces, const double* w,
                        bool with_drift, double* drift, double* noise);

}  // namespace mesolith::bd
