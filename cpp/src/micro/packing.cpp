// Dense random sphere packing by collective rearrangement with growing radii (serial
// Gauss-Seidel sweeps: deterministic, so independent of the thread count).
#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "mesolith/micro/sphere_cells.hpp"
#include "mesolith/micro/spheres.hpp"
#include "mesolith/rng.hpp"

namespace mesolith::micro {

// One Gauss-Seidel sweep of overlap removal (see relax_sweep in spheres.hpp).
double relax_sweep(std::vector<Sphere>& sph, double lx, double ly, double lz, double reach,
                   bool move, bool periodic_z) {
  const auto n = sph.size();
  const SphereCells cells(sph, lx, ly, lz, reach, periodic_z);
  double worst = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    Sphere& a = sph[i];
    cells.for_neighbours(a.x, a.y, a.z, [&](std::size_t j) {
      if (j <= i) return;
      Sphere& b = sph[j];
      double ex = a.x - b.x, ey = a.y - b.y;
      ex -= lx * std::nearbyint(ex / lx);
      ey -= ly * std::nearbyint(ey / ly);
      double ez = a.z - b.z;
      if (periodic_z) ez -= lz * std::nearbyint(ez / lz);
      const double d2 = ex * ex + ey * ey + ez * ez;
      const double contact = a.r + b.r;
      if (d2 >= contact * contact) return;
      double d = std::sqrt(d2);
      if (d < 1e-12) {  // coincident centres: separate along z
        ex = ey = 0.0;
        ez = 1.0;
        d = 1.0;
      }
      const double overlap = contact - std::sqrt(d2);
      worst = std::max(worst, overlap / std::min(a.r, b.r));
      if (!move) return;
      const double va = a.r * a.r * a.r, vb = b.r * b.r * b.r;
      const double sa = overlap * vb / (va + vb) / d, sb = overlap * va / (va + vb) / d;
      a.x += sa * ex;
      a.y += sa * ey;
      a.z += sa * ez;
      b.x -= sb * ex;
      b.y -= sb * ey;
      b.z -= sb * ez;
      b.x = std::fmod(b.x + lx, lx);
      b.y = std::fmod(b.y + ly, ly);
      b.z = periodic_z ? std::fmod(b.z + lz, lz) : std::clamp(b.z, b.r, lz - b.r);
    });
    // Hard walls at z = 0 and z = lz.
    if (!periodic_z && a.z < a.r) worst = std::max(worst, (a.r - a.z) / a.r);
    if (!periodic_z && a.z > lz - a.r) worst = std::max(worst, (a.z + a.r - lz) / a.r);
    if (move) {
      a.x = std::fmod(a.x + lx, lx);
      a.y = std::fmod(a.y + ly, ly);
      a.z = periodic_z ? std::fmod(a.z + lz, lz) : std::clamp(a.z, a.r, lz - a.r);
    }
  }
  return worst;
}

PackingResult pack_spheres(const PackingOptions& o) {
  if (!(o.lx > 0 && o.ly > 0 && o.lz > 0)) throw std::invalid_argument("box lengths must be > 0");
  if (!(o.target_fraction > 0 && o.target_fraction < 0.74))
    throw std::invalid_argument("target_fraction must be in (0, 0.74)");
  if (!(o.start_fraction > 0 && o.start_fraction <= o.target_fraction))
    throw std::invalid_argument("start_fraction must be in (0, target_fraction]");
  const double volume = o.lx * o.ly * o.lz;
  const double kSphere = 4.0 * M_PI / 3.0;

  // Target radii: draw until the spheres fill the target fraction, then scale to hit it.
  std::vector<double> radius;
  double filled = 0.0;
  for (std::uint64_t i = 0; filled < o.target_fraction * volume; ++i) {
    rng::Stream s(o.seed, 2, i * 8);
    const double r = o.radii.draw(s.normal());
    radius.push_back(r);
    filled += kSphere * r * r * r;
  }
  const double fix = std::cbrt(o.target_fraction * volume / filled);
  for (double& r : radius) r *= fix;
  const std::size_t n = radius.size();
  const double r_max = *std::max_element(radius.begin(), radius.end());
  if (2 * r_max >= o.lz && !o.periodic_z)
    throw std::invalid_argument("largest sphere does not fit between the walls");

  double scale = std::cbrt(o.start_fraction / o.target_fraction);
  std::vector<Sphere> sph(n);
  for (std::size_t i = 0; i < n; ++i) {
    rng::Stream s(o.seed, 3, static_cast<std::uint64_t>(i) * 8);
    const double r0 = scale * radius[i];
    sph[i] = {o.lx * s.uniform(), o.ly * s.uniform(), r0 + (o.lz - 2 * r0) * s.uniform(), r0};
  }

  PackingResult result;
  // Grow while the worst overlap stays below this fraction of the smaller radius.
  const double grow_below = 10 * o.overlap_tolerance;
  // Displacements within a sweep stay far below this margin, so cells built at the start of
  // a sweep still hold every neighbour.
  const double margin = 0.25 * *std::min_element(radius.begin(), radius.end());

  std::int64_t last_growth = 0;
  for (std::int64_t sweep = 1; sweep <= o.max_sweeps; ++sweep) {
    // Jammed (no growth for jam_sweeps): from now on the radii shrink slowly until one
    // relaxation sweep brings every overlap within the tolerance (Jodrey-Tory style).
    const bool jamming = o.jam_sweeps > 0 && sweep - last_growth > o.jam_sweeps;
    if (jamming) scale *= 1.0 - 0.1 * o.growth;
    for (std::size_t i = 0; i < n; ++i) sph[i].r = scale * radius[i];
    const double max_overlap = relax_sweep(sph, o.lx, o.ly, o.lz, 2.0 * scale * r_max + margin, true, o.periodic_z);
    result.sweeps = sweep;
    result.max_overlap = max_overlap;
    if (jamming) {
      if (max_overlap <= o.overlap_tolerance) {
        result.max_overlap = relax_sweep(sph, o.lx, o.ly, o.lz, 2.0 * scale * r_max + margin,
                                         false, o.periodic_z);
        if (result.max_overlap > o.overlap_tolerance) continue;
        double v = 0;
        for (const Sphere& sp : sph) v += kSphere * sp.r * sp.r * sp.r;
        result.spheres = sph;
        result.fraction = v / volume;
        result.jammed = true;
        return result;
      }
    } else if (scale < 1.0) {
      if (max_overlap < grow_below) {
        scale = std::min(1.0, scale * (1.0 + o.growth));
        last_growth = sweep;
      }
    } else if (max_overlap <= o.overlap_tolerance) {
      result.max_overlap = relax_sweep(sph, o.lx, o.ly, o.lz, 2.0 * scale * r_max + margin, false, o.periodic_z);
      if (result.max_overlap > o.overlap_tolerance) continue;
      result.spheres = sph;
      double v = 0;
      for (const Sphere& s : sph) v += kSphere * s.r * s.r * s.r;
      result.fraction = v / volume;
      return result;
    }
  }
  std::ostringstream msg;
  msg << "sphere packing did not reach volume fraction " << o.target_fraction << " within "
      << o.max_sweeps << " sweeps: radii at " << scale * 100
      << " % of target size, worst overlap " << result.max_overlap
      << " of the smaller radius (tolerance " << o.overlap_tolerance
      << "); lower target_fraction or raise max_sweeps";
  throw std::runtime_error(msg.str());
}

}  // namespace mesolith::micro
