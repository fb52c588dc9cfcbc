// C++ unit tests of the micro engine without Python: exact transport answers, connectivity,
// surface density of a plane, packing determinism.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <vector>

#include "mesolith/micro/connectivity.hpp"
#include "mesolith/micro/sphere_packer.hpp"
#include "mesolith/micro/spheres.hpp"
#include "mesolith/micro/surface.hpp"
#include "mesolith/micro/transport.hpp"

#include "check.hpp"

using mesolith::testing::check;

namespace {
bool close(double a, double b, double rel) { return std::abs(a - b) <= rel * std::abs(b); }
}  // namespace

int main() {
  using namespace mesolith::micro;
  const Shape s{12, 10, 8};
  std::array<double, 256> sigma{};
  sigma[0] = 1.0;

  // Straight channels along x: pore where y is even. Effective = porosity exactly (tau = 1).
  std::vector<std::uint8_t> labels(s.size(), 1);
  for (std::int64_t x = 0; x < s.nx; ++x)
    for (std::int64_t y = 0; y < s.ny; y += 2)
      for (std::int64_t z = 0; z < s.nz; ++z) labels[s.index(x, y, z)] = 0;
  TransportOptions opt;
  opt.axis = 0;
  opt.rtol = 1e-10;
  const auto chan = solve_conduction(labels.data(), s, sigma, opt);
  check(close(chan.effective_conductivity, 0.5, 1e-9), "straight channels: D_eff = eps");
  // Across the channels (axis 1) nothing percolates.
  opt.axis = 1;
  const auto across = solve_conduction(labels.data(), s, sigma, opt);
  check(!across.percolates && across.effective_conductivity == 0.0, "no percolation across");

  // Layers in series along z: conductivities 1 and 4 alternate -> harmonic mean 1.6.
  std::array<double, 256> two{};
  two[0] = 1.0;
  two[1] = 4.0;
  for (std::int64_t x = 0; x < s.nx; ++x)
    for (std::int64_t y = 0; y < s.ny; ++y)
      for (std::int64_t z = 0; z < s.nz; ++z) labels[s.index(x, y, z)] = z % 2;
  opt.axis = 2;
  const auto series = solve_conduction(labels.data(), s, two, opt);
  check(close(series.effective_conductivity, 1.6, 1e-9), "series layers: harmonic mean");
  opt.axis = 0;
  const auto parallel = solve_conduction(labels.data(), s, two, opt);
  check(close(parallel.effective_conductivity, 2.5, 1e-9), "parallel layers: arithmetic mean");

  // Connectivity: an isolated pore voxel does not reach the face; the channels do.
  std::vector<std::uint8_t> mask(s.size(), 0), out(s.size());
  mask[s.index(5, 5, 4)] = 1;
  check(reach_from_face(mask.data(), s, 2, 1, out.data()) == 0, "isolated voxel unreached");
  for (std::int64_t z = 0; z < s.nz; ++z) mask[s.index(2, 2, z)] = 1;
  check(spanning_cluster(mask.data(), s, 2, out.data()) == static_cast<std::size_t>(s.nz),
        "column spans z");

  // A digitised ball of radius 12 voxels: area 4 pi r^2 within 2 % (all orientations present,
  // so the direction weights average out; the residual is the digitisation noise).
  const Shape big{40, 40, 40};
  std::vector<std::uint8_t> ball(big.size(), 0);
  const std::vector<Sphere> one{{20.0, 20.3, 19.7, 12.0}};
  const bool open_box[3] = {false, false, false};
  voxelise_spheres(one, big, open_box, 1, ball.data());
  const auto dens = interface_density(ball.data(), big, 2);
  // Each direction d samples the window of its voxel pairs, (n - |dx|)(n - |dy|)(n - |dz|)
  // voxels, so the expected estimate is sum_d w_d 4 pi r^2 / pairs_d with sum_d w_d = 1.
  const double w[3] = {2 * 0.04577789120476, 2 * 0.03698062787608, 2 * 0.03519563978232};
  const double area = 4.0 * M_PI * 144.0;
  const double expected =
      area * (3 * w[0] / (39.0 * 1600.0) + 6 * w[1] / (39.0 * 39.0 * 40.0) + 4 * w[2] / (39.0 * 39.0 * 39.0));
  std::printf("ball: S_V %.6g expected %.6g ratio %.4f\n", dens[1], expected, dens[1] / expected);
  check(close(dens[1], expected, 0.01), "ball: S_V = 4 pi r^2 / V within 1 % (Crofton)");

  // Periodic test lines: every direction samples the whole box, S_V = 4 pi r^2 / n^3; the
  // extrapolated estimate (steps 1 and 2) agrees within 1 % too.
  InterfaceOptions wrap;
  wrap.periodic = true;
  const double per_volume = area / big.size();
  const auto dens_wrap = interface_density(ball.data(), big, 2, wrap);
  check(close(dens_wrap[1], per_volume, 0.01), "ball: periodic Crofton within 1 %");
  wrap.extrapolate = true;
  const auto dens_ex = interface_density(ball.data(), big, 2, wrap);
  std::printf("ball: periodic %.4f, extrapolated %.4f of 4 pi r^2 / V\n",
              dens_wrap[1] / per_volume, dens_ex[1] / per_volume);
  check(close(dens_ex[1], per_volume, 0.01), "ball: extrapolated within 1 %");

  // Films one voxel thick normal to z, every 4 voxels: step-2 lines along any direction with
  // dz != 0 see half of them, so the extrapolated estimate is 1.5 times the step-1 one, which
  // is f(z) = 2 (w_axis + 4 w_face / sqrt 2 + 4 w_body / sqrt 3) times the exact 2 / 4.
  const Shape film{8, 8, 16};
  std::vector<std::uint8_t> films(film.size(), 0);
  for (std::int64_t x = 0; x < film.nx; ++x)
    for (std::int64_t y = 0; y < film.ny; ++y)
      for (std::int64_t z = 1; z < film.nz; z += 4) films[film.index(x, y, z)] = 1;
  const double f = 2 * (w[0] + 4 * w[1] / std::sqrt(2.0) + 4 * w[2] / std::sqrt(3.0));
  InterfaceOptions film_opts;
  film_opts.periodic = true;
  const double one_step = interface_density(films.data(), film, 2, film_opts)[1];
  film_opts.extrapolate = true;
  const double two_step = interface_density(films.data(), film, 2, film_opts)[1];
  check(close(one_step, 0.5 * f, 1e-12), "film: Crofton = f(z) S_V exactly");
  check(close(two_step, 1.5 * one_step, 1e-12), "film: extrapolated = 1.5 x Crofton");

  // Packing: same seed, same spheres; fraction reached.
  PackingOptions po;
  po.lx = po.ly = 40;
  po.lz = 40;
  po.radii.mean_radius = 4.0;
  po.radii.log_sigma = 0.2;
  po.radii.min_radius = 2.0;
  po.radii.max_radius = 8.0;
  po.target_fraction = 0.55;
  po.seed = 3;
  const auto p1 = pack_spheres(po);
  const auto p2 = pack_spheres(po);
  check(p1.spheres.size() == p2.spheres.size() && p1.spheres[7].x == p2.spheres[7].x,
        "packing deterministic");
  check(close(p1.fraction, 0.55, 1e-9), "packing reaches the target fraction");
  check(p1.max_overlap <= po.overlap_tolerance, "packing overlaps within tolerance");

  // Chunked packing: 37 sweeps at a time, the state handed to a fresh packer between chunks
  // (as a checkpoint and restart do), ends bit for bit where pack_spheres ends.
  SpherePacker chunked(po);
  while (!chunked.advance(37)) {
    SpherePacker restarted(po);
    restarted.set_state(chunked.state());
    chunked = restarted;
  }
  const auto p3 = chunked.result();
  bool same = p3.spheres.size() == p1.spheres.size() && p3.sweeps == p1.sweeps &&
              p3.fraction == p1.fraction && p3.max_overlap == p1.max_overlap;
  for (std::size_t i = 0; same && i < p1.spheres.size(); ++i)
    same = p3.spheres[i].x == p1.spheres[i].x && p3.spheres[i].y == p1.spheres[i].y &&
           p3.spheres[i].z == p1.spheres[i].z && p3.spheres[i].r == p1.spheres[i].r;
  check(same, "chunked packing with state hand-over equals pack_spheres bit for bit");
  PackerState wrong = chunked.state();
  wrong.spheres.pop_back();
  bool refused = false;
  try {
    SpherePacker(po).set_state(wrong);
  } catch (const std::invalid_argument&) {
    refused = true;
  }
  check(refused, "a state with another number of spheres is refused");

  return mesolith::testing::finish("test_micro_core");
}
