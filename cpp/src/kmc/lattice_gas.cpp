#include "mesolith/kmc/lattice_gas.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace mesolith::kmc {

namespace {
// Direction d -> unit displacement (x, y, z): +x, -x, +y, -y, +z, -z.
constexpr int kStep[6][3] = {{1, 0, 0}, {-1, 0, 0}, {0, 1, 0}, {0, -1, 0}, {0, 0, 1}, {0, 0, -1}};
}  // namespace

LatticeGas::LatticeGas(const LatticeGasParams& params, std::uint64_t seed, std::uint64_t stream)
    : p_(params), rng_(seed, stream) {
  if (p_.nx < 1 || p_.ny < 1 || p_.nz < 1) throw std::invalid_argument("lattice shape must be >= 1");
  if (!(p_.temperature > 0.0) || !std::isfinite(p_.temperature))
    throw std::invalid_argument("temperature must be finite and > 0");
  if (!std::isfinite(p_.interaction)) throw std::invalid_argument("interaction must be finite");
  for (double r : {p_.hop_rate, p_.adsorption_rate, p_.desorption_rate})
    if (!(r >= 0.0) || !std::isfinite(r)) throw std::invalid_argument("rates must be finite and >= 0");
  dim_ = p_.nz == 1 ? 2 : 3;
  nxy_ = static_cast<std::size_t>(p_.nx) * static_cast<std::size_t>(p_.ny);
  const std::size_t n = nxy_ * static_cast<std::size_t>(p_.nz);
  const double kt = kBoltzmannEv * p_.temperature;
  if (!(kt > 0.0)) throw std::invalid_argument("temperature too small: kT underflows to 0");
  for (int k = 0; k < 7; ++k) bond_factor_[k] = std::exp(p_.interaction * k / kt);
  occ_.assign(n, 0);
  site_.assign(n, Site{{0, 0, 0}, 0, 0, 0});
  set_occupancy(occ_.data());
}

void LatticeGas::set_occupancy(const std::uint8_t* occupancy) {
  const std::size_t n = occ_.size();
  pending_ = -1.0;  // rates change: a partly consumed waiting time no longer applies
  occupied_ = 0;
  for (std::size_t i = 0; i < n; ++i) {
    occ_[i] = occupancy[i] ? 1 : 0;
    site_[i] = Site{{0, 0, 0}, 0, occ_[i], 0};
    occupied_ += occ_[i];
  }
  for (std::size_t i = 0; i < n; ++i)
    site_[i].nocc = static_cast<std::uint8_t>(occupied_neighbours(i));
  // Class rates: 0 empty (adsorption), 1 + k occupied with k occupied neighbours.
  const int z = 2 * dim_;
  double rates[SiteClasses::kMaxClasses] = {};
  rates[0] = p_.adsorption_rate;
  for (int k = 0; k <= z; ++k) {
    // A class with no possible event has rate 0 even when w(k) overflows (0 * inf is NaN).
    const double base = p_.hop_rate * (z - k) + p_.desorption_rate;
    rates[1 + k] = base > 0.0 ? bond_factor_[k] * base : 0.0;
  }
  // Every site in its fastest class must still sum to a finite total: an infinite total
  // makes the event selection meaningless (found by fuzzing the bindings).
  double fastest = 0.0;
  for (int c = 0; c < z + 2; ++c) fastest = std::max(fastest, rates[c]);
  if (!std::isfinite(fastest * static_cast<double>(n) * 4.0))
    throw std::overflow_error(
        "lattice gas rates overflow: hop/adsorption/desorption rates times exp(|interaction| "
        "z / kT) times the number of sites exceed the double range");
  classes_.reset(n, rates, z + 2);
  for (std::size_t i = 0; i < n; ++i)
    classes_.insert(static_cast<std::uint32_t>(i), site_class(i), positions());
}

bool LatticeGas::neighbour_counts_consistent() const {
  for (std::size_t i = 0; i < occ_.size(); ++i)
    if (site_[i].nocc != occupied_neighbours(i) || site_[i].occ != occ_[i]) return false;
  return true;
}

bool LatticeGas::classes_consistent() const {
  std::size_t stored = 0;
  for (int c = 0; c < classes_.classes(); ++c) {
    const auto& members = classes_.members(c);
    if (classes_.rate(c) <= 0.0 && !members.empty()) return false;
    for (std::size_t k = 0; k < members.size(); ++k) {
      const std::uint32_t s = members[k];
      if (site_class(s) != c || site_[s].pos != k) return false;
    }
    stored += members.size();
  }
  std::size_t expected = 0;
  for (std::size_t i = 0; i < occ_.size(); ++i) expected += classes_.rate(site_class(i)) > 0.0;
  return stored == expected;
}

void LatticeGas::coordinates(std::size_t i, std::size_t c[3]) const {
  // 32-bit division: the lattice has < 2^32 sites (SiteClasses checks), and it is faster.
  const auto i32 = static_cast<std::uint32_t>(i);
  const std::uint32_t row_index = i32 / static_cast<std::uint32_t>(p_.nx);
  c[0] = i32 - row_index * static_cast<std::uint32_t>(p_.nx);
  c[2] = dim_ == 2 ? 0 : row_index / static_cast<std::uint32_t>(p_.ny);
  c[1] = row_index - c[2] * static_cast<std::size_t>(p_.ny);
}

int LatticeGas::neighbours_at(std::size_t i, const std::size_t c[3],
                              std::array<std::size_t, 6>& nb) const {
  const std::size_t nx = static_cast<std::size_t>(p_.nx), ny = static_cast<std::size_t>(p_.ny);
  const std::size_t nz = static_cast<std::size_t>(p_.nz);
  const std::size_t x = c[0], y = c[1], z = c[2];
  const std::size_t base = i - x;
  nb[0] = base + (x + 1 == nx ? 0 : x + 1);
  nb[1] = base + (x == 0 ? nx - 1 : x - 1);
  const std::size_t row = i - y * nx;
  nb[2] = row + (y + 1 == ny ? 0 : y + 1) * nx;
  nb[3] = row + (y == 0 ? ny - 1 : y - 1) * nx;
  if (dim_ == 2) return 4;
  const std::size_t col = i - z * nxy_;
  nb[4] = col + (z + 1 == nz ? 0 : z + 1) * nxy_;
  nb[5] = col + (z == 0 ? nz - 1 : z - 1) * nxy_;
  return 6;
}

int LatticeGas::neighbours(std::size_t i, std::array<std::size_t, 6>& nb) const {
  std::size_t c[3];
  coordinates(i, c);
  return neighbours_at(i, c, nb);
}

int LatticeGas::occupied_neighbours(std::size_t i) const {
  std::array<std::size_t, 6> nb;
  const int z = neighbours(i, nb);
  int n = 0;
  for (int d = 0; d < z; ++d) n += occ_[nb[d]];
  return n;
}

double LatticeGas::site_rate(std::size_t i) const { return classes_.rate(site_class(i)); }

// Each change of occ or nocc moves the site to its new class at once, so the lists stay
// right even when a site is its own or a double neighbour (lattice lengths 1 or 2).
void LatticeGas::set_occupied(std::size_t i, bool occupied) {
  Site& s = site_[i];
  const int before = site_class(s);
  s.occ = occupied ? 1 : 0;
  occ_[i] = s.occ;
  classes_.move(static_cast<std::uint32_t>(i), before, site_class(s), positions());
}

void LatticeGas::add_neighbour_count(const std::array<std::size_t, 6>& nb, int z, int delta) {
  for (int d = 0; d < z; ++d) {
    Site& s = site_[nb[d]];
    const int before = site_class(s);
    s.nocc = static_cast<std::uint8_t>(s.nocc + delta);
    classes_.move(static_cast<std::uint32_t>(nb[d]), before, site_class(s), positions());
  }
}

void LatticeGas::fire(std::size_t i, int cls, double offset) {
  std::array<std::size_t, 6> nb;
  std::size_t c[3];
  coordinates(i, c);
  const int z = neighbours_at(i, c, nb);
  if (cls == 0) {  // adsorption: a new particle, displacement from here
    ++occupied_;
    site_[i].disp[0] = site_[i].disp[1] = site_[i].disp[2] = 0;
    set_occupied(i, true);
    add_neighbour_count(nb, z, +1);
    return;
  }
  const int n = cls - 1;
  const double w = bond_factor_[n];
  const double desorb = w * p_.desorption_rate;
  if (offset < desorb || p_.hop_rate <= 0.0) {  // desorption
    --occupied_;
    set_occupied(i, false);
    add_neighbour_count(nb, z, -1);
    return;
  }
  // Hop: the k-th empty neighbour, k from the remaining offset.
  const int empty = z - n;
  int k = static_cast<int>((offset - desorb) / (w * p_.hop_rate));
  if (k >= empty) k = empty - 1;
  int d = 0;
  for (;; ++d) {
    if (!site_[nb[d]].occ) {
      if (k == 0) break;
      --k;
    }
  }
  const std::size_t j = nb[d];
  // The particle carries its displacement to j (i is empty after the hop: no copy needed).
  for (int a = 0; a < 3; ++a) site_[j].disp[a] = site_[i].disp[a] + kStep[d][a];
  // j's coordinates from i's: one step along axis d / 2, periodic (no division).
  const int axis = d / 2;
  const std::size_t len[3] = {static_cast<std::size_t>(p_.nx), static_cast<std::size_t>(p_.ny),
                              static_cast<std::size_t>(p_.nz)};
  if (d % 2 == 0)
    c[axis] = c[axis] + 1 == len[axis] ? 0 : c[axis] + 1;
  else
    c[axis] = c[axis] == 0 ? len[axis] - 1 : c[axis] - 1;
  std::array<std::size_t, 6> nbj;
  const int zj = neighbours_at(j, c, nbj);
  set_occupied(i, false);
  add_neighbour_count(nb, z, -1);
  set_occupied(j, true);
  add_neighbour_count(nbj, zj, +1);
}

void LatticeGas::advance(double dt) {
  occ_integral_ += static_cast<double>(occupied_) * dt;
  avg_time_ += dt;
  time_ += dt;
}

std::uint64_t LatticeGas::run(std::uint64_t max_events, double t_end) {
  std::uint64_t fired = 0;
  while (fired < max_events) {
    const double total = classes_.total();
    if (!(total > 0.0)) {  // nothing can happen: the clock runs to the end
      if (std::isfinite(t_end) && t_end > time_) advance(t_end - time_);
      break;
    }
    // The unit-exponential waiting "integrated rate" survives a stop at t_end, so a run
    // split at any times gives the same trajectory as one run.
    if (pending_ < 0.0) pending_ = rng_.exponential();
    const double dt = pending_ / total;
    if (!std::isfinite(dt) && !std::isfinite(t_end))
      throw std::overflow_error(
          "lattice gas waiting time overflows: the total rate is too small (denormal rates) to "
          "reach an event in finite time");
    if (time_ + dt > t_end) {
      pending_ -= total * (t_end - time_);
      advance(t_end - time_);
      break;
    }
    pending_ = -1.0;
    double target = rng_.uniform() * total;
    int cls = 0;
    const std::size_t site = classes_.select(target, cls);
    advance(dt);
    fire(site, cls, target);
    ++fired;
  }
  events_ += fired;
  return fired;
}

void LatticeGas::run_recorded(std::uint64_t n, double* dt, double* total_rate) {
  for (std::uint64_t e = 0; e < n; ++e) {
    const double total = classes_.total();
    if (!(total > 0.0)) throw std::runtime_error("total rate is zero: no event can happen");
    const double step = (pending_ >= 0.0 ? pending_ : rng_.exponential()) / total;
    pending_ = -1.0;
    double target = rng_.uniform() * total;
    int cls = 0;
    const std::size_t site = classes_.select(target, cls);
    advance(step);
    fire(site, cls, target);
    dt[e] = step;
    total_rate[e] = total;
    ++events_;
  }
}

double LatticeGas::tracer_msd() const {
  double sum = 0.0;
  std::size_t count = 0;
  for (const Site& s : site_) {
    if (!s.occ) continue;
    sum += double(s.disp[0]) * s.disp[0] + double(s.disp[1]) * s.disp[1] +
           double(s.disp[2]) * s.disp[2];
    ++count;
  }
  return count ? sum / static_cast<double>(count) : 0.0;
}

}  // namespace mesolith::kmc

namespace mesolith::kmc {

LatticeGasState LatticeGas::state() const {
  LatticeGasState s;
  s.occupancy = occ_;
  s.displacement.assign(3 * occ_.size(), 0);
  for (std::size_t i = 0; i < occ_.size(); ++i)
    if (site_[i].occ)
      for (int a = 0; a < 3; ++a) s.displacement[3 * i + a] = site_[i].disp[a];
  for (int c = 0; c < classes_.classes(); ++c) {
    const auto& m = classes_.members(c);
    s.class_counts.push_back(m.size());
    s.class_sites.insert(s.class_sites.end(), m.begin(), m.end());
  }
  s.rng_block = rng_.block();
  s.rng_words_used = rng_.words_used();
  s.time = time_;
  s.pending = pending_;
  s.occupancy_integral = occ_integral_;
  s.averaging_time = avg_time_;
  s.events = events_;
  return s;
}

void LatticeGas::restore(const LatticeGasState& s) {
  const std::size_t n = occ_.size();
  if (s.occupancy.size() != n || s.displacement.size() != 3 * n ||
      s.class_counts.size() != static_cast<std::size_t>(classes_.classes()))
    throw std::invalid_argument("checkpoint does not match this lattice");
  // Site indices index the lattice: an out-of-range one would write outside it (found by
  // fuzzing corrupted checkpoints).
  for (std::uint32_t site : s.class_sites)
    if (site >= n) throw std::invalid_argument("checkpoint class lists name a site outside the lattice");
  for (double v : {s.time, s.occupancy_integral, s.averaging_time})
    if (!(v >= 0.0) || !std::isfinite(v))
      throw std::invalid_argument("checkpoint clock / averages must be finite and >= 0");
  if (!std::isfinite(s.pending)) throw std::invalid_argument("checkpoint waiting time must be finite");
  set_occupancy(s.occupancy.data());
  for (std::size_t i = 0; i < n; ++i)
    if (site_[i].occ)
      for (int a = 0; a < 3; ++a) site_[i].disp[a] = s.displacement[3 * i + a];
  // The list order decides which site a random number picks: restore it exactly.
  std::size_t offset = 0;
  for (int c = 0; c < classes_.classes(); ++c) {
    const std::size_t m = static_cast<std::size_t>(s.class_counts[static_cast<std::size_t>(c)]);
    if (m != classes_.count(c) || offset + m > s.class_sites.size())
      throw std::invalid_argument("checkpoint class lists do not match its occupancy");
    classes_.restore(c, s.class_sites.data() + offset, m, positions());
    offset += m;
  }
  if (!classes_consistent()) throw std::invalid_argument("checkpoint class lists are corrupt");
  rng_.seek(s.rng_block, s.rng_words_used);
  time_ = s.time;
  pending_ = s.pending;
  occ_integral_ = s.occupancy_integral;
  avg_time_ = s.averaging_time;
  events_ = s.events;
}

}  // namespace mesolith::kmc
