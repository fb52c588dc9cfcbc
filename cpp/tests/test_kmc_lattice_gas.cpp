// Lattice-gas BKL loop: local updates keep every site in the list of its rate class, particle
// number is conserved by hops, and a trajectory is a function of (seed, stream) alone.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <stdexcept>
#include <vector>

#include "mesolith/kmc/lattice_gas.hpp"

#include "check.hpp"

using mesolith::testing::check;

namespace {
constexpr std::uint64_t kMany = std::numeric_limits<std::uint64_t>::max();
constexpr double kForever = std::numeric_limits<double>::infinity();

// Hops at 1/s with adsorption, desorption and a nearest-neighbour interaction (eV).
mesolith::kmc::LatticeGasParams exchange_gas(int nx, int ny, int nz, double ads, double des,
                                             double eps) {
  mesolith::kmc::LatticeGasParams p;
  p.nx = nx;
  p.ny = ny;
  p.nz = nz;
  p.hop_rate = 1.0;
  p.adsorption_rate = ads;
  p.desorption_rate = des;
  p.interaction = eps;
  return p;
}
}  // namespace

int main() {
  using mesolith::kmc::LatticeGas;
  using mesolith::kmc::LatticeGasParams;

  for (int nz : {1, 5}) {
    LatticeGasParams p;
    p.nx = 6;
    p.ny = 5;
    p.nz = nz;
    p.hop_rate = 1.0;
    p.adsorption_rate = 0.3;
    p.desorption_rate = 0.7;
    p.interaction = -0.05;
    p.temperature = 300.0;
    LatticeGas gas(p, 7, 1);
    gas.run(20000, kForever);
    check(gas.events() == 20000, "run fires the requested number of events");
    check(gas.classes_consistent(), "every site is in the list of its class after local updates");
    check(gas.total_rate() > 0.0, "total rate positive");
    check(gas.neighbour_counts_consistent(), "kept neighbour counts equal fresh counts");
    std::size_t count = 0;
    for (std::size_t i = 0; i < gas.sites(); ++i) count += gas.occupancy()[i];
    check(count == gas.occupied(), "occupied counter matches the occupancy");
  }

  // Hops only: particle number conserved.
  {
    LatticeGasParams p;
    p.nx = p.ny = 8;
    p.hop_rate = 2.0;
    p.interaction = -0.1;
    std::vector<std::uint8_t> occ(64, 0);
    for (int i = 0; i < 64; i += 3) occ[i] = 1;
    LatticeGas gas(p, 3, 0);
    gas.set_occupancy(occ.data());
    const std::size_t n0 = gas.occupied();
    gas.run(50000, kForever);
    check(gas.occupied() == n0, "hops conserve the particle number");
    check(gas.classes_consistent(), "class lists right after hops with interactions");
    check(gas.neighbour_counts_consistent(), "neighbour counts after hops");
  }

  // Reproducible: same (seed, stream) -> same state, however the run is split.
  {
    LatticeGasParams p;
    p.nx = p.ny = 10;
    p.hop_rate = 1.0;
    p.adsorption_rate = 0.5;
    p.desorption_rate = 0.5;
    LatticeGas a(p, 11, 2), b(p, 11, 2), c(p, 11, 3);
    a.run(30000, kForever);
    b.run(10000, kForever);
    b.run(20000, kForever);
    c.run(30000, kForever);
    bool same = a.time() == b.time();
    bool differs = a.time() != c.time();
    for (std::size_t i = 0; i < a.sites(); ++i) same &= a.occupancy()[i] == b.occupancy()[i];
    check(same, "same seed and stream give the same trajectory, split or not");
    // Split at arbitrary times: the waiting time carries over the stops.
    LatticeGas d(p, 11, 2), e(p, 11, 2);
    d.run(kMany, 5.0);
    for (double t = 0.37; t < 5.0; t += 0.37) e.run(kMany, t);
    e.run(kMany, 5.0);
    bool same_time_split = d.events() == e.events();
    for (std::size_t i = 0; i < d.sites(); ++i)
      same_time_split &= d.occupancy()[i] == e.occupancy()[i];
    check(same_time_split, "runs split at arbitrary times give the same trajectory");
    check(differs, "another stream gives another trajectory");
  }

  // More than 64^3 sites and not a whole number of 64-site tiles: every level of the class
  // counts holds several groups, and the next-event prefetch (beyond 2^22 cells) is on.
  {
    const LatticeGasParams p = exchange_gas(2101, 2001, 1, 0.5, 0.5, -0.02);
    LatticeGas gas(p, 9, 0);
    gas.run(200000, kForever);
    check(gas.classes_consistent(), "class counts right at every level on a large lattice");
    check(gas.neighbour_counts_consistent(), "neighbour counts right on a large lattice");
    std::size_t count = 0;
    for (std::size_t i = 0; i < gas.sites(); ++i) count += gas.occupancy()[i];
    check(count == gas.occupied(), "occupied counter matches on a large lattice");
  }

  // Tiled cell order: lengths that are not multiples of the tile sides (padding inside edge
  // tiles) and tiles of other shapes on short axes. The occupancy stays row-major and every
  // site's class matches its row-major neighbours counted here, before and after events. The
  // two larger shapes (1600 and 2197 tiles) copy the tiles changed by one event from their
  // list into the occupancy, and those of a long run in tile order.
  {
    const int shapes[][3] = {{13, 9, 1}, {3, 17, 1},   {40, 3, 1},
                             {10, 3, 7}, {5, 6, 9},    {320, 317, 1}, {52, 51, 49}};
    for (const auto& shape : shapes) {
      LatticeGasParams p;
      p.nx = shape[0];
      p.ny = shape[1];
      p.nz = shape[2];
      p.hop_rate = 1.0;
      p.adsorption_rate = 0.3;
      p.desorption_rate = 0.3;
      LatticeGas gas(p, 17, 0);
      const std::size_t nx = std::size_t(p.nx), ny = std::size_t(p.ny), nz = std::size_t(p.nz);
      std::vector<std::uint8_t> occ(gas.sites());
      for (std::size_t i = 0; i < occ.size(); ++i) occ[i] = (i * 7 + i / 5) % 3 == 0;
      gas.set_occupancy(occ.data());
      auto classes_match = [&](const std::uint8_t* o) {
        bool ok = true;
        for (std::size_t z = 0; z < nz; ++z)
          for (std::size_t y = 0; y < ny; ++y)
            for (std::size_t x = 0; x < nx; ++x) {
              auto at = [&](std::size_t xx, std::size_t yy, std::size_t zz) {
                return int(o[(zz % nz * ny + yy % ny) * nx + xx % nx]);
              };
              int n = at(x + 1, y, z) + at(x + nx - 1, y, z) + at(x, y + 1, z) +
                      at(x, y + ny - 1, z);
              if (nz > 1) n += at(x, y, z + 1) + at(x, y, z + nz - 1);
              const int want = at(x, y, z) ? 1 + n : 0;
              ok &= gas.site_class((z * ny + y) * nx + x) == want;
            }
        return ok;
      };
      check(classes_match(occ.data()), "site classes follow the row-major neighbours");
      gas.run(1, kForever);
      check(classes_match(gas.occupancy()), "classes follow the occupancy after one event");
      gas.run(5000, kForever);
      check(classes_match(gas.occupancy()), "classes follow the occupancy after events");
      check(gas.classes_consistent(), "class counts right with padded tiles");
      check(gas.neighbour_counts_consistent(), "neighbour counts right with padded tiles");
    }
  }

  // Degenerate lengths 1 and 2 (a site its own or a double neighbour) keep the lists right.
  for (int nx : {1, 2}) {
    const LatticeGasParams p = exchange_gas(nx, 3, 2, 0.4, 0.6, -0.03);
    LatticeGas gas(p, 5, 0);
    gas.run(20000, kForever);
    check(gas.classes_consistent(), "class lists right on lattices of length 1 and 2");
    check(gas.neighbour_counts_consistent(), "neighbour counts on lattices of length 1 and 2");
  }

  // Checkpoint: a state restored into a fresh object continues bit-identically, also when
  // saved after a stop at a time limit (a partly used waiting time).
  {
    const LatticeGasParams p = exchange_gas(12, 12, 3, 0.5, 0.5, -0.02);
    LatticeGas whole(p, 21, 4), first(p, 21, 4);
    whole.run(kMany, 30.0);
    first.run(kMany, 12.345);
    const auto saved = first.state();
    LatticeGas second(p, 21, 4);
    second.restore(saved);
    second.run(kMany, 30.0);
    bool same = whole.events() == second.events() && whole.time() == second.time() &&
                whole.tracer_msd() == second.tracer_msd() &&
                whole.occupancy_integral() == second.occupancy_integral();
    for (std::size_t i = 0; i < whole.sites(); ++i)
      same &= whole.occupancy()[i] == second.occupancy()[i];
    check(same, "restored checkpoint continues the uninterrupted trajectory exactly");
    bool rejected = false;
    auto bad = saved;
    bad.class_counts[1] += 1;
    try {
      LatticeGas other(p, 21, 4);
      other.restore(bad);
    } catch (const std::invalid_argument&) {
      rejected = true;
    }
    check(rejected, "a corrupt checkpoint is rejected");
  }

  // Without tracers: no displacements kept, the same trajectory (they never enter a rate),
  // through a checkpoint too; tracer_msd() refuses.
  {
    LatticeGasParams p = exchange_gas(11, 9, 5, 0.3, 0.4, -0.02);
    LatticeGas with(p, 8, 1);
    p.tracers = false;
    LatticeGas without(p, 8, 1), resumed(p, 8, 1);
    with.run(20000, kForever);
    without.run(7000, kForever);
    const auto saved = without.state();
    check(saved.displacement.empty(), "no displacements stored without tracers");
    resumed.restore(saved);
    without.run(13000, kForever);
    resumed.run(13000, kForever);
    bool same = with.time() == without.time() && with.time() == resumed.time();
    for (std::size_t i = 0; i < with.sites(); ++i)
      same &= with.occupancy()[i] == without.occupancy()[i] &&
              with.occupancy()[i] == resumed.occupancy()[i];
    check(same, "the same trajectory with and without tracers, and after a restore");
    bool refused = false;
    try {
      (void)without.tracer_msd();
    } catch (const std::invalid_argument&) {
      refused = true;
    }
    check(refused, "tracer_msd refused without tracers");
  }

  // Time limit: the clock stops exactly at t_end.
  {
    LatticeGasParams p;
    p.nx = p.ny = 4;
    p.adsorption_rate = 1.0;
    p.desorption_rate = 1.0;
    LatticeGas gas(p, 1, 0);
    gas.run(kMany, 3.5);
    check(gas.time() == 3.5, "run stops the clock at t_end");
    check(std::abs(gas.averaging_time() - 3.5) < 1e-12, "averaging window covers the run");
  }

  return mesolith::testing::finish("test_kmc_lattice_gas");
}
