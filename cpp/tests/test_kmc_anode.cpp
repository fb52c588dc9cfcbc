// Anode model: local updates keep every leaf equal to its site's rate, counters match the
// lattice, and the galvanostat delivers the target current on average.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

#include "mesolith/kmc/anode.hpp"

#include "check.hpp"

using mesolith::testing::check;

namespace {
bool leaves_match(const mesolith::kmc::AnodeModel& m) {
  for (std::size_t i = 0; i < m.sites(); ++i) {
    const double want = m.site_rate(i), have = m.tree().rate(i);
    if (std::abs(want - have) > 1e-12 * (std::abs(want) + 1e-300)) return false;
  }
  return true;
}
}  // namespace

int main() {
  using namespace mesolith::kmc;
  AnodeParams p;
  p.nx = 6;
  p.ny = 5;
  p.nz = 14;
  p.host_layers = 6;
  p.electrolyte_hop_cap = 1e4;
  p.host_barrier = 0.35;
  AnodeModel m(p, 3, 0);
  m.initialize(0.9);
  check(leaves_match(m), "leaves match after initialisation");

  Drive d;
  d.mode = DriveMode::kPotentiostatic;
  d.potential = -0.4;  // strongly plating
  m.set_drive(d);
  m.run(std::numeric_limits<double>::infinity(), 50000, 1e-3);
  check(leaves_match(m), "leaves match after potentiostatic plating events");
  const std::uint64_t* c = m.counts();
  check(c[2] > 0, "plating happens below 0 V");

  std::int64_t host = 0, metal = 0;
  for (std::size_t i = 0; i < m.sites(); ++i) {
    host += m.state()[i] == kHostLi;
    metal += m.state()[i] == kMetal;
  }
  check(std::abs(m.soc() - double(host) / double(m.host_sites())) < 1e-12, "soc counter");
  check(metal == static_cast<std::int64_t>(c[2]) - static_cast<std::int64_t>(c[3]),
        "net deposition count equals metal voxels (none at start)");

  // Above 0 V no deposition channel exists.
  AnodeModel q(p, 4, 0);
  q.initialize(0.2);
  d.potential = 0.05;
  q.set_drive(d);
  q.run(std::numeric_limits<double>::infinity(), 30000, 1e-3);
  check(q.counts()[2] == 0, "no plating above 0 V");
  check(leaves_match(q), "leaves match after insertion events");

  return mesolith::testing::finish("test_kmc_anode");
}
