// Event selection by rate classes (the n-fold way of Bortz, Kalos & Lebowitz, J. Comput.
// Phys. 17, 10, 1975) without per-class site lists. When every site's total rate is one of a
// few values r_c, the n-fold way needs N_c (sites per class) and a way to find the k-th site
// of class c. Here that is a count hierarchy in site order: for every class, the number of
// its sites in each group of 64 sites ("tile"), of 8 tiles, of 64^2 and of 64^3 sites, and in
// all. Then
//   R_total = sum_c N_c r_c                     (from integer counts: no drift)
//   class c with probability N_c r_c / R_total  (scan of <= 8 classes)
//   k uniform in [0, N_c); its site: scan of the counts down the levels (<= 64 entries each,
//   all small enough to stay in cache) and of the tile's 64 one-byte cells.
// The counts of all classes of one group sit side by side (8 lanes of one word or vector), so
// a class change of a site is one vector addition per level, the same whatever the two
// classes are, and a change to the same class adds zero: callers need no branch on whether
// a neighbour's class changed. Compared with per-class lists this needs no list slot and no
// index per site: an event reads and writes the cache lines of the sites it involves and
// cache-resident counters only. Selection is exact and a deterministic function of the
// configuration alone.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "mesolith/kmc/huge_page_allocator.hpp"

namespace mesolith::kmc {

class ClassCounts {
 public:
  static constexpr int kMaxClasses = 8;
  // Levels: tile 64 sites, group 8 tiles, block 64^2 sites, super-block 64^3 sites.
  static constexpr int kShift1 = 6, kShiftGroup = 9, kShift2 = 12, kShift3 = 18;

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
      rates_[c] = rate_[c];
      cum_[c] = 0.0;
    }
    n_ = U32x8{};
    // Whole blocks of 64 tiles: a scan may read a block to its end.
    n_blocks_ = (n_sites >> kShift2) + 1;
    n_super_ = (n_sites >> kShift3) + 1;
    tile_.assign(n_blocks_ << (kShift2 - kShift1), 0);
    group_.assign(n_blocks_ << (kShift2 - kShiftGroup), U16x8{});
    block_.assign(n_super_ << (kShift3 - kShift2), U16x8{});
    super_.assign(n_super_, U32x8{});
    // The per-level additions of a move from class `from` to class `to` (zero when equal).
    for (int from = 0; from < kMaxClasses; ++from)
      for (int to = 0; to < kMaxClasses; ++to) {
        Delta& d = delta_[from * kMaxClasses + to];
        d = Delta{};
        d.tile = (std::uint64_t(1) << (8 * to)) - (std::uint64_t(1) << (8 * from));
        d.small[to] = static_cast<std::uint16_t>(d.small[to] + 1);
        d.small[from] = static_cast<std::uint16_t>(d.small[from] - 1);
        d.large[to] += 1u;
        d.large[from] -= 1u;
      }
    for (int c = 0; c < kMaxClasses; ++c) {
      add_[c] = remove_[c] = Delta{};
      add_[c].tile = std::uint64_t(1) << (8 * c);
      add_[c].small[c] = 1;
      add_[c].large[c] = 1u;
      remove_[c].tile = std::uint64_t(0) - add_[c].tile;
      remove_[c].small -= add_[c].small;
      remove_[c].large -= add_[c].large;
    }
  }

  void add(std::size_t s, int c) { apply(s, add_[c]); }
  void remove(std::size_t s, int c) { apply(s, remove_[c]); }
  // Move site s from class `from` to class `to`: no branch, and no change when they are equal.
  void move(std::size_t s, int from, int to) { apply(s, delta_[from * kMaxClasses + to]); }

  // The moves of one event, which mostly fall in one group of 8 tiles (and so in one block and
  // super-block): their additions to those levels are summed in registers and written once by
  // commit(), instead of one read-modify-write per move on the same few addresses (a chain of
  // store-to-load waits). Selection (tile_of, locate, total) reads the counts only after
  // commit(). A move is named by move_index(from, to).
  struct Batch;
  Batch begin(std::size_t s) const;
  static int move_index(int from, int to) { return from * kMaxClasses + to; }
  void move(Batch& batch, std::size_t s, int index);
  void move(Batch& batch, std::size_t s, int from, int to) { move(batch, s, move_index(from, to)); }
  void commit(const Batch& batch);

  double rate(int c) const { return rate_[c]; }
  std::size_t count(int c) const { return n_[c]; }
  int classes() const { return n_classes_; }

  // Summed in class order over all kMaxClasses (rate 0 past n_classes_).
  double total() const {
    const F64x8 spans = __builtin_convertvector(n_, F64x8) * rates_;
    double r = 0.0;
    for (int c = 0; c < kMaxClasses; ++c) r += spans[c];
    return r;
  }

  // The cumulative rates of the classes, kept for locate(), and their total: the same sums in
  // the same order as total(), so a target below it always falls in a class. Call it after
  // the counts last changed and before locate().
  double cumulate() {
    const F64x8 spans = __builtin_convertvector(n_, F64x8) * rates_;
    double r = 0.0;
    for (int c = 0; c < kMaxClasses; ++c) {
      r += spans[c];
      cum_[c] = r;
    }
    return r;
  }

  // The class whose interval of the cumulative rate (from the last cumulate()) contains
  // target (0 <= target < total) and the index k of the site inside it; target becomes the
  // offset inside that site's rate, in [0, rate(class)). Branch-free: the class is the
  // number of cumulative sums <= target (a class of zero rate has the same sum as the one
  // before it and is never chosen).
  int locate(double& target, std::size_t& k) const {
    double start = 0.0, previous = 0.0;
    int cls = 0, last = 0;
    for (int c = 0; c < kMaxClasses; ++c) {  // rate_ is 0 past n_classes_
      const bool past = cum_[c] <= target;
      cls += past;
      start = past ? cum_[c] : start;
      last = cum_[c] > previous ? c : last;
      previous = cum_[c];
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
  // index of that site among the tile's sites of class c. The two short levels (8 groups of a
  // block, 8 tiles of a group) are scanned to their end without a data-dependent branch (the
  // index is the number of prefix sums <= k); the long ones stop at the entry (find_entry()).
  std::size_t tile_of(int c, std::size_t& k) const {
    // One super-block (<= 2^18 sites): its count is n_[c] and it is neither kept nor read.
    const std::size_t s = n_super_ > 1 ? find_entry(super_.data(), n_super_, c, k) : 0;
    const std::size_t first_block = s << (kShift3 - kShift2);
    const std::size_t blocks = std::min<std::size_t>(64, n_blocks_ - first_block);
    const std::size_t b = first_block + find_entry(block_.data() + first_block, blocks, c, k);
    const std::size_t g = (b << 3) + prefix_index(group_.data() + (b << 3), c, k);
    const std::uint8_t* tiles = reinterpret_cast<const std::uint8_t*>(tile_.data() + (g << 3));
    std::size_t index = 0, before = 0, cum = 0;
    for (int t = 0; t < 8; ++t) {  // byte c of each tile's word
      cum += tiles[8 * t + c];
      const bool past = cum <= k;
      index += past;
      before = past ? cum : before;
    }
    k -= before;
    return (g << 3) + index;
  }

  // The cache lines that tile_of(c, k) reads last (the tile counts of the group holding the
  // k-th site of c), asked for ahead of the event that will scan them.
  void prefetch_counts(int c, std::size_t k) const {
    const std::size_t s = n_super_ > 1 ? find_entry(super_.data(), n_super_, c, k) : 0;
    const std::size_t first_block = s << (kShift3 - kShift2);
    const std::size_t blocks = std::min<std::size_t>(64, n_blocks_ - first_block);
    const std::size_t b = first_block + find_entry(block_.data() + first_block, blocks, c, k);
    const std::size_t g = (b << 3) + prefix_index(group_.data() + (b << 3), c, k);
    __builtin_prefetch(tile_.data() + (g << 3));
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
    const auto same8 = [](const auto& a, const auto& b) {
      for (int c = 0; c < kMaxClasses; ++c)
        if (a[c] != b[c]) return false;
      return true;
    };
    if (!same8(fresh.n_, n_) || fresh.tile_ != tile_) return false;
    for (std::size_t i = 0; i < group_.size(); ++i)
      if (!same8(fresh.group_[i], group_[i])) return false;
    for (std::size_t i = 0; i < block_.size(); ++i)
      if (!same8(fresh.block_[i], block_[i])) return false;
    for (std::size_t i = 0; i < super_.size(); ++i)
      if (!same8(fresh.super_[i], super_[i])) return false;
    return true;
  }

 private:
  // Eight counters side by side, one lane per class (GCC/Clang vector extensions: SIMD where
  // the target has it, plain loops elsewhere). Lanes wrap modulo their width, so adding the
  // two's complement of 1 is a subtraction.
  typedef std::uint16_t U16x8 __attribute__((vector_size(16)));
  typedef std::uint32_t U32x8 __attribute__((vector_size(32)));
  typedef double F64x8 __attribute__((vector_size(64)));
  struct Delta {
    std::uint64_t tile = 0;  // byte lanes: +1 at `to`, -1 at `from` (no lane borrows: from >= 1)
    U16x8 small{};
    U32x8 large{};
  };


 public:
  struct Batch {
    std::size_t group = 0;  // of the event's site; moves elsewhere are written at once
    U16x8 small{};          // for its group and block
    U32x8 large{};          // for its super-block and the totals
  };

 private:
  void apply(std::size_t s, const Delta& d) {
    tile_[s >> kShift1] += d.tile;
    group_[s >> kShiftGroup] += d.small;
    block_[s >> kShift2] += d.small;
    if (n_super_ > 1) super_[s >> kShift3] += d.large;
    n_ += d.large;
  }
  // Index of the entry of a[0, 8) (lane c) that holds the k-th item (k < sum of a), k
  // becoming the index inside that entry: the number of prefix sums <= k, without branches.
  template <class V>
  static std::size_t prefix_index(const V* a, int c, std::size_t& k) {
    std::size_t index = 0, before = 0, cum = 0;
    for (int i = 0; i < 8; ++i) {
      cum += a[i][c];
      const bool past = cum <= k;
      index += past;
      before = past ? cum : before;
    }
    k -= before;
    return index;
  }

  // The same for a[0, n), lane c: short (<= 8 entries: blocks of a small lattice) all entries
  // without a branch; long, a scan that stops at the entry (one mispredicted exit, half the
  // entries on average).
  template <class V>
  static std::size_t find_entry(const V* a, std::size_t n, int c, std::size_t& k) {
    if (n <= 8) {
      std::size_t index = 0, before = 0, cum = 0;
      for (std::size_t i = 0; i < n; ++i) {
        cum += a[i][c];
        const bool past = cum <= k;
        index += past;
        before = past ? cum : before;
      }
      k -= before;
      return index;
    }
    std::size_t i = 0;
    for (; k >= a[i][c]; ++i) k -= a[i][c];
    return i;
  }

  int n_classes_ = 0;
  std::size_t n_blocks_ = 0, n_super_ = 0;
  std::size_t n_sites_ = 0;
  double rate_[kMaxClasses] = {};
  double inverse_[kMaxClasses] = {};  // 1 / rate: a multiplication where a division was
  bool inverse_finite_[kMaxClasses] = {};
  F64x8 rates_{};                   // rate_ as a vector
  double cum_[kMaxClasses] = {};    // cumulative class rates at the last cumulate()
  Delta delta_[kMaxClasses * kMaxClasses];  // move from * kMaxClasses + to
  Delta add_[kMaxClasses], remove_[kMaxClasses];
  U32x8 n_{};  // sites per class (< 2^32: reset() checks)
  // Sites of each class (byte c of the word) in each tile (<= 64).
  std::vector<std::uint64_t, HugePageAllocator<std::uint64_t>> tile_;
  std::vector<U16x8, HugePageAllocator<U16x8>> group_;  // per 8 tiles (<= 512)
  std::vector<U16x8, HugePageAllocator<U16x8>> block_;  // per 64^2 sites (<= 4096)
  std::vector<U32x8, HugePageAllocator<U32x8>> super_;  // per 64^3 sites
};

inline ClassCounts::Batch ClassCounts::begin(std::size_t s) const {
  Batch b;
  b.group = s >> kShiftGroup;
  return b;
}

// The branch follows where the site lies (almost always the batch's group), not the classes:
// it is predicted right.
inline void ClassCounts::move(Batch& batch, std::size_t s, int index) {
  const Delta& d = delta_[index];
  tile_[s >> kShift1] += d.tile;
  if ((s >> kShiftGroup) == batch.group) {
    batch.small += d.small;
    batch.large += d.large;
  } else {
    group_[s >> kShiftGroup] += d.small;
    block_[s >> kShift2] += d.small;
    if (n_super_ > 1) super_[s >> kShift3] += d.large;
    n_ += d.large;
  }
}

inline void ClassCounts::commit(const Batch& batch) {
  group_[batch.group] += batch.small;
  block_[batch.group >> (kShift2 - kShiftGroup)] += batch.small;
  if (n_super_ > 1) super_[batch.group >> (kShift3 - kShiftGroup)] += batch.large;
  n_ += batch.large;
}

}  // namespace mesolith::kmc
