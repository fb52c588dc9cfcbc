// C++ unit tests of the spheroid core, without Python: contact function, Watson sampling,
// voxelisation and packing invariants.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "mesolith/micro/spheroid_overlap_energy.hpp"
#include "mesolith/micro/spheroid_packer.hpp"
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

double& axis(micro::Spheroid& s, int k) { return k == 0 ? s.ux : (k == 1 ? s.uy : s.uz); }

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

  // Newton F equals the golden-section F; its gradients match central differences (step 1e-5:
  // truncation error ~1e-10 relative, rounding ~1e-11 / 1e-5 = 1e-6 of F; bound 1e-5).
  {
    mesolith::rng::Stream s(11, 3);
    double worst_f = 0.0, worst_g = 0.0;
    for (int trial = 0; trial < 50; ++trial) {
      auto random_spheroid = [&](double x) {
        double u[3] = {s.normal(), s.normal(), s.normal()};
        const double n = std::sqrt(u[0] * u[0] + u[1] * u[1] + u[2] * u[2]);
        const double a = 1.0 + 3.0 * s.uniform();
        return micro::Spheroid{x, 0, 0, a, a * (0.2 + 0.9 * s.uniform()), u[0] / n, u[1] / n,
                               u[2] / n};
      };
      micro::Spheroid A = random_spheroid(0.0), B = random_spheroid(0.0);
      const double r[3] = {3 * s.normal(), 3 * s.normal(), 3 * s.normal()};
      const micro::PwGradient g = micro::perram_wertheim_gradient(A, B, r);
      worst_f = std::max(worst_f, std::fabs(g.F - micro::perram_wertheim(A, B, r[0], r[1], r[2])) /
                                      g.F);
      const double h = 1e-5;
      for (int k = 0; k < 3; ++k) {
        double rp[3] = {r[0], r[1], r[2]}, rm[3] = {r[0], r[1], r[2]};
        rp[k] += h;
        rm[k] -= h;
        const double fd = (micro::perram_wertheim_gradient(A, B, rp).F -
                           micro::perram_wertheim_gradient(A, B, rm).F) / (2 * h);
        worst_g = std::max(worst_g, std::fabs(fd - g.dr[k]) / (1.0 + std::fabs(g.F)));
        // Axis gradients: perturb one component of u (the unconstrained derivative).
        for (int which = 0; which < 2; ++which) {
          micro::Spheroid P = which ? B : A, M = P;
          axis(P, k) += h;
          axis(M, k) -= h;
          const double fp = which ? micro::perram_wertheim_gradient(A, P, r).F
                                  : micro::perram_wertheim_gradient(P, B, r).F;
          const double fm = which ? micro::perram_wertheim_gradient(A, M, r).F
                                  : micro::perram_wertheim_gradient(M, B, r).F;
          const double an = which ? g.du_b[k] : g.du_a[k];
          worst_g = std::max(worst_g, std::fabs((fp - fm) / (2 * h) - an) / (1.0 + std::fabs(g.F)));
        }
      }
    }
    check(worst_f < 1e-9, "Newton PW = golden-section PW");
    check(worst_g < 1e-5, "PW gradients = central differences");
  }

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
  // The order restraint keeps <P2(u_z)> at the sampled value (W = 1: within 1e-2).
  check(std::fabs(r.order - r.order_sampled) < 1e-2, "order parameter kept");
  double s_final = 0.0;
  for (const auto& p : r.particles) s_final += 1.5 * p.uz * p.uz - 0.5;
  check(std::fabs(s_final / r.particles.size() - r.order) < 1e-12, "order reported");

  // Chunked packing: 3 stages at a time, the state handed to a fresh packer between chunks
  // (as a checkpoint and restart do), ends bit for bit where pack_spheroids ends.
  micro::SpheroidPacker chunked(o);
  std::int64_t chunks = 0;
  while (!chunked.advance(3)) {
    micro::SpheroidPacker restarted(o);
    restarted.set_state(chunked.state());
    chunked = restarted;
    ++chunks;
  }
  const auto c = chunked.result();
  bool same = chunks >= 3 && c.particles.size() == r.particles.size() &&
              c.sweeps == r.sweeps && c.stages == r.stages && c.fraction == r.fraction &&
              c.max_overlap == r.max_overlap && c.order == r.order;
  for (std::size_t i = 0; same && i < r.particles.size(); ++i) {
    const micro::Spheroid &a = c.particles[i], &b = r.particles[i];
    same = a.x == b.x && a.y == b.y && a.z == b.z && a.a == b.a && a.c == b.c &&
           a.ux == b.ux && a.uy == b.uy && a.uz == b.uz;
  }
  check(same, "chunked spheroid packing with state hand-over equals pack_spheroids bit for bit");
  micro::SpheroidPackerState wrong = chunked.state();
  wrong.relaxed.pop_back();
  bool refused = false;
  try {
    micro::SpheroidPacker(o).set_state(wrong);
  } catch (const std::invalid_argument&) {
    refused = true;
  }
  check(refused, "a state with another number of particles is refused");

  return mesolith::testing::finish("test_micro_spheroids");
}
