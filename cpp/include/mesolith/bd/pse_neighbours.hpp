// Pairs closer than a cut-off in a cubic periodic box.
//
// Used by the real-space part of the positively split Ewald mobility and by the
// periodic pair forces of the PSE dynamics. PeriodicCells::visit(i, add) calls
// add(j, d) for every partner j of i with the separation d = x_j - x_i + n L of the
// periodic image n that is in range, in an order fixed by the cell layout (never by the
// thread count). When the cut-off exceeds 2 L / 5 every pair and every image in range is
// visited instead, so images of the particle itself (i = j, n != 0) appear too.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace mesolith::bd {

class PeriodicCells {
 public:
  // positions: n x 3 (any values: they are wrapped into [0, box)); cutoff > 0.
  PeriodicCells(const double* positions, std::size_t n, double box, double cutoff);
  std::size_t size() const { return n_; }

  template <class Add>
  void visit(std::size_t i, Add&& add) const;

 private:
  std::size_t n_;
  double box_, c2_;
  bool all_pairs_;
  long images_ = 0, cells_ = 0;
  std::vector<double> w_;       // wrapped positions
  std::vector<double> sorted_;  // wrapped positions in cell order (contiguous per cell)
  std::vector<std::size_t> cell_of_, head_, items_;
};

// The same pairs as a compressed row list (row i: partners and separations).
struct NeighbourList {
  std::vector<std::size_t> start;     // n + 1 row offsets
  std::vector<std::uint32_t> index;   // partner j of each entry
  std::vector<double> separation;     // 3 per entry: x_j - x_i + n L
  std::size_t size() const { return start.empty() ? 0 : start.size() - 1; }
  std::size_t entries() const { return index.size(); }
};
NeighbourList periodic_neighbours(const double* positions, std::size_t n, double box,
                                  double cutoff);

template <class Add>
void PeriodicCells::visit(std::size_t i, Add&& add) const {
  const double* w = w_.data();
  const double xi[3] = {w[3 * i], w[3 * i + 1], w[3 * i + 2]};
  if (all_pairs_) {
    for (std::size_t j = 0; j < n_; ++j) {
      double d0[3];
      for (int k = 0; k < 3; ++k) {
        d0[k] = w[3 * j + k] - xi[k];
        d0[k] -= box_ * std::nearbyint(d0[k] / box_);
      }
      for (long u = -images_; u <= images_; ++u)
        for (long v = -images_; v <= images_; ++v)
          for (long s = -images_; s <= images_; ++s) {
            if (i == j && u == 0 && v == 0 && s == 0) continue;
            const double d[3] = {d0[0] + u * box_, d0[1] + v * box_, d0[2] + s * box_};
            if (d[0] * d[0] + d[1] * d[1] + d[2] * d[2] < c2_) add(static_cast<std::uint32_t>(j), d);
          }
    }
    return;
  }
  // cells of edge >= cutoff / 2, searched +-2 cells; >= 5 cells per edge, so every visited
  // cell is distinct and the image found is the minimum one
  const std::size_t nc = static_cast<std::size_t>(cells_);
  const std::size_t c = cell_of_[i];
  const long cc[3] = {static_cast<long>(c / (nc * nc)), static_cast<long>((c / nc) % nc),
                      static_cast<long>(c % nc)};
  for (long dx = -2; dx <= 2; ++dx)
    for (long dy = -2; dy <= 2; ++dy)
      for (long dz = -2; dz <= 2; ++dz) {
        const long o3[3] = {cc[0] + dx, cc[1] + dy, cc[2] + dz};
        double shift[3];
        std::size_t oc[3];
        for (int k = 0; k < 3; ++k) {
          // a neighbour cell past an edge is the periodic image one box away
          const bool below = o3[k] < 0, above = o3[k] >= cells_;
          shift[k] = below ? -box_ : (above ? box_ : 0.0);
          oc[k] = static_cast<std::size_t>(below ? o3[k] + cells_ : (above ? o3[k] - cells_ : o3[k]));
        }
        const std::size_t o = (oc[0] * nc + oc[1]) * nc + oc[2];
        const double* y = sorted_.data();
        for (std::size_t p = head_[o]; p < head_[o + 1]; ++p) {
          const std::size_t j = items_[p];
          if (j == i) continue;
          const double d[3] = {y[3 * p] + shift[0] - xi[0], y[3 * p + 1] + shift[1] - xi[1],
                               y[3 * p + 2] + shift[2] - xi[2]};
          if (d[0] * d[0] + d[1] * d[1] + d[2] * d[2] < c2_) add(static_cast<std::uint32_t>(j), d);
        }
      }
}

}  // namespace mesolith::bd
