#include "mesolith/kmc/anode.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "mesolith/kmc/lattice_gas.hpp"  // kBoltzmannEv

namespace mesolith::kmc {

namespace {
constexpr double kAvogadro = 6.02214076e23;
constexpr double kElementaryCharge = 1.602176634e-19;

enum Kind : int {
  kIonHop = 0,
  kInsert = 1,
  kDeposit = 2,
  kReservoirOut = 3,
  kReservoirIn = 4,
  kHostHop = 5,
  kDeinsert = 6,
  kStrip = 7,
  kSurfaceHop = 8,
};
}  // namespace

AnodeRates derive_rates(const AnodeParams& p) {
  if (p.nx < 4 || p.nx % 2 || p.ny < 3 || p.host_layers < 2 || p.nz < p.host_layers + 3)
    throw std::invalid_argument(
        "lattice: need nx even >= 4, ny >= 3, host_layers >= 2, nz >= host_layers + 3");
  if (!(p.temperature > 0) || !(p.reference_temperature > 0) || !(p.spacing > 0))
    throw std::invalid_argument("temperature and spacing must be > 0");
  AnodeRates r{};
  const double kt = kBoltzmannEv * p.temperature;
  const double beta_shift = 1.0 / p.temperature - 1.0 / p.reference_temperature;
  const auto arrhenius = [&](double ea) { return std::exp(-ea / kBoltzmannEv * beta_shift); };
  const double a2 = p.spacing * p.spacing;
  const double site_volume_mol = p.spacing * p.spacing * p.spacing * kAvogadro;
  r.f = 1.0 / kt;
  r.ion_occupancy = p.concentration * site_volume_mol;
  const double p_ref = p.reference_concentration * site_volume_mol;
  if (!(r.ion_occupancy < 1.0) || !(p_ref > 0.0 && p_ref < 1.0))
    throw std::invalid_argument("concentration * N_A * spacing^3 must be < 1 (one ion per site)");
  r.ion_hop = p.electrolyte_diffusivity * arrhenius(p.electrolyte_activation) / a2;
  if (p.electrolyte_hop_cap > 0.0) r.ion_hop = std::min(r.ion_hop, p.electrolyte_hop_cap);
  r.host_hop = p.host_attempt_frequency * std::exp(-p.host_barrier / kt);
  if (p.host_hop_cap > 0.0) r.host_hop = std::min(r.host_hop, p.host_hop_cap);
  // Per (Li+, site) pair: an ion is next to a given site with probability p_ref at the
  // reference concentration, so k0 = i0 a^2 / (e p_ref) makes the mean exchange current
  // density i0 there.
  r.k0_insertion = p.insertion_exchange_current * arrhenius(p.insertion_activation) * a2 /
                   (kElementaryCharge * p_ref);
  r.k0_plating = p.plating_exchange_current * arrhenius(p.plating_activation) * a2 /
                 (kElementaryCharge * p_ref);
  const double standard_state = kt * std::log((1.0 - p_ref) / p_ref);
  r.e_site_base = p.insertion_potential + standard_state - p.stress_shift;
  r.e_plating = standard_state + 3.0 * p.metal_bond;
  // Plating is possible only below the Li/Li+ potential of the electrolyte at hand; E is on
  // the scale of Li/Li+ at the reference concentration, so that threshold moves by Nernst.
  // It equals the model's own kink equilibrium shift, (kT/e) ln(p/p_ref).
  r.e_lithium = kt * std::log(p.concentration / p.reference_concentration);
  r.surface_hop = p.surface_attempt_frequency * std::exp(-p.surface_barrier / kt);
  if (p.surface_hop_cap > 0.0) r.surface_hop = std::min(r.surface_hop, p.surface_hop_cap);
  for (int n = 0; n < 5; ++n) r.w_in[n] = std::exp(p.interaction_in_plane * n / kt);
  for (int n = 0; n < 3; ++n) r.w_out[n] = std::exp(p.interaction_interlayer * n / kt);
  for (int n = 0; n < 7; ++n) r.w_metal[n] = std::exp(p.metal_bond * n / kt);
  return r;
}

AnodeModel::AnodeModel(const AnodeParams& params, std::uint64_t seed, std::uint64_t stream)
    : p_(params), r_(derive_rates(params)), rng_(seed, stream) {
  nxy_ = static_cast<std::size_t>(p_.nx) * static_cast<std::size_t>(p_.ny);
  const std::size_t n = nxy_ * static_cast<std::size_t>(p_.nz);
  state_.assign(n, kEmpty);
  stamp_.assign(n, 0);
  tree_.reset(n);
  host_sites_ = (static_cast<std::size_t>(p_.nx) / 2) * p_.ny * p_.host_layers;
  initialize(0.0);
}

void AnodeModel::initialize(double soc) {
  if (!(soc >= 0.0 && soc <= 1.0)) throw std::invalid_argument("soc must be in [0, 1]");
  std::vector<std::uint8_t> s(state_.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const std::size_t x = i % static_cast<std::size_t>(p_.nx);
    if (in_host(i)) {
      s[i] = (x % 2 == 0) ? kGraphene : (rng_.uniform() < soc ? kHostLi : kHostEmpty);
    } else {
      s[i] = rng_.uniform() < r_.ion_occupancy ? kIon : kEmpty;
    }
  }
  set_state(s.data());
}

void AnodeModel::set_state(const std::uint8_t* state) {
  ions_ = host_li_ = metal_ = 0;
  for (std::size_t i = 0; i < state_.size(); ++i) {
    const std::uint8_t s = state[i];
    const bool host = in_host(i);
    const bool gallery = (i % static_cast<std::size_t>(p_.nx)) % 2 == 1;
    const bool ok = host ? (gallery ? (s == kHostEmpty || s == kHostLi) : s == kGraphene)
                         : (s == kEmpty || s == kIon || s == kMetal);
    if (!ok) throw std::invalid_argument("state: site value not allowed in its region");
    state_[i] = s;
    ions_ += s == kIon;
    host_li_ += s == kHostLi;
    metal_ += s == kMetal;
  }
  rebuild();
}

void AnodeModel::set_drive(const Drive& drive) {
  if (drive.min_potential >= drive.max_potential)
    throw std::invalid_argument("drive: min_potential must be < max_potential");
  if (drive.mode == DriveMode::kPulsed && !(drive.pulse_on > 0 && drive.pulse_off >= 0))
    throw std::invalid_argument("drive: pulse_on must be > 0 and pulse_off >= 0");
  drive_ = drive;
  start_drive();
}

int AnodeModel::neighbours(std::size_t i, std::size_t* out) const {
  const std::size_t nx = static_cast<std::size_t>(p_.nx), ny = static_cast<std::size_t>(p_.ny);
  const std::size_t x = i % nx, y = (i / nx) % ny, z = i / nxy_;
  const std::size_t base = i - x, row = i - y * nx;
  int k = 0;
  out[k++] = base + (x + 1 == nx ? 0 : x + 1);
  out[k++] = base + (x == 0 ? nx - 1 : x - 1);
  out[k++] = row + (y + 1 == ny ? 0 : y + 1) * nx;
  out[k++] = row + (y == 0 ? ny - 1 : y - 1) * nx;
  if (z + 1 < static_cast<std::size_t>(p_.nz)) out[k++] = i + nxy_;
  if (z > 0) out[k++] = i - nxy_;
  return k;
}

bool AnodeModel::supported(std::size_t j, std::size_t ignore) const {
  if (j / nxy_ == static_cast<std::size_t>(p_.host_layers)) return true;  // on the host surface
  std::size_t nb[6];
  const int k = neighbours(j, nb);
  for (int d = 0; d < k; ++d)
    if (nb[d] != ignore && state_[nb[d]] == kMetal) return true;
  return false;
}

int AnodeModel::metal_neighbours(std::size_t i) const {
  std::size_t nb[6];
  const int k = neighbours(i, nb);
  int m = 0;
  for (int d = 0; d < k; ++d) m += state_[nb[d]] == kMetal;
  return m;
}

namespace {
// In-plane (y, z) and interlayer (x +- 2) occupied neighbours of a gallery site.
struct HostCounts {
  int in_plane = 0, interlayer = 0;
};
}  // namespace

double AnodeModel::site_potential(std::size_t h) const {
  const std::size_t nx = static_cast<std::size_t>(p_.nx), ny = static_cast<std::size_t>(p_.ny);
  const std::size_t x = h % nx, y = (h / nx) % ny, z = h / nxy_;
  const std::size_t base = h - x, row = h - y * nx;
  int nin = state_[row + (y + 1 == ny ? 0 : y + 1) * nx] == kHostLi;
  nin += state_[row + (y == 0 ? ny - 1 : y - 1) * nx] == kHostLi;
  if (z + 1 < static_cast<std::size_t>(p_.host_layers)) nin += state_[h + nxy_] == kHostLi;
  if (z > 0) nin += state_[h - nxy_] == kHostLi;
  int nout = state_[base + (x + 2) % nx] == kHostLi;
  nout += state_[base + (x + nx - 2) % nx] == kHostLi;
  return r_.e_site_base - (p_.interaction_in_plane * nin + p_.interaction_interlayer * nout);
}

template <class Visit>
void AnodeModel::channels(std::size_t i, Visit&& visit) const {
  const std::size_t z = i / nxy_;
  const std::size_t top = static_cast<std::size_t>(p_.nz) - 1;
  const std::size_t h = static_cast<std::size_t>(p_.host_layers);
  const double e = potential_;
  std::size_t nb[6];
  switch (state_[i]) {
    case kEmpty:
      if (z == top) visit(r_.ion_hop * r_.ion_occupancy, kReservoirIn, i);
      return;
    case kIon: {
      const int k = neighbours(i, nb);
      for (int d = 0; d < k; ++d)
        if (state_[nb[d]] == kEmpty) visit(r_.ion_hop, kIonHop, nb[d]);
      if (z == h && state_[i - nxy_] == kHostEmpty) {
        const double eta = e - site_potential(i - nxy_);
        visit(r_.k0_insertion * std::exp(-p_.insertion_alpha * r_.f * eta), kInsert, i - nxy_);
      }
      if (e < r_.e_lithium && supported(i, i))
        visit(r_.k0_plating * std::exp(-p_.plating_alpha * r_.f * (e - r_.e_plating)), kDeposit,
              i);
      if (z == top) visit(r_.ion_hop * (1.0 - r_.ion_occupancy), kReservoirOut, i);
      return;
    }
    case kMetal: {
      const int k = neighbours(i, nb);
      int m = 0;
      bool exposed = false;
      for (int d = 0; d < k; ++d) {
        m += state_[nb[d]] == kMetal;
        exposed |= state_[nb[d]] <= kIon;
      }
      if (!exposed) return;
      const double w = r_.w_metal[m];
      visit(r_.k0_plating * w *
                std::exp((1.0 - p_.plating_alpha) * r_.f * (e - r_.e_plating)),
            kStrip, i);
      for (int d = 0; d < k; ++d)
        if (state_[nb[d]] == kEmpty && nb[d] / nxy_ >= h && supported(nb[d], i))
          visit(r_.surface_hop * w, kSurfaceHop, nb[d]);
      return;
    }
    case kHostLi: {
      const std::size_t nx = static_cast<std::size_t>(p_.nx);
      const std::size_t ny = static_cast<std::size_t>(p_.ny);
      const std::size_t x = i % nx, y = (i / nx) % ny;
      const std::size_t row = i - y * nx, base = i - x;
      std::size_t inplane[4];
      int k = 0;
      inplane[k++] = row + (y + 1 == ny ? 0 : y + 1) * nx;
      inplane[k++] = row + (y == 0 ? ny - 1 : y - 1) * nx;
      if (z + 1 < h) inplane[k++] = i + nxy_;
      if (z > 0) inplane[k++] = i - nxy_;
      int nin = 0;
      for (int d = 0; d < k; ++d) nin += state_[inplane[d]] == kHostLi;
      int nout = (state_[base + (x + 2) % nx] == kHostLi) +
                 (state_[base + (x + nx - 2) % nx] == kHostLi);
      const double hop = r_.host_hop * r_.w_in[nin] * r_.w_out[nout];
      for (int d = 0; d < k; ++d)
        if (state_[inplane[d]] == kHostEmpty) visit(hop, kHostHop, inplane[d]);
      if (z + 1 == h && state_[i + nxy_] == kEmpty) {
        const double eta = e - site_potential(i);
        visit(r_.k0_insertion * std::exp((1.0 - p_.insertion_alpha) * r_.f * eta), kDeinsert,
              i + nxy_);
      }
      return;
    }
    default:
      return;
  }
}

double AnodeModel::site_rate(std::size_t i) const {
  double sum = 0.0;
  channels(i, [&](double rate, int, std::size_t) { sum += rate; });
  return sum;
}

void AnodeModel::rebuild() {
  std::vector<double> rates(state_.size());
  for (std::size_t i = 0; i < rates.size(); ++i) rates[i] = site_rate(i);
  tree_.assign(rates.data(), rates.size());
}

// Recompute every site within `radius` steps (cubic neighbours, plus x +- 2 inside the host)
// of site i: everything whose channels can depend on the state of i.
void AnodeModel::refresh_shell(std::size_t i, int radius) {
  if (++stamp_now_ == 0) {
    std::fill(stamp_.begin(), stamp_.end(), 0);
    stamp_now_ = 1;
  }
  touched_.clear();
  touched_.push_back(i);
  stamp_[i] = stamp_now_;
  std::size_t begin = 0;
  const std::size_t nx = static_cast<std::size_t>(p_.nx);
  for (int r = 0; r < radius; ++r) {
    const std::size_t end = touched_.size();
    for (std::size_t t = begin; t < end; ++t) {
      const std::size_t s = touched_[t];
      std::size_t nb[8];
      int k = neighbours(s, nb);
      if (in_host(s)) {
        const std::size_t x = s % nx, base = s - x;
        nb[k++] = base + (x + 2) % nx;
        nb[k++] = base + (x + nx - 2) % nx;
      }
      for (int d = 0; d < k; ++d) {
        if (stamp_[nb[d]] != stamp_now_) {
          stamp_[nb[d]] = stamp_now_;
          touched_.push_back(nb[d]);
        }
      }
    }
    begin = end;
  }
  for (std::size_t s : touched_) tree_.set(s, site_rate(s));
}

void AnodeModel::fire(std::size_t i, double offset) {
  int kind = -1;
  std::size_t target = i;
  bool chosen = false;
  channels(i, [&](double rate, int k, std::size_t t) {
    if (chosen) return;
    kind = k;
    target = t;
    if (offset < rate) chosen = true;
    offset -= rate;
  });
  // Rounding: when no channel matched exactly, kind/target keep the last channel's values.
  switch (kind) {
    case kIonHop:
      state_[target] = kIon;
      state_[i] = kEmpty;
      refresh_shell(i, 1);
      refresh_shell(target, 1);
      break;
    case kInsert:
      state_[i] = kEmpty;
      state_[target] = kHostLi;
      --ions_;
      ++host_li_;
      ++counts_[0];
      refresh_shell(target, 2);
      break;
    case kDeposit:
      state_[i] = kMetal;
      --ions_;
      ++metal_;
      ++counts_[2];
      refresh_shell(i, 2);
      break;
    case kReservoirOut:
      state_[i] = kEmpty;
      --ions_;
      refresh_shell(i, 1);
      break;
    case kReservoirIn:
      state_[i] = kIon;
      ++ions_;
      refresh_shell(i, 1);
      break;
    case kHostHop:
      state_[i] = kHostEmpty;
      state_[target] = kHostLi;
      refresh_shell(i, 2);
      refresh_shell(target, 2);
      break;
    case kDeinsert:
      state_[i] = kHostEmpty;
      state_[target] = kIon;
      ++ions_;
      --host_li_;
      ++counts_[1];
      refresh_shell(i, 2);
      break;
    case kStrip:
      state_[i] = kIon;
      ++ions_;
      --metal_;
      ++counts_[3];
      refresh_shell(i, 2);
      break;
    case kSurfaceHop:
      state_[i] = kEmpty;
      state_[target] = kMetal;
      refresh_shell(i, 2);
      refresh_shell(target, 2);
      break;
    default:
      throw std::logic_error("selected a site without events");
  }
}

AnodeModel::CurrentSums AnodeModel::current_sums() const {
  // Potential-independent factors of every reaction channel, from one pass over the lattice:
  // each Butler-Volmer rate is such a factor times exp(-alpha f E) or exp((1 - alpha) f E).
  CurrentSums c;
  const std::size_t h = static_cast<std::size_t>(p_.host_layers);
  const double ai = p_.insertion_alpha;
  for (std::size_t i = 0; i < state_.size(); ++i) {
    const std::size_t z = i / nxy_;
    switch (state_[i]) {
      case kIon:
        if (z == h && state_[i - nxy_] == kHostEmpty)
          c.insertion += std::exp(ai * r_.f * site_potential(i - nxy_));
        if (supported(i, i)) c.deposition += 1.0;
        break;
      case kHostLi:
        if (z + 1 == h && state_[i + nxy_] == kEmpty)
          c.deinsertion += std::exp(-(1.0 - ai) * r_.f * site_potential(i));
        break;
      case kMetal: {
        std::size_t nb[6];
        const int k = neighbours(i, nb);
        int m = 0;
        bool exposed = false;
        for (int d = 0; d < k; ++d) {
          m += state_[nb[d]] == kMetal;
          exposed |= state_[nb[d]] <= kIon;
        }
        if (exposed) c.stripping += r_.w_metal[m];
        break;
      }
      default:
        break;
    }
  }
  return c;
}

double AnodeModel::current_at(const CurrentSums& c, double e) const {
  const double ai = p_.insertion_alpha, ap = p_.plating_alpha;
  double rate = r_.k0_insertion * (c.insertion * std::exp(-ai * r_.f * e) -
                                   c.deinsertion * std::exp((1.0 - ai) * r_.f * e));
  const double eta = e - r_.e_plating;
  if (e < r_.e_lithium) rate += r_.k0_plating * c.deposition * std::exp(-ap * r_.f * eta);
  rate -= r_.k0_plating * c.stripping * std::exp((1.0 - ap) * r_.f * eta);
  return rate * kElementaryCharge;
}

double AnodeModel::expected_current(double e) const { return current_at(current_sums(), e); }

double AnodeModel::phase_current() const {
  if (drive_.mode == DriveMode::kGalvanostatic) return drive_.current;
  return pulse_high_ ? drive_.current : -drive_.reverse_ratio * drive_.current;
}

double AnodeModel::next_phase_boundary() const {
  // Kept as an explicit time (advanced by whole phase lengths), never recomputed from
  // time / period, whose rounding could land a boundary on the current time again.
  if (drive_.mode != DriveMode::kPulsed) return std::numeric_limits<double>::infinity();
  return next_boundary_;
}

AnodeModel::CurrentSums AnodeModel::mean_field_sums() const {
  // As current_sums(), but with every electrolyte site next to the surface holding Li+ with
  // the bulk probability p instead of its instantaneous occupancy: the open-circuit
  // potential of the host, not of one snapshot of a few ions.
  CurrentSums c;
  const std::size_t h = static_cast<std::size_t>(p_.host_layers);
  const double ai = p_.insertion_alpha, pb = r_.ion_occupancy;
  for (std::size_t i = 0; i < state_.size(); ++i) {
    const std::size_t z = i / nxy_;
    if (z + 1 == h && state_[i + nxy_] != kMetal) {
      if (state_[i] == kHostEmpty) c.insertion += pb * std::exp(ai * r_.f * site_potential(i));
      if (state_[i] == kHostLi)
        c.deinsertion += (1.0 - pb) * std::exp(-(1.0 - ai) * r_.f * site_potential(i));
    }
  }
  const CurrentSums now = current_sums();
  c.deposition = now.deposition;
  c.stripping = now.stripping;
  return c;
}

double AnodeModel::open_circuit_potential() const {
  // The expected current falls monotonically with E (the plating branch switches on below
  // 0 V, a step in the same direction): bisection for the zero-current potential.
  const CurrentSums sums = mean_field_sums();
  double lo = drive_.min_potential, hi = drive_.max_potential;
  if (current_at(sums, lo) < 0.0) return lo;
  if (current_at(sums, hi) >= 0.0) return hi;
  for (int it = 0; it < 60; ++it) {
    const double mid = 0.5 * (lo + hi);
    (current_at(sums, mid) >= 0.0 ? lo : hi) = mid;
  }
  return lo;
}

double AnodeModel::faradaic_charge() const {
  const double net = static_cast<double>(counts_[0]) - static_cast<double>(counts_[1]) +
                     static_cast<double>(counts_[2]) - static_cast<double>(counts_[3]);
  return net * kElementaryCharge;
}

void AnodeModel::start_drive() {
  if (drive_.mode == DriveMode::kPotentiostatic) {
    target_ = std::numeric_limits<double>::quiet_NaN();
    potential_ = drive_.potential;
    rebuild();
    return;
  }
  // Galvanostat: the potential follows the double-layer charge balance
  // C_dl dE/dt = I_faradaic - I_applied, starting at the open-circuit potential.
  capacitance_ = drive_.double_layer_capacitance * p_.nx * p_.ny * p_.spacing * p_.spacing;
  potential_ = e_start_ = open_circuit_potential();
  q_applied_ = 0.0;
  q_faradaic_start_ = faradaic_charge();
  t_last_control_ = time_;
  pulse_high_ = true;  // pulses start with the drive
  next_boundary_ = time_ + drive_.pulse_on;
  target_ = phase_current();
  rebuild();
}

void AnodeModel::update_potential() {
  q_applied_ += target_ * (time_ - t_last_control_);
  t_last_control_ = time_;
  target_ = phase_current();
  const double q_far = faradaic_charge() - q_faradaic_start_;
  const double e = std::clamp(e_start_ + (q_far - q_applied_) / capacitance_,
                              drive_.min_potential, drive_.max_potential);
  if (e != potential_) {
    potential_ = e;
    rebuild();
  }
}

double AnodeModel::next_control_time() const {
  if (drive_.mode == DriveMode::kPotentiostatic) return std::numeric_limits<double>::infinity();
  // The applied charge ramps the potential continuously; it is applied in steps of at most
  // a quarter electron (or control_interval), so the piecewise-constant E stays close.
  double step = drive_.control_interval;
  if (target_ != 0.0) step = std::min(step, 0.25 * kElementaryCharge / std::abs(target_));
  return t_last_control_ + step;
}

AnodeCheckpoint AnodeModel::checkpoint() const {
  AnodeCheckpoint c;
  c.time = time_;
  c.potential = potential_;
  c.target = target_;
  c.pending = pending_;
  c.e_start = e_start_;
  c.q_applied = q_applied_;
  c.q_faradaic_start = q_faradaic_start_;
  c.t_last_control = t_last_control_;
  c.events = events_;
  c.pulse_high = pulse_high_;
  c.next_boundary = next_boundary_;
  c.rng_block = rng_.block();
  c.rng_words_used = rng_.words_used();
  for (int k = 0; k < 4; ++k) c.counts[k] = counts_[k];
  return c;
}

void AnodeModel::restore(const AnodeCheckpoint& c, const std::vector<Sample>& samples) {
  time_ = c.time;
  potential_ = c.potential;
  target_ = c.target;
  pending_ = c.pending;
  e_start_ = c.e_start;
  q_applied_ = c.q_applied;
  q_faradaic_start_ = c.q_faradaic_start;
  t_last_control_ = c.t_last_control;
  events_ = c.events;
  pulse_high_ = c.pulse_high;
  next_boundary_ = c.next_boundary;
  rng_.seek(c.rng_block, c.rng_words_used);
  for (int k = 0; k < 4; ++k) counts_[k] = c.counts[k];
  samples_ = samples;
  rebuild();  // rates at the restored potential
}

double AnodeModel::soc() const {
  return static_cast<double>(host_li_) / static_cast<double>(host_sites_);
}

void AnodeModel::record(double target) {
  samples_.push_back(Sample{time_, potential_, target, expected_current(potential_), soc(),
                            static_cast<std::int64_t>(counts_[0]) - static_cast<std::int64_t>(counts_[1]),
                            static_cast<std::int64_t>(counts_[2]) - static_cast<std::int64_t>(counts_[3]),
                            ions_, events_});
}

std::uint64_t AnodeModel::run(double t_end, std::uint64_t max_events, double sample_interval) {
  if (!(sample_interval > 0)) throw std::invalid_argument("sample_interval must be > 0");
  std::uint64_t fired = 0;
  if (samples_.empty()) record(target_);
  double next_sample = samples_.back().time + sample_interval;
  const bool galvanostatic = drive_.mode != DriveMode::kPotentiostatic;
  while (fired < max_events) {
    const double boundary = next_phase_boundary();
    const double control_at = next_control_time();
    const double stop = std::min({t_end, next_sample, boundary, control_at});
    const double total = tree_.total();
    if (!(total > 0.0) && !std::isfinite(t_end)) break;  // frozen lattice, no end time
    // The waiting time is a unit exponential of integrated rate, consumed across stops, so
    // a trajectory does not depend on where runs, samples or rate changes cut it.
    if (pending_ < 0.0 && total > 0.0) pending_ = rng_.exponential();
    const double dt = total > 0.0 ? pending_ / total : std::numeric_limits<double>::infinity();
    if (time_ + dt >= stop) {
      if (!std::isfinite(stop)) break;  // nothing can happen and nothing is scheduled
      if (total > 0.0) pending_ -= total * (stop - time_);
      time_ = stop;
      if (stop == boundary) {  // next pulse phase
        pulse_high_ = !pulse_high_;
        next_boundary_ += pulse_high_ ? drive_.pulse_on : drive_.pulse_off;
      }
      if (galvanostatic && (stop == control_at || stop == boundary)) update_potential();
      if (stop == next_sample) {
        record(target_);
        next_sample += sample_interval;
      }
      if (stop >= t_end) break;
      continue;
    }
    double target = rng_.uniform() * total;
    const std::size_t site = tree_.select(target);
    time_ += dt;
    pending_ = -1.0;
    const double q_before = faradaic_charge();
    fire(site, target);
    ++fired;
    ++events_;
    if (galvanostatic && faradaic_charge() != q_before) update_potential();
  }
  return fired;
}

}  // namespace mesolith::kmc
