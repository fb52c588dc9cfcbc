// C++ unit tests of the spheroid core, without Python: contact function, Watson sampling,
// voxelisation and packing invariants.
#include <cmath>
#include <cstdint>
#include <vector>

#include "mesolith/micro/spheroids.hpp"

#include "check.hpp"

using mesolith::testing::check;
namespace micro = mesolith::micro;

namespace {

// <t^2> of the Watson density exp(kappa t^2) on [0, 1] by the midpoint rule (1e5 points).
double watson_t2(double kappa) {
  double num = 0, den = 0;
  const int n = 100000;
  for (int i = 0; i < n; ++i) {
    const double t = (i + 0.5) / n;
    const double w = std::exp(kappa * (t * t - (kappa > 0 ? 1.0 : 0.0)));
    num += w * t * t;
    den += w;
  }
  return num / den;
}

}  // namespace

int main() {
  // Spheres of radii 1 and 2 at distance 1.5: F = (1.5 / 3)^2.
  const micro::Spheroid s1{0, 0, 0, 1, 1, 0, 0, 1}, s2{1.5, 0, 0, 2, 2, 0, 0, 1};
  check(std::fabs(micro::perram_wertheim(s1, s2, 1.5, 0, 0) - 0.25) < 1e-12, "PW spheres");
  // Aligned flakes stacked along their axis touch at c_A + c_B = 1.
  const micro::Spheroid f1{0, 0, 0, 2, 0.5, 0, 0, 1}, f2{0, 0, 0.8, 3, 0.5, 0, 0, 1};
  check(std::fabs(micro::perram_wertheim(f1, f2, 0, 0, 0.8) - 0.64) < 1e-10, "PW stacked");
  // Side by side in the plane they touch at a_A + a_B = 5.
  check(std::fabs(micro::perram_wertheim(f1, f2, 4.0, 0, 0) - 0.64) < 1e-10, "PW side");
  // Symmetric in A and B.
  const micro::Spheroid g1{0, 0, 0, 3, 1, 0.6, 0, 0.8}, g2{1, 1, 0.5, 2, 0.7, 0, 1, 0};
  check(std::fabs(micro::perram_wertheim(g1, g2, 1, 1, 0.5) -
                  micro::perram_wertheim(g2, g1, -1, -1, -0.5)) < 1e-10,
        "PW symmetric");

  // Watson samples: mean of t^2 within 4 standard errors of the quadrature value.
  for (double kappa : {0.0, 5.0, 30.0, -0.5, -20.0}) {
    mesolith::rng::Stream s(3, 9);
    const int n = 200000;
    double m1 = 0, m2 = 0;
    for (int i = 0; i < n; ++i) {
      const double t = micro::watson_cos_theta(kappa, s);
      m1 += t * t;
      m2 += t * t * t * t;
    }
    m1 /= n;
    m2 /= n;
    const double se = std::sqrt((m2 - m1 * m1) / n);
    check(std::fabs(m1 - watson_t2(kappa)) < 4 * se, "Watson <t^2>");
  }

  // Voxelisation of an axis-aligned flake matches the point test; volume near 4/3 pi a^2 c.
  const micro::Shape shape{40, 40, 20};
  std::vector<std::uint8_t> labels(shape.size(), 0);
  const bool periodic[3] = {false, false, false};
  const micro::Spheroid flake{20.3, 19.6, 10.2, 12.0, 4.0, 0, 0, 1};
  micro::voxelise_spheroids({flake}, shape, periodic, 1, labels.data());
  std::size_t count = 0;
  bool exact = true;
  for (std::int64_t x = 0; x < shape.nx; ++x)
    for (std::int64_t y = 0; y < shape.ny; ++y)
      for (std::int64_t z = 0; z < shape.nz; ++z) {
        const double dx = x + 0.5 - flake.x, dy = y + 0.5 - flake.y, dz = z + 0.5 - flake.z;
        const bool inside = (dx * dx + dy * dy) / 144.0 + dz * dz / 16.0 <= 1.0;
        exact &= inside == (labels[shape.index(x, y, z)] == 1);
        count += inside;
      }
  check(exact, "voxelisation = point test");
  check(std::fabs(count - 4.0 / 3.0 * M_PI * 144.0 * 4.0) < 0.03 * 4.0 / 3.0 * M_PI * 576.0,
        "flake volume within 3 %");

  // A small packing: the target fraction exactly, overlaps within the tolerance.
  micro::SpheroidPackingOptions o;
  o.lx = o.ly = o.lz = 32;
  o.target_fraction = 0.4;
  o.radii.mean_radius = 3.0;
  o.aspect_ratio = 0.4;
  o.kappa = 10;
  o.seed = 4;
  const auto r = micro::pack_spheroids(o);
  check(std::fabs(r.fraction - 0.4) < 1e-12, "packing fraction");
  check(micro::spheroid_overlap(r.particles, 32, 32, 32, false) <= o.overlap_tolerance,
        "packing overlaps within tolerance");

  return mesolith::testing::finish("test_micro_spheroids");
}
