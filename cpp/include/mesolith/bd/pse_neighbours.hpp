// Pairs closer than a cut-off in a cubic periodic box, as a compressed row list.
//
// Used by the real-space part of the positively split Ewald mobility and by the
// periodic pair forces of the PSE dynamics. Every row i lists its partners j with the
// separation vector d = x_j - x_i + n L of the periodic image n that is in range, in an
// order fixed by the cell layout (never by the thread count). When the cut-off exceeds
// 2 L / 5 the list is built by looping over all pairs and all images in range, so images
// of the particle itself (i = j, n != 0) appear too.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace mesolith::bd {

struct NeighbourList {
  std::vector<std::size_t> start;     // n + 1 row offsets
  std::vector<std::uint32_t> index;   // partner j of each entry
  std::vector<double> separation;     // 3 per entry: x_j - x_i + n L
  std::size_t size() const { return start.empty() ? 0 : start.size() - 1; }
  std::size_t entries() const { return index.size(); }
};

// positions: n x 3 (any values: they are wrapped into [0, box)); cutoff > 0.
NeighbourList periodic_neighbours(const double* positions, std::size_t n, double box,
                                  double cutoff);

}  // namespace mesolith::bd
