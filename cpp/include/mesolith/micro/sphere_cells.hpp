// Cell list over sphere centres in a box periodic in x and y, bounded (or periodic) in z: visits every
// sphere whose centre lies in the 27 cells around a point, in a fixed order (cell by cell,
// spheres in index order), so sums over neighbours do not depend on threads.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

#include "mesolith/micro/spheres.hpp"

namespace mesolith::micro {

class SphereCells {
 public:
  // `reach`: the largest centre distance a query needs (cells are at least this wide).
  SphereCells(const std::vector<Sphere>& spheres, double lx, double ly, double lz, double reach,
              bool periodic_z = false)
      : lx_(lx), ly_(ly), lz_(lz), periodic_z_(periodic_z) {
    reach = std::max(reach, 1e-9);
    nx_ = std::max(1, static_cast<int>(std::floor(lx / reach)));
    ny_ = std::max(1, static_cast<int>(std::floor(ly / reach)));
    nz_ = std::max(1, static_cast<int>(std::floor(lz / reach)));
    start_.assign(static_cast<std::size_t>(nx_) * ny_ * nz_ + 1, 0);
    std::vector<std::size_t> cell(spheres.size());
    for (std::size_t i = 0; i < spheres.size(); ++i) {
      cell[i] = cell_of(spheres[i].x, spheres[i].y, spheres[i].z);
      ++start_[cell[i] + 1];
    }
    for (std::size_t c = 1; c < start_.size(); ++c) start_[c] += start_[c - 1];
    members_.resize(spheres.size());
    std::vector<std::size_t> fill(start_.begin(), start_.end() - 1);
    for (std::size_t i = 0; i < spheres.size(); ++i) members_[fill[cell[i]]++] = i;
  }

  template <typename F>
  void for_neighbours(double x, double y, double z, F f) const {
    const int cx = index(x, lx_, nx_), cy = index(y, ly_, ny_), cz = index(z, lz_, nz_);
    int xs[3], ys[3], zs[3];
    const int nxs = around(cx, nx_, xs), nys = around(cy, ny_, ys);
    int nzs = 0;
    if (periodic_z_) {
      nzs = around(cz, nz_, zs);
    } else {
      for (int zc = std::max(0, cz - 1); zc <= std::min(nz_ - 1, cz + 1); ++zc) zs[nzs++] = zc;
    }
    for (int a = 0; a < nxs; ++a)
      for (int b = 0; b < nys; ++b)
        for (int e = 0; e < nzs; ++e) {
          const std::size_t c = (static_cast<std::size_t>(xs[a]) * ny_ + ys[b]) * nz_ + zs[e];
          for (std::size_t k = start_[c]; k < start_[c + 1]; ++k) f(members_[k]);
        }
  }

 private:
  static int index(double v, double len, int n) {
    const int i = static_cast<int>(std::floor(v / len * n));
    return std::clamp(i, 0, n - 1);
  }
  // Periodic neighbours of cell c, without duplicates when there are fewer than 3 cells.
  static int around(int c, int n, int out[3]) {
    if (n == 1) {
      out[0] = 0;
      return 1;
    }
    if (n == 2) {
      out[0] = 0;
      out[1] = 1;
      return 2;
    }
    out[0] = (c + n - 1) % n;
    out[1] = c;
    out[2] = (c + 1) % n;
    return 3;
  }
  std::size_t cell_of(double x, double y, double z) const {
    return (static_cast<std::size_t>(index(x, lx_, nx_)) * ny_ + index(y, ly_, ny_)) * nz_ +
           index(z, lz_, nz_);
  }

  double lx_, ly_, lz_;
  bool periodic_z_;
  int nx_, ny_, nz_;
  std::vector<std::size_t> start_, members_;
};

}  // namespace mesolith::micro
