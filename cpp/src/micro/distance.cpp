// Exact Euclidean distance transform (Felzenszwalb-Huttenlocher) and local thickness.
#include "mesolith/micro/distance.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace mesolith::micro {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// d[q] = min_p (f[p] + (q - p)^2) over finite f[p]; all inf if none is finite.
void envelope_1d(const double* f, std::int64_t n, double* d, std::int64_t* v, double* z) {
  std::int64_t k = -1;
  for (std::int64_t q = 0; q < n; ++q) {
    if (!std::isfinite(f[q])) continue;
    double s = -kInf;
    while (k >= 0) {
      const std::int64_t p = v[k];
      s = ((f[q] + static_cast<double>(q * q)) - (f[p] + static_cast<double>(p * p))) /
          (2.0 * static_cast<double>(q - p));
      if (s > z[k]) break;
      --k;
    }
    ++k;
    v[k] = q;
    z[k] = k == 0 ? -kInf : s;
    z[k + 1] = kInf;
  }
  if (k < 0) {
    std::fill(d, d + n, kInf);
    return;
  }
  std::int64_t j = 0;
  for (std::int64_t q = 0; q < n; ++q) {
    while (z[j + 1] < static_cast<double>(q)) ++j;
    const double diff = static_cast<double>(q - v[j]);
    d[q] = diff * diff + f[v[j]];
  }
}

void transform_axis(std::vector<double>& g, const Shape& s, int axis) {
  const std::int64_t n = s.extent(axis), stride = s.stride(axis);
  const int a1 = axis == 0 ? 1 : 0, a2 = axis == 2 ? 1 : 2;
  const std::int64_t n1 = s.extent(a1), n2 = s.extent(a2);
#pragma omp parallel
  {
    std::vector<double> f(static_cast<std::size_t>(n)), d(static_cast<std::size_t>(n)),
        z(static_cast<std::size_t>(n) + 1);
    std::vector<std::int64_t> v(static_cast<std::size_t>(n));
#pragma omp for schedule(static)
    for (std::int64_t u = 0; u < n1; ++u)
      for (std::int64_t w = 0; w < n2; ++w) {
        std::int64_t c[3];
        c[axis] = 0;
        c[a1] = u;
        c[a2] = w;
        const std::size_t base = s.index(c[0], c[1], c[2]);
        for (std::int64_t k = 0; k < n; ++k) f[k] = g[base + k * stride];
        envelope_1d(f.data(), n, d.data(), v.data(), z.data());
        for (std::int64_t k = 0; k < n; ++k) g[base + k * stride] = d[k];
      }
  }
}

}  // namespace

std::vector<double> squared_distance(const std::uint8_t* mask, const Shape& shape) {
  check_shape(shape);
  std::vector<double> g(shape.size());
  for (std::size_t i = 0; i < g.size(); ++i) g[i] = mask[i] ? kInf : 0.0;
  for (int axis = 2; axis >= 0; --axis) transform_axis(g, shape, axis);
  return g;
}

// Distance to a neighbour with squared offset length k (1, 2 or 3).
constexpr double kNeighbourDistance[4] = {0.0, 1.0, 1.4142135623730951, 1.7320508075688772};

std::vector<float> local_thickness(const std::uint8_t* mask, const Shape& shape) {
  const std::vector<double> d2 = squared_distance(mask, shape);
  const std::size_t n = shape.size();
  std::vector<float> out(n, 0.0f);
  // Ball radius per voxel: the EDT (capped for a volume without background).
  const double cap = 0.5 * static_cast<double>(std::max({shape.nx, shape.ny, shape.nz}));
  auto radius = [&](std::size_t i) { return std::min(std::sqrt(d2[i]), cap); };
  // Only balls not contained in a neighbour's ball need painting: ball(c, R) lies in
  // ball(c + e, R_e) when R_e >= R + |e|; the 26 neighbours are tried (|e| = 1, sqrt 2,
  // sqrt 3), which leaves little more than the medial axis.
  struct Ball {
    std::int64_t x, y, z;
    double r;
  };
  // Selected per x-slice in parallel, then joined in slice order: the same list for any
  // thread count.
  std::vector<std::vector<Ball>> slice_balls(static_cast<std::size_t>(shape.nx));
#pragma omp parallel for schedule(dynamic, 4)
  for (std::int64_t x = 0; x < shape.nx; ++x)
    for (std::int64_t y = 0; y < shape.ny; ++y)
      for (std::int64_t z = 0; z < shape.nz; ++z) {
        const std::size_t i = shape.index(x, y, z);
        if (!mask[i]) continue;
        const double r = radius(i);
        bool covered = false;
        for (int dx = -1; dx <= 1 && !covered; ++dx)
          for (int dy = -1; dy <= 1 && !covered; ++dy)
            for (int dz = -1; dz <= 1 && !covered; ++dz) {
              const int k = dx * dx + dy * dy + dz * dz;
              if (k == 0) continue;
              const std::int64_t nx = x + dx, ny = y + dy, nz = z + dz;
              if (nx < 0 || ny < 0 || nz < 0 || nx >= shape.nx || ny >= shape.ny ||
                  nz >= shape.nz)
                continue;
              const std::size_t j = shape.index(nx, ny, nz);
              covered = mask[j] && radius(j) >= r + kNeighbourDistance[k];
            }
        if (!covered) slice_balls[static_cast<std::size_t>(x)].push_back({x, y, z, r});
      }
  std::vector<Ball> balls;
  for (auto& sb : slice_balls) {
    balls.insert(balls.end(), sb.begin(), sb.end());
    std::vector<Ball>().swap(sb);
  }
  // Paint slice by slice: each x-slice is owned by one thread, the maximum is order-free.
  std::vector<std::vector<std::size_t>> by_x(static_cast<std::size_t>(shape.nx));
  for (std::size_t b = 0; b < balls.size(); ++b) {
    const auto span = static_cast<std::int64_t>(std::floor(balls[b].r));
    for (std::int64_t x = std::max<std::int64_t>(0, balls[b].x - span);
         x <= std::min(shape.nx - 1, balls[b].x + span); ++x)
      by_x[static_cast<std::size_t>(x)].push_back(b);
  }
#pragma omp parallel for schedule(dynamic, 1)
  for (std::int64_t x = 0; x < shape.nx; ++x)
    for (std::size_t b : by_x[static_cast<std::size_t>(x)]) {
      const Ball& ball = balls[b];
      const double r2 = ball.r * ball.r;
      const auto dx2 = static_cast<double>((x - ball.x) * (x - ball.x));
      const auto span = static_cast<std::int64_t>(std::floor(ball.r));
      const auto value = static_cast<float>(2.0 * ball.r);
      for (std::int64_t y = std::max<std::int64_t>(0, ball.y - span);
           y <= std::min(shape.ny - 1, ball.y + span); ++y) {
        const double rest = r2 - dx2 - static_cast<double>((y - ball.y) * (y - ball.y));
        if (rest < 0.0) continue;
        // Half-width of the ball's z-run in this column: the largest h with h^2 <= rest.
        auto h = static_cast<std::int64_t>(std::sqrt(rest));
        while (static_cast<double>((h + 1) * (h + 1)) <= rest) ++h;
        while (h > 0 && static_cast<double>(h * h) > rest) --h;
        const std::size_t row = shape.index(x, y, 0);
        const std::int64_t z0 = std::max<std::int64_t>(0, ball.z - h);
        const std::int64_t z1 = std::min(shape.nz - 1, ball.z + h);
        for (std::int64_t z = z0; z <= z1; ++z) {
          const std::size_t i = row + static_cast<std::size_t>(z);
          out[i] = mask[i] ? std::max(out[i], value) : out[i];
        }
      }
    }
  return out;
}

}  // namespace mesolith::micro
