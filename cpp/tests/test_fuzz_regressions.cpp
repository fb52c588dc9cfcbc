// Inputs the libFuzzer harnesses (fuzz/cpp) found wrong answers or memory errors for, each
// with the exact answer it must give now.
#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "mesolith/bd/dlca.hpp"
#include "mesolith/bd/ewald.hpp"
#include "mesolith/bd/ewald_poly.hpp"
#include "mesolith/bd/rpy.hpp"
#include "mesolith/kmc/class_counts.hpp"
#include "mesolith/kmc/lattice_gas.hpp"
#include "mesolith/micro/transport.hpp"

#include "check.hpp"

using mesolith::testing::check;

namespace {

template <class F>
bool throws_invalid(F f) {
  try {
    f();
  } catch (const std::invalid_argument&) {
    return true;
  }
  return false;
}

void transport_one_voxel_thick() {
  using namespace mesolith::micro;
  // A slab one voxel thick along the axis touches both Dirichlet faces: each half voxel has
  // conductance 2 sigma, c = 1/2 in the voxel, flux sigma, so sigma_eff = sigma exactly (the
  // source term and the fluxes used to count both faces: sigma_eff came out 2 sigma).
  std::array<double, 256> sigma{};
  sigma[0] = 3.0;
  sigma[1] = 1.5;
  for (int axis = 0; axis < 3; ++axis) {
    Shape s{3, 4, 5};
    if (axis == 0) s.nx = 1;
    if (axis == 1) s.ny = 1;
    if (axis == 2) s.nz = 1;
    std::vector<std::uint8_t> uniform(s.size(), 0), mixed(s.size(), 0);
    for (std::size_t i = 0; i < s.size(); i += 2) mixed[i] = 1;
    TransportOptions o;
    o.axis = axis;
    o.rtol = 1e-12;
    const auto r = solve_conduction(uniform.data(), s, sigma, o);
    check(std::abs(r.effective_conductivity - 3.0) < 1e-12, "one voxel thick: sigma_eff = sigma");
    check(std::abs(r.flux_in - r.flux_out) < 1e-12, "one voxel thick: flux in = flux out");
    // Mixed phases in parallel columns: the arithmetic mean of the column conductivities.
    const auto m = solve_conduction(mixed.data(), s, sigma, o);
    double mean = 0.0;
    for (auto l : mixed) mean += sigma[l];
    mean /= static_cast<double>(s.size());
    check(std::abs(m.effective_conductivity - mean) < 1e-9, "one voxel thick, two phases: mean");
  }
}

void transport_conductivity_bounds() {
  using namespace mesolith::micro;
  // A subnormal or huge conductivity made the float coarse levels NaN ("broke down").
  const Shape s{1, 4, 1};
  std::vector<std::uint8_t> labels = {0, 1, 0, 1};
  std::vector<double> source(4, 1.0);
  TransportOptions o;
  o.axis = 0;
  for (double bad : {5e-324, 1e-31, 1e31, 1e100}) {
    std::array<double, 256> sigma{};
    sigma[0] = bad;
    sigma[1] = 0.002;
    check(throws_invalid([&] { solve_conduction(labels.data(), s, sigma, o); }),
          "conductivity outside [1e-30, 1e30] refused (conduction)");
    check(throws_invalid([&] { solve_with_source(labels.data(), s, sigma, source.data(), o); }),
          "conductivity outside [1e-30, 1e30] refused (source)");
  }
}

void ewald_coincident_and_near_pairs() {
  using namespace mesolith::bd;
  const double a = 0.6, eta = 1.2, box = 5.0;
  const double unit = 1.0 / (6.0 * kPi * eta * a);
  // Particle 1 on particle 0 (also through a box vector), and 1e-7 a away: the pair block is
  // the self block (the r -> 0 limit), to O(r / a). The overlap correction divided by r = 0
  // (NaN), and for small r cancelled a^3 / r^3 terms (errors ~1e-3 at r = 1e-7 a).
  for (double shift : {0.0, box, 1e-7 * a}) {
    const double x[6] = {1.0, 2.0, 3.0, 1.0 + shift, 2.0, 3.0};
    std::vector<double> m(36);
    ewald_rpy_dense(x, 2, a, eta, box, EwaldOptions{}, m.data());
    double worst = 0.0;
    for (int p = 0; p < 3; ++p)
      for (int q = 0; q < 3; ++q) {
        const double self = m[static_cast<std::size_t>(p * 6 + q)];
        const double pair = m[static_cast<std::size_t>(p * 6 + 3 + q)];
        worst = std::max(worst, std::isfinite(pair) ? std::abs(pair - self) : INFINITY);
      }
    check(worst < 1e-6 * unit, "coincident / near-coincident pair block = self block");
  }
}

void ewald_split_independence() {
  using namespace mesolith::bd;
  // The truncation rule ignored the polynomial prefactors of the sums: changing xi by 2x
  // moved entries by ~1e-8 of the largest one at tolerance 1e-12.
  const double a = 0.6082352941176471, eta = 0.121753, box = 2.0349918543750758;
  const double x[6] = {0.1, 0.2, 0.3, 1.1, 1.5, 0.2};
  std::vector<double> m1(36), m2(36);
  ewald_rpy_dense(x, 2, a, eta, box, EwaldOptions{}, m1.data());
  EwaldOptions o;
  o.xi = 0.5 * std::sqrt(kPi) / box;
  ewald_rpy_dense(x, 2, a, eta, box, o, m2.data());
  double scale = 0.0, diff = 0.0;
  for (std::size_t k = 0; k < 36; ++k) {
    scale = std::max(scale, std::abs(m1[k]));
    diff = std::max(diff, std::abs(m1[k] - m2[k]));
  }
  check(diff <= 1e-10 * scale, "Ewald sum independent of xi to 1e-10");
}

void ewald_poly_near_pair_split_independence() {
  using namespace mesolith::bd;
  // Two spheres 0.018 radii apart (xi r just above the series range): the real-space term
  // and the overlap correction were added separately and their s / r^3 parts cancelled, so
  // changing xi moved an entry by 1.3e-10 of the largest one.
  const double a[3] = {0.32568627450980392, 0.32568627450980392, 0.32568627450980392};
  const double x[9] = {-0.19164777800393509, -0.19164777800393509, -0.19164777800393509,
                       -0.19164777800393509, -0.19164777800393509, -0.18568208841626399,
                       1.3415344460275458, 1.3415344460275458, 1.3415344460275458};
  const double eta = 2.9729411764705889, box = 1.480914648212226;
  std::vector<double> m1(81), m2(81);
  ewald_rpy_dense_poly(x, a, 3, eta, box, EwaldOptions{}, m1.data());
  EwaldOptions o;
  o.xi = 2.9433320378549688;
  ewald_rpy_dense_poly(x, a, 3, eta, box, o, m2.data());
  double scale = 0.0, diff = 0.0;
  for (std::size_t k = 0; k < 81; ++k) {
    scale = std::max(scale, std::abs(m1[k]));
    diff = std::max(diff, std::abs(m1[k] - m2[k]));
  }
  check(diff <= 1e-11 * scale, "polydisperse Ewald sum of a near pair independent of xi");
}

void mobility_refuses_non_finite() {
  using namespace mesolith::bd;
  const double x[3] = {0, 0, 0};
  const double inf = std::numeric_limits<double>::infinity();
  const double one = 1.0;
  check(throws_invalid([&] { Mobility(x, &one, 1, inf); }), "infinite viscosity refused");
  check(throws_invalid([&] { Mobility(x, &inf, 1, 1.0); }), "infinite radius refused");
  std::vector<double> out(9);
  check(throws_invalid([&] { ewald_rpy_dense(x, 1, 0.1, inf, 1.0, EwaldOptions{}, out.data()); }),
        "Ewald: infinite viscosity refused");
  check(throws_invalid([&] { ewald_rpy_dense(x, 1, 0.1, 1.0, inf, EwaldOptions{}, out.data()); }),
        "Ewald: infinite box refused");
}

void dlca_dilute_box() {
  using namespace mesolith::bd;
  // Two spheres in a box 10^6 radii wide: the cell list asked for (box / range)^3 = 4e16
  // cells (its count overflowed). Now at most ~64 cells per particle; the run still works.
  DlcaParams p;
  p.box = 1e6;
  p.seed = 3;
  p.max_attempts = 1000;
  const DlcaResult r = run_dlca({1.0, 1.0, 1.0, 7.0, 7.0, 7.0}, {1.0, 1.0}, p);
  check(r.attempts <= 1000 && r.labels.size() == 2, "dilute DLCA runs without a huge cell grid");
  p.box = std::numeric_limits<double>::infinity();
  check(throws_invalid([&] { run_dlca({1.0, 1.0, 1.0}, {1.0}, p); }), "infinite DLCA box refused");
}

void lattice_gas_edge_parameters() {
  using namespace mesolith::kmc;
  LatticeGasParams p;
  p.nx = 4;
  p.ny = 3;
  p.nz = 2;
  // No event possible and w(n) = exp(eps n / kT) overflowing: 0 * inf gave NaN class rates
  // and a misleading "rates must be >= 0" refusal. The rates are 0: nothing happens.
  p.interaction = 0.3;
  p.temperature = 0.9;
  LatticeGas frozen(p, 1);
  std::vector<std::uint8_t> occ(frozen.sites(), 1);
  frozen.set_occupancy(occ.data());
  check(frozen.total_rate() == 0.0 && frozen.classes_consistent(), "no events: total rate 0");
  check(frozen.run(10, 5.0) == 0 && frozen.time() == 5.0, "frozen lattice: clock runs to t_end");
  // kT underflowing to 0 (a subnormal temperature) and non-finite rates are refused.
  p.hop_rate = 1.0;
  p.temperature = 5e-324;
  check(throws_invalid([&] { LatticeGas g(p, 1); }), "temperature with kT = 0 refused");
  p.temperature = 300.0;
  p.desorption_rate = std::numeric_limits<double>::quiet_NaN();
  check(throws_invalid([&] { LatticeGas g(p, 1); }), "NaN rate refused");
  p.desorption_rate = std::numeric_limits<double>::infinity();
  check(throws_invalid([&] { LatticeGas g(p, 1); }), "infinite rate refused");
}

void class_counts_tiny_rates() {
  using mesolith::kmc::ClassCounts;
  // A class rate below ~1e-308 has no finite inverse: target * inverse was 0 * inf = NaN and
  // the cast to a site index undefined (UBSan, fuzzing a strongly attractive lattice gas).
  const double rates[2] = {5e-309, 1.0};
  ClassCounts counts;
  counts.reset(10, rates, 2);
  for (std::size_t s = 0; s < 3; ++s) counts.add(s, 0);
  counts.cumulate();
  for (double target : {0.0, 4e-309, 1.4e-308}) {
    double t = target;
    std::size_t k = 99;
    const int c = counts.locate(t, k);
    check(c == 0 && k < 3, "tiny class rate: the site index is in range");
    check(t >= 0.0 && t < 5e-309, "tiny class rate: the offset stays inside the site's rate");
  }
}

void lattice_gas_corrupt_checkpoint() {
  using namespace mesolith::kmc;
  LatticeGasParams p;
  p.nx = 5;
  p.ny = 4;
  p.hop_rate = 1.0;
  p.adsorption_rate = 0.5;
  p.desorption_rate = 0.5;
  LatticeGas g(p, 7);
  g.run(20, INFINITY);
  // Checkpoints whose arrays do not fit the lattice are refused before anything is written.
  LatticeGasState s = g.state();
  s.displacement.resize(s.displacement.size() + 1, 0);
  LatticeGas victim(p, 7);
  check(throws_invalid([&] { victim.restore(s); }), "checkpoint arrays of the wrong size refused");
  // A displacement next to INT32_MIN overflowed on the next hop (UBSan, fuzzing).
  s = g.state();
  s.displacement[0] = std::numeric_limits<std::int32_t>::min();
  check(throws_invalid([&] { victim.restore(s); }), "checkpoint displacement out of range refused");
  // A square lattice keeps no z displacement: a checkpoint with one is corrupt.
  s = g.state();
  s.displacement[2] = 5;
  check(throws_invalid([&] { victim.restore(s); }), "checkpoint z displacement on a square lattice refused");
  s = g.state();
  s.time = std::numeric_limits<double>::quiet_NaN();
  check(throws_invalid([&] { victim.restore(s); }), "checkpoint NaN clock refused");
  s = g.state();
  s.pending = std::numeric_limits<double>::infinity();
  check(throws_invalid([&] { victim.restore(s); }), "checkpoint infinite waiting time refused");
  // The intact checkpoint still restores and continues exactly.
  LatticeGas replay(p, 7);
  replay.restore(g.state());
  g.run(15, INFINITY);
  replay.run(15, INFINITY);
  check(replay.time() == g.time() && replay.events() == g.events(), "restored run continues");
}

}  // namespace

int main() {
  transport_one_voxel_thick();
  transport_conductivity_bounds();
  ewald_coincident_and_near_pairs();
  ewald_split_independence();
  ewald_poly_near_pair_split_independence();
  mobility_refuses_non_finite();
  dlca_dilute_box();
  lattice_gas_edge_parameters();
  lattice_gas_corrupt_checkpoint();
  class_counts_tiny_rates();
  return mesolith::testing::finish("test_fuzz_regressions");
}
