// C++ unit tests of the forces: each force is minus the gradient of the energy
// (central differences), the repulsion is steep, and bonds form and break.
#include <cmath>
#include <cstdio>
#include <vector>

#include "mesolith/bd/forces.hpp"

#include "check.hpp"

using mesolith::testing::check;

int main() {
  using namespace mesolith::bd;
  ForceParams p;
  p.n_species = 2;
  p.repulsion_energy = 10.0;
  p.repulsion_range = 0.1;
  p.hamaker = {5.0, 3.0, 3.0, 2.0};
  p.surface_potential = {0.03, -0.02};
  p.double_layer_prefactor = 2000.0;
  p.debye_kappa = 10.0;
  p.min_gap = 0.005;
  p.dlvo_cutoff_gap = 1.0;
  p.wall = true;
  // Pair derivative vs central differences, across the repulsive and DLVO ranges.
  for (double h : {-0.05, -0.01, 0.003, 0.02, 0.05, 0.2, 0.6}) {
    const double ai = 1.0, aj = 0.6, r = ai + aj + h;
    const double e = 1e-7;
    const double num = (pair_term(r + e, ai, aj, 0, 1, p).energy -
                        pair_term(r - e, ai, aj, 0, 1, p).energy) / (2 * e);
    const double ana = pair_term(r, ai, aj, 0, 1, p).dudr;
    const bool inside_clamp = h > 0 && h < p.min_gap;  // DLVO constant there; WCA still acts
    (void)inside_clamp;
    check(std::abs(num - ana) <= 1e-5 * (1.0 + std::abs(ana)), "pair dU/dr = numerical derivative");
  }
  // Many-body forces = -grad E.
  std::vector<double> x = {0, 0, 2.0, 1.63, 0.1, 2.05, 0.2, 1.75, 2.4, 3.0, 3.0, 1.2};
  std::vector<double> radii = {1.0, 0.6, 0.8, 1.1};
  std::vector<int> species = {0, 1, 1, 0};
  std::vector<double> ext = {0, 0, -1, 0, 0, -0.5, 0.1, 0, -0.3, 0, 0, -2};
  ForceField ff(p, radii, species, ext);
  std::vector<double> f(12), fp(12);
  ff.compute(x.data(), f.data());
  double worst = 0.0;
  for (std::size_t q = 0; q < 12; ++q) {
    const double e = 1e-7;
    std::vector<double> xp = x, xm = x;
    xp[q] += e;
    xm[q] -= e;
    const double num = -(ff.compute(xp.data(), fp.data()) - ff.compute(xm.data(), fp.data())) / (2 * e);
    worst = std::max(worst, std::abs(num - f[q]) / (1.0 + std::abs(f[q])));
  }
  check(worst < 1e-5, "ForceField forces = -grad energy");
  // Bonds: form on contact, break above the force.
  ForceParams b;
  b.n_species = 1;
  b.bondable = {1};
  b.bond_stiffness = 100.0;
  b.bond_break_force = 5.0;
  b.bond_capture_gap = 0.05;
  ForceField bonded(b, {1.0, 1.0}, {0, 0}, std::vector<double>(6, 0.0));
  std::vector<double> close = {0, 0, 0, 2.03, 0, 0};
  auto fb = bonded.update_bonds(close.data());
  check(fb.first == 1 && bonded.bonds().size() == 1, "bond forms within the capture gap");
  std::vector<double> stretched = {0, 0, 0, 2.04, 0, 0};  // tension 4 < 5: kept
  fb = bonded.update_bonds(stretched.data());
  check(fb.second == 0 && bonded.bonds().size() == 1, "bond holds below the break force");
  std::vector<double> far = {0, 0, 0, 2.06, 0, 0};  // tension 6 > 5: breaks
  fb = bonded.update_bonds(far.data());
  check(fb.second == 1 && bonded.bonds().empty(), "bond breaks above the break force");
  std::vector<double> fbond(6);
  bonded.set_bonds({{0, 1}});
  bonded.compute(stretched.data(), fbond.data());
  check(std::abs(fbond[0] - 4.0) < 1e-9 && std::abs(fbond[3] + 4.0) < 1e-9,
        "bond tension pulls the pair together");
  return mesolith::testing::finish("test_bd_forces");
}
