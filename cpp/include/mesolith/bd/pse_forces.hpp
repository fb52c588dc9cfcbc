// Conservative pair forces in a cubic periodic box (minimum image through the periodic
// neighbour list), for the PSE dynamics: the same pair_term (contact repulsion + DLVO)
// and constant external forces as ForceField, without walls or bonds.
#pragma once

#include <cstddef>

#include "mesolith/bd/forces.hpp"

namespace mesolith::bd {

// Writes forces (n x 3) and returns the pair energy (external work not included: it has
// no single value under periodic wrapping).
double periodic_pair_forces(const double* positions, std::size_t n, double box,
                            const double* radii, const int* species, const double* external,
                            const ForceParams& params, double* forces);

}  // namespace mesolith::bd
