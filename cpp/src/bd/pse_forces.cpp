#include "mesolith/bd/pse_forces.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "mesolith/bd/pse_neighbours.hpp"

namespace mesolith::bd {

double periodic_pair_forces(const double* x, std::size_t n, double box, const double* radii,
                            const int* species, const double* external, const ForceParams& p,
                            double* f) {
  double a_max = 0.0;
  for (std::size_t i = 0; i < n; ++i) a_max = std::max(a_max, radii[i]);
  const PeriodicCells cells(x, n, box, pair_cutoff(a_max, p));
  std::vector<double> energy(n, 0.0);
#pragma omp parallel for schedule(dynamic, 64) if (n > 2000)
  for (std::size_t i = 0; i < n; ++i) {
    double fi[3] = {external[3 * i], external[3 * i + 1], external[3 * i + 2]};
    double e = 0.0;
    cells.visit(i, [&](std::uint32_t j, const double* d) {
      const double r = std::sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
      const PairTerm t = pair_term(r, radii[i], radii[j], species[i], species[j], p);
      e += 0.5 * t.energy;
      const double s = t.dudr / std::max(r, 1e-300);  // force on i = dU/dr d / r
      for (int c = 0; c < 3; ++c) fi[c] += s * d[c];
    });
    for (int c = 0; c < 3; ++c) f[3 * i + c] = fi[c];
    energy[i] = e;
  }
  double total = 0.0;
  for (double e : energy) total += e;
  return total;
}

}  // namespace mesolith::bd
