// Dense random sphere packing by collective rearrangement with growing radii.
#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "mesolith/micro/sphere_cells.hpp"
#include "mesolith/micro/spheres.hpp"
#include "mesolith/rng.hpp"

namespace mesolith::micro {

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
  if (2 * r_max >= o.lz) throw std::invalid_argument("largest sphere does not fit between the walls");

  double scale = std::cbrt(o.start_fraction / o.target_fraction);
  std::vector<Sphere> sph(n);
  for (std::size_t i = 0; i < n; ++i) {
    rng::Stream s(o.seed, 3, static_cast<std::uint64_t>(i) * 8);
    const double r0 = scale * radius[i];
    sph[i] = {o.lx * s.uniform(), o.ly * s.uniform(), r0 + (o.lz - 2 * r0) * s.uniform(), r0};
  }

  std::vector<double> dx(n), dy(n), dz(n), worst(n);
  PackingResult result;
  // Grow while the worst overlap stays below this fraction of the smaller radius.
  const double grow_below = 10 * o.overlap_tolerance;
  // Jacobi under-relaxation: each pair correction is shared with the sphere's other contacts.
  const double relax = 0.6;
  for (std::int64_t sweep = 1; sweep <= o.max_sweeps; ++sweep) {
    for (std::size_t i = 0; i < n; ++i) sph[i].r = scale * radius[i];
    const SphereCells cells(sph, o.lx, o.ly, o.lz, 2.0 * scale * r_max);
#pragma omp parallel for schedule(static)
    for (std::int64_t ii = 0; ii < static_cast<std::int64_t>(n); ++ii) {
      const auto i = static_cast<std::size_t>(ii);
      const Sphere& a = sph[i];
      double mx = 0, my = 0, mz = 0, w = 0;
      cells.for_neighbours(a.x, a.y, a.z, [&](std::size_t j) {
        if (j == i) return;
        const Sphere& b = sph[j];
        double ex = a.x - b.x, ey = a.y - b.y;
        ex -= o.lx * std::nearbyint(ex / o.lx);
        ey -= o.ly * std::nearbyint(ey / o.ly);
        const double ez = a.z - b.z;
        const double d2 = ex * ex + ey * ey + ez * ez;
        const double contact = a.r + b.r;
        if (d2 >= contact * contact) return;
        const double d = std::sqrt(d2);
        const double overlap = contact - d;
        w = std::max(w, overlap / std::min(a.r, b.r));
        // The larger sphere moves less (shares by volume).
        const double va = a.r * a.r * a.r, vb = b.r * b.r * b.r;
        const double share = relax * overlap * vb / (va + vb);
        if (d > 1e-12) {
          mx += share * ex / d;
          my += share * ey / d;
          mz += share * ez / d;
        } else {
          mz += share * (i < j ? 1.0 : -1.0);  // coincident centres: split along z
        }
      });
      // Hard walls: push back fully.
      if (a.z - a.r < 0) {
        w = std::max(w, (a.r - a.z) / a.r);
        mz += a.r - a.z;
      } else if (a.z + a.r > o.lz) {
        w = std::max(w, (a.z + a.r - o.lz) / a.r);
        mz -= a.z + a.r - o.lz;
      }
      dx[i] = mx;
      dy[i] = my;
      dz[i] = mz;
      worst[i] = w;
    }
    double max_overlap = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      max_overlap = std::max(max_overlap, worst[i]);
      Sphere& s = sph[i];
      s.x = std::fmod(s.x + dx[i] + o.lx, o.lx);
      s.y = std::fmod(s.y + dy[i] + o.ly, o.ly);
      s.z = std::clamp(s.z + dz[i], s.r, o.lz - s.r);
    }
    result.sweeps = sweep;
    result.max_overlap = max_overlap;
    if (scale < 1.0) {
      if (max_overlap < grow_below) scale = std::min(1.0, scale * (1.0 + o.growth));
    } else if (max_overlap <= o.overlap_tolerance) {
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
