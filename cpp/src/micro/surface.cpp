// Crofton intercept-count estimate of interface area per unit volume (13 directions), at one
// step or Richardson-extrapolated from steps 1 and 2.
#include "mesolith/micro/surface.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <string>

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

// Start coordinates along one axis and the coordinates `reach` steps of `delta` further on,
// wrapped when periodic; without wrap only starts whose whole segment stays inside.
struct AxisWalk {
  std::int64_t first = 0, last = 0;  // starts in [first, last)
  std::vector<std::int64_t> ahead;   // coordinate k steps on from start i: ahead[2 i + k - 1]
  std::int64_t after(std::int64_t i, int k) const {
    return ahead[static_cast<std::size_t>(2 * i + k - 1)];
  }
};

AxisWalk walk(std::int64_t n, int delta, int reach, bool periodic) {
  AxisWalk w;
  if (periodic) {
    w.last = n;
  } else {
    w.first = std::max<std::int64_t>(0, -static_cast<std::int64_t>(reach) * delta);
    w.last = n - std::max<std::int64_t>(0, static_cast<std::int64_t>(reach) * delta);
  }
  if (w.last <= w.first) return w;
  w.ahead.resize(static_cast<std::size_t>(2 * n));
  for (std::int64_t i = w.first; i < w.last; ++i)
    for (int k = 1; k <= 2; ++k)  // wrapped; inside anyway without wrap for k <= reach
      w.ahead[static_cast<std::size_t>(2 * i + k - 1)] = ((i + k * delta) % n + n) % n;
  return w;
}

// Label changes along one direction: changes1 over steps v -> v+d, changes2 over v -> v+2d
// (only when reach is 2, then v -> v+d and v+d -> v+2d both count in changes1), and the
// number of starts v. Integer counts: the result does not depend on the thread count.
struct Counts {
  std::vector<std::int64_t> changes1, changes2;
  std::int64_t starts = 0;
};

Counts count_changes(const std::uint8_t* labels, const Shape& shape, std::size_t nl,
                     const Direction& d, int reach, bool periodic) {
  Counts c;
  c.changes1.assign(nl * nl, 0);
  c.changes2.assign(nl * nl, 0);
  const AxisWalk wx = walk(shape.nx, d.dx, reach, periodic);
  const AxisWalk wy = walk(shape.ny, d.dy, reach, periodic);
  const AxisWalk wz = walk(shape.nz, d.dz, reach, periodic);
  if (wx.last <= wx.first || wy.last <= wy.first || wz.last <= wz.first) return c;
  c.starts = (wx.last - wx.first) * (wy.last - wy.first) * (wz.last - wz.first);
#pragma omp parallel
  {
    std::vector<std::int64_t> one(nl * nl, 0), two(nl * nl, 0);
#pragma omp for schedule(static)
    for (std::int64_t x = wx.first; x < wx.last; ++x)
      for (std::int64_t y = wy.first; y < wy.last; ++y) {
        const std::uint8_t* r0 = labels + shape.index(x, y, 0);
        const std::uint8_t* r1 = labels + shape.index(wx.after(x, 1), wy.after(y, 1), 0);
        const std::uint8_t* r2 = labels + shape.index(wx.after(x, 2), wy.after(y, 2), 0);
        for (std::int64_t z = wz.first; z < wz.last; ++z) {
          const std::uint8_t a = r0[z];
          const std::uint8_t b = r1[wz.after(z, 1)];
          if (a != b) ++one[a * nl + b];
          if (reach == 2) {
            const std::uint8_t e = r2[wz.after(z, 2)];
            if (b != e) ++one[b * nl + e];
            if (a != e) ++two[a * nl + e];
          }
        }
      }
#pragma omp critical
    for (std::size_t k = 0; k < nl * nl; ++k) {  // integer sums: exact in any order
      c.changes1[k] += one[k];
      c.changes2[k] += two[k];
    }
  }
  return c;
}

}  // namespace

std::vector<double> interface_density(const std::uint8_t* labels, const Shape& shape,
                                      int n_labels, const InterfaceOptions& options) {
  check_shape(shape);
  if (n_labels < 1 || n_labels > 256) throw std::invalid_argument("n_labels must be in 1..256");
  if (options.extrapolate && !options.periodic)
    for (int axis = 0; axis < 3; ++axis)
      if (shape.extent(axis) == 2)
        throw std::invalid_argument(
            "extrapolate: axis " + std::to_string(axis) +
            " has 2 voxels; the step-2 test lines need >= 3 (or 1, or periodic wrap)");
  const auto nl = static_cast<std::size_t>(n_labels);
  for (std::size_t i = 0; i < shape.size(); ++i)
    if (labels[i] >= n_labels) throw std::invalid_argument("label out of range");

  const int reach = options.extrapolate ? 2 : 1;
  std::vector<double> density(nl * nl, 0.0);
  for (const Direction& d : kDirections) {
    const Counts c = count_changes(labels, shape, nl, d, reach, options.periodic);
    if (c.starts == 0) continue;
    const double norm = std::sqrt(static_cast<double>(d.dx * d.dx + d.dy * d.dy + d.dz * d.dz));
    // Test-line length: one step per start, or two when each start opens a step-2 segment
    // (its two unit steps are both in changes1, so the two counts share one length).
    const double length = static_cast<double>(c.starts) * reach * norm;
    for (std::size_t a = 0; a < nl; ++a)
      for (std::size_t b = 0; b < nl; ++b) {
        if (a == b) continue;
        // Crossings of the a|b interface per unit length along d, both orders counted.
        const auto ab = a * nl + b, ba = b * nl + a;
        const double p1 = static_cast<double>(c.changes1[ab] + c.changes1[ba]) / length;
        double pl = p1;
        if (options.extrapolate) {
          const double p2 = static_cast<double>(c.changes2[ab] + c.changes2[ba]) / length;
          pl = 2.0 * p1 - p2;  // P_L(h) = P_L - c h + O(h^2), so 2 P_L(h) - P_L(2h) = P_L + O(h^2)
        }
        density[a * nl + b] += 2.0 * d.weight * pl;
      }
  }
  return density;
}

}  // namespace mesolith::micro
