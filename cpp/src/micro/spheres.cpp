// Radius distribution, the Boolean model and sphere voxelisation.
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "mesolith/micro/spheres.hpp"
#include "mesolith/rng.hpp"

namespace mesolith::micro {

double RadiusDistribution::draw(double u_normal) const {
  // Log-normal with E[r] = mean_radius: mu = ln(mean) - sigma^2 / 2.
  const double mu = std::log(mean_radius) - 0.5 * log_sigma * log_sigma;
  const double r = std::exp(mu + log_sigma * u_normal);
  return std::clamp(r, min_radius, max_radius);
}

double RadiusDistribution::mean_cube() const {
  const double mu = std::log(mean_radius) - 0.5 * log_sigma * log_sigma;
  return std::exp(3.0 * mu + 4.5 * log_sigma * log_sigma);
}

std::vector<Sphere> boolean_spheres(double lx, double ly, double lz, double intensity,
                                    const RadiusDistribution& radii, std::uint64_t seed) {
  if (!(lx > 0 && ly > 0 && lz > 0)) throw std::invalid_argument("box lengths must be > 0");
  if (!(intensity >= 0)) throw std::invalid_argument("intensity must be >= 0");
  // Poisson count: number of unit-rate exponential gaps that fit in the mean.
  const double mean = intensity * lx * ly * lz;
  rng::Stream count_stream(seed, 0);
  std::size_t count = 0;
  for (double t = count_stream.exponential(); t < mean; t += count_stream.exponential()) ++count;

  std::vector<Sphere> spheres(count);
#pragma omp parallel for schedule(static)
  for (std::int64_t i = 0; i < static_cast<std::int64_t>(count); ++i) {
    rng::Stream s(seed, 1, static_cast<std::uint64_t>(i) * 8);
    Sphere& sp = spheres[static_cast<std::size_t>(i)];
    sp.x = lx * s.uniform();
    sp.y = ly * s.uniform();
    sp.z = lz * s.uniform();
    sp.r = radii.draw(s.normal());
  }
  return spheres;
}

void voxelise_spheres(const std::vector<Sphere>& spheres, const Shape& shape,
                      const bool periodic[3], std::uint8_t label, std::uint8_t* labels) {
  check_shape(shape);
  const double len[3] = {static_cast<double>(shape.nx), static_cast<double>(shape.ny),
                         static_cast<double>(shape.nz)};
  // Periodic images that reach into the box.
  std::vector<Sphere> images;
  for (const Sphere& s : spheres) {
    const double c[3] = {s.x, s.y, s.z};
    int lo[3], hi[3];
    for (int a = 0; a < 3; ++a) {
      lo[a] = periodic[a] ? -1 : 0;
      hi[a] = periodic[a] ? 1 : 0;
    }
    for (int i = lo[0]; i <= hi[0]; ++i)
      for (int j = lo[1]; j <= hi[1]; ++j)
        for (int k = lo[2]; k <= hi[2]; ++k) {
          const double p[3] = {c[0] + i * len[0], c[1] + j * len[1], c[2] + k * len[2]};
          bool inside = true;
          for (int a = 0; a < 3; ++a) inside &= p[a] + s.r > 0 && p[a] - s.r < len[a];
          if (inside) images.push_back({p[0], p[1], p[2], s.r});
        }
  }
  // Bin images by the x-slices they cover so each slice is filled by one thread.
  std::vector<std::vector<std::size_t>> by_x(static_cast<std::size_t>(shape.nx));
  for (std::size_t n = 0; n < images.size(); ++n) {
    const Sphere& s = images[n];
    const auto x0 = std::max<std::int64_t>(0, static_cast<std::int64_t>(std::ceil(s.x - s.r - 0.5)));
    const auto x1 = std::min<std::int64_t>(shape.nx - 1,
                                           static_cast<std::int64_t>(std::floor(s.x + s.r - 0.5)));
    for (std::int64_t x = x0; x <= x1; ++x) by_x[static_cast<std::size_t>(x)].push_back(n);
  }
#pragma omp parallel for schedule(dynamic, 1)
  for (std::int64_t x = 0; x < shape.nx; ++x) {
    for (std::size_t n : by_x[static_cast<std::size_t>(x)]) {
      const Sphere& s = images[n];
      const double dx = x + 0.5 - s.x;
      const double rx2 = s.r * s.r - dx * dx;
      if (rx2 < 0) continue;
      const double rx = std::sqrt(rx2);
      const auto y0 = std::max<std::int64_t>(0, static_cast<std::int64_t>(std::ceil(s.y - rx - 0.5)));
      const auto y1 = std::min<std::int64_t>(shape.ny - 1,
                                             static_cast<std::int64_t>(std::floor(s.y + rx - 0.5)));
      for (std::int64_t y = y0; y <= y1; ++y) {
        const double dy = y + 0.5 - s.y;
        const double ry2 = rx2 - dy * dy;
        if (ry2 < 0) continue;
        const double ry = std::sqrt(ry2);
        const auto z0 = std::max<std::int64_t>(0, static_cast<std::int64_t>(std::ceil(s.z - ry - 0.5)));
        const auto z1 = std::min<std::int64_t>(
            shape.nz - 1, static_cast<std::int64_t>(std::floor(s.z + ry - 0.5)));
        const std::size_t row = shape.index(x, y, 0);
        for (std::int64_t z = z0; z <= z1; ++z) labels[row + z] = label;
      }
    }
  }
}

}  // namespace mesolith::micro
