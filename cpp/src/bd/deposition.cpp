#include "mesolith/bd/deposition.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <unordered_map>

#include "mesolith/rng.hpp"

namespace mesolith::bd {

namespace {

// Deposited spheres hashed by cells of edge 2 (one diameter): a contact check looks at
// the 27 cells around a point, with periodic wrapping in x and y.
class DepositGrid {
 public:
  explicit DepositGrid(double cell) : cell_(cell), nxy_(std::max(1L, static_cast<long>(cell / 2.0))) {
    edge_ = cell_ / static_cast<double>(nxy_);
  }

  void add(const double* x) {
    const std::size_t id = points_.size() / 3;
    points_.insert(points_.end(), x, x + 3);
    cells_[key(cx(x[0]), cx(x[1]), cz(x[2]))].push_back(id);
  }

  // True if a sphere at x (radius 1) would overlap a deposited one (distance < 2).
  bool touches(const double* x) const {
    const long ix = cx(x[0]), iy = cx(x[1]), iz = cz(x[2]);
    for (long dz = -1; dz <= 1; ++dz)
      for (long dy = -1; dy <= 1; ++dy)
        for (long dx = -1; dx <= 1; ++dx) {
          const auto it = cells_.find(key(wrap(ix + dx), wrap(iy + dy), iz + dz));
          if (it == cells_.end()) continue;
          for (std::size_t id : it->second) {
            const double* q = &points_[3 * id];
            double ddx = x[0] - q[0], ddy = x[1] - q[1];
            ddx -= cell_ * std::nearbyint(ddx / cell_);
            ddy -= cell_ * std::nearbyint(ddy / cell_);
            const double ddz = x[2] - q[2];
            if (ddx * ddx + ddy * ddy + ddz * ddz < 4.0) return true;
          }
        }
    return false;
  }

  const std::vector<double>& points() const { return points_; }

 private:
  long cx(double v) const {
    long i = static_cast<long>(std::floor(v / edge_));
    return wrap(i);
  }
  long cz(double v) const { return static_cast<long>(std::floor(v / 2.0)); }
  long wrap(long i) const { return ((i % nxy_) + nxy_) % nxy_; }
  // Shifts on unsigned values: iz may be -1 just below the electrode, and shifting a
  // negative signed value is undefined behaviour before C++20.
  static std::uint64_t key(long ix, long iy, long iz) {
    return (static_cast<std::uint64_t>(iz) << 40) ^ (static_cast<std::uint64_t>(iy) << 20) ^
           static_cast<std::uint64_t>(ix);
  }

  double cell_;
  long nxy_;
  double edge_;
  std::vector<double> points_;
  std::unordered_map<std::uint64_t, std::vector<std::size_t>> cells_;
};

}  // namespace

DepositionResult run_deposition(const DepositionParams& p) {
  if (!(p.cell >= 4.0)) throw std::invalid_argument("cell must be >= 4 radii");
  if (!(p.step > 0.0 && p.step <= 0.5)) throw std::invalid_argument("step must be in (0, 0.5] radii");
  if (!(p.probability > 0.0 && p.probability <= 1.0))
    throw std::invalid_argument("reaction probability must be in (0, 1]");
  DepositionResult out;
  DepositGrid grid(p.cell);
  double top = 1.0;  // highest deposited centre (the bare electrode: contact at z = 1)
  for (std::size_t w = 0; w < p.walkers; ++w) {
    rng::Stream s(p.seed, w);
    double x[3];
    auto release = [&]() {
      x[0] = s.uniform(0.0, p.cell);
      x[1] = s.uniform(0.0, p.cell);
      x[2] = top + p.release_gap;
    };
    release();
    for (;;) {
      if (out.steps >= p.max_steps) return out;
      ++out.steps;
      double y[3] = {x[0] + p.step * s.normal(), x[1] + p.step * s.normal(),
                     x[2] + p.step * s.normal()};
      y[0] -= p.cell * std::floor(y[0] / p.cell);
      y[1] -= p.cell * std::floor(y[1] / p.cell);
      if (y[2] > top + p.kill_gap) {
        release();
        continue;
      }
      if (y[2] < 1.0 || grid.touches(y)) {
        ++out.attempts;
        if (s.uniform() < p.probability) {
          grid.add(x);
          top = std::max(top, x[2]);
          break;
        }
        continue;  // rejected step: the walker stays where it was
      }
      x[0] = y[0];
      x[1] = y[1];
      x[2] = y[2];
    }
  }
  out.positions = grid.points();
  out.complete = true;
  return out;
}

}  // namespace mesolith::bd
