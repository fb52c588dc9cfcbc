// libFuzzer harness for the kMC lattice gas (BKL n-fold way): construction, a few events and
// a checkpoint round trip. Bad parameters must be refused (std::invalid_argument, or
// std::overflow_error for rates whose total leaves the double range). After construction and
// after every event the class lists and neighbour counts must match a fresh count, the total
// rate must equal the sum of the site rates, the clock must not run backwards and, without
// adsorption or desorption, the particle number must not change. A run restored from a
// checkpoint must continue exactly as the original; a corrupted checkpoint must be refused
// or restore a consistent lattice.
#include <cmath>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <vector>

#include "fuzz_input.hpp"
#include "mesolith/kmc/lattice_gas.hpp"

using mesolith::fuzz::close;
using mesolith::fuzz::Input;
using mesolith::fuzz::require;
namespace kmc = mesolith::kmc;

namespace {

double rate(Input& in, bool& ok) {
  if (in.byte() % 16 == 0) {
    const double v = in.nasty(0.0, 1.0);
    ok &= v >= 0.0 && std::isfinite(v);
    return v;
  }
  return in.flag() ? 0.0 : in.real(0.0, 1e3);
}

void check_invariants(const kmc::LatticeGas& g) {
  require(g.classes_consistent(), "class lists inconsistent");
  require(g.neighbour_counts_consistent(), "neighbour counts inconsistent");
  double sum = 0.0;
  std::size_t occupied = 0;
  kmc::LatticeGas& mut = const_cast<kmc::LatticeGas&>(g);
  for (std::size_t i = 0; i < g.sites(); ++i) {
    sum += g.site_rate(i);
    occupied += mut.occupancy()[i];
  }
  require(close(g.total_rate(), sum, 1e-9), "total rate differs from the sum of site rates");
  require(std::isfinite(g.total_rate()) && g.total_rate() >= 0.0, "total rate finite and >= 0");
  require(occupied == g.occupied(), "occupied count differs from the occupancy");
  if (g.params().tracers)
    require(std::isfinite(g.tracer_msd()) && g.tracer_msd() >= 0.0, "tracer MSD finite and >= 0");
}

void corrupt(kmc::LatticeGasState& s, Input& in) {
  switch (in.integer(0, 7)) {
    case 0:
      if (!s.displacement.empty())
        s.displacement[in.byte() % s.displacement.size()] =
            static_cast<std::int32_t>(in.integer(-0x7fffffffLL, 0x7fffffffLL));
      break;
    case 1:
      if (!s.class_counts.empty()) s.class_counts[in.byte() % s.class_counts.size()] += in.integer(-3, 3);
      break;
    case 2:
      if (!s.occupancy.empty()) s.occupancy[in.byte() % s.occupancy.size()] ^= 1;
      break;
    case 3:
      s.displacement.resize(s.displacement.size() + static_cast<std::size_t>(in.integer(0, 3)), 0);
      break;
    case 4:
      s.time = in.nasty(-1.0, 1.0);
      break;
    case 5:
      s.pending = in.nasty(-1.0, 1.0);
      break;
    case 6:
      s.rng_words_used = static_cast<int>(in.integer(-5, 9));
      break;
    default:
      s.occupancy_integral = in.nasty(-1.0, 1.0);
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Input in(data, size);
  kmc::LatticeGasParams p;
  p.nx = static_cast<int>(in.integer(1, 6));
  p.ny = static_cast<int>(in.integer(1, 6));
  p.nz = static_cast<int>(in.integer(1, 4));
  bool ok = true;
  p.hop_rate = rate(in, ok);
  p.adsorption_rate = rate(in, ok);
  p.desorption_rate = rate(in, ok);
  p.interaction = in.byte() % 16 == 0 ? in.nasty(-1.0, 1.0) : in.real(-0.3, 0.3);
  p.temperature = in.byte() % 16 == 0 ? in.nasty(-1.0, 1.0) : in.real(50.0, 1000.0);
  ok &= std::isfinite(p.interaction) && p.temperature > 0.0 && std::isfinite(p.temperature) &&
        kmc::kBoltzmannEv * p.temperature > 0.0;
  // A finite interaction over a tiny kT can overflow the Boltzmann factors: a refusal
  // (overflow_error) is then the documented answer, not a finding.
  const std::uint64_t seed = in.integer(0, 0xffffffffLL);
  p.tracers = in.byte() % 4 != 0;
  std::unique_ptr<kmc::LatticeGas> gas;
  try {
    gas = std::make_unique<kmc::LatticeGas>(p, seed);
  } catch (const std::invalid_argument&) {
    require(!ok, "valid lattice gas parameters refused");
    return 0;
  } catch (const std::overflow_error&) {
    return 0;
  }
  require(ok, "lattice gas accepted a negative / non-finite rate, interaction or temperature");
  kmc::LatticeGas& g = *gas;
  std::vector<std::uint8_t> occ(g.sites());
  for (auto& v : occ) v = in.byte() & 1;
  g.set_occupancy(occ.data());
  check_invariants(g);

  const bool conserved = p.adsorption_rate == 0.0 && p.desorption_rate == 0.0;
  const std::size_t particles = g.occupied();
  const std::uint64_t events = static_cast<std::uint64_t>(in.integer(0, 30));
  const double t_end = in.flag() ? INFINITY : in.real(0.0, 1.0);
  double t0 = g.time();
  kmc::LatticeGasState saved = g.state();
  std::uint64_t fired = 0;
  try {
    fired = g.run(events, t_end);
  } catch (const std::overflow_error&) {
    return 0;  // waiting time beyond the double range: refused
  }
  require(fired <= events && g.events() == fired, "event count");
  if (!p.tracers) {  // displacements never enter a rate: a twin that keeps them runs the same
    kmc::LatticeGasParams q = p;
    q.tracers = true;
    kmc::LatticeGas twin(q, seed);
    twin.set_occupancy(occ.data());
    twin.run(events, t_end);
    bool same = twin.time() == g.time() && twin.events() == g.events();
    for (std::size_t i = 0; i < g.sites(); ++i) same &= twin.occupancy()[i] == g.occupancy()[i];
    require(same, "the trajectory depends on whether displacements are kept");
  }
  require(g.time() >= t0, "the clock ran backwards");
  require(std::isfinite(g.time()) || !std::isfinite(t_end), "clock not finite");
  if (conserved) require(g.occupied() == particles, "particle number changed without exchange");
  check_invariants(g);

  // Restore the saved state into a fresh lattice and replay: same trajectory.
  kmc::LatticeGas replay(p, seed);
  replay.restore(saved);
  check_invariants(replay);
  replay.run(events, t_end);
  require(replay.time() == g.time() && replay.events() == g.events(), "replay clock differs");
  for (std::size_t i = 0; i < g.sites(); ++i)
    require(replay.occupancy()[i] == g.occupancy()[i], "replay occupancy differs");

  // A corrupted checkpoint: refused, or a consistent lattice.
  kmc::LatticeGasState bad = g.state();
  corrupt(bad, in);
  kmc::LatticeGas victim(p, seed);
  try {
    victim.restore(bad);
  } catch (const std::invalid_argument&) {
    return 0;
  }
  check_invariants(victim);
  const double t_restored = victim.time();
  require(std::isfinite(t_restored) && t_restored >= 0.0, "restored clock not finite and >= 0");
  try {
    victim.run(5, t_restored + 1.0);
  } catch (const std::overflow_error&) {
    return 0;
  }
  require(std::isfinite(victim.time()) && victim.time() >= t_restored, "clock after restore");
  check_invariants(victim);
  return 0;
}
