// Synchronous-sublattice parallel kMC of the lattice gas (Shim & Amar, Phys. Rev. B 71,
// 125432, 2005), for one large lattice.
//
// The lattice is cut into domains; each domain into 2^d blocks (halves along each axis).
// A cycle visits the 2^d sublattices (block positions) in turn; for each, every domain runs
// BKL on that block alone for an internal time tau, in parallel. Blocks of the same
// sublattice are at least two sites apart, so no two threads read or write the same site
// (events read and write only sites within one step of their block). After each sublattice
// step the next blocks' rates are rebuilt from the lattice. The clock advances by tau per
// cycle. Events near block edges see their neighbourhood frozen for up to tau: the scheme is
// exact as tau -> 0 and biased otherwise; the bias is measured, not assumed.
// Each block draws from its own rng stream, so results are identical for any thread count.
#pragma once

#include <cstdint>
#include <vector>

#include "mesolith/kmc/lattice_gas.hpp"
#include "mesolith/kmc/rate_tree.hpp"
#include "mesolith/rng.hpp"

namespace mesolith::kmc {

// Everything a SublatticeGas run depends on (block order: sublattice, then domain).
struct SublatticeGasState {
  std::vector<std::uint8_t> occupancy;
  std::vector<std::uint64_t> rng_block, block_events;
  std::vector<std::int32_t> rng_words_used;
  std::vector<double> pending;
  double time = 0.0;
};

class SublatticeGas {
 public:
  // domain: the domain edge (sites) along every axis; even, >= 4, dividing the lattice.
  SublatticeGas(const LatticeGasParams& params, int domain, double tau, std::uint64_t seed);

  void set_occupancy(const std::uint8_t* occupancy);
  // Run whole cycles until the clock reaches t_end (or passes it by less than one cycle).
  void run(double t_end);

  double time() const { return time_; }
  std::uint64_t events() const { return events_; }
  std::size_t sites() const { return occ_.size(); }
  std::size_t occupied() const;
  const std::uint8_t* occupancy() const { return occ_.data(); }

  SublatticeGasState state() const;
  // Restore a state taken from a SublatticeGas with the same params, domain, tau and seed.
  void restore(const SublatticeGasState& s);

 private:
  struct Block {
    std::vector<std::size_t> sites;  // global indices
    RateTree tree;
    rng::Stream rng;
    double pending = -1.0;
    std::uint64_t events = 0;
    Block(std::uint64_t seed, std::uint64_t stream) : rng(seed, stream) {}
  };
  int neighbours(std::size_t i, std::size_t* nb) const;
  double site_rate(std::size_t i) const;
  void run_block(Block& b, std::vector<std::int32_t>& local_of);

  LatticeGasParams p_;
  int dim_;
  double tau_;
  std::size_t nxy_;
  double bond_factor_[7];
  std::vector<std::uint8_t> occ_;
  std::vector<std::int32_t> local_;  // site -> index inside its block
  std::vector<std::vector<Block>> sublattices_;
  double time_ = 0.0;
  std::uint64_t events_ = 0;
};

}  // namespace mesolith::kmc
