// Invariants of the kMC rate tree: exact sums, correct interval lookup, no zero-rate picks,
// selection frequencies proportional to the rates.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "mesolith/kmc/blocked_rates.hpp"
#include "mesolith/kmc/rate_tree.hpp"
#include "mesolith/rng.hpp"

#include "check.hpp"

using mesolith::testing::check;

namespace {

// Each target placed in the middle of a leaf's interval must find that leaf.
void check_lookup(const mesolith::kmc::RateTree& tree, const std::vector<double>& rates,
                  const char* what) {
  double before = 0.0;
  bool ok = true;
  for (std::size_t i = 0; i < rates.size(); ++i) {
    if (rates[i] > 0.0) {
      double target = before + 0.5 * rates[i];
      ok &= tree.select(target) == i;
      ok &= target >= 0.0 && target < rates[i];
    }
    before += rates[i];
  }
  check(ok, what);
}
}  // namespace

int main() {
  using mesolith::kmc::RateTree;
  mesolith::rng::Stream rng(42, 0);

  // Sizes that are and are not powers of two, including one leaf.
  for (std::size_t n : {1u, 2u, 3u, 7u, 64u, 1000u}) {
    RateTree tree(n);
    check(tree.total() == 0.0, "empty tree has zero total");
    std::vector<double> rates(n);
    for (std::size_t i = 0; i < n; ++i) {
      rates[i] = (i % 3 == 1) ? 0.0 : rng.uniform() * 10.0;
      tree.set(i, rates[i]);
    }
    check(tree.max_sum_error() == 0.0, "internal nodes equal the sum of their children");
    double naive = 0.0;
    for (double r : rates) naive += r;
    check(std::abs(tree.total() - naive) <= 1e-12 * naive, "root equals the sum of the leaves");
    check_lookup(tree, rates, "mid-interval targets select their leaf");

    RateTree built;
    built.assign(rates.data(), n);
    check(built.total() == tree.total(), "assign() and set() build the same sums");
  }

  // Many random updates: sums stay exact (recomputed, never accumulated differences).
  {
    const std::size_t n = 4097;
    RateTree tree(n);
    std::vector<double> rates(n, 0.0);
    for (int step = 0; step < 200000; ++step) {
      const std::size_t i = rng.below(static_cast<std::uint32_t>(n));
      rates[i] = (rng.uniform() < 0.3) ? 0.0 : std::exp(20.0 * (rng.uniform() - 0.5));
      tree.set(i, rates[i]);
    }
    check(tree.max_sum_error() == 0.0, "sums exact after 2e5 updates with rates spanning e^20");
    RateTree fresh;
    fresh.assign(rates.data(), n);
    check(fresh.total() == tree.total(), "updated tree equals a freshly built one");
    check_lookup(tree, rates, "lookup after updates");

    // Targets at the extreme ends never land on a zero-rate leaf.
    bool no_zero = true;
    for (int k = 0; k < 100000; ++k) {
      double target = rng.uniform() * tree.total();
      no_zero &= rates[tree.select(target)] > 0.0;
    }
    double top = std::nextafter(tree.total(), 0.0);
    no_zero &= rates[tree.select(top)] > 0.0;
    double bottom = 0.0;
    no_zero &= rates[tree.select(bottom)] > 0.0;
    check(no_zero, "select never returns a zero-rate leaf");
  }

  // set_many() gives the same sums as one set() per leaf, including repeated leaves.
  {
    const std::size_t n = 777;
    RateTree one(n), many(n);
    for (int round = 0; round < 2000; ++round) {
      std::size_t leaves[12];
      double rates[12];
      const int k = 1 + static_cast<int>(rng.below(12));
      const std::size_t centre = rng.below(static_cast<std::uint32_t>(n));
      for (int e = 0; e < k; ++e) {
        leaves[e] = (centre + rng.below(40)) % n;  // clustered, like lattice neighbours
        rates[e] = rng.uniform() < 0.2 ? 0.0 : rng.uniform();
      }
      // Repeated leaves: the last value wins in both variants.
      for (int e = 0; e < k; ++e) one.set(leaves[e], rates[e]);
      for (int e = 0; e < k; ++e)
        for (int f = e + 1; f < k; ++f)
          if (leaves[f] == leaves[e]) rates[e] = rates[f];
      many.set_many(leaves, rates, k);
    }
    check(many.max_sum_error() == 0.0, "set_many keeps exact sums");
    check(many.total() == one.total(), "set_many equals repeated set");
  }

  // Two-level BlockedRates: exact sums, lookup, no zero-rate picks, same total as a tree.
  {
    using mesolith::kmc::BlockedRates;
    const std::size_t n = 1001;  // not a multiple of the block size
    BlockedRates blocked(n);
    RateTree flat(n);
    std::vector<double> rates(n, 0.0);
    for (int step = 0; step < 100000; ++step) {
      const std::size_t i = rng.below(static_cast<std::uint32_t>(n));
      rates[i] = (rng.uniform() < 0.5) ? 0.0 : std::exp(10.0 * (rng.uniform() - 0.5));
      blocked.set(i, rates[i]);
      flat.set(i, rates[i]);
    }
    check(blocked.max_sum_error() == 0.0, "blocked sums exact after updates");
    double naive = 0.0;
    for (double r : rates) naive += r;
    check(std::abs(blocked.total() - naive) <= 1e-12 * naive, "blocked total");
    double before = 0.0;
    bool ok = true;
    for (std::size_t i = 0; i < n; ++i) {
      if (rates[i] > 0.0) {
        double target = before + 0.5 * rates[i];
        ok &= blocked.select(target) == i;
      }
      before += rates[i];
    }
    check(ok, "blocked mid-interval lookup");
    bool no_zero = true;
    for (int k = 0; k < 100000; ++k) {
      double target = rng.uniform() * blocked.total();
      no_zero &= rates[blocked.select(target)] > 0.0;
    }
    double top = std::nextafter(blocked.total(), 0.0);
    no_zero &= rates[blocked.select(top)] > 0.0;
    check(no_zero, "blocked select never returns a zero-rate site");
    BlockedRates rebuilt;
    rebuilt.assign(rates.data(), n);
    check(rebuilt.total() == blocked.total(), "blocked assign equals updates");
  }

  // Frequencies: leaf i chosen with probability r_i / R. 1e6 draws; each count is binomial,
  // so |count - N p| < 5 sqrt(N p (1 - p)) fails by chance with probability ~1e-6 per leaf.
  {
    const std::vector<double> rates = {1.0, 0.0, 2.0, 0.5, 4.0, 0.0, 0.25, 8.0, 3.0};
    RateTree tree(rates.size());
    for (std::size_t i = 0; i < rates.size(); ++i) tree.set(i, rates[i]);
    std::vector<long> counts(rates.size(), 0);
    const long draws = 1000000;
    for (long k = 0; k < draws; ++k) {
      double target = rng.uniform() * tree.total();
      ++counts[tree.select(target)];
    }
    bool ok = true;
    for (std::size_t i = 0; i < rates.size(); ++i) {
      const double p = rates[i] / tree.total();
      const double sd = std::sqrt(draws * p * (1 - p));
      ok &= std::abs(counts[i] - draws * p) <= 5 * sd + 1e-9;
    }
    check(ok, "selection frequencies proportional to rates");
  }

  return mesolith::testing::finish("test_kmc_rate_tree");
}
