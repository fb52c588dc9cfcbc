// Dense random sphere packing by collective rearrangement with growing radii, advanced in
// chunks of sweeps (serial Gauss-Seidel sweeps: deterministic, independent of thread count).
#include "mesolith/micro/sphere_packer.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "mesolith/rng.hpp"

namespace mesolith::micro {

namespace {
constexpr double kSphere = 4.0 * M_PI / 3.0;
}

SpherePacker::SpherePacker(const PackingOptions& o) : o_(o) {
  if (!(o.lx > 0 && o.ly > 0 && o.lz > 0)) throw std::invalid_argument("box lengths must be > 0");
  if (!(o.target_fraction > 0 && o.target_fraction < 0.74))
    throw std::invalid_argument("target_fraction must be in (0, 0.74)");
  if (!(o.start_fraction > 0 && o.start_fraction <= o.target_fraction))
    throw std::invalid_argument("start_fraction must be in (0, target_fraction]");
  const double volume = o.lx * o.ly * o.lz;

  // Target radii: draw until the spheres fill the target fraction, then scale to hit it.
  double filled = 0.0;
  for (std::uint64_t i = 0; filled < o.target_fraction * volume; ++i) {
    rng::Stream s(o.seed, 2, i * 8);
    const double r = o.radii.draw(s.normal());
    radius_.push_back(r);
    filled += kSphere * r * r * r;
  }
  const double fix = std::cbrt(o.target_fraction * volume / filled);
  for (double& r : radius_) r *= fix;
  const std::size_t n = radius_.size();
  r_max_ = *std::max_element(radius_.begin(), radius_.end());
  if (2 * r_max_ >= o.lz && !o.periodic_z)
    throw std::invalid_argument("largest sphere does not fit between the walls");

  state_.scale = std::cbrt(o.start_fraction / o.target_fraction);
  state_.spheres.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    rng::Stream s(o.seed, 3, static_cast<std::uint64_t>(i) * 8);
    const double r0 = state_.scale * radius_[i];
    state_.spheres[i] = {o.lx * s.uniform(), o.ly * s.uniform(),
                         r0 + (o.lz - 2 * r0) * s.uniform(), r0};
  }
  // Displacements within a sweep stay far below this margin, so cells built at the start of
  // a sweep still hold every neighbour.
  margin_ = 0.25 * *std::min_element(radius_.begin(), radius_.end());
}

double SpherePacker::sweep_once(bool move) {
  return relax_sweep(state_.spheres, o_.lx, o_.ly, o_.lz, 2.0 * state_.scale * r_max_ + margin_,
                     move, o_.periodic_z);
}

bool SpherePacker::advance(std::int64_t sweeps) {
  PackerState& s = state_;
  // Grow while the worst overlap stays below this fraction of the smaller radius.
  const double grow_below = 10 * o_.overlap_tolerance;
  for (std::int64_t k = 0; k < sweeps && !s.done; ++k) {
    if (s.sweep >= o_.max_sweeps) {
      std::ostringstream msg;
      msg << "sphere packing did not reach volume fraction " << o_.target_fraction
          << " within " << o_.max_sweeps << " sweeps: radii at " << s.scale * 100
          << " % of target size, worst overlap " << s.max_overlap
          << " of the smaller radius (tolerance " << o_.overlap_tolerance
          << "); lower target_fraction or raise max_sweeps";
      throw std::runtime_error(msg.str());
    }
    const std::int64_t sweep = ++s.sweep;
    // Jammed (no growth for jam_sweeps): from now on the radii shrink slowly until one
    // relaxation sweep brings every overlap within the tolerance (Jodrey-Tory style).
    const bool jamming = o_.jam_sweeps > 0 && sweep - s.last_growth > o_.jam_sweeps;
    if (jamming) s.scale *= 1.0 - 0.1 * o_.growth;
    for (std::size_t i = 0; i < s.spheres.size(); ++i) s.spheres[i].r = s.scale * radius_[i];
    s.max_overlap = sweep_once(true);
    const bool at_size = !jamming && s.scale >= 1.0;
    if (jamming || at_size) {
      if (s.max_overlap <= o_.overlap_tolerance) {
        s.max_overlap = sweep_once(false);  // a measuring sweep confirms it
        if (s.max_overlap <= o_.overlap_tolerance) {
          s.done = true;
          s.jammed = jamming;
        }
      }
    } else if (s.max_overlap < grow_below) {
      s.scale = std::min(1.0, s.scale * (1.0 + o_.growth));
      s.last_growth = sweep;
    }
  }
  return s.done;
}

void SpherePacker::set_state(const PackerState& state) {
  if (state.spheres.size() != radius_.size())
    throw std::invalid_argument("packer state: " + std::to_string(state.spheres.size()) +
                                " spheres, but these options give " +
                                std::to_string(radius_.size()));
  if (!(state.scale > 0 && state.scale <= 1.0))
    throw std::invalid_argument("packer state: scale must be in (0, 1]");
  if (state.sweep < 0 || state.last_growth < 0 || state.last_growth > state.sweep)
    throw std::invalid_argument("packer state: need 0 <= last_growth <= sweep");
  for (const Sphere& sp : state.spheres)
    if (!(std::isfinite(sp.x) && std::isfinite(sp.y) && std::isfinite(sp.z) &&
          std::isfinite(sp.r) && sp.r > 0))
      throw std::invalid_argument("packer state: sphere coordinates must be finite, radii > 0");
  state_ = state;
}

PackingResult SpherePacker::result() const {
  if (!state_.done) throw std::logic_error("the packing is not finished");
  PackingResult r;
  r.spheres = state_.spheres;
  double v = 0;
  for (const Sphere& sp : r.spheres) v += kSphere * sp.r * sp.r * sp.r;
  r.fraction = v / (o_.lx * o_.ly * o_.lz);
  r.max_overlap = state_.max_overlap;
  r.sweeps = state_.sweep;
  r.jammed = state_.jammed;
  return r;
}

}  // namespace mesolith::micro
