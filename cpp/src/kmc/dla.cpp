#include "mesolith/kmc/dla.hpp"

#include <cmath>
#include <stdexcept>

#include "mesolith/rng.hpp"

namespace mesolith::kmc {

namespace {
constexpr double kPi = 3.14159265358979323846;
}

DlaResult grow_dla(int d, int n, double sticking, std::uint64_t seed, std::uint64_t stream) {
  if (d != 2 && d != 3) throw std::invalid_argument("dimension must be 2 or 3");
  if (n < 1) throw std::invalid_argument("n must be >= 1");
  if (!(sticking > 0.0 && sticking <= 1.0)) throw std::invalid_argument("sticking in (0, 1]");
  // Box large enough for the kill sphere of a cluster of n particles with D >= d - 0.5.
  const double r_est = 4.0 * std::pow(static_cast<double>(n), 1.0 / (d - 0.5)) + 20.0;
  const int half = static_cast<int>(2.0 * (r_est + 5.0)) + 4;
  const int side = 2 * half + 1;
  const std::size_t cells = static_cast<std::size_t>(side) * side * (d == 3 ? side : 1);
  std::vector<std::uint8_t> grid(cells, 0);
  const auto index = [&](const int* p) {
    std::size_t i = static_cast<std::size_t>(p[0] + half) +
                    static_cast<std::size_t>(side) * static_cast<std::size_t>(p[1] + half);
    if (d == 3) i += static_cast<std::size_t>(side) * side * static_cast<std::size_t>(p[2] + half);
    return i;
  };
  rng::Stream rng(seed, stream);
  DlaResult out;
  out.coords.reserve(static_cast<std::size_t>(n) * d);
  out.radius_of_gyration.reserve(static_cast<std::size_t>(n));
  int origin[3] = {0, 0, 0};
  grid[index(origin)] = 1;
  for (int k = 0; k < d; ++k) out.coords.push_back(0);
  double sum[3] = {0, 0, 0}, sum2 = 0.0, r_max = 0.0;
  out.radius_of_gyration.push_back(0.0);
  for (int particle = 1; particle < n; ++particle) {
    const double r_launch = r_max + 5.0;
    const double r_kill2 = (2.0 * r_launch + 5.0) * (2.0 * r_launch + 5.0);
    int p[3] = {0, 0, 0};
    const auto launch = [&]() {
      if (d == 2) {
        const double phi = 2.0 * kPi * rng.uniform();
        p[0] = static_cast<int>(std::lround(r_launch * std::cos(phi)));
        p[1] = static_cast<int>(std::lround(r_launch * std::sin(phi)));
      } else {
        const double cz = 2.0 * rng.uniform() - 1.0, phi = 2.0 * kPi * rng.uniform();
        const double sz = std::sqrt(1.0 - cz * cz);
        p[0] = static_cast<int>(std::lround(r_launch * sz * std::cos(phi)));
        p[1] = static_cast<int>(std::lround(r_launch * sz * std::sin(phi)));
        p[2] = static_cast<int>(std::lround(r_launch * cz));
      }
    };
    launch();
    for (;;) {
      // Next to the cluster? Then try to stick.
      bool touching = false;
      for (int axis = 0; axis < d && !touching; ++axis)
        for (int sgn = -1; sgn <= 1 && !touching; sgn += 2) {
          int q[3] = {p[0], p[1], p[2]};
          q[axis] += sgn;
          touching = grid[index(q)] != 0;
        }
      if (touching && (sticking >= 1.0 || rng.uniform() < sticking)) break;
      // Step to a random empty neighbour direction (occupied sites block the move).
      const std::uint32_t dir = rng.below(static_cast<std::uint32_t>(2 * d));
      int q[3] = {p[0], p[1], p[2]};
      q[dir / 2] += (dir % 2) ? -1 : 1;
      if (grid[index(q)]) continue;
      p[0] = q[0];
      p[1] = q[1];
      p[2] = q[2];
      const double r2 = double(p[0]) * p[0] + double(p[1]) * p[1] + double(p[2]) * p[2];
      if (r2 > r_kill2) launch();
    }
    grid[index(p)] = 1;
    double r2 = 0.0;
    for (int k = 0; k < d; ++k) {
      out.coords.push_back(p[k]);
      sum[k] += p[k];
      r2 += double(p[k]) * p[k];
    }
    sum2 += r2;
    r_max = std::max(r_max, std::sqrt(r2));
    const double m = particle + 1.0;
    double centre2 = 0.0;
    for (int k = 0; k < d; ++k) centre2 += (sum[k] / m) * (sum[k] / m);
    out.radius_of_gyration.push_back(std::sqrt(std::max(0.0, sum2 / m - centre2)));
  }
  return out;
}

std::vector<double> dla_gyration_replicas(int dimension, int n, double sticking,
                                          std::uint64_t seed, std::uint64_t first_stream,
                                          int n_clusters) {
  std::vector<double> out(static_cast<std::size_t>(n_clusters) * n);
#pragma omp parallel for schedule(dynamic, 1)
  for (int r = 0; r < n_clusters; ++r) {
    const DlaResult c = grow_dla(dimension, n, sticking, seed, first_stream + r);
    for (int k = 0; k < n; ++k)
      out[static_cast<std::size_t>(r) * n + k] = c.radius_of_gyration[static_cast<std::size_t>(k)];
  }
  return out;
}

}  // namespace mesolith::kmc
