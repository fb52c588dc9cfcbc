// Class-count selection against a brute-force count: locate() picks the class whose interval
// of the cumulative rate holds the target, and tile_of() the tile of the k-th site of a class
// in site order, for count trees of 1 to 5 levels above the tiles (16- and 32-bit levels).
// Batched moves (an event's moves summed per level, written at commit) equal single moves,
// and partial descents (cursors, for predictions) stay inside the tree with stale counts.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "mesolith/kmc/class_counts.hpp"
#include "mesolith/rng.hpp"

#include "check.hpp"

using mesolith::testing::check;

namespace {

// The tile of the k-th site of class c, and that site's index among the tile's sites of c.
std::size_t brute_tile(const std::vector<int>& cls, int c, std::size_t k, std::size_t& in_tile) {
  std::size_t seen = 0;
  for (std::size_t i = 0; i < cls.size(); ++i) {
    if (cls[i] != c) continue;
    if (seen == k) {
      in_tile = 0;
      for (std::size_t j = i & ~std::size_t(63); j < i; ++j) in_tile += cls[j] == c;
      return i >> 6;
    }
    ++seen;
  }
  return ~std::size_t(0);
}

}  // namespace

int main() {
  using mesolith::kmc::ClassCounts;
  const double rates[6] = {0.0, 4.0, 3.0, 2.0, 1.0, 0.5};  // class 0 never chosen
  for (std::size_t n : {std::size_t(300), std::size_t(1000), std::size_t(100000),
                        std::size_t(600000), std::size_t(2500000)}) {
    mesolith::rng::Stream r(3, n);
    std::vector<int> cls(n);
    ClassCounts counts;
    counts.reset(n, rates, 6);
    // Uneven class sizes, with a run of class 5 only near the end.
    for (std::size_t i = 0; i < n; ++i) {
      cls[i] = i + 100 >= n ? 5 : static_cast<int>(r.below(5));
      counts.add(i, cls[i]);
    }
    // Moves keep every level right.
    for (int m = 0; m < 5000; ++m) {
      const std::size_t i = r.below(static_cast<std::uint32_t>(n));
      const int to = static_cast<int>(r.below(5));
      counts.move(i, cls[i], to);
      cls[i] = to;
    }
    check(counts.consistent([&](std::size_t i) { return cls[i]; }), "levels equal a recount");
    // Batched moves: sites near one site (mostly its group of 8 tiles, some outside it).
    for (int event = 0; event < 2000; ++event) {
      const std::size_t centre = r.below(static_cast<std::uint32_t>(n));
      ClassCounts::Batch batch = counts.begin(centre);
      for (int m = 0; m < 8; ++m) {
        const std::size_t offset = r.below(1200);
        const std::size_t i = centre + offset >= 600 && centre + offset - 600 < n
                                  ? centre + offset - 600
                                  : centre;
        const int to = static_cast<int>(r.below(5));
        counts.move(batch, i, cls[i], to);
        cls[i] = to;
      }
      counts.commit(batch);
    }
    check(counts.consistent([&](std::size_t i) { return cls[i]; }), "batched moves equal a recount");
    // Cursors: a descent with a rank past the count (stale counts) ends on a tile of the lattice.
    bool cursors_ok = true;
    for (int t = 0; t < 200; ++t) {
      ClassCounts::Cursor at = counts.cursor(static_cast<int>(r.below(6)), r.below(0xffffffffu));
      while (at.level > 0) counts.descend(at);
      cursors_ok = cursors_ok && at.entry <= (n >> 6) + 7;
    }
    check(cursors_ok, "cursor descents stay inside the tree");
    const int queries = n > 1000000 ? 20 : 200;

    bool tiles_ok = true;
    for (int c = 0; c < 6; ++c) {
      const std::size_t count = counts.count(c);
      for (int t = 0; t < queries && count > 0; ++t) {
        // First, last and random ranks.
        std::size_t k = t == 0 ? 0 : t == 1 ? count - 1 : r.below(static_cast<std::uint32_t>(count));
        std::size_t want_in_tile = 0;
        const std::size_t want = brute_tile(cls, c, k, want_in_tile);
        const std::size_t got = counts.tile_of(c, k);
        tiles_ok = tiles_ok && got == want && k == want_in_tile;
      }
    }
    check(tiles_ok, "tile_of finds the tile of the k-th site of a class and its rank there");

    // locate(): the class of a target is the one whose cumulative interval holds it.
    bool classes_ok = true;
    const double total = counts.cumulate();
    for (int t = 0; t < 20000; ++t) {
      const double target0 = r.uniform() * total;
      double target = target0;
      std::size_t k = 0;
      const int c = counts.locate(target, k);
      double below = 0.0;
      for (int d = 0; d < c; ++d) below += static_cast<double>(counts.count(d)) * counts.rate(d);
      const double span = static_cast<double>(counts.count(c)) * counts.rate(c);
      // Exact up to the rounding of the sums (relative 1e-12 of the total).
      const double slack = 1e-12 * total;
      classes_ok = classes_ok && counts.rate(c) > 0.0 && k < counts.count(c) &&
                   target0 >= below - slack && target0 < below + span + slack &&
                   target >= 0.0 && target < counts.rate(c);
    }
    check(classes_ok, "locate picks the class interval holding the target, k and offset in range");
  }
  // Targets on and next to every class boundary, with classes of zero rate between others:
  // the cumulative sums are built in a tree order (not one by one), and locate() needs them
  // never to decrease and to repeat exactly across a zero-rate class, so no target lands in a
  // class of zero rate and the index and offset stay in range. The candidate boundaries are
  // the sums in both orders, each with its neighbouring doubles.
  {
    const double mixed[8] = {0.0, 0.3, 0.0, 1e-3, 7.0, 0.0, 2.5, 1.0 / 3.0};
    mesolith::rng::Stream r(11, 0);
    ClassCounts counts;
    const std::size_t n = 5000;
    counts.reset(n, mixed, 8);
    for (std::size_t i = 0; i < n; ++i) counts.add(i, static_cast<int>(r.below(8)));
    const double total = counts.cumulate();
    bool edges_ok = total == counts.total();
    double s[8];
    for (int c = 0; c < 8; ++c) s[c] = static_cast<double>(counts.count(c)) * mixed[c];
    std::vector<double> candidates;
    double running = 0.0;
    for (int c = 0; c < 8; ++c) candidates.push_back(running += s[c]);
    const double a01 = s[0] + s[1], a23 = s[2] + s[3], a45 = s[4] + s[5];
    for (double v : {a01, a01 + s[2], a01 + a23, a01 + a23 + s[4], a01 + a23 + a45})
      candidates.push_back(v);
    for (double v : candidates)
      for (double t : {std::nextafter(v, 0.0), v, std::nextafter(v, 2 * total)}) {
        if (!(t >= 0.0 && t < total)) continue;
        double target = t;
        std::size_t k = 0;
        const int c = counts.locate(target, k);
        double below = 0.0;
        for (int d = 0; d < c; ++d) below += s[d];
        const double slack = 1e-12 * total;  // the rounding of the sums
        edges_ok = edges_ok && mixed[c] > 0.0 && k < counts.count(c) && target >= 0.0 &&
                   target < mixed[c] && t >= below - slack && t < below + s[c] + slack;
      }
    check(edges_ok, "class boundaries: the class holding the target, never one of zero rate");
  }
  return mesolith::testing::finish("test_kmc_class_counts");
}
