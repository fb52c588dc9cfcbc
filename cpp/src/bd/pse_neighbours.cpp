#include "mesolith/bd/pse_neighbours.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace mesolith::bd {

PeriodicCells::PeriodicCells(const double* x, std::size_t n, double box, double cutoff)
    : n_(n), box_(box), c2_(cutoff * cutoff) {
  if (!(box > 0.0) || !(cutoff > 0.0)) throw std::invalid_argument("need box > 0 and cutoff > 0");
  if (n >= 0xffffffffULL) throw std::length_error("too many particles for 32-bit indices");
  w_.resize(3 * n);
  for (std::size_t q = 0; q < 3 * n; ++q) {
    const double v = x[q] - box * std::floor(x[q] / box);
    w_[q] = v >= box ? 0.0 : v;  // v slightly below 0 can round up to box
  }
  all_pairs_ = std::floor(2.0 * box / cutoff) < 5.0;
  if (all_pairs_) {
    images_ = static_cast<long>(std::ceil(cutoff / box));
    return;
  }
  cells_ = static_cast<long>(std::floor(2.0 * box / cutoff));
  const std::size_t nc = static_cast<std::size_t>(cells_);
  const double inv = static_cast<double>(cells_) / box;
  cell_of_.resize(n);
  head_.assign(nc * nc * nc + 1, 0);
  items_.resize(n);
  auto coord = [&](double v) {
    const long c = static_cast<long>(v * inv);
    return static_cast<std::size_t>(c >= cells_ ? cells_ - 1 : c);
  };
  for (std::size_t i = 0; i < n; ++i) {
    cell_of_[i] = (coord(w_[3 * i]) * nc + coord(w_[3 * i + 1])) * nc + coord(w_[3 * i + 2]);
    ++head_[cell_of_[i] + 1];
  }
  for (std::size_t c = 0; c < nc * nc * nc; ++c) head_[c + 1] += head_[c];
  std::vector<std::size_t> fill(head_.begin(), head_.end() - 1);
  for (std::size_t i = 0; i < n; ++i) items_[fill[cell_of_[i]]++] = i;  // ascending i per cell
  sorted_.resize(3 * n);
  for (std::size_t p = 0; p < n; ++p)
    for (int k = 0; k < 3; ++k) sorted_[3 * p + k] = w_[3 * items_[p] + k];
}

NeighbourList periodic_neighbours(const double* x, std::size_t n, double box, double cutoff) {
  const PeriodicCells cells(x, n, box, cutoff);
  // Rows built in chunks, each chunk by one thread into its own buffer, joined in chunk
  // order: the list is the same for any thread count.
  constexpr std::size_t kChunk = 256;
  const std::size_t chunks = (n + kChunk - 1) / kChunk;
  std::vector<std::vector<std::uint32_t>> idx(chunks);
  std::vector<std::vector<double>> sep(chunks);
  NeighbourList out;
  out.start.assign(n + 1, 0);
#pragma omp parallel for schedule(dynamic, 1) if (n > 2000)
  for (std::size_t c = 0; c < chunks; ++c) {
    for (std::size_t i = c * kChunk; i < std::min(n, (c + 1) * kChunk); ++i) {
      const std::size_t before = idx[c].size();
      cells.visit(i, [&](std::uint32_t j, const double* d) {
        idx[c].push_back(j);
        sep[c].insert(sep[c].end(), d, d + 3);
      });
      out.start[i + 1] = idx[c].size() - before;
    }
  }
  for (std::size_t i = 0; i < n; ++i) out.start[i + 1] += out.start[i];
  out.index.reserve(out.start[n]);
  out.separation.reserve(3 * out.start[n]);
  for (std::size_t c = 0; c < chunks; ++c) {
    out.index.insert(out.index.end(), idx[c].begin(), idx[c].end());
    out.separation.insert(out.separation.end(), sep[c].begin(), sep[c].end());
  }
  return out;
}

}  // namespace mesolith::bd
