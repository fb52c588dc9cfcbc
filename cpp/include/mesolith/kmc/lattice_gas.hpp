// Lattice gas on a periodic square (nz == 1) or simple-cubic lattice, simulated with the
// rejection-free BKL / n-fold-way algorithm (Bortz, Kalos, Lebowitz, J. Comput. Phys. 17, 10,
// 1975) in its original form: a site's total rate depends only on its class (empty, or
// occupied with n occupied neighbours): selection by class, then by the class counts kept
// per group of sites (ClassCounts).
//
// Events, with n the number of occupied nearest neighbours of the particle's site, eps the
// NN pair energy (eV, < 0 attractive) and w(n) = exp(eps n / kT) the Arrhenius factor of
// breaking n bonds (the barrier rises by |eps| per bond for attraction):
//   hop to an empty neighbour    hop_rate * w(n)          (per direction, Kawasaki-type)
//   desorption                   desorption_rate * w(n)   (Glauber-type)
//   adsorption on an empty site  adsorption_rate
// Both obey detailed balance with H = eps sum_<ij> n_i n_j - mu sum_i n_i,
// mu = kT ln(adsorption_rate / desorption_rate).
// After an event only the sites whose class changed (the one or two sites involved and their
// neighbours) update the counts of their old and new class.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "mesolith/kmc/huge_page_allocator.hpp"
#include "mesolith/kmc/class_counts.hpp"
#include "mesolith/rng.hpp"

namespace mesolith::kmc {

constexpr double kBoltzmannEv = 8.617333262e-5;  // eV/K

// Everything a run depends on, for checkpoints: restoring it continues the trajectory exactly.
struct LatticeGasState {
  std::vector<std::uint8_t> occupancy;      // per site
  std::vector<std::int32_t> displacement;   // 3 per site (unwrapped, lattice units), 0 if empty;
                                            // none without tracers
  std::vector<std::uint64_t> class_counts;  // sites per class (a check: they follow from occupancy)
  std::uint64_t rng_block = 0;
  int rng_words_used = 4;
  double time = 0.0, pending = -1.0, occupancy_integral = 0.0, averaging_time = 0.0;
  std::uint64_t events = 0;
};

struct LatticeGasParams {
  int nx = 1, ny = 1, nz = 1;  // nz == 1: square lattice
  double hop_rate = 0.0;         // 1/s per direction, at zero interaction
  double adsorption_rate = 0.0;  // 1/s per empty site
  double desorption_rate = 0.0;  // 1/s per particle, at zero interaction
  double interaction = 0.0;      // eV per occupied NN pair
  double temperature = 300.0;    // K
  // Keep every particle's unwrapped displacement (tracer_msd()): 8 (square) or 12 (cubic)
  // bytes per site, 4-6 times the rest of the state. Without them the dynamics (and so the
  // trajectory of occupancies and times) are the same.
  bool tracers = true;
};

class LatticeGas {
 public:
  LatticeGas(const LatticeGasParams& params, std::uint64_t seed, std::uint64_t stream = 0);

  // Replace the configuration (values 0/1); tracer displacements restart at zero.
  void set_occupancy(const std::uint8_t* occupancy);

  // Fire events until `max_events` more have happened or the clock would pass t_end.
  // The clock then stands at t_end when that limit was reached. Returns events fired.
  std::uint64_t run(std::uint64_t max_events, double t_end);

  // Fire n events, storing each residence time dt and the total rate R it was drawn with.
  void run_recorded(std::uint64_t n, double* dt, double* total_rate);

  double time() const { return time_; }
  std::uint64_t events() const { return events_; }
  std::size_t sites() const { return occ_.size(); }
  std::size_t occupied() const { return occupied_; }
  double total_rate() const { return classes_.total(); }
  // 0/1 per site in row-major order (x fastest): up to date between public calls.
  std::uint8_t* occupancy() { return occ_.data(); }
  const LatticeGasParams& params() const { return p_; }
  const ClassCounts& classes() const { return classes_; }
  // Class of site i (row-major index): 0 empty, 1 + n occupied with n occupied neighbours.
  int site_class(std::size_t i) const { return class_of(cell_[cell_of_site(i)]); }
  // The class counts at every level equal a recount from the configuration.
  bool classes_consistent() const;

  LatticeGasState state() const;
  // Restore a state taken from a LatticeGas with the same params and seed.
  void restore(const LatticeGasState& s);
  int dimension() const { return dim_; }

  // Mean over present particles of the squared unwrapped displacement (lattice units^2).
  // Throws std::invalid_argument without tracers.
  double tracer_msd() const;

  // Time integral of the occupied-site count since the last reset_average().
  double occupancy_integral() const { return occ_integral_; }
  double averaging_time() const { return avg_time_; }
  void reset_average() { occ_integral_ = 0.0; avg_time_ = 0.0; }

  // Random-stream position (for checkpoints and tests).
  const rng::BufferedStream& stream() const { return rng_; }

  // Rate of site i (row-major index) from the current configuration (its class's rate).
  double site_rate(std::size_t i) const;
  // The incrementally kept occupied-neighbour counts equal a fresh count (for tests).
  bool neighbour_counts_consistent() const;

 private:
  // Hot per-site state in one byte, so that a site's neighbourhood lies in one to three cache
  // lines even on lattices far larger than the caches: bit 3 occupied, bits 0-2 the number of
  // occupied nearest neighbours (<= 6). The tracer displacement (disp_) lives in an array of
  // its own: an event reads it only for the particle that hops.
  static constexpr std::uint8_t kOccupied = 8;
  // Cells of a tile that lie outside the lattice (its lengths need not be multiples of the
  // tile's): no class (the value matches none: at most 6 neighbours).
  static constexpr std::uint8_t kPadding = 0x0f;
  static int class_of(std::uint8_t cell) {
    return ((cell >> 3) & 1) * (1 + (cell & 7));  // (cell & kOccupied) ? 1 + (cell & 7) : 0
  }

  // Cell order: the lattice is cut into tiles of 64 sites (8 x 8 on the square lattice,
  // 4 x 4 x 4 on the cubic one; narrower where a length is short), each tile one cache line
  // of cells, its sites in row-major order inside it and the tiles in row-major order. A
  // site's neighbours then mostly share its cache line and its tile's class counters.
  struct Axis {
    std::size_t len = 1;           // sites along the axis
    int bits = 0;                  // tile side 2^bits
    std::size_t mask = 0;          // side - 1
    std::size_t local_stride = 1;  // cells between neighbours inside a tile
    std::size_t tile_stride = 64;  // cells between neighbouring tiles
    std::size_t last = 0;          // cell offset of coordinate len - 1 from coordinate 0
  };
  void layout();
  std::size_t cell_index(std::size_t x, std::size_t y, std::size_t z) const;
  std::size_t cell_of_site(std::size_t site) const;  // row-major site index -> cell
  bool padding(std::size_t cell) const { return cell_[cell] == kPadding; }
  // Write the cells of the tiles changed since the last call into occ_.
  void sync_occupancy();
  void copy_tile(std::size_t t);
  void mark_changed(std::size_t cell) {
    const std::size_t t = cell >> 6;
    const std::uint64_t bit = std::uint64_t(1) << (t & 63);
    if (!(changed_[t >> 6] & bit)) {
      changed_[t >> 6] |= bit;
      changed_tiles_.push_back(static_cast<std::uint32_t>(t));
    }
  }

  template <int kDim>
  void coordinates(std::size_t i, std::size_t c[3]) const;
  template <int kDim>
  int neighbours_at(std::size_t i, const std::size_t c[3], std::array<std::size_t, 6>& nb) const;
  int neighbours(std::size_t i, std::array<std::size_t, 6>& nb) const;
  int occupied_neighbours(std::size_t i) const;
  void set_occupied(ClassCounts::Batch& batch, std::size_t i, bool occupied);
  template <bool kSkipEmpty>
  void add_neighbour_count(ClassCounts::Batch& batch, const std::array<std::size_t, 6>& nb, int z,
                           int delta, int partner);
  template <bool kSparse, int kDim, bool kTracers>
  void fire(std::size_t site, int cls, double offset);
  void fire_event(std::size_t site, int cls, double offset);
  void advance(double dt);
  // The k-th site (in site order) of class c inside 64-site tile t.
  std::size_t site_in_tile(std::size_t t, int c, std::size_t k) const;
  std::size_t select(double& target, int& cls) const;
  void prefetch_tile(std::size_t t) const;
  void prefetch_next(double total);
  // The tracer displacement of the last hop is moved one event late (see hop()); every public
  // call leaves none pending.
  void apply_pending_move();
  static constexpr std::size_t kNoMove = ~std::size_t(0);
  std::array<std::size_t, 3> pending_move_{kNoMove, 0, 0};  // from, to, direction

  LatticeGasParams p_;
  int dim_;
  bool prefetch_ = false;  // lattice beyond the caches: ask for an event's lines ahead
  std::array<ClassCounts::Cursor, 4> ahead_{};  // partial descents for the next 3 events
  std::size_t ahead_sequence_ = 0;
  std::array<Axis, 3> axis_;
  std::size_t n_cells_ = 0, n_tiles_ = 0;
  // ClassCounts::move_index of a site whose count of occupied neighbours goes up ([0]) or down
  // ([1]), by its cell value.
  std::array<std::array<std::uint8_t, 16>, 2> neighbour_move_{};
  std::array<double, 7> bond_factor_{};  // w(n)
  std::array<double, 7> desorb_{};       // desorption rate of a particle with n neighbours
  std::array<double, 7> per_hop_inv_{};  // 1 / (hop rate per direction) with n neighbours
  std::vector<std::uint8_t> occ_;        // 0/1 per site, row-major: the array Python sees
  std::vector<std::uint64_t> changed_;   // bit per tile: occ_ not yet updated from its cells
  std::vector<std::uint32_t> changed_tiles_;
  std::vector<std::uint8_t, HugePageAllocator<std::uint8_t>> cell_;
  // Unwrapped displacement of the particle on each cell (lattice units), dim_ numbers per
  // cell (a square lattice keeps no z: a third less memory to miss in).
  std::vector<std::int32_t, HugePageAllocator<std::int32_t>> disp_;
  std::int32_t* displacement(std::size_t cell) {
    return disp_.data() + cell * static_cast<std::size_t>(dim_);
  }
  const std::int32_t* displacement(std::size_t cell) const {
    return disp_.data() + cell * static_cast<std::size_t>(dim_);
  }
  ClassCounts classes_;
  rng::BufferedStream rng_;
  double time_ = 0.0;
  double pending_ = -1.0;  // unit-exponential waiting "integrated rate" left; < 0: none drawn
  std::uint64_t events_ = 0;
  std::size_t occupied_ = 0;
  double occ_integral_ = 0.0;
  double avg_time_ = 0.0;
};

}  // namespace mesolith::kmc
