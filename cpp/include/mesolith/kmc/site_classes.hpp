// Event selection by rate classes: the original n-fold way of Bortz, Kalos & Lebowitz
// (J. Comput. Phys. 17, 10, 1975). When every site's total rate is one of a few values r_c
// (a lattice gas: the rate depends only on the site's occupancy and its number of occupied
// neighbours), sites are kept in one dense list per class. Then
//   R_total = sum_c N_c r_c                     (recomputed from integer counts: no drift)
//   class c with probability N_c r_c / R_total  (scan of <= 16 classes)
//   site: uniform in the class list             (O(1))
// and a site that changes class is moved by swap-remove + append, O(1). The cost per event
// does not depend on the lattice size except through memory latency. Classes of zero rate
// are not stored. The list order is a deterministic function of the event history.
// Each site's index inside its list is stored by the caller (`pos(s)` returns a reference to
// it), next to the site's other data, so that an update touches one record per site.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "mesolith/kmc/huge_page_allocator.hpp"

namespace mesolith::kmc {

class SiteClasses {
 public:
  static constexpr int kMaxClasses = 16;

  // Empty lists for sites [0, n_sites); rates[c] for c < n_classes (>= 0).
  void reset(std::size_t n_sites, const double* rates, int n_classes) {
    if (n_classes < 1 || n_classes > kMaxClasses) throw std::invalid_argument("class count");
    if (n_sites >= 0xffffffffu) throw std::invalid_argument("too many sites for 32-bit lists");
    n_classes_ = n_classes;
    for (int c = 0; c < kMaxClasses; ++c) {
      rate_[c] = c < n_classes ? rates[c] : 0.0;
      if (!(rate_[c] >= 0.0)) throw std::invalid_argument("class rates must be >= 0");
      list_[c].clear();
    }
  }

  // Put site s (currently in no list) into class c.
  template <class Pos>
  void insert(std::uint32_t s, int c, Pos&& pos) {
    if (rate_[c] <= 0.0) return;
    pos(s) = static_cast<std::uint32_t>(list_[c].size());
    list_[c].push_back(s);
  }

  // Move site s from class `from` to class `to`.
  template <class Pos>
  void move(std::uint32_t s, int from, int to, Pos&& pos) {
    if (from == to) return;
    if (rate_[from] > 0.0) {
      auto& l = list_[from];
      const std::uint32_t p = pos(s), last = l.back();
      l[p] = last;
      pos(last) = p;
      l.pop_back();
    }
    insert(s, to, pos);
  }

  double rate(int c) const { return rate_[c]; }
  std::size_t count(int c) const { return list_[c].size(); }
  const std::vector<std::uint32_t, HugePageAllocator<std::uint32_t>>& members(int c) const {
    return list_[c];
  }
  int classes() const { return n_classes_; }

  double total() const {
    double r = 0.0;
    for (int c = 0; c < n_classes_; ++c) r += static_cast<double>(list_[c].size()) * rate_[c];
    return r;
  }

  // The site whose interval of the cumulative rate contains target (0 <= target < total());
  // `cls` becomes its class and `target` the offset inside its rate, in [0, rate(cls)).
  std::uint32_t select(double& target, int& cls) const {
    int last = -1;
    for (int c = 0; c < n_classes_; ++c) {
      const std::size_t n = list_[c].size();
      if (n == 0 || rate_[c] <= 0.0) continue;
      last = c;
      const double span = static_cast<double>(n) * rate_[c];
      if (target < span) {
        std::size_t k = static_cast<std::size_t>(target / rate_[c]);
        if (k >= n) k = n - 1;
        target -= static_cast<double>(k) * rate_[c];
        if (target < 0.0) target = 0.0;
        if (target >= rate_[c]) target = 0.5 * rate_[c];
        cls = c;
        return list_[c][k];
      }
      target -= span;
    }
    // Rounding left the target past the last class: take its last site.
    cls = last;
    target = 0.5 * rate_[last];
    return list_[last].back();
  }

  // Restore lists saved with members() (site order included): the selection then continues
  // exactly as before the save.
  template <class Pos>
  void restore(int c, const std::uint32_t* sites, std::size_t n, Pos&& pos) {
    list_[c].assign(sites, sites + n);
    for (std::size_t k = 0; k < n; ++k) pos(sites[k]) = static_cast<std::uint32_t>(k);
  }

 private:
  int n_classes_ = 0;
  double rate_[kMaxClasses] = {};
  std::vector<std::uint32_t, HugePageAllocator<std::uint32_t>> list_[kMaxClasses];
};

}  // namespace mesolith::kmc
