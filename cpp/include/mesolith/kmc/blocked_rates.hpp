// Two-level event selection: site rates in a flat array, grouped in blocks of 16 whose sums
// are the leaves of a RateTree. The tree is 16 times smaller (it stays in cache for
// millions of sites) and the last level is a scan of 16 contiguous doubles. A block's sum is
// recomputed from its 16 rates in a fixed order, so sums stay exact and deterministic.
#pragma once

#include <cstddef>
#include <vector>

#include "mesolith/kmc/rate_tree.hpp"

namespace mesolith::kmc {

class BlockedRates {
 public:
  static constexpr std::size_t kBlock = 16;

  explicit BlockedRates(std::size_t n = 0) { reset(n); }

  void reset(std::size_t n) {
    n_ = n;
    rates_.assign((n + kBlock - 1) / kBlock * kBlock, 0.0);
    tree_.reset((n + kBlock - 1) / kBlock);
  }

  void assign(const double* rates, std::size_t n) {
    reset(n);
    for (std::size_t i = 0; i < n; ++i) rates_[i] = rates[i];
    std::vector<double> sums(tree_.size());
    for (std::size_t b = 0; b < sums.size(); ++b) sums[b] = block_sum(b);
    tree_.assign(sums.data(), sums.size());
  }

  std::size_t size() const { return n_; }
  double total() const { return tree_.total(); }
  double rate(std::size_t i) const { return rates_[i]; }
  const RateTree& blocks() const { return tree_; }

  void set(std::size_t i, double r) {
    if (rates_[i] == r) return;
    rates_[i] = r;
    tree_.set(i / kBlock, block_sum(i / kBlock));
  }

  // Set up to 16 sites; each affected block sum is recomputed once.
  void set_many(const std::size_t* sites, const double* rates, int n) {
    std::size_t blocks[16];
    double sums[16];
    int m = 0;
    for (int e = 0; e < n; ++e) {
      if (rates_[sites[e]] == rates[e]) continue;
      rates_[sites[e]] = rates[e];
      const std::size_t b = sites[e] / kBlock;
      bool seen = false;
      for (int k = 0; k < m; ++k) seen |= blocks[k] == b;
      if (!seen) blocks[m++] = b;
    }
    for (int k = 0; k < m; ++k) sums[k] = block_sum(blocks[k]);
    tree_.set_many(blocks, sums, m);
  }

  // As RateTree::select: the site whose interval contains target; target becomes the
  // offset inside that site's rate. Never returns a zero-rate site.
  std::size_t select(double& target) const {
    const std::size_t b = tree_.select(target);
    const double* r = &rates_[b * kBlock];
    std::size_t last = kBlock;
    for (std::size_t k = 0; k < kBlock; ++k) {
      if (r[k] <= 0.0) continue;
      last = k;
      if (target < r[k]) return b * kBlock + k;
      target -= r[k];
    }
    // Rounding left the target past the block's last positive rate: take that site.
    target = 0.5 * r[last];
    return b * kBlock + last;
  }

  // Largest |block leaf - sum of its rates| and of the tree's internal sums; 0 when exact.
  double max_sum_error() const {
    double worst = tree_.max_sum_error();
    for (std::size_t b = 0; b < tree_.size(); ++b) {
      const double d = tree_.rate(b) - block_sum(b);
      worst = d > worst ? d : (-d > worst ? -d : worst);
    }
    return worst;
  }

 private:
  double block_sum(std::size_t b) const {
    const double* r = &rates_[b * kBlock];
    double s = 0.0;
    for (std::size_t k = 0; k < kBlock; ++k) s += r[k];
    return s;
  }

  std::size_t n_ = 0;
  std::vector<double> rates_;
  RateTree tree_;
};

}  // namespace mesolith::kmc
