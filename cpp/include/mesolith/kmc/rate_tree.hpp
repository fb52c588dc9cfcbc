// Binary sum tree over event rates (Gibson & Bruck, J. Phys. Chem. A 104, 1876, 2000).
//
// Leaves hold the rates of N events (padded with zeros to a power of two); every internal
// node holds the sum of its two children, recomputed from them (never updated by adding a
// difference), so the root is always the floating-point sum of the current leaves and does
// not drift over billions of updates. select() walks from the root to the leaf whose
// cumulative-rate interval contains a target in O(log N); set() rewrites one leaf and the
// O(log N) sums above it.
#pragma once

#include <cstddef>
#include <vector>

namespace mesolith::kmc {

class RateTree {
 public:
  explicit RateTree(std::size_t n = 0) { reset(n); }

  // n leaves, all zero.
  void reset(std::size_t n);

  // Set every leaf from rates[0..n) and rebuild all sums in O(N).
  void assign(const double* rates, std::size_t n);

  std::size_t size() const { return n_; }
  double total() const { return node_[1]; }
  double rate(std::size_t i) const { return node_[cap_ + i]; }

  // Set leaf i to r >= 0 and recompute the sums on its path to the root.
  void set(std::size_t i, double r) {
    std::size_t k = cap_ + i;
    if (node_[k] == r) return;  // unchanged leaf: the sums above are already right
    node_[k] = r;
    for (k >>= 1; k >= 1; k >>= 1) node_[k] = node_[2 * k] + node_[2 * k + 1];
  }

  // Set n <= 16 leaves at once: each changed leaf's ancestors are recomputed once per level
  // even when several leaves share them (neighbouring sites share most of their path).
  void set_many(const std::size_t* leaves, const double* rates, int n) {
    std::size_t parents[16];
    int m = 0;
    for (int e = 0; e < n; ++e) {
      const std::size_t k = cap_ + leaves[e];
      if (node_[k] == rates[e]) continue;
      node_[k] = rates[e];
      parents[m++] = k >> 1;
    }
    while (m > 0 && parents[0] >= 1) {
      // insertion sort + unique: m is tiny
      for (int a = 1; a < m; ++a)
        for (int b = a; b > 0 && parents[b - 1] > parents[b]; --b) {
          const std::size_t t = parents[b];
          parents[b] = parents[b - 1];
          parents[b - 1] = t;
        }
      int u = 0;
      for (int a = 0; a < m; ++a)
        if (u == 0 || parents[u - 1] != parents[a]) parents[u++] = parents[a];
      m = u;
      for (int a = 0; a < m; ++a) {
        const std::size_t k = parents[a];
        node_[k] = node_[2 * k] + node_[2 * k + 1];
        parents[a] = k >> 1;
      }
      if (parents[0] == 0) break;  // the root was just recomputed
    }
  }

  // The leaf whose interval [C_{i-1}, C_i) of the cumulative rate contains `target`
  // (0 <= target < total(); requires total() > 0). On return `target` is the offset inside
  // that leaf's interval, in [0, rate(i)), so callers can reuse it to choose a sub-event.
  // Never returns a leaf of zero rate: at each node it only enters a child with positive sum.
  std::size_t select(double& target) const {
    std::size_t k = 1;
    while (k < cap_) {
      const double left = node_[2 * k];
      if (target < left || node_[2 * k + 1] <= 0.0) {
        k = 2 * k;
      } else {
        target -= left;
        k = 2 * k + 1;
      }
    }
    const double r = node_[k];
    if (target >= r) target = r * 0.5;  // rounding at the right edge of the interval
    if (target < 0.0) target = 0.0;
    return k - cap_;
  }

  // Largest |node - (left + right)| over internal nodes; 0 when every sum is exact.
  double max_sum_error() const;

 private:
  std::size_t n_ = 0;
  std::size_t cap_ = 1;       // leaves start at node_[cap_]
  std::vector<double> node_;  // 1-based heap layout; node_[0] unused
};

}  // namespace mesolith::kmc
