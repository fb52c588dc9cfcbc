// Connectivity of a phase: flood fill from a face, percolation between two opposite faces.
#pragma once

#include <cstddef>
#include <cstdint>

#include "mesolith/micro/grid.hpp"

namespace mesolith::micro {

// Marks (out[i] = 1) every voxel with mask != 0 that is 6-connected to a masked voxel on the
// face `side` (0: coordinate 0, 1: coordinate n-1) of `axis`. Returns the number marked.
// With periodic (may be null) the axes with periodic[a] wrap around.
std::size_t reach_from_face(const std::uint8_t* mask, const Shape& shape, int axis, int side,
                            std::uint8_t* out, const bool* periodic = nullptr);

// Marks the voxels whose 6-connected component of the mask touches both faces of `axis`
// (the percolating, or spanning, cluster). Returns the number marked; 0 means no percolation.
std::size_t spanning_cluster(const std::uint8_t* mask, const Shape& shape, int axis,
                             std::uint8_t* out, const bool* periodic = nullptr);

// Percolation of the mask along all three axes at once (no periodic wrap): out[a] is true
// when a 6-connected component of the mask touches both faces normal to axis a. One
// union-find labelling serves the three axes, where spanning_cluster floods twice per axis.
void percolation_axes(const std::uint8_t* mask, const Shape& shape, bool out[3]);

}  // namespace mesolith::micro
