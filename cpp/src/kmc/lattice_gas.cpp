#include "mesolith/kmc/lattice_gas.hpp"

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
  if (!(p_.temperature > 0.0)) throw std::invalid_argument("temperature must be > 0");
  if (p_.hop_rate < 0 || p_.adsorption_rate < 0 || p_.desorption_rate < 0)
    throw std::invalid_argument("rates must be >= 0");
  dim_ = p_.nz == 1 ? 2 : 3;
  nxy_ = static_cast<std::size_t>(p_.nx) * static_cast<std::size_t>(p_.ny);
  const std::size_t n = nxy_ * static_cast<std::size_t>(p_.nz);
  const double kt = kBoltzmannEv * p_.temperature;
  for (int k = 0; k < 7; ++k) bond_factor_[k] = std::exp(p_.interaction * k / kt);
  occ_.assign(n, 0);
  nocc_.assign(n, 0);
  pid_.assign(n, -1);
  tree_.reset(n);
  set_occupancy(occ_.data());
}

void LatticeGas::set_occupancy(const std::uint8_t* occupancy) {
  const std::size_t n = occ_.size();
  pending_ = -1.0;  // rates change: a partly consumed waiting time no longer applies
  occupied_ = 0;
  disp_.clear();
  free_ids_.clear();
  for (std::size_t i = 0; i < n; ++i) {
    occ_[i] = occupancy[i] ? 1 : 0;
    if (occ_[i]) {
      pid_[i] = static_cast<std::int32_t>(disp_.size());
      disp_.push_back({0, 0, 0});
      ++occupied_;
    } else {
      pid_[i] = -1;
    }
  }
  for (std::size_t i = 0; i < n; ++i)
    nocc_[i] = static_cast<std::uint8_t>(occupied_neighbours(i));
  std::vector<double> rates(n);
  for (std::size_t i = 0; i < n; ++i) rates[i] = site_rate(i);
  tree_.assign(rates.data(), n);
}

bool LatticeGas::neighbour_counts_consistent() const {
  for (std::size_t i = 0; i < occ_.size(); ++i)
    if (nocc_[i] != occupied_neighbours(i)) return false;
  return true;
}

int LatticeGas::neighbours(std::size_t i, std::array<std::size_t, 6>& nb) const {
  const std::size_t nx = static_cast<std::size_t>(p_.nx), ny = static_cast<std::size_t>(p_.ny);
  const std::size_t nz = static_cast<std::size_t>(p_.nz);
  const std::size_t x = i % nx, y = (i / nx) % ny, z = i / nxy_;
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

int LatticeGas::occupied_neighbours(std::size_t i) const {
  std::array<std::size_t, 6> nb;
  const int z = neighbours(i, nb);
  int n = 0;
  for (int d = 0; d < z; ++d) n += occ_[nb[d]];
  return n;
}

double LatticeGas::site_rate(std::size_t i) const {
  if (!occ_[i]) return p_.adsorption_rate;
  const int n = nocc_[i];
  const int empty = 2 * dim_ - n;
  return bond_factor_[n] * (p_.hop_rate * empty + p_.desorption_rate);
}

void LatticeGas::refresh(std::size_t i) { tree_.set(i, site_rate(i)); }

void LatticeGas::fire(std::size_t i, double offset) {
  std::array<std::size_t, 6> nb;
  const int z = neighbours(i, nb);
  if (!occ_[i]) {  // adsorption
    occ_[i] = 1;
    ++occupied_;
    std::int32_t id;
    if (free_ids_.empty()) {
      id = static_cast<std::int32_t>(disp_.size());
      disp_.push_back({0, 0, 0});
    } else {
      id = free_ids_.back();
      free_ids_.pop_back();
      disp_[static_cast<std::size_t>(id)] = {0, 0, 0};
    }
    pid_[i] = id;
    for (int d = 0; d < z; ++d) ++nocc_[nb[d]];
    refresh_around(i, nb, z);
    return;
  }
  const int n = nocc_[i];
  const double w = bond_factor_[n];
  const double desorb = w * p_.desorption_rate;
  if (offset < desorb || p_.hop_rate <= 0.0) {  // desorption
    occ_[i] = 0;
    --occupied_;
    free_ids_.push_back(pid_[i]);
    pid_[i] = -1;
    for (int d = 0; d < z; ++d) --nocc_[nb[d]];
    refresh_around(i, nb, z);
    return;
  }
  // Hop: the k-th empty neighbour, k from the remaining offset.
  const int empty = z - n;
  int k = static_cast<int>((offset - desorb) / (w * p_.hop_rate));
  if (k >= empty) k = empty - 1;
  int d = 0;
  for (;; ++d) {
    if (!occ_[nb[d]]) {
      if (k == 0) break;
      --k;
    }
  }
  const std::size_t j = nb[d];
  occ_[j] = 1;
  occ_[i] = 0;
  const std::int32_t id = pid_[i];
  pid_[j] = id;
  pid_[i] = -1;
  auto& u = disp_[static_cast<std::size_t>(id)];
  u[0] += kStep[d][0];
  u[1] += kStep[d][1];
  u[2] += kStep[d][2];
  std::array<std::size_t, 6> nbj;
  const int zj = neighbours(j, nbj);
  for (int e = 0; e < z; ++e) --nocc_[nb[e]];
  for (int e = 0; e < zj; ++e) ++nocc_[nbj[e]];
  // i, j and the neighbours of both (j is a neighbour of i and i of j).
  std::size_t sites[12];
  double rates[12];
  int n_sites = 0;
  for (int e = 0; e < z; ++e) sites[n_sites++] = nb[e];
  for (int e = 0; e < zj; ++e)
    if (nbj[e] != j) sites[n_sites++] = nbj[e];
  for (int e = 0; e < n_sites; ++e) rates[e] = site_rate(sites[e]);
  tree_.set_many(sites, rates, n_sites);
}

void LatticeGas::refresh_around(std::size_t i, const std::array<std::size_t, 6>& nb, int z) {
  std::size_t sites[7];
  double rates[7];
  sites[0] = i;
  for (int d = 0; d < z; ++d) sites[d + 1] = nb[d];
  for (int d = 0; d <= z; ++d) rates[d] = site_rate(sites[d]);
  tree_.set_many(sites, rates, z + 1);
}

void LatticeGas::advance(double dt) {
  occ_integral_ += static_cast<double>(occupied_) * dt;
  avg_time_ += dt;
  time_ += dt;
}

std::uint64_t LatticeGas::run(std::uint64_t max_events, double t_end) {
  std::uint64_t fired = 0;
  while (fired < max_events) {
    const double total = tree_.total();
    if (!(total > 0.0)) {  // nothing can happen: the clock runs to the end
      if (std::isfinite(t_end) && t_end > time_) advance(t_end - time_);
      break;
    }
    // The unit-exponential waiting "integrated rate" survives a stop at t_end, so a run
    // split at any times gives the same trajectory as one run.
    if (pending_ < 0.0) pending_ = rng_.exponential();
    const double dt = pending_ / total;
    if (time_ + dt > t_end) {
      pending_ -= total * (t_end - time_);
      advance(t_end - time_);
      break;
    }
    pending_ = -1.0;
    double target = rng_.uniform() * total;
    const std::size_t site = tree_.select(target);
    advance(dt);
    fire(site, target);
    ++fired;
  }
  events_ += fired;
  return fired;
}

void LatticeGas::run_recorded(std::uint64_t n, double* dt, double* total_rate) {
  for (std::uint64_t e = 0; e < n; ++e) {
    const double total = tree_.total();
    if (!(total > 0.0)) throw std::runtime_error("total rate is zero: no event can happen");
    const double step = (pending_ >= 0.0 ? pending_ : rng_.exponential()) / total;
    pending_ = -1.0;
    double target = rng_.uniform() * total;
    const std::size_t site = tree_.select(target);
    advance(step);
    fire(site, target);
    dt[e] = step;
    total_rate[e] = total;
    ++events_;
  }
}

double LatticeGas::tracer_msd() const {
  double sum = 0.0;
  std::size_t count = 0;
  for (std::size_t i = 0; i < occ_.size(); ++i) {
    if (pid_[i] < 0) continue;
    const auto& u = disp_[static_cast<std::size_t>(pid_[i])];
    sum += double(u[0]) * u[0] + double(u[1]) * u[1] + double(u[2]) * u[2];
    ++count;
  }
  return count ? sum / static_cast<double>(count) : 0.0;
}

}  // namespace mesolith::kmc
