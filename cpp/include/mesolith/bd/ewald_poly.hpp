// Rotne-Prager-Yamakawa mobility of spheres of unequal radii in a cubic periodic box:
// Beenakker's Ewald sum (J. Chem. Phys. 85, 1581, 1986) generalised to a polydisperse
// suspension, with the overlap correction of Zuk et al. (J. Fluid Mech. 741, R5, 2014)
// for every image closer than a_i + a_j.
//
// In Fourier space the far-field RPY block of spheres i and j is
//     (1 / (eta k^2)) (I - k k^T / k^2) (1 - k^2 (a_i^2 + a_j^2) / 6),
// i.e. the equal-sphere form with a^2 replaced by s_ij = (a_i^2 + a_j^2) / 2. The real-
// and wave-space sums are therefore Beenakker's with a^2 -> s_ij, prefactor 1/(6 pi eta);
// the self block of particle i uses s_ii = a_i^2 and its own Stokes mobility.
#pragma once

#include <cstddef>

#include "mesolith/bd/ewald.hpp"

namespace mesolith::bd {

// Dense 3N x 3N periodic mobility (row-major; SI if the inputs are SI).
// positions: N x 3; radii: N (all > 0, box > 2 max radius); eta: viscosity; box: edge L.
// Rows are computed independently (OpenMP), so the result does not depend on the
// thread count. The matrix is exactly symmetric (each block pair is computed once).
void ewald_rpy_dense_poly(const double* positions, const double* radii, std::size_t n,
                          double eta, double box, const EwaldOptions& opt, double* out);

}  // namespace mesolith::bd
