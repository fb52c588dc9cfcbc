// Crofton intercept-count estimate of interface area per unit volume (13 directions).
#include "mesolith/micro/surface.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <stdexcept>

namespace mesolith::micro {
namespace {

struct Direction {
  int dx, dy, dz;
  double weight;  // fraction of the unit sphere closest to +/- this direction
};

// Spherical-Voronoi areas of the 26 neighbour directions (as fractions of the sphere),
// Lang, Ohser & Hilfer (2001): 0.04577789 (axes), 0.03698063 (face diagonals),
// 0.03519564 (body diagonals); each of the 13 lines counts both of its directions.
constexpr double kAxis = 2 * 0.04577789120476;
constexpr double kFace = 2 * 0.03698062787608;
constexpr double kBody = 2 * 0.03519563978232;

constexpr std::array<Direction, 13> kDirections{{
    {1, 0, 0, kAxis},  {0, 1, 0, kAxis},   {0, 0, 1, kAxis},  {1, 1, 0, kFace},
    {1, -1, 0, kFace}, {1, 0, 1, kFace},   {1, 0, -1, kFace}, {0, 1, 1, kFace},
    {0, 1, -1, kFace}, {1, 1, 1, kBody},   {1, 1, -1, kBody}, {1, -1, 1, kBody},
    {1, -1, -1, kBody},
}};

}  // namespace

std::vector<double> interface_density(const std::uint8_t* labels, const Shape& shape,
                                      int n_labels) {
  check_shape(shape);
  if (n_labels < 1 || n_labels > 256) throw std::invalid_argument("n_labels must be in 1..256");
  const auto nl = static_cast<std::size_t>(n_labels);
  for (std::size_t i = 0; i < shape.size(); ++i)
    if (labels[i] >= n_labels) throw std::invalid_argument("label out of range");

  std::vector<double> density(nl * nl, 0.0);
  for (const Direction& d : kDirections) {
    // Pairs (v, v + d) with both voxels inside the volume.
    const std::int64_t x0 = std::max<std::int64_t>(0, -d.dx), x1 = shape.nx - std::max(0, d.dx);
    const std::int64_t y0 = std::max<std::int64_t>(0, -d.dy), y1 = shape.ny - std::max(0, d.dy);
    const std::int64_t z0 = std::max<std::int64_t>(0, -d.dz), z1 = shape.nz - std::max(0, d.dz);
    if (x1 <= x0 || y1 <= y0 || z1 <= z0) continue;
    const std::int64_t offset = d.dx * shape.stride(0) + d.dy * shape.stride(1) + d.dz;
    std::vector<std::int64_t> counts(nl * nl, 0);
#pragma omp parallel
    {
      std::vector<std::int64_t> local(nl * nl, 0);
#pragma omp for schedule(static)
      for (std::int64_t x = x0; x < x1; ++x)
        for (std::int64_t y = y0; y < y1; ++y) {
          const std::size_t row = shape.index(x, y, 0);
          for (std::int64_t z = z0; z < z1; ++z) {
            const std::uint8_t a = labels[row + z];
            const std::uint8_t b = labels[static_cast<std::int64_t>(row + z) + offset];
            if (a != b) ++local[a * nl + b];
          }
        }
#pragma omp critical
      for (std::size_t k = 0; k < nl * nl; ++k) counts[k] += local[k];  // integer: exact
    }
    const double pairs = static_cast<double>((x1 - x0) * (y1 - y0) * (z1 - z0));
    const double length = pairs * std::sqrt(static_cast<double>(d.dx * d.dx + d.dy * d.dy + d.dz * d.dz));
    for (std::size_t a = 0; a < nl; ++a)
      for (std::size_t b = 0; b < nl; ++b) {
        if (a == b) continue;
        // Crossings of the a|b interface per unit length along d, both orders counted.
        const double pl = static_cast<double>(counts[a * nl + b] + counts[b * nl + a]) / length;
        density[a * nl + b] += 2.0 * d.weight * pl;
      }
  }
  return density;
}

}  // namespace mesolith::micro
