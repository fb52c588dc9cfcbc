// Shape and indexing of a labelled voxel volume shared by the micro engine.
// Volumes are C-ordered arrays indexed [x][y][z]: z is the fastest index.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace mesolith::micro {

struct Shape {
  std::int64_t nx = 0, ny = 0, nz = 0;

  std::size_t size() const { return static_cast<std::size_t>(nx * ny * nz); }
  std::int64_t extent(int axis) const { return axis == 0 ? nx : axis == 1 ? ny : nz; }
  // Distance in the flat array between neighbours along an axis.
  std::int64_t stride(int axis) const { return axis == 0 ? ny * nz : axis == 1 ? nz : 1; }
  std::size_t index(std::int64_t x, std::int64_t y, std::int64_t z) const {
    return static_cast<std::size_t>((x * ny + y) * nz + z);
  }
  // Coordinate of flat index i along an axis.
  std::int64_t coord(std::size_t i, int axis) const {
    const auto k = static_cast<std::int64_t>(i);
    if (axis == 2) return k % nz;
    if (axis == 1) return (k / nz) % ny;
    return k / (ny * nz);
  }
};

inline void check_shape(const Shape& s) {
  if (s.nx < 1 || s.ny < 1 || s.nz < 1)
    throw std::invalid_argument("volume shape must be at least 1 voxel along every axis");
}

inline void check_axis(int axis) {
  if (axis < 0 || axis > 2)
    throw std::invalid_argument("axis = " + std::to_string(axis) + ": must be 0, 1 or 2");
}

}  // namespace mesolith::micro
