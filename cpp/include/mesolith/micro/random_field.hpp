// Gaussian random fields on the voxel grid, for excursion-set and plurigaussian structures.
#pragma once

#include <cstdint>
#include <vector>

#include "mesolith/micro/grid.hpp"

namespace mesolith::micro {

// A stationary Gaussian random field with zero mean and unit variance, periodic along all
// axes: white noise (one standard normal per voxel, from rng::Stream(seed, stream, voxel
// index)) convolved with a separable Gaussian kernel of standard deviation `kernel_sigma`
// voxels (truncated at 4 sigma, weights normalised), then scaled to unit variance by the
// exact discrete factor. Its covariance is close to exp(-r^2 / (4 kernel_sigma^2)).
// Independent of the thread count.
std::vector<float> gaussian_field(const Shape& shape, double kernel_sigma, std::uint64_t seed,
                                  std::uint64_t stream);

}  // namespace mesolith::micro
