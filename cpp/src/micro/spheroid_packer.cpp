// Dense spheroid packing by compression with FIRE overlap minimisation, advanced in chunks of
// compression stages (serial: deterministic, independent of thread count).
#include "mesolith/micro/spheroid_packer.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>

#include "mesolith/rng.hpp"

namespace mesolith::micro {

SpheroidPacker::SpheroidPacker(const SpheroidPackingOptions& o) : o_(o) {
  if (!(o.lx > 0 && o.ly > 0 && o.lz > 0)) throw std::invalid_argument("box lengths must be > 0");
  if (!(o.target_fraction > 0 && o.target_fraction < 0.74))
    throw std::invalid_argument("target_fraction must be in (0, 0.74)");
  if (!(o.start_fraction > 0 && o.start_fraction <= o.target_fraction))
    throw std::invalid_argument("start_fraction must be in (0, target_fraction]");
  if (!(o.aspect_ratio > 0.02 && o.aspect_ratio <= 50))
    throw std::invalid_argument("aspect_ratio must be in (0.02, 50]");
  if (!(o.growth > 0 && o.growth <= 1))
    throw std::invalid_argument("growth must be in (0, 1]");
  if (!(o.order_stiffness >= 0))
    throw std::invalid_argument("order_stiffness must be >= 0");
  if (o.max_sweeps < 1 || o.stage_steps < 1)
    throw std::invalid_argument("max_sweeps and stage_steps must be >= 1");
  const double volume = o.lx * o.ly * o.lz;

  // Target sizes: equal-volume radii until the target fraction is filled, scaled to hit it.
  double filled = 0.0;
  const double q = o.aspect_ratio, to_a = 1.0 / std::cbrt(q);
  for (std::uint64_t i = 0; filled < o.target_fraction * volume; ++i) {
    rng::Stream size(o.seed, 5, i * 8), orient(o.seed, 6, i * 8);
    const double r = o.radii.draw(size.normal());
    const double t = watson_cos_theta(o.kappa, orient);
    const double phi = 2.0 * M_PI * orient.uniform();
    const double st = std::sqrt(std::max(0.0, 1.0 - t * t));
    Spheroid s{0, 0, 0, r * to_a, q * r * to_a, st * std::cos(phi), st * std::sin(phi), t};
    filled += s.volume();
    target_.push_back(s);
  }
  const double fix = std::cbrt(o.target_fraction * volume / filled);
  for (Spheroid& s : target_) {
    s.a *= fix;
    s.c *= fix;
    if (!o.periodic_z && 2.0 * s.support(0, 0, 1) >= o.lz)
      throw std::invalid_argument("a particle does not fit between the walls");
  }
  const std::size_t n = target_.size();

  SpheroidPackerState& st = state_;
  st.scale = std::cbrt(o.start_fraction / o.target_fraction);
  st.particles = target_;
  for (std::size_t i = 0; i < n; ++i) {
    rng::Stream s(o.seed, 7, static_cast<std::uint64_t>(i) * 8);
    Spheroid& p = st.particles[i];
    p.a = st.scale * target_[i].a;
    p.c = st.scale * target_[i].c;
    const double h = p.support(0, 0, 1);
    p.x = o.lx * s.uniform();
    p.y = o.ly * s.uniform();
    p.z = o.periodic_z ? o.lz * s.uniform() : h + (o.lz - 2 * h) * s.uniform();
  }
  st.relaxed = st.particles;
  st.relaxed_scale = st.scale;
  st.step = o.growth;
  st.tolerance = o.overlap_tolerance;

  for (const Spheroid& s : target_) order_sampled_ += 1.5 * s.uz * s.uz - 0.5;
  order_sampled_ /= static_cast<double>(n);
}

// Compression: grow, relax to within the tolerance, repeat. A stage that does not relax is
// jammed at that size: go back to the last relaxed state and grow by half as much.
void SpheroidPacker::stage() {
  SpheroidPackerState& s = state_;
  std::vector<Spheroid>& p = s.particles;
  for (std::size_t i = 0; i < p.size(); ++i) {
    p[i].a = s.scale * target_[i].a;
    p[i].c = s.scale * target_[i].c;
  }
  OverlapMinimiseOptions mo;
  mo.lx = o_.lx;
  mo.ly = o_.ly;
  mo.lz = o_.lz;
  mo.periodic_z = o_.periodic_z;
  mo.tolerance = s.tolerance;
  mo.order_stiffness = o_.order_stiffness;
  mo.target_order = order_sampled_;
  mo.max_steps = std::min(o_.stage_steps, o_.max_sweeps - s.sweeps);
  // The random start overlaps heavily: relax it with the axes fixed (the torques of deep
  // overlaps would scramble the sampled orientations); later stages overlap by about
  // `growth` only and may rotate.
  mo.rotate = o_.rotate && s.stages > 0;
  const OverlapMinimiseResult r = minimise_overlap(p, mo);
  s.sweeps += r.steps;
  ++s.stages;
  s.max_overlap = r.max_overlap;
  if (r.converged) {
    if (s.scale >= 1.0) {
      // Accept only what the independent check (golden-section F) confirms.
      s.max_overlap = spheroid_overlap(p, o_.lx, o_.ly, o_.lz, o_.periodic_z);
      if (s.max_overlap <= o_.overlap_tolerance) {
        s.done = true;
        return;
      }
      s.tolerance *= 0.9;
      return;
    }
    s.relaxed = p;
    s.relaxed_scale = s.scale;
    s.scale = std::min(1.0, s.scale * (1.0 + s.step));
    return;
  }
  // Half the increment that failed (at full size that may be less than `step`).
  s.step = 0.5 * std::min(s.step, s.scale / s.relaxed_scale - 1.0);
  if (s.sweeps >= o_.max_sweeps || s.step < 1e-5) {
    std::ostringstream msg;
    msg << "spheroid packing did not reach volume fraction " << o_.target_fraction
        << " within " << s.sweeps << " minimisation steps: sizes at " << s.relaxed_scale * 100
        << " % of target (volume fraction "
        << o_.target_fraction * s.relaxed_scale * s.relaxed_scale * s.relaxed_scale
        << ") relaxed, worst overlap " << s.max_overlap << " (tolerance "
        << o_.overlap_tolerance << ") beyond; lower target_fraction or raise max_sweeps";
    throw std::runtime_error(msg.str());
  }
  p = s.relaxed;
  s.scale = std::min(1.0, s.relaxed_scale * (1.0 + s.step));
}

bool SpheroidPacker::advance(std::int64_t stages) {
  for (std::int64_t k = 0; k < stages && !state_.done; ++k) stage();
  return state_.done;
}

namespace {
void check_particles(const std::vector<Spheroid>& p, std::size_t n, const char* name) {
  if (p.size() != n)
    throw std::invalid_argument("spheroid packer state: " + std::to_string(p.size()) + " " +
                                name + " particles, but these options give " +
                                std::to_string(n));
  for (const Spheroid& s : p)
    if (!(std::isfinite(s.x) && std::isfinite(s.y) && std::isfinite(s.z) && s.a > 0 &&
          s.c > 0 && std::isfinite(s.a) && std::isfinite(s.c) && std::isfinite(s.ux) &&
          std::isfinite(s.uy) && std::isfinite(s.uz)))
      throw std::invalid_argument(std::string("spheroid packer state: ") + name +
                                  " particles must have finite coordinates and axes, a, c > 0");
}
}  // namespace

void SpheroidPacker::set_state(const SpheroidPackerState& state) {
  check_particles(state.particles, target_.size(), "current");
  check_particles(state.relaxed, target_.size(), "relaxed");
  if (!(state.relaxed_scale > 0 && state.relaxed_scale <= state.scale && state.scale <= 1.0))
    throw std::invalid_argument(
        "spheroid packer state: need 0 < relaxed_scale <= scale <= 1");
  if (!(state.step > 0 && state.step <= o_.growth))
    throw std::invalid_argument("spheroid packer state: step must be in (0, growth]");
  if (!(state.tolerance > 0 && state.tolerance <= o_.overlap_tolerance))
    throw std::invalid_argument(
        "spheroid packer state: tolerance must be in (0, overlap_tolerance]");
  if (state.sweeps < 0 || state.stages < 0 || !(state.max_overlap >= 0))
    throw std::invalid_argument("spheroid packer state: sweeps, stages, max_overlap must be >= 0");
  state_ = state;
}

SpheroidPackingResult SpheroidPacker::result() const {
  if (!state_.done) throw std::logic_error("the packing is not finished");
  SpheroidPackingResult r;
  r.particles = state_.particles;
  double v = 0.0;
  for (const Spheroid& s : r.particles) v += s.volume();
  r.fraction = v / (o_.lx * o_.ly * o_.lz);
  r.max_overlap = state_.max_overlap;
  r.sweeps = state_.sweeps;
  r.stages = state_.stages;
  r.order_sampled = order_sampled_;
  for (const Spheroid& s : r.particles) r.order += 1.5 * s.uz * s.uz - 0.5;
  r.order /= static_cast<double>(r.particles.size());
  return r;
}

}  // namespace mesolith::micro
