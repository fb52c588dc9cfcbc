// Carbon-binder placement: fill the pore voxels with the lowest bridge or film score.
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "mesolith/micro/sphere_cells.hpp"
#include "mesolith/micro/spheres.hpp"
#include "mesolith/micro/spheroids.hpp"
#include "mesolith/rng.hpp"

namespace mesolith::micro {
namespace {

struct Candidate {
  float score;
  std::uint32_t tie;  // random tie-break from the seed
  std::uint64_t index;
  bool operator<(const Candidate& o) const {
    if (score != o.score) return score < o.score;
    if (tie != o.tie) return tie < o.tie;
    return index < o.index;
  }
};

// Scores every pore voxel from the surface distances `surface_distance(j, px, py, pz)` of the
// particles j near its centre (cells over bounding spheres, reach cutoff + bounding radius):
// Bridge: d1 + d2 of the two nearest surfaces (both within `cutoff`); Film: d1. The `count`
// lowest scores become CBD. Per-voxel work only, so the result is thread-independent.
template <typename Distance>
std::size_t place(std::uint8_t* labels, const Shape& shape, const std::vector<Sphere>& bounds,
                  const bool periodic[3], CbdMode mode, std::size_t count, std::uint64_t seed,
                  std::uint8_t pore, std::uint8_t cbd, double cutoff, Distance surface_distance) {
  const double lx = static_cast<double>(shape.nx), ly = static_cast<double>(shape.ny),
               lz = static_cast<double>(shape.nz);
  double r_max = 0.0;
  for (const Sphere& s : bounds) r_max = std::max(r_max, s.r);
  const SphereCells cells(bounds, lx, ly, lz, cutoff + r_max, periodic[2]);
  const float inf = std::numeric_limits<float>::infinity();

  std::vector<Candidate> cand(shape.size());
#pragma omp parallel for schedule(dynamic, 1)
  for (std::int64_t x = 0; x < shape.nx; ++x)
    for (std::int64_t y = 0; y < shape.ny; ++y)
      for (std::int64_t z = 0; z < shape.nz; ++z) {
        const std::size_t i = shape.index(x, y, z);
        Candidate& c = cand[i];
        c.index = i;
        c.tie = rng::Stream(seed, 4, i).next_u32();
        if (labels[i] != pore) {
          c.score = inf;
          c.index = std::numeric_limits<std::uint64_t>::max();  // marks "not a pore voxel"
          continue;
        }
        const double px = x + 0.5, py = y + 0.5, pz = z + 0.5;
        double s1 = cutoff, s2 = cutoff;  // two smallest surface distances
        cells.for_neighbours(px, py, pz, [&](std::size_t j) {
          double ex = px - bounds[j].x, ey = py - bounds[j].y, ez = pz - bounds[j].z;
          if (periodic[0]) ex -= lx * std::nearbyint(ex / lx);
          if (periodic[1]) ey -= ly * std::nearbyint(ey / ly);
          if (periodic[2]) ez -= lz * std::nearbyint(ez / lz);
          const double d = surface_distance(j, ex, ey, ez);
          if (d < s1) {
            s2 = s1;
            s1 = d;
          } else if (d < s2) {
            s2 = d;
          }
        });
        const double score = mode == CbdMode::Bridge ? s1 + s2 : s1;
        c.score = (mode == CbdMode::Bridge ? s2 < cutoff : s1 < cutoff) ? static_cast<float>(score)
                                                                          : inf;
      }
  // Keep pore voxels only, in index order.
  cand.erase(std::remove_if(cand.begin(), cand.end(),
                            [](const Candidate& c) {
                              return c.index == std::numeric_limits<std::uint64_t>::max();
                            }),
             cand.end());
  if (count > cand.size())
    throw std::invalid_argument("CBD volume exceeds the pore volume");
  std::nth_element(cand.begin(), cand.begin() + static_cast<std::ptrdiff_t>(count - 1), cand.end());
  for (std::size_t k = 0; k < count; ++k) labels[cand[k].index] = cbd;
  return count;
}

}  // namespace

std::size_t add_cbd(std::uint8_t* labels, const Shape& shape, const std::vector<Sphere>& spheres,
                    const bool periodic[3], CbdMode mode, std::size_t count, std::uint64_t seed,
                    std::uint8_t pore, std::uint8_t cbd) {
  check_shape(shape);
  if (count == 0) return 0;
  if (spheres.empty()) throw std::invalid_argument("CBD placement needs the particle list");
  double r_mean = 0.0;
  for (const Sphere& s : spheres) r_mean += s.r / static_cast<double>(spheres.size());
  // Surfaces farther than the mean radius do not score.
  return place(labels, shape, spheres, periodic, mode, count, seed, pore, cbd, r_mean,
               [&](std::size_t j, double ex, double ey, double ez) {
                 return std::sqrt(ex * ex + ey * ey + ez * ez) - spheres[j].r;
               });
}

std::size_t add_cbd_spheroids(std::uint8_t* labels, const Shape& shape,
                              const std::vector<Spheroid>& particles, const bool periodic[3],
                              CbdMode mode, std::size_t count, std::uint64_t seed,
                              std::uint8_t pore, std::uint8_t cbd) {
  check_shape(shape);
  if (count == 0) return 0;
  if (particles.empty()) throw std::invalid_argument("CBD placement needs the particle list");
  std::vector<Sphere> bounds(particles.size());
  double r_mean = 0.0;
  for (std::size_t i = 0; i < particles.size(); ++i) {
    const Spheroid& s = particles[i];
    bounds[i] = {s.x, s.y, s.z, s.bounding_radius()};
    r_mean += std::cbrt(s.a * s.a * s.c) / static_cast<double>(particles.size());
  }
  // First-order (Sampson) distance to the surface Q(g) = g^T M g = 1: d = (Q - 1) / |grad Q|,
  // exact to first order near the surface (where the CBD goes) and for a sphere
  // (|g|^2 - r^2) / (2 |g|) ~ |g| - r.
  return place(labels, shape, bounds, periodic, mode, count, seed, pore, cbd, r_mean,
               [&](std::size_t j, double ex, double ey, double ez) {
                 const Spheroid& s = particles[j];
                 const double ia = 1.0 / (s.a * s.a), diff = 1.0 / (s.c * s.c) - ia;
                 const double ug = s.ux * ex + s.uy * ey + s.uz * ez;
                 const double mg[3] = {ia * ex + diff * ug * s.ux, ia * ey + diff * ug * s.uy,
                                       ia * ez + diff * ug * s.uz};
                 const double q = ex * mg[0] + ey * mg[1] + ez * mg[2];
                 const double grad = 2.0 * std::sqrt(mg[0] * mg[0] + mg[1] * mg[1] + mg[2] * mg[2]);
                 return grad > 0.0 ? (q - 1.0) / grad : -s.bounding_radius();
               });
}

}  // namespace mesolith::micro
