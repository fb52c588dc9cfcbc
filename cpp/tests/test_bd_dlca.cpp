// C++ unit tests of rigid-cluster aggregation and the near-wall mobility: two spheres
// end exactly in contact, a doublet has the Kirkwood radius 4a/3, clusters never
// overlap, and d mu_perp/dz is the derivative of mu_perp.
#include <cmath>
#include <cstdio>
#include <vector>

#include "check.hpp"
#include "mesolith/bd/dlca.hpp"
#include "mesolith/bd/wall_mobility.hpp"

using mesolith::testing::check;

int main() {
  using namespace mesolith::bd;
  {
    DlcaParams p;
    p.box = 12.0;
    p.seed = 5;
    const DlcaResult r = run_dlca({1.0, 1.0, 1.0, 7.0, 7.0, 7.0}, {1.0, 1.0}, p);
    check(r.clusters == 1 && r.merges.size() == 1, "two spheres merge once");
    double d2 = 0.0;
    for (int k = 0; k < 3; ++k) d2 += std::pow(r.positions[k] - r.positions[3 + k], 2);
    check(std::fabs(std::sqrt(d2) - 2.0) < 1e-9, "unwrapped centres end exactly at contact");
    check(std::fabs(r.merges[0].hydrodynamic_radius - 4.0 / 3.0) < 1e-12, "Kirkwood doublet");
    check(std::fabs(r.merges[0].radius_of_gyration - 1.0) < 1e-9, "doublet Rg = a");
  }
  {
    // 60 spheres on a grid, aggregated to 3 clusters: no pair closer than contact.
    std::vector<double> x, a;
    for (int i = 0; i < 4; ++i)
      for (int j = 0; j < 5; ++j)
        for (int k = 0; k < 3; ++k) {
          x.insert(x.end(), {3.0 + 5.0 * i, 2.5 + 4.0 * j, 3.0 + 6.0 * k});
          a.push_back(1.0);
        }
    DlcaParams p;
    p.box = 20.0;
    p.target_clusters = 3;
    p.seed = 11;
    const DlcaResult r = run_dlca(x, a, p);
    double closest = 1e9;
    for (std::size_t i = 0; i < a.size(); ++i)
      for (std::size_t j = i + 1; j < a.size(); ++j) {
        double d2 = 0.0;
        for (int k = 0; k < 3; ++k) {
          double d = r.positions[3 * i + k] - r.positions[3 * j + k];
          d -= p.box * std::nearbyint(d / p.box);
          d2 += d * d;
        }
        closest = std::fmin(closest, std::sqrt(d2));
      }
    check(r.clusters == 3, "stops at the target number of clusters");
    check(closest > 2.0 - 1e-9, "no two spheres overlap");
  }
  {
    bool ok = true;
    for (double z = 1.01; z < 5.0; z += 0.07) {
      const double h = 1e-6;
      const double fd =
          (wall_mobility(z + h, 1.0).perpendicular - wall_mobility(z - h, 1.0).perpendicular) /
          (2 * h);
      ok = ok && std::fabs(fd - wall_mobility(z, 1.0).dperp_dz) < 1e-6;
    }
    check(ok, "d mu_perp / dz matches central differences");
    check(wall_mobility(0.5, 1.0).perpendicular > 0.0, "mobility stays positive inside the wall");
  }
  return mesolith::testing::finish("test_bd_dlca");
}
