// Event selection by rate classes (the n-fold way of Bortz, Kalos & Lebowitz, J. Comput.
// Phys. 17, 10, 1975) without per-class site lists. When every site's total rate is one of a
// few values r_c, the n-fold way needs N_c (sites per class) and a way to find the k-th site
// of class c. Here that is a tree of counts in site order with eight children per node: its
// leaves count the sites of each class in a group of 64 sites ("tile"), the level above in 8
// tiles, the next in 64, and so on up to a level of at most 8 entries. Then
//   R_total = sum_c N_c r_c                     (from integer counts: no drift)
//   class c with probability N_c r_c / R_total  (scan of <= 8 classes)
//   k uniform in [0, N_c); its site: down the tree, at each level the child among 8 holding
//   the k-th site (a fixed-length scan without a data-dependent branch), then the tile's 64
//   one-byte cells.
// The counts of all classes of a node sit side by side (8 lanes of one word or vector), so a
// class change of a site is one addition per level, the same whatever the two classes are,
// and a change to the same class adds zero. The levels above the tiles are small (an eighth
// of the level below); the descent costs the same few steps for 10^4 or 10^9 sites.
// Selection is exact and a deterministic function of the configuration alone.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "mesolith/kmc/huge_page_allocator.hpp"

namespace mesolith::kmc {

// The tile counts are 64-bit words whose byte c counts class c, read back byte by byte.
static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "class counts assume little-endian words");

class ClassCounts {
 private:
  // Eight counters side by side, one lane per class (GCC/Clang vector extensions: SIMD where
  // the target has it, plain loops elsewhere). Lanes wrap modulo their width, so adding the
  // two's complement of 1 is a subtraction.
  typedef std::uint16_t U16x8 __attribute__((vector_size(16)));
  typedef std::uint32_t U32x8 __attribute__((vector_size(32)));
  typedef double F64x8 __attribute__((vector_size(64)));

 public:
  static constexpr int kMaxClasses = 8;
  static constexpr int kShift1 = 6;  // 64 sites per tile
  // Levels above the tiles: 1..3 in 16-bit lanes (<= 64 * 8^3 = 32768 sites), 4.. in 32-bit.
  static constexpr int kSmallLevels = 3, kMaxLevels = 9;

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
    // Every level holds whole groups of 8 entries, so a scan of 8 children stays inside it.
    std::size_t entries = (n_sites >> kShift1) + 1;
    tile_.assign((entries + 7) & ~std::size_t(7), 0);
    top_ = 0;
    entries_[0] = entries;
    while (entries > 8) {
      entries = (entries + 7) >> 3;
      ++top_;
      entries_[top_] = entries;
      const std::size_t padded = (entries + 7) & ~std::size_t(7);
      if (top_ <= kSmallLevels)
        small_[top_ - 1].assign(padded, U16x8{});
      else
        large_[top_ - 1 - kSmallLevels].assign(padded, U32x8{});
    }
    for (int level = top_ + 1; level <= kMaxLevels; ++level) {
      if (level <= kSmallLevels)
        small_[level - 1].clear();
      else
        large_[level - 1 - kSmallLevels].clear();
    }
    // The per-level additions of a move from class `from` to class `to` (zero when equal),
    // of adding a site to class c and of removing it.
    for (int from = 0; from < kMaxClasses; ++from)
      for (int to = 0; to < kMaxClasses; ++to) {
        Delta& d = delta_[move_index(from, to)];
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
  void move(std::size_t s, int from, int to) { apply(s, delta_[move_index(from, to)]); }

  // The moves of one event, which mostly fall in one group of 8 tiles (and so in one entry of
  // every level above): their additions to those levels are summed in registers and written
  // once by commit(), instead of one read-modify-write per move on the same few addresses (a
  // chain of store-to-load waits). Selection (tile_of, cumulate, total) reads the counts only
  // after commit(). A move is named by move_index(from, to).
  struct Batch;
  Batch begin(std::size_t s) const;
  static int move_index(int from, int to) { return from * kMaxClasses + to; }
  void move(Batch& batch, std::size_t s, int index);
  void move(Batch& batch, std::size_t s, int from, int to) { move(batch, s, move_index(from, to)); }
  void commit(const Batch& batch);

  double rate(int c) const { return rate_[c]; }
  std::size_t count(int c) const { return n_[c]; }
  int classes() const { return n_classes_; }

  // The last running sum of prefix() over all kMaxClasses (rate 0 past n_classes_).
  double total() const {
    double cum[kMaxClasses];
    prefix(spans(), cum);
    return cum[kMaxClasses - 1];
  }

  // The cumulative rates of the classes, kept for locate(), and their total: the same sums in
  // the same order as total(), so a target below it always falls in a class. Call it after
  // the counts last changed and before locate().
  double cumulate() {
    prefix(spans(), cum_);
    return cum_[kMaxClasses - 1];
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

  // A partial descent: the entry `entry` of level `level` (0: a tile) holds the k-th site of
  // class c. Started at the top by cursor(), moved one level down by descend().
  struct Cursor {
    int c = 0;
    int level = 0;
    std::size_t entry = 0, k = 0;
  };
  Cursor cursor(int c, std::size_t k) const {
    Cursor at;
    at.c = c;
    at.level = top_ + 1;  // the root: entry 0 above the top level
    at.k = k;
    return at;
  }
  // One level down (level > 0). With counts that changed since the cursor was made (a
  // prediction), k may pass the entry's count: the child is then the last one, still inside
  // the level.
  void descend(Cursor& at) const {
    const std::size_t first = at.entry << 3;
    const int below = at.level - 1;
    std::size_t child;
    if (below == 0)
      child = child_index<true>(reinterpret_cast<const std::uint8_t*>(tile_.data() + first), at.c,
                                at.k);
    else if (below <= kSmallLevels)
      child = child_index<true>(
          reinterpret_cast<const std::uint16_t*>(small_[below - 1].data() + first), at.c, at.k);
    else
      child = child_index<true>(
          reinterpret_cast<const std::uint32_t*>(large_[below - 1 - kSmallLevels].data() + first),
          at.c, at.k);
    // Held at the level's last entry: past it a clamped child could lead outside the tree.
    at.entry = std::min(first + child, entries_[below] - 1);
    at.level = below;
  }
  // The cache lines descend() will read next (the 8 children of the cursor's entry).
  void prefetch_children(const Cursor& at) const {
    const std::size_t first = at.entry << 3;
    const int below = at.level - 1;
    const char* line = below == 0 ? reinterpret_cast<const char*>(tile_.data() + first)
                       : below <= kSmallLevels
                           ? reinterpret_cast<const char*>(small_[below - 1].data() + first)
                           : reinterpret_cast<const char*>(
                                 large_[below - 1 - kSmallLevels].data() + first);
    __builtin_prefetch(line);
    if (below > 0) __builtin_prefetch(line + 64);  // 8 entries of 16 bytes or more
  }

  // The class counts of tile t (one word of a cache line shared with its group of 8 tiles).
  void prefetch_tile_counts(std::size_t t) const { __builtin_prefetch(tile_.data() + t); }

  // The tile holding the k-th site (k < count(c)) of class c in site order; k becomes the
  // index of that site among the tile's sites of class c.
  std::size_t tile_of(int c, std::size_t& k) const {
    // The top level: only its entries in use (2 to 8; a loop of fixed length per lattice).
    if (top_ == 0)
      return top_index(reinterpret_cast<const std::uint8_t*>(tile_.data()), c, k);
    std::size_t entry =
        top_ <= kSmallLevels
            ? top_index(reinterpret_cast<const std::uint16_t*>(small_[top_ - 1].data()), c, k)
            : top_index(
                  reinterpret_cast<const std::uint32_t*>(large_[top_ - 1 - kSmallLevels].data()),
                  c, k);
    for (int level = top_ - 1; level > kSmallLevels; --level)
      entry = (entry << 3) +
              child_index<false>(reinterpret_cast<const std::uint32_t*>(
                                     large_[level - 1 - kSmallLevels].data() + (entry << 3)),
                                 c, k);
    for (int level = std::min(top_ - 1, kSmallLevels); level > 0; --level)
      entry = (entry << 3) +
              child_index<false>(
                  reinterpret_cast<const std::uint16_t*>(small_[level - 1].data() + (entry << 3)),
                  c, k);
    return (entry << 3) +
           child_index<false>(reinterpret_cast<const std::uint8_t*>(tile_.data() + (entry << 3)),
                              c, k);
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
    const auto same_level = [&](const auto& a, const auto& b) {
      if (a.size() != b.size()) return false;
      for (std::size_t i = 0; i < a.size(); ++i)
        if (!same8(a[i], b[i])) return false;
      return true;
    };
    if (!same8(fresh.n_, n_) || fresh.tile_ != tile_) return false;
    for (int l = 0; l < kSmallLevels; ++l)
      if (!same_level(fresh.small_[l], small_[l])) return false;
    for (int l = 0; l < kMaxLevels - kSmallLevels; ++l)
      if (!same_level(fresh.large_[l], large_[l])) return false;
    return true;
  }

  struct Batch {
    std::size_t group = 0;  // level-1 entry of the event's site; moves elsewhere go at once
    U16x8 small{};          // for its entries of the 16-bit levels
    U32x8 large{};          // for its entries of the 32-bit levels and the totals
  };

 private:
  struct Delta {
    std::uint64_t tile = 0;  // byte lanes: +1 at `to`, -1 at `from` (no lane borrows: from >= 1)
    U16x8 small{};
    U32x8 large{};
  };

  // N_c r_c for every class.
  F64x8 spans() const { return __builtin_convertvector(n_, F64x8) * rates_; }
  // Running sums of s in three rounds of additions instead of seven in a row (a chain the
  // next event's selection waits on). Each sum is a rounded sum of non-negative terms that
  // contains the previous one, so the sums never decrease, and a zero term repeats the sum
  // before it exactly (locate() relies on both).
  static void prefix(const F64x8& s, double* cum) {
    const double a01 = s[0] + s[1], a23 = s[2] + s[3], a45 = s[4] + s[5], a67 = s[6] + s[7];
    const double p3 = a01 + a23, b46 = a45 + s[6], b47 = a45 + a67;
    cum[0] = s[0];
    cum[1] = a01;
    cum[2] = a01 + s[2];
    cum[3] = p3;
    cum[4] = p3 + s[4];
    cum[5] = p3 + a45;
    cum[6] = p3 + b46;
    cum[7] = p3 + b47;
  }

  // The additions of d above the tiles, for level-1 entry g and its ancestors.
  void apply_above(std::size_t g, const U16x8& small, const U32x8& large) {
    for (int level = 1; level <= top_; ++level, g >>= 3) {
      if (level <= kSmallLevels)
        small_[level - 1][g] += small;
      else
        large_[level - 1 - kSmallLevels][g] += large;
    }
    n_ += large;
  }
  void apply(std::size_t s, const Delta& d) {
    tile_[s >> kShift1] += d.tile;
    apply_above(s >> (kShift1 + 3), d.small, d.large);
  }

  // Index of the child among a[c], a[c + 8], ..., a[c + 8 (n - 1)] (n <= 8 children; lane c
  // of each) that holds the k-th item, k becoming the index inside it: the number of prefix
  // sums <= k, counted without branches. kClamp: k may pass the sum (a prediction from counts
  // that have changed since); the index is then held at the last child.
  template <bool kClamp, class T>
  static std::size_t child_index(const T* a, int c, std::size_t& k, std::size_t n = 8) {
    std::size_t index = 0, before = 0, cum = 0;
    for (std::size_t i = 0; i < n; ++i) {
      cum += a[8 * i + static_cast<std::size_t>(c)];
      const bool past = cum <= k;
      index += past;
      before = past ? cum : before;
    }
    if (kClamp) {
      const bool over = index >= n;
      index -= over;
      before = over ? before - a[8 * (n - 1) + static_cast<std::size_t>(c)] : before;
    }
    k -= before;
    return index;
  }

  // child_index() over the entries of the top level in use.
  template <class T>
  std::size_t top_index(const T* a, int c, std::size_t& k) const {
    return child_index<false>(a, c, k, entries_[top_]);
  }

  int n_classes_ = 0;
  int top_ = 0;  // levels above the tiles; the top one has at most 8 entries
  std::size_t entries_[kMaxLevels + 1] = {};  // entries of each level (0: tiles) in use
  std::size_t n_sites_ = 0;
  double rate_[kMaxClasses] = {};
  double inverse_[kMaxClasses] = {};  // 1 / rate: a multiplication where a division was
  bool inverse_finite_[kMaxClasses] = {};
  F64x8 rates_{};                  // rate_ as a vector
  double cum_[kMaxClasses] = {};   // cumulative class rates at the last cumulate()
  Delta delta_[kMaxClasses * kMaxClasses];  // move from * kMaxClasses + to
  Delta add_[kMaxClasses], remove_[kMaxClasses];
  U32x8 n_{};  // sites per class (< 2^32: reset() checks)
  // Sites of each class (byte c of the word) in each tile (<= 64).
  std::vector<std::uint64_t, HugePageAllocator<std::uint64_t>> tile_;
  std::vector<U16x8, HugePageAllocator<U16x8>> small_[kSmallLevels];
  std::vector<U32x8, HugePageAllocator<U32x8>> large_[kMaxLevels - kSmallLevels];
};

inline ClassCounts::Batch ClassCounts::begin(std::size_t s) const {
  Batch b;
  b.group = s >> (kShift1 + 3);
  return b;
}

// The branch follows where the site lies (almost always the batch's group), not the classes:
// it is predicted right.
inline void ClassCounts::move(Batch& batch, std::size_t s, int index) {
  const Delta& d = delta_[index];
  tile_[s >> kShift1] += d.tile;
  if ((s >> (kShift1 + 3)) == batch.group) {
    batch.small += d.small;
    batch.large += d.large;
  } else {
    apply_above(s >> (kShift1 + 3), d.small, d.large);
  }
}

inline void ClassCounts::commit(const Batch& batch) {
  apply_above(batch.group, batch.small, batch.large);
}

}  // namespace mesolith::kmc
