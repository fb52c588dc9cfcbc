// Rotne-Prager-Yamakawa mobility of equal spheres in a cubic periodic box, by the
// Ewald sum of Beenakker (J. Chem. Phys. 85, 1581, 1986), with the overlap
// correction of Zuk et al. (2014) for pairs closer than 2a (nearest image).
//
// M_ij = sum_n M_real(r_ij + n L) + (1/L^3) sum_{k != 0} M_recip(k) cos(k . r_ij)
//        + delta_ij M_self,
// in units of 1/(6 pi eta a); the k = 0 term is left out (no net flow through the
// box). The split parameter xi moves work between the two sums but not the result.
#pragma once

#include <cstddef>

namespace mesolith::bd {

struct EwaldOptions {
  double xi = 0.0;          // split parameter; <= 0: the kernel's default (sqrt(pi) / L equal, 3 / L polydisperse)
  double tolerance = 1e-12;  // truncation of both sums (relative)
};

// Dense 3N x 3N periodic mobility (row-major, SI if the inputs are SI).
// positions: N x 3, radius a, viscosity eta, box edge L.
void ewald_rpy_dense(const double* positions, std::size_t n, double radius, double eta,
                     double box, const EwaldOptions& opt, double* out);

}  // namespace mesolith::bd
