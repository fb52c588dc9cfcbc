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

#include <algorithm>
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
    n_blocks_ = (n_sites >> kShift2) + 1;
    n_super_ = (n_sites >> kShift3) + 1;
  }

  void add(std::size_t s, int c) { shift(s, c, 1); }
  void remove(std::size_t s, int c) { shift(s, c, -1); }
  void move(std::size_t s, int from, int to) {
    if (from == to) return;
    remove(s, from);
    add(s, to);
  }
  double rate(int c) const { return rate_[c]; }
  std::size_t count(int c) const { return n_[c]; }
  int classes() const { return n_classes_; }

  // Summed in class order over all kMaxClasses (rate 0 past n_classes_): the same sums, in
  // the same order, as the cumulative ones of locate(), so a target below total() always
  // falls in a class.
  double total() const {
    double r = 0.0;
    for (int c = 0; c < kMaxClasses; ++c) r += static_cast<double>(n_[c]) * rate_[c];
    return r;
  }

  // The class whose interval of the cumulative rate contains target (0 <= target < total())
  // and the index k of the site inside it; target becomes the offset inside that site's rate,
  // in [0, rate(class)). Branch-free: the class is the number of cumulative sums <= target
  // (a class of zero rate has the same sum as the one before it and is never chosen).
  int locate(double& target, std::size_t& k) const {
    double cum = 0.0, start = 0.0;
    int cls = 0, last = 0;
    for (int c = 0; c < kMaxClasses; ++c) {  // rate_ is 0 past n_classes_
      const double span = static_cast<double>(n_[c]) * rate_[c];
      cum += span;
      const bool past = cum <= target;
      cls += past;
      start = past ? cum : start;
      last = span > 0.0 ? c : last;
    }
    if (cls >= n_classes_ || n_[cls] == 0 || rate_[cls] <= 0.0) {
      // Rounding left the target past the last class: take its last site.
      target = 0.5 * rate_[last];
      k = n_[last] - 1;
      return last;
    }
    target -= start;
    // A class rate below ~1e-308 (a strongly attractive neighbourhood) has no finite
    // inverse: divide there instead (0 * inf would be NaN; found by fuzzing).
    const double q = inverse_finite_[cls] ? target * inverse_[cls] : target / rate_[cls];
    k = q < static_cast<double>(n_[cls]) ? static_cast<std::size_t>(q) : n_[cls] - 1;
    target -= static_cast<double>(k) * rate_[cls];
    if (target < 0.0) target = 0.0;
    if (target >= rate_[cls]) target = 0.5 * rate_[cls];
    return cls;
  }

  // The tile holding the k-th site (k < count(c)) of class c in site order; k becomes the
  // index of that site among the tile's sites of class c. Short levels are scanned to a fixed
  // length without early exit (the index is the number of prefix sums <= k), so they have no
  // data-dependent branch to mispredict; long ones stop at the entry (find_entry()).
  std::size_t tile_of(int c, std::size_t& k) const {
    // One super-block (<= 2^18 sites): its count is n_[c] and it is neither kept nor read.
    const std::size_t s = n_super_ > 1 ? find_entry(super_[c].data(), n_super_, k) : 0;
    const std::size_t first_block = s << (kShift3 - kShift2);
    const std::size_t blocks = std::min<std::size_t>(64, n_blocks_ - first_block);
    const std::size_t b = first_block + find_entry(block_[c].data() + first_block, blocks, k);
    const std::uint8_t* a = tile_[c].data() + (b << (kShift2 - kShift1));
    std::size_t group_sum[8];
#if defined(__SSE2__)
    // Sums of the 8 groups of 8 tiles (SAD against zero).
    for (int q = 0; q < 4; ++q) {
      const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(a + 16 * q));
      const __m128i sums = _mm_sad_epu8(x, _mm_setzero_si128());
      group_sum[2 * q] = static_cast<std::size_t>(_mm_cvtsi128_si32(sums));
      group_sum[2 * q + 1] = static_cast<std::size_t>(_mm_extract_epi16(sums, 4));
    }
#else
    for (int g = 0; g < 8; ++g) {
      group_sum[g] = 0;
      for (int t = 0; t < 8; ++t) group_sum[g] += a[8 * g + t];
    }
#endif
    const std::size_t g = prefix_index(group_sum, 8, k);
    const std::size_t t = 8 * g + prefix_index(a + 8 * g, 8, k);
    return (b << (kShift2 - kShift1)) + t;
  }

  // The counts at every level equal a recount from the classes of the sites (for tests).
  template <class ClassOf>
  bool consistent(ClassOf&& class_of) const {
    ClassCounts fresh;
    double rates[kMaxClasses];
    for (int c = 0; c < kMaxClasses; ++c) rates[c] = rate_[c];
    fresh.reset(n_sites_, rates, n_classes_);
    for (std::size_t i = 0; i < n_sites_; ++i) {
      const int c = class_of(i);  // < 0: a position that holds no site
      if (c >= 0) fresh.add(i, c);
    }
    for (int c = 0; c < n_classes_; ++c)
      if (fresh.n_[c] != n_[c] || fresh.tile_[c] != tile_[c] || fresh.block_[c] != block_[c] ||
          fresh.super_[c] != super_[c])
        return false;
    return true;
  }

 private:
  void shift(std::size_t s, int c, int delta) {
    tile_[c][s >> kShift1] = static_cast<std::uint8_t>(tile_[c][s >> kShift1] + delta);
    block_[c][s >> kShift2] = static_cast<std::uint16_t>(block_[c][s >> kShift2] + delta);
    if (n_super_ > 1) super_[c][s >> kShift3] += static_cast<std::uint32_t>(delta);
    n_[c] += static_cast<std::size_t>(static_cast<std::ptrdiff_t>(delta));
  }

  // Index of the entry of a[0, n) that holds the k-th item (k < sum of a), k becoming the
  // index inside that entry: the number of prefix sums <= k, counted without branches.
  template <class T>
  static std::size_t prefix_index(const T* a, std::size_t n, std::size_t& k) {
    std::size_t index = 0, before = 0, cum = 0;
    for (std::size_t i = 0; i < n; ++i) {
      cum += a[i];
      const bool past = cum <= k;
      index += past;
      before = past ? cum : before;
    }
    k -= before;
    return index;
  }

  // The same as prefix_index(), by the cheaper way for the length: short (<= 8 entries:
  // tile groups, blocks of a small lattice) all entries without a branch; long, a scan that
  // stops at the entry (one mispredicted exit, half the entries on average).
  template <class T>
  static std::size_t find_entry(const T* a, std::size_t n, std::size_t& k) {
    if (n <= 8) return prefix_index(a, n, k);
    std::size_t i = 0;
    for (; k >= a[i]; ++i) k -= a[i];
    return i;
  }

  int n_classes_ = 0;
  std::size_t n_blocks_ = 0, n_super_ = 0;
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
