// Dense random sphere packing: the relaxation sweep, and pack_spheres run to the end by a
// SpherePacker (sphere_packer.cpp). Serial Gauss-Seidel sweeps: independent of thread count.
#include <algorithm>
#include <cmath>
#include <limits>

#include "mesolith/micro/sphere_cells.hpp"
#include "mesolith/micro/sphere_packer.hpp"
#include "mesolith/micro/spheres.hpp"

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
  SpherePacker packer(o);
  packer.advance(std::numeric_limits<std::int64_t>::max());  // finishes or throws
  return packer.result();
}

}  // namespace mesolith::micro
