// Exact Euclidean distance transform and local thickness (pore / particle size distributions).
#pragma once

#include <cstdint>
#include <vector>

#include "mesolith/micro/grid.hpp"

namespace mesolith::micro {

// Squared Euclidean distance (voxel units) from every voxel centre with mask != 0 to the
// nearest voxel centre with mask == 0 (0 on background voxels, +inf when the volume holds no
// background). Separable exact transform (Felzenszwalb & Huttenlocher, Theory Comput. 8, 415,
// 2012): one lower envelope of parabolas per line and axis. The box edge is not background.
std::vector<double> squared_distance(const std::uint8_t* mask, const Shape& shape);

// Local thickness (Hildebrand & Rueegsegger, J. Microsc. 185, 67, 1997): for every voxel of
// the mask, the diameter of the largest ball inside the mask that contains it. Balls are
// centred on voxel centres with radius equal to the EDT there (distance to the nearest
// background voxel centre); voxels outside the mask get 0. In voxel units; thread-independent.
// Resolution: a slab of even thickness t gives t, odd t + 1; a digitised ball of radius R
// gives about 2 R - 0.9 (its centre rarely falls on a voxel centre).
std::vector<float> local_thickness(const std::uint8_t* mask, const Shape& shape);

}  // namespace mesolith::micro
