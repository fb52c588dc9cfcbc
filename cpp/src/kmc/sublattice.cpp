#include "mesolith/kmc/sublattice.hpp"

#include <cmath>
#include <stdexcept>

namespace mesolith::kmc {

SublatticeGas::SublatticeGas(const LatticeGasParams& params, int domain, double tau,
                             std::uint64_t seed)
    : p_(params), tau_(tau) {
  dim_ = p_.nz == 1 ? 2 : 3;
  const int n[3] = {p_.nx, p_.ny, p_.nz};
  if (domain < 4 || domain % 2) throw std::invalid_argument("domain must be even and >= 4");
  for (int a = 0; a < dim_; ++a)
    if (n[a] % domain) throw std::invalid_argument("domain must divide the lattice");
  if (!(tau > 0)) throw std::invalid_argument("tau must be > 0");
  nxy_ = static_cast<std::size_t>(p_.nx) * p_.ny;
  occ_.assign(nxy_ * p_.nz, 0);
  local_.assign(occ_.size(), 0);
  const double kt = kBoltzmannEv * p_.temperature;
  for (int k = 0; k < 7; ++k) bond_factor_[k] = std::exp(p_.interaction * k / kt);
  const int half = domain / 2;
  const int n_sub = 1 << dim_;
  const int nd[3] = {p_.nx / domain, p_.ny / domain, dim_ == 3 ? p_.nz / domain : 1};
  sublattices_.resize(static_cast<std::size_t>(n_sub));
  std::uint64_t stream = 0;
  for (int s = 0; s < n_sub; ++s) {
    for (int dz = 0; dz < nd[2]; ++dz)
      for (int dy = 0; dy < nd[1]; ++dy)
        for (int dx = 0; dx < nd[0]; ++dx) {
          Block b(seed, stream++);
          const int x0 = dx * domain + (s & 1) * half, y0 = dy * domain + ((s >> 1) & 1) * half;
          const int z0 = dim_ == 3 ? dz * domain + ((s >> 2) & 1) * half : 0;
          const int zn = dim_ == 3 ? half : 1;
          for (int z = z0; z < z0 + zn; ++z)
            for (int y = y0; y < y0 + half; ++y)
              for (int x = x0; x < x0 + half; ++x) {
                const std::size_t i = static_cast<std::size_t>(x) + p_.nx * (y + std::size_t(p_.ny) * z);
                local_[i] = static_cast<std::int32_t>(b.sites.size());
                b.sites.push_back(i);
              }
          b.tree.reset(b.sites.size());
          sublattices_[static_cast<std::size_t>(s)].push_back(std::move(b));
        }
  }
}

void SublatticeGas::set_occupancy(const std::uint8_t* occupancy) {
  for (std::size_t i = 0; i < occ_.size(); ++i) occ_[i] = occupancy[i] ? 1 : 0;
}

std::size_t SublatticeGas::occupied() const {
  std::size_t n = 0;
  for (auto o : occ_) n += o;
  return n;
}

int SublatticeGas::neighbours(std::size_t i, std::size_t* nb) const {
  const std::size_t nx = static_cast<std::size_t>(p_.nx), ny = static_cast<std::size_t>(p_.ny);
  const std::size_t nz = static_cast<std::size_t>(p_.nz);
  const std::size_t x = i % nx, y = (i / nx) % ny, z = i / nxy_;
  const std::size_t base = i - x, row = i - y * nx;
  nb[0] = base + (x + 1 == nx ? 0 : x + 1);
  nb[1] = base + (x == 0 ? nx - 1 : x - 1);
  nb[2] = row + (y + 1 == ny ? 0 : y + 1) * nx;
  nb[3] = row + (y == 0 ? ny - 1 : y - 1) * nx;
  if (dim_ == 2) return 4;
  const std::size_t col = i - z * nxy_;
  nb[4] = col + (z + 1 == nz ? 0 : z + 1) * nxy_;
  nb[5] = col + (z == 0 ? nz - 1 : z - 1) * nxy_;
  return 6;
}

double SublatticeGas::site_rate(std::size_t i) const {
  if (!occ_[i]) return p_.adsorption_rate;
  std::size_t nb[6];
  const int z = neighbours(i, nb);
  int n = 0;
  for (int d = 0; d < z; ++d) n += occ_[nb[d]];
  return bond_factor_[n] * (p_.hop_rate * (z - n) + p_.desorption_rate);
}

void SublatticeGas::run_block(Block& b, std::vector<std::int32_t>& /*unused*/) {
  std::vector<double> rates(b.sites.size());
  for (std::size_t k = 0; k < rates.size(); ++k) rates[k] = site_rate(b.sites[k]);
  b.tree.assign(rates.data(), rates.size());
  double t = 0.0;
  const auto refresh = [&](std::size_t site) {
    // Only this block's leaves: neighbours elsewhere are rebuilt when their block runs.
    const std::size_t k = static_cast<std::size_t>(local_[site]);
    if (k < b.sites.size() && b.sites[k] == site) b.tree.set(k, site_rate(site));
  };
  for (;;) {
    const double total = b.tree.total();
    if (!(total > 0.0)) break;
    if (b.pending < 0.0) b.pending = b.rng.exponential();
    const double dt = b.pending / total;
    if (t + dt >= tau_) {
      b.pending -= total * (tau_ - t);
      break;
    }
    t += dt;
    b.pending = -1.0;
    double offset = b.rng.uniform() * total;
    const std::size_t i = b.sites[b.tree.select(offset)];
    std::size_t nb[6];
    const int z = neighbours(i, nb);
    if (!occ_[i]) {
      occ_[i] = 1;
    } else {
      int n = 0;
      for (int d = 0; d < z; ++d) n += occ_[nb[d]];
      const double w = bond_factor_[n];
      const double desorb = w * p_.desorption_rate;
      if (offset < desorb || p_.hop_rate <= 0.0) {
        occ_[i] = 0;
      } else {
        int k = static_cast<int>((offset - desorb) / (w * p_.hop_rate));
        if (k >= z - n) k = z - n - 1;
        int d = 0;
        for (;; ++d)
          if (!occ_[nb[d]] && k-- == 0) break;
        occ_[i] = 0;
        occ_[nb[d]] = 1;
        std::size_t nbj[6];
        const int zj = neighbours(nb[d], nbj);
        refresh(nb[d]);
        for (int e = 0; e < zj; ++e) refresh(nbj[e]);
      }
    }
    refresh(i);
    for (int d = 0; d < z; ++d) refresh(nb[d]);
    ++b.events;
  }
}

void SublatticeGas::run(double t_end) {
  std::vector<std::int32_t> unused;
  while (time_ < t_end) {
    for (auto& blocks : sublattices_) {
      const int nb = static_cast<int>(blocks.size());
#pragma omp parallel for schedule(dynamic, 1)
      for (int k = 0; k < nb; ++k) {
        std::vector<std::int32_t> scratch;
        run_block(blocks[static_cast<std::size_t>(k)], scratch);
      }
    }
    time_ += tau_;
  }
  events_ = 0;
  for (const auto& blocks : sublattices_)
    for (const auto& b : blocks) events_ += b.events;
}

SublatticeGasState SublatticeGas::state() const {
  SublatticeGasState s;
  s.occupancy = occ_;
  s.time = time_;
  for (const auto& blocks : sublattices_)
    for (const auto& b : blocks) {
      s.rng_block.push_back(b.rng.block());
      s.rng_words_used.push_back(b.rng.words_used());
      s.pending.push_back(b.pending);
      s.block_events.push_back(b.events);
    }
  return s;
}

void SublatticeGas::restore(const SublatticeGasState& s) {
  std::size_t n_blocks = 0;
  for (const auto& blocks : sublattices_) n_blocks += blocks.size();
  if (s.occupancy.size() != occ_.size() || s.rng_block.size() != n_blocks ||
      s.rng_words_used.size() != n_blocks || s.pending.size() != n_blocks ||
      s.block_events.size() != n_blocks)
    throw std::invalid_argument("checkpoint does not match this lattice and domain");
  set_occupancy(s.occupancy.data());
  time_ = s.time;
  std::size_t k = 0;
  events_ = 0;
  // Block trees are rebuilt from the lattice at the start of every block step, so the
  // lattice, the clock and each block's random-stream position are the whole state.
  for (auto& blocks : sublattices_)
    for (auto& b : blocks) {
      b.rng.seek(s.rng_block[k], s.rng_words_used[k]);
      b.pending = s.pending[k];
      b.events = s.block_events[k];
      events_ += b.events;
      ++k;
    }
}

}  // namespace mesolith::kmc
