#include "mesolith/kmc/rate_tree.hpp"

#include <algorithm>
#include <cmath>

namespace mesolith::kmc {

void RateTree::reset(std::size_t n) {
  n_ = n;
  cap_ = 1;
  while (cap_ < n) cap_ <<= 1;
  node_.assign(2 * cap_, 0.0);
}

void RateTree::assign(const double* rates, std::size_t n) {
  if (n != n_) reset(n);
  std::fill(node_.begin(), node_.end(), 0.0);
  std::copy(rates, rates + n, node_.begin() + static_cast<std::ptrdiff_t>(cap_));
  for (std::size_t k = cap_ - 1; k >= 1; --k) node_[k] = node_[2 * k] + node_[2 * k + 1];
}

double RateTree::max_sum_error() const {
  double worst = 0.0;
  for (std::size_t k = 1; k < cap_; ++k)
    worst = std::max(worst, std::abs(node_[k] - (node_[2 * k] + node_[2 * k + 1])));
  return worst;
}

}  // namespace mesolith::kmc
