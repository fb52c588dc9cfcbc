// Interface area per unit volume between phase pairs, by the Cauchy-Crofton formula
// S_V = 2 <P_L> (Ohser & Muecklich 2000): intersections per unit length P_L(d) are counted
// along the 13 lattice directions of the 26-neighbourhood (axes, face and body diagonals) and
// averaged with the spherical-Voronoi weights of those directions (Lang, Ohser & Hilfer 2001).
// Unlike a voxel-face count (1.5x too high for isotropic surfaces) the estimate is unbiased
// for isotropic structures up to the sampling of the test lines: two crossings closer than one
// step cancel, a bias of first order in the step (pore wedges at sphere-sphere creases).
// The extrapolated variant counts along the same lines at steps 1 and 2 and removes that
// first-order term, P_L = 2 P_L(h) - P_L(2h) (Richardson; derivation in docs/theory/micro.md).
#pragma once

#include <cstdint>
#include <vector>

#include "mesolith/micro/grid.hpp"

namespace mesolith::micro {

struct InterfaceOptions {
  // Richardson-extrapolate the line counts of steps 1 and 2 to step 0.
  bool extrapolate = false;
  // Test lines wrap around every axis (periodic structures); otherwise each direction uses
  // the voxel pairs (or step-2 segments) that lie inside the volume.
  bool periodic = false;
};

// Returns a n_labels x n_labels symmetric matrix (row-major) of interface area per unit
// volume in 1/voxel units between labels a != b; labels must be < n_labels.
// Without periodic wrap, extrapolate needs every axis of length >= 3 (or exactly 1).
std::vector<double> interface_density(const std::uint8_t* labels, const Shape& shape,
                                      int n_labels, const InterfaceOptions& options = {});

}  // namespace mesolith::micro
