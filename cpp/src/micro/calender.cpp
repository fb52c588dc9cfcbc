// Calendering: stepwise compression of a sphere packing between walls, with rearrangement.
#include <algorithm>
#include <stdexcept>

#include "mesolith/micro/spheres.hpp"

namespace mesolith::micro {

CalenderResult calender_spheres(std::vector<Sphere> spheres, double lx, double ly, double lz,
                                const CalenderOptions& o) {
  if (spheres.empty()) throw std::invalid_argument("calendering needs at least one particle");
  double r_max = 0.0, r_min = 1e300;
  for (const Sphere& s : spheres) {
    r_max = std::max(r_max, s.r);
    r_min = std::min(r_min, s.r);
  }
  if (!(o.lz_new > 2 * r_max && o.lz_new <= lz))
    throw std::invalid_argument("final height must lie between the largest diameter and the "
                                "current height");
  if (!(o.spring_back >= 0.0 && o.spring_back < 1.0))
    throw std::invalid_argument("spring_back must be in [0, 1)");
  if (o.steps < 1 || o.max_sweeps_per_step < 1)
    throw std::invalid_argument("steps and max_sweeps_per_step must be >= 1");
  CalenderResult result;
  const double reach = 2.0 * r_max + 0.25 * r_min;
  double height = lz;
  for (std::int64_t k = 1; k <= o.steps; ++k) {
    const double next = lz + (o.lz_new - lz) * static_cast<double>(k) / static_cast<double>(o.steps);
    const double ratio = next / height;
    for (Sphere& s : spheres) s.z = std::clamp(s.z * ratio, s.r, next - s.r);
    height = next;
    for (std::int64_t sweep = 0; sweep < o.max_sweeps_per_step; ++sweep) {
      ++result.sweeps;
      if (relax_sweep(spheres, lx, ly, height, reach, true) <= o.overlap_tolerance) break;
    }
  }
  result.lz_loaded = height;
  if (o.spring_back > 0.0) {
    const double released = o.lz_new + o.spring_back * (lz - o.lz_new);
    const double ratio = released / height;
    for (Sphere& s : spheres) s.z = std::clamp(s.z * ratio, s.r, released - s.r);
    height = released;
    for (std::int64_t sweep = 0; sweep < o.max_sweeps_per_step; ++sweep) {
      ++result.sweeps;
      if (relax_sweep(spheres, lx, ly, height, reach, true) <= o.overlap_tolerance) break;
    }
  }
  result.max_overlap = relax_sweep(spheres, lx, ly, height, reach, false);
  result.lz = height;
  result.spheres = std::move(spheres);
  return result;
}

}  // namespace mesolith::micro
