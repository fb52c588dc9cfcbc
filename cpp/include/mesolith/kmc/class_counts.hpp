// Event selection by rate classes (the n-fold way of Bortz, Kalos & Lebowitz, J. Comput.
// Phys. 17, 10, 1975) without per-class site lists. When every site's total rate is one of a
// few values r_c, the n-fold way needs N_c (sites per class) and a way to find the k-th site
// of class c. Here that is a count hierarchy in site order: for every class, the number of
// its sites in each group of 64 sites ("tile"), of 64^2 and of 64^3 sites, and in all. Then
//   R_total = sum_c N_c r_c                     (from integer counts: no drift)
//   class c with probability N_c r_c / R_total  (scan of <= 8 classes)
//   k uniform in [0, N_c); its site: scan of the counts down the levels (<= 64 entries each,
//   all small enough to stay in cache) and of the tile's 64 one-byte cells.
// A class change of a site updates four counters. Compared with per-class lists this needs no
// list slot and no index per site: an event reads and writes the cache lines of the sites it
// involves and cache-resident counters only, so its cost barely grows with the lattice size.
// Selection is exact and a deterministic function of the configuration alone.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "mesolith/kmc/huge_page_allocator.hpp"

namespace mesolith::kmc {

class ClassCounts {
 public:
  static constexpr int kMaxClasses = 8;
  static constexpr int kShift1 = 6, kShift2 = 12, kShift3 = 18;  // 64, 64^2, 64^3 sites

  // Zero counts for sites [0, n_sites); rates[c] for c < n_classes (>= 0).
  void reset(std::size_t n_sites, const double* rates, int n_classes) {
    if (n_classes < 1 || n_classes > kMaxClasses) throw std::invalid_argument("class count");
    if (n_sites >= 0xffffffffu) throw std::invalid_argument("too many sites (>= 2^32)");
    n_classes_ = n_classes;
    n_sites_ = n_sites;
    for (int c = 0; c < kMaxClasses; ++c) {
      rate_[c] = c < n_classes ? rates[c] : 0.0;
      if (!(rate_[c] >= 0.0)) throw std::invalid_argument("class rates must be >= 0");
      inverse_[c] = rate_[c] > 0.0 ? 1.0 / rate_[c] : 0.0;
      inverse_finite_[c] = std::isfinite(inverse_[c]);
      n_[c] = 0;
      // Whole groups of 64 entries: a scan may read a group to its end.
      tile_[c].assign(((n_sites >> kShift2) + 1) << 6, 0);
      block_[c].assign(((n_sites >> kShift3) + 1) << 6, 0);
      super_[c].assign((n_sites >> kShift3) + 1, 0);
    }
  }

  void add(std::size_t s, int c) {
    ++tile_[c][s >> kShift1];
    ++block_[c][s >> kShift2];
    ++super_[c][s >> kShift3];
    ++n_[c];
  }
  void remove(std::size_t s, int c) {
    --tile_[c][s >> kShift1];
    --block_[c][s >> kShift2];
    --super_[c][s >> kShift3];
    --n_[c];
  }
  void move(std::size_t s, int from, int to) {
    if (from == to) return;
    remove(s, from);
    add(s, to);
  }

  double rate(int c) const { return rate_[c]; }
  std::size_t count(int c) const { return n_[c]; }
  int classes() const { return n_classes_; }

  double total() const {
    double r = 0.0;
    for (int c = 0; c < n_classes_; ++c) r += static_cast<double>(n_[c]) * rate_[c];
    return r;
  }

  // The class whose interval of the cumulative rate contains target (0 <= target < total())
  // and the index k of the site inside it; target becomes the offset inside that site's rate,
  // in [0, rate(class)).
  int locate(double& target, std::size_t& k) const {
    int last = -1;
    for (int c = 0; c < n_classes_; ++c) {
      const std::size_t n = n_[c];
      if (n == 0 || rate_[c] <= 0.0) continue;
      last = c;
      const double span = static_cast<double>(n) * rate_[c];
      if (target < span) {
        // A class rate below ~1e-308 (a strongly repulsive neighbourhood) has no finite
        // inverse: divide there instead (0 * inf would be NaN; found by fuzzing).
        const double q = inverse_finite_[c] ? target * inverse_[c] : target / rate_[c];
        k = q < static_cast<double>(n) ? static_cast<std::size_t>(q) : n - 1;
        target -= static_cast<double>(k) * rate_[c];
        if (target < 0.0) target = 0.0;
        if (target >= rate_[c]) target = 0.5 * rate_[c];
        return c;
      }
      target -= span;
    }
    // Rounding left the target past the last class: take its last site.
    target = 0.5 * rate_[last];
    k = n_[last] - 1;
    return last;
  }

  // The tile holding the k-th site (k < count(c)) of class c in site order; k becomes the
  // index of that site among the tile's sites of class c.
  std::size_t tile_of(int c, std::size_t& k) const {
    std::size_t s = 0;
    for (const std::uint32_t* a = super_[c].data(); k >= a[s]; ++s) k -= a[s];
    std::size_t b = s << (kShift3 - kShift2);
    for (const std::uint16_t* a = block_[c].data(); k >= a[b]; ++b) k -= a[b];
    const std::uint8_t* a = tile_[c].data() + (b << (kShift2 - kShift1));
    std::size_t t = 0;
#if defined(__SSE2__)
    // Sums of 8 tiles at a time first (SAD against zero), then single tiles.
    for (;; t += 8) {
      const __m128i x = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(a + t));
      const auto sum = static_cast<std::size_t>(_mm_cvtsi128_si32(_mm_sad_epu8(x, _mm_setzero_si128())));
      if (k < sum) break;
      k -= sum;
    }
#endif
    for (; k >= a[t]; ++t) k -= a[t];
    return (b << (kShift2 - kShift1)) + t;
  }

  // The counts at every level equal a recount from the classes of the sites (for tests).
  template <class ClassOf>
  bool consistent(ClassOf&& class_of) const {
    ClassCounts fresh;
    double rates[kMaxClasses];
    for (int c = 0; c < kMaxClasses; ++c) rates[c] = rate_[c];
    fresh.reset(n_sites_, rates, n_classes_);
    for (std::size_t i = 0; i < n_sites_; ++i) fresh.add(i, class_of(i));
    for (int c = 0; c < n_classes_; ++c)
      if (fresh.n_[c] != n_[c] || fresh.tile_[c] != tile_[c] || fresh.block_[c] != block_[c] ||
          fresh.super_[c] != super_[c])
        return false;
    return true;
  }

 private:
  int n_classes_ = 0;
  std::size_t n_sites_ = 0;
  double rate_[kMaxClasses] = {};
  double inverse_[kMaxClasses] = {};  // 1 / rate: a multiplication where a division was
  bool inverse_finite_[kMaxClasses] = {};
  std::size_t n_[kMaxClasses] = {};
  // Per class: sites of the class in each tile (<= 64), block (<= 4096), super-block.
  std::vector<std::uint8_t, HugePageAllocator<std::uint8_t>> tile_[kMaxClasses];
  std::vector<std::uint16_t> block_[kMaxClasses];
  std::vector<std::uint32_t> super_[kMaxClasses];
};

}  // namespace mesolith::kmc
