#include "mesolith/kmc/lattice_gas.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>

#if defined(__SSE2__)
#include <immintrin.h>
#endif

namespace mesolith::kmc {

namespace {
// For each direction d (6: none), every direction but d, then d (0..5 are +x, -x, +y, -y, +z,
// -z; on the square lattice only the first 4 are used, and 4 means none there).
constexpr std::uint8_t kDirectionOrder[7][6] = {{1, 2, 3, 4, 5, 0}, {0, 2, 3, 4, 5, 1},
                                                {0, 1, 3, 4, 5, 2}, {0, 1, 2, 4, 5, 3},
                                                {0, 1, 2, 3, 5, 4}, {0, 1, 2, 3, 4, 5},
                                                {0, 1, 2, 3, 4, 5}};
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
  const std::size_t n = static_cast<std::size_t>(p_.nx) * static_cast<std::size_t>(p_.ny) *
                        static_cast<std::size_t>(p_.nz);
  const double kt = kBoltzmannEv * p_.temperature;
  if (!(kt > 0.0)) throw std::invalid_argument("temperature too small: kT underflows to 0");
  for (int k = 0; k < 7; ++k) bond_factor_[k] = std::exp(p_.interaction * k / kt);
  layout();
  // The class move of a site whose occupied-neighbour count goes up or down, by its cell.
  for (int v = 0; v < 16; ++v)
    for (int sign = 0; sign < 2; ++sign) {
      const int count = (v & 7) + (sign == 0 ? 1 : -1);
      const int after = count < 0 || count > 7 ? v : (v & kOccupied) | count;
      neighbour_move_[static_cast<std::size_t>(sign)][static_cast<std::size_t>(v)] =
          static_cast<std::uint8_t>(ClassCounts::move_index(
              class_of(static_cast<std::uint8_t>(v)), class_of(static_cast<std::uint8_t>(after))));
    }
  // Beyond the caches, ask for an event's cache lines ahead (prefetch_next()). The
  // predictions cost a second descent of the count tree per event: measured on a square
  // lattice at coverage 0.5, they pay from 4e6 sites (4 MB of cells; 251 instead of 290
  // ns/event) and cost at 1e6 (213 instead of 162), where the cells fit the caches.
  prefetch_ = n_cells_ > (std::size_t(1) << 21);
  occ_.assign(n, 0);
  cell_.assign(n_cells_, kPadding);
  if (p_.tracers) disp_.assign(n_cells_ * static_cast<std::size_t>(dim_), 0);
  changed_.assign((n_tiles_ + 63) / 64, 0);
  changed_tiles_.reserve(n_tiles_);  // no allocation inside a run
  set_occupancy(occ_.data());
}

// Tile sides: powers of two with 64 sites in all, grown in turn along each axis while the
// side still fits in the lattice length (8 x 8, 4 x 4 x 4 on lattices of 8 or more sites per
// side); what cannot grow that way goes to the longest axis. A tile is then mostly sites.
void LatticeGas::layout() {
  const std::size_t len[3] = {static_cast<std::size_t>(p_.nx), static_cast<std::size_t>(p_.ny),
                              static_cast<std::size_t>(p_.nz)};
  int bits[3] = {0, 0, 0};
  int left = 6;
  for (bool grew = true; grew && left > 0;) {
    grew = false;
    for (int a = 0; a < dim_ && left > 0; ++a)
      if ((std::size_t(2) << bits[a]) <= len[a]) {
        ++bits[a];
        --left;
        grew = true;
      }
  }
  const int longest = static_cast<int>(std::max_element(len, len + 3) - len);
  bits[longest] += left;
  std::size_t tiles = 1, local = 1;
  for (int a = 0; a < 3; ++a) {
    Axis& ax = axis_[static_cast<std::size_t>(a)];
    ax.len = len[a];
    ax.bits = bits[a];
    ax.mask = (std::size_t(1) << bits[a]) - 1;
    ax.local_stride = local;
    ax.tile_stride = tiles << 6;
    local <<= bits[a];
    tiles *= (len[a] + ax.mask) >> bits[a];
  }
  n_tiles_ = tiles;
  n_cells_ = tiles << 6;
  for (Axis& ax : axis_)
    ax.last = ((ax.len - 1) >> ax.bits) * ax.tile_stride + ((ax.len - 1) & ax.mask) * ax.local_stride;
}

std::size_t LatticeGas::cell_index(std::size_t x, std::size_t y, std::size_t z) const {
  const std::size_t c[3] = {x, y, z};
  std::size_t cell = 0;
  for (int a = 0; a < 3; ++a) {
    const Axis& ax = axis_[static_cast<std::size_t>(a)];
    cell += (c[a] >> ax.bits) * ax.tile_stride + (c[a] & ax.mask) * ax.local_stride;
  }
  return cell;
}

std::size_t LatticeGas::cell_of_site(std::size_t site) const {
  const std::size_t nx = axis_[0].len, ny = axis_[1].len;
  return cell_index(site % nx, site / nx % ny, site / (nx * ny));
}

void LatticeGas::set_occupancy(const std::uint8_t* occupancy) {
  const std::size_t n = occ_.size();
  pending_ = -1.0;  // rates change: a partly consumed waiting time no longer applies
  pending_move_[0] = kNoMove;
  occupied_ = 0;
  std::fill(cell_.begin(), cell_.end(), kPadding);
  std::fill(disp_.begin(), disp_.end(), 0);
  for (std::size_t i = 0; i < n; ++i) {
    occ_[i] = occupancy[i] ? 1 : 0;
    occupied_ += occ_[i];
    cell_[cell_of_site(i)] = occ_[i] ? kOccupied : 0;
  }
  std::fill(changed_.begin(), changed_.end(), 0);
  changed_tiles_.clear();
  for (std::size_t i = 0; i < n_cells_; ++i)
    if (!padding(i))
      cell_[i] = static_cast<std::uint8_t>(cell_[i] | occupied_neighbours(i));
  // Class rates: 0 empty (adsorption), 1 + k occupied with k occupied neighbours.
  const int z = 2 * dim_;
  double rates[ClassCounts::kMaxClasses] = {};
  rates[0] = p_.adsorption_rate;
  for (int k = 0; k <= z; ++k) {
    // A class with no possible event has rate 0 even when w(k) overflows (0 * inf is NaN).
    const double base = p_.hop_rate * (z - k) + p_.desorption_rate;
    rates[1 + k] = base > 0.0 ? bond_factor_[k] * base : 0.0;
    desorb_[k] = p_.desorption_rate > 0.0 ? bond_factor_[k] * p_.desorption_rate : 0.0;
    const double per_hop = p_.hop_rate > 0.0 ? bond_factor_[k] * p_.hop_rate : 0.0;
    per_hop_inv_[k] = per_hop > 0.0 && std::isfinite(1.0 / per_hop) ? 1.0 / per_hop : 0.0;
  }
  // Every site in its fastest class must still sum to a finite total: an infinite total
  // makes the event selection meaningless (found by fuzzing the bindings).
  double fastest = 0.0;
  for (int c = 0; c < z + 2; ++c) fastest = std::max(fastest, rates[c]);
  if (!std::isfinite(fastest * static_cast<double>(n) * 4.0))
    throw std::overflow_error(
        "lattice gas rates overflow: hop/adsorption/desorption rates times exp(|interaction| "
        "z / kT) times the number of sites exceed the double range");
  classes_.reset(n_cells_, rates, z + 2);
  for (std::size_t i = 0; i < n_cells_; ++i)
    if (!padding(i)) classes_.add(i, class_of(cell_[i]));
}

// One tile's rows: each is contiguous both in cell_ and in occ_.
void LatticeGas::copy_tile(std::size_t t) {
  const std::size_t nx = axis_[0].len, nxy = nx * axis_[1].len;
  const std::size_t ntx = (nx + axis_[0].mask) >> axis_[0].bits;
  const std::size_t nty = (axis_[1].len + axis_[1].mask) >> axis_[1].bits;
  const std::size_t first[3] = {(t % ntx) << axis_[0].bits, (t / ntx % nty) << axis_[1].bits,
                                (t / ntx / nty) << axis_[2].bits};
  std::size_t end[3];
  for (int a = 0; a < 3; ++a)
    end[a] = std::min(axis_[static_cast<std::size_t>(a)].len,
                      first[a] + axis_[static_cast<std::size_t>(a)].mask + 1);
  const std::size_t width = end[0] - first[0];
  for (std::size_t z = first[2]; z < end[2]; ++z)
    for (std::size_t y = first[1]; y < end[1]; ++y) {
      const std::uint8_t* from = cell_.data() + cell_index(first[0], y, z);
      std::uint8_t* to = occ_.data() + z * nxy + y * nx + first[0];
      if (width == 8) {  // a full row of a square-lattice tile: the 8 occupied bits at once
        std::uint64_t row;
        std::memcpy(&row, from, 8);
        row = (row >> 3) & 0x0101010101010101u;  // kOccupied is bit 3 of every byte
        std::memcpy(to, &row, 8);
      } else {
        for (std::size_t x = 0; x < width; ++x) to[x] = (from[x] & kOccupied) ? 1 : 0;
      }
    }
}

// Few changed tiles: from the list. Many (a long run on a large lattice): in tile order from
// the bit set instead, so that occ_ is written row after row rather than at random places
// (at 10^7 sites the random order cost about 12 ns per event of a 2e6-event run).
void LatticeGas::sync_occupancy() {
  if (changed_tiles_.size() * 8 < changed_.size()) {
    for (const std::uint32_t t : changed_tiles_) {
      changed_[t >> 6] &= ~(std::uint64_t(1) << (t & 63));
      copy_tile(t);
    }
  } else {
    for (std::size_t w = 0; w < changed_.size(); ++w)
      for (std::uint64_t bits = changed_[w]; bits; bits &= bits - 1)
        copy_tile((w << 6) + static_cast<std::size_t>(__builtin_ctzll(bits)));
    std::fill(changed_.begin(), changed_.end(), 0);
  }
  changed_tiles_.clear();
}

bool LatticeGas::neighbour_counts_consistent() const {
  for (std::size_t i = 0; i < occ_.size(); ++i)
    if (((cell_[cell_of_site(i)] & kOccupied) != 0) != (occ_[i] != 0)) return false;
  for (std::size_t i = 0; i < n_cells_; ++i)
    if (!padding(i) && (cell_[i] & 7) != occupied_neighbours(i)) return false;
  return true;
}

bool LatticeGas::classes_consistent() const {
  return classes_.consistent(
      [this](std::size_t i) { return padding(i) ? -1 : class_of(cell_[i]); });
}

template <int kDim>
[[gnu::always_inline]] inline void LatticeGas::coordinates(std::size_t i, std::size_t c[3]) const {
  // 32-bit division: the lattice has < 2^32 cells (ClassCounts checks), and it is faster.
  const auto t = static_cast<std::uint32_t>(i >> 6);
  const auto w = static_cast<std::size_t>(i & 63);
  const auto ntx = static_cast<std::uint32_t>((axis_[0].len + axis_[0].mask) >> axis_[0].bits);
  const std::uint32_t tile_row = t / ntx;
  c[0] = (static_cast<std::size_t>(t - tile_row * ntx) << axis_[0].bits) | (w & axis_[0].mask);
  const std::size_t wy = w >> axis_[0].bits;
  if (kDim == 2) {
    c[1] = (static_cast<std::size_t>(tile_row) << axis_[1].bits) | (wy & axis_[1].mask);
    c[2] = 0;
    return;
  }
  const auto nty = static_cast<std::uint32_t>((axis_[1].len + axis_[1].mask) >> axis_[1].bits);
  const std::uint32_t tz = tile_row / nty;
  c[1] = (static_cast<std::size_t>(tile_row - tz * nty) << axis_[1].bits) | (wy & axis_[1].mask);
  c[2] = (static_cast<std::size_t>(tz) << axis_[2].bits) | (wy >> axis_[1].bits);
}

template <int kDim>
[[gnu::always_inline]] inline int LatticeGas::neighbours_at(std::size_t i, const std::size_t c[3],
                              std::array<std::size_t, 6>& nb) const {
  constexpr int z = 2 * kDim;
  for (int a = 0; a < kDim; ++a) {
    const Axis& ax = axis_[static_cast<std::size_t>(a)];
    const std::size_t l = c[a] & ax.mask;
    // Inside the tile one local stride; across its edge to the first / last row of the next
    // tile; across the lattice's edge to the other end (periodic).
    const std::size_t cross = ax.tile_stride - ax.mask * ax.local_stride;
    nb[2 * a] = c[a] + 1 == ax.len ? i - ax.last
                : l == ax.mask     ? i + cross
                                   : i + ax.local_stride;
    nb[2 * a + 1] = c[a] == 0 ? i + ax.last : l == 0 ? i - cross : i - ax.local_stride;
  }
  return z;
}

int LatticeGas::neighbours(std::size_t i, std::array<std::size_t, 6>& nb) const {
  std::size_t c[3];
  if (dim_ == 2) {
    coordinates<2>(i, c);
    return neighbours_at<2>(i, c, nb);
  }
  coordinates<3>(i, c);
  return neighbours_at<3>(i, c, nb);
}

int LatticeGas::occupied_neighbours(std::size_t i) const {
  std::array<std::size_t, 6> nb;
  const int z = neighbours(i, nb);
  int n = 0;
  for (int d = 0; d < z; ++d) n += (cell_[nb[d]] & kOccupied) ? 1 : 0;
  return n;
}

double LatticeGas::site_rate(std::size_t i) const { return classes_.rate(site_class(i)); }

// Each change of occ or nocc moves the site to its new class at once, so the lists stay
// right even when a site is its own or a double neighbour (lattice lengths 1 or 2).
// Inlined into fire(): left out of line (the compiler's choice), the calls cost a few ns of
// an event of about 130.
[[gnu::always_inline]] inline void LatticeGas::set_occupied(ClassCounts::Batch& batch,
                                                              std::size_t i, bool occupied) {
  std::uint8_t& cell = cell_[i];
  const int before = class_of(cell);
  cell = static_cast<std::uint8_t>((cell & 7) | (occupied ? kOccupied : 0));
  mark_changed(i);
  classes_.move(batch, i, before, class_of(cell));
}

// A neighbour that is empty stays in class 0 whatever its count. At low coverage that is
// nearly every neighbour: skipping it is a branch predicted right. Near half coverage that
// branch is a coin flip, mispredicted half the time, and the move (which adds zero for an
// empty site) is cheaper done without it.
// `partner` (a direction, or z for none) is the hop's other site: empty at this point, so in
// class 0 before and after; its count changes without a move, and the loop over the other
// directions keeps a fixed length (kDirectionOrder lists them first).
template <bool kSkipEmpty>
[[gnu::always_inline]] inline void LatticeGas::add_neighbour_count(
    ClassCounts::Batch& batch, const std::array<std::size_t, 6>& nb, int z, int delta,
    int partner) {
  const std::uint8_t* move = neighbour_move_[delta > 0 ? 0 : 1].data();
  const int moved = partner < z ? z - 1 : z;
  for (int e = 0; e < moved; ++e) {
    const std::size_t site = nb[kDirectionOrder[partner][e]];
    std::uint8_t& cell = cell_[site];
    const int index = move[cell & 15];
    cell = static_cast<std::uint8_t>(cell + delta);
    if (!kSkipEmpty || (cell & kOccupied)) classes_.move(batch, site, index);
  }
  if (partner < z) cell_[nb[partner]] = static_cast<std::uint8_t>(cell_[nb[partner]] + delta);
}

template <bool kSparse, int kDim, bool kTracers>
void LatticeGas::fire(std::size_t i, int cls, double offset) {
  std::array<std::size_t, 6> nb;
  std::size_t c[3];
  coordinates<kDim>(i, c);
  const int z = neighbours_at<kDim>(i, c, nb);
  ClassCounts::Batch batch = classes_.begin(i);
  if (cls == 0) {  // adsorption: a new particle, displacement from here
    ++occupied_;
    if (kTracers) {
      apply_pending_move();  // i may be where the last hop came from: read it first
      std::fill_n(displacement(i), kDim, 0);
    }
    set_occupied(batch, i, true);
    add_neighbour_count<kSparse>(batch, nb, z, +1, z);
    classes_.commit(batch);
    return;
  }
  const int n = cls - 1;
  const double desorb = desorb_[static_cast<std::size_t>(n)];
  if (offset < desorb || p_.hop_rate <= 0.0) {  // desorption
    --occupied_;
    set_occupied(batch, i, false);
    add_neighbour_count<kSparse>(batch, nb, z, -1, z);
    classes_.commit(batch);
    return;
  }
  // Hop: the k-th empty neighbour, k from the remaining offset.
  const int empty = z - n;
  // per_hop_inv_ is 0 where 1 / (per-hop rate) overflows (a rate below ~1e-308): divide.
  const double inv = per_hop_inv_[static_cast<std::size_t>(n)];
  const double q = inv > 0.0 ? (offset - desorb) * inv
                             : (offset - desorb) / (bond_factor_[n] * p_.hop_rate);
  int k = q < static_cast<double>(empty) ? static_cast<int>(q) : empty - 1;
  if (k < 0) k = 0;
  // Directions to empty neighbours as bits; the k-th set bit without a branch per direction.
  std::uint32_t empty_bits = 0;
  for (int e = 0; e < z; ++e)
    empty_bits |= static_cast<std::uint32_t>(((cell_[nb[e]] & kOccupied) >> 3) ^ 1u) << e;
#if defined(__BMI2__)
  const int d = __builtin_ctz(_pdep_u32(1u << k, empty_bits));
#else
  for (; k > 0; --k) empty_bits &= empty_bits - 1;
  const int d = __builtin_ctz(empty_bits);
#endif
  const std::size_t j = nb[d];
  // The particle carries its displacement to j (i is empty after the hop: no copy needed).
  // Done one event late: the displacement lines are far apart in a large lattice and a load
  // now would stall the event; by the next hop they have arrived.
  if (kTracers) {
    apply_pending_move();
    __builtin_prefetch(displacement(i));
    __builtin_prefetch(displacement(j), 1);
    pending_move_ = {i, j, static_cast<std::size_t>(d)};
  }
  // j's coordinates from i's: one step along axis d / 2, periodic (no division).
  const int axis = d / 2;
  const std::size_t len[3] = {static_cast<std::size_t>(p_.nx), static_cast<std::size_t>(p_.ny),
                              static_cast<std::size_t>(p_.nz)};
  // Both steps, then a select on the direction's sign (a random bit: a branch on it would be
  // mispredicted half the time).
  const std::size_t up = c[axis] + 1 == len[axis] ? 0 : c[axis] + 1;
  const std::size_t down = (c[axis] == 0 ? len[axis] : c[axis]) - 1;
  const std::size_t odd = static_cast<std::size_t>(d & 1);
  c[axis] = (up & (odd - 1)) | (down & (0 - odd));
  std::array<std::size_t, 6> nbj;
  const int zj = neighbours_at<kDim>(j, c, nbj);
  set_occupied(batch, i, false);
  add_neighbour_count<kSparse>(batch, nb, z, -1, d);
  set_occupied(batch, j, true);
  add_neighbour_count<kSparse>(batch, nbj, zj, +1, d ^ 1);
  classes_.commit(batch);
}

// Below about 30 % coverage most neighbours are empty: skip them (see add_neighbour_count).
// The dimension as a constant: the loops over axes and directions unroll. Tracers as one
// too: a run-time test of them in the event cost 2 ns of 100 on small lattices.
void LatticeGas::fire_event(std::size_t site, int cls, double offset) {
  const bool sparse = occupied_ * 10 < cell_.size() * 3;
  const int variant = (dim_ == 3) * 4 + sparse * 2 + p_.tracers;
  switch (variant) {
    case 0: fire<false, 2, false>(site, cls, offset); break;
    case 1: fire<false, 2, true>(site, cls, offset); break;
    case 2: fire<true, 2, false>(site, cls, offset); break;
    case 3: fire<true, 2, true>(site, cls, offset); break;
    case 4: fire<false, 3, false>(site, cls, offset); break;
    case 5: fire<false, 3, true>(site, cls, offset); break;
    case 6: fire<true, 3, false>(site, cls, offset); break;
    default: fire<true, 3, true>(site, cls, offset); break;
  }
}

std::size_t LatticeGas::site_in_tile(std::size_t t, int c, std::size_t k) const {
  const std::uint8_t* cell = cell_.data() + (t << 6);
  // Class c is the cells equal to `value` under `mask`: 0 is any empty site, 1 + n an
  // occupied one with n occupied neighbours. The padding matches neither.
  const std::uint8_t mask = c == 0 ? kOccupied : 0x0f;
  const std::uint8_t value = c == 0 ? 0 : static_cast<std::uint8_t>(kOccupied | (c - 1));
  std::uint64_t match = 0;
#if defined(__SSE2__)
  const __m128i m = _mm_set1_epi8(static_cast<char>(mask));
  const __m128i v = _mm_set1_epi8(static_cast<char>(value));
  for (int q = 0; q < 4; ++q) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(cell + 16 * q));
    const auto bits = static_cast<std::uint32_t>(
        _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_and_si128(x, m), v)));
    match |= static_cast<std::uint64_t>(bits & 0xffffu) << (16 * q);
  }
#else
  for (int b = 0; b < 64; ++b)
    match |= static_cast<std::uint64_t>((cell[b] & mask) == value) << b;
#endif
  // Position of the k-th set bit of match.
#if defined(__BMI2__)
  return (t << 6) + static_cast<std::size_t>(
                        __builtin_ctzll(_pdep_u64(std::uint64_t(1) << k, match)));
#else
  int base = 0;
  for (;;) {
    const auto byte = static_cast<unsigned>((match >> base) & 0xffu);
    const auto ones = static_cast<std::size_t>(__builtin_popcount(byte));
    if (k < ones) break;
    k -= ones;
    base += 8;
  }
  std::uint64_t rest = match >> base;
  for (; k > 0; --k) rest &= rest - 1;
  return (t << 6) + static_cast<std::size_t>(base + __builtin_ctzll(rest));
#endif
}

std::size_t LatticeGas::select(double& target, int& cls) const {
  std::size_t k = 0;
  cls = classes_.locate(target, k);
  const std::size_t t = classes_.tile_of(cls, k);
  if (prefetch_) prefetch_tile(t);
  return site_in_tile(t, cls, k);
}

// Ask for the cells an event in tile t may read, all at once: the tile (one cache line) and
// the tiles next to it along each axis (its edge sites' neighbours, a hop target's
// neighbours). They then arrive in parallel instead of one after the other as fire()
// discovers them. A hint only: a neighbour past the lattice's edge is not asked for.
// Inlined, like prefetch_next(): GCC removes a call to a function whose only effect is a
// prefetch, and out of line these never ran.
[[gnu::always_inline]] inline void LatticeGas::prefetch_tile(std::size_t t) const {
  const std::uint8_t* cell = cell_.data();
  __builtin_prefetch(cell + (t << 6));
  classes_.prefetch_tile_counts(t);
  for (int a = 0; a < dim_; ++a) {
    const std::size_t step = axis_[static_cast<std::size_t>(a)].tile_stride >> 6;
    if (t + step < n_tiles_) {
      __builtin_prefetch(cell + ((t + step) << 6));
      if (step > 1) classes_.prefetch_tile_counts(t + step);  // another group of 8 tiles
    }
    if (t >= step) {
      __builtin_prefetch(cell + ((t - step) << 6));
      if (step > 1) classes_.prefetch_tile_counts(t - step);
    }
  }
}

// The cache lines of the next events, predicted from the current class counts and those
// events' uniforms (read ahead from the counter-based stream, not drawn): the counts change
// little per event, so a prediction a few events ahead is mostly right. The descent of the
// count tree is spread over three events so that no step waits on a line that is not there:
// for event +3 the descent down to the group counts, which are asked for; for event +2 one
// level further (reading those), asking for the tile counts; for event +1 the tile, whose
// cells are asked for. The levels above the groups are small enough to stay in cache.
// Nothing depends on whether a prediction is right. Each event draws 4 words (its exponential
// and its uniform).
[[gnu::always_inline]] inline void LatticeGas::prefetch_next(double total) {
  const std::size_t e = ahead_sequence_++;
  std::size_t k = 0;
  double target = rng_.peek_uniform(2 + 8) * total;
  const int cls = classes_.locate(target, k);
  ClassCounts::Cursor far = classes_.cursor(cls, k);
  while (far.level > 2) classes_.descend(far);
  if (far.level > 0) classes_.prefetch_children(far);
  ahead_[(e + 3) & 3] = far;
  ClassCounts::Cursor& mid = ahead_[(e + 2) & 3];
  if (mid.level > 1) classes_.descend(mid);
  if (mid.level > 0) classes_.prefetch_children(mid);
  ClassCounts::Cursor near = ahead_[(e + 1) & 3];
  while (near.level > 0) classes_.descend(near);
  prefetch_tile(near.entry);
}

void LatticeGas::apply_pending_move() {
  const auto [from, to, d] = pending_move_;
  if (from == kNoMove) return;
  const std::int32_t* before = displacement(from);
  std::int32_t* after = displacement(to);
  for (int a = 0; a < dim_; ++a) after[a] = before[a] + kStep[d][a];
  pending_move_[0] = kNoMove;
}

void LatticeGas::advance(double dt) {
  occ_integral_ += static_cast<double>(occupied_) * dt;
  avg_time_ += dt;
  time_ += dt;
}

std::uint64_t LatticeGas::run(std::uint64_t max_events, double t_end) {
  std::uint64_t fired = 0;
  while (fired < max_events) {
    const double total = classes_.cumulate();
    if (!(total > 0.0)) {  // nothing can happen: the clock runs to the end
      if (std::isfinite(t_end) && t_end > time_) advance(t_end - time_);
      break;
    }
    // The unit-exponential waiting "integrated rate" survives a stop at t_end, so a run
    // split at any times gives the same trajectory as one run.
    if (pending_ < 0.0) pending_ = rng_.exponential();
    const double dt = pending_ / total;
    if (!std::isfinite(dt) && !std::isfinite(t_end)) {
      apply_pending_move();
      sync_occupancy();
      throw std::overflow_error(
          "lattice gas waiting time overflows: the total rate is too small (denormal rates) to "
          "reach an event in finite time");
    }
    if (time_ + dt > t_end) {
      pending_ -= total * (t_end - time_);
      advance(t_end - time_);
      break;
    }
    pending_ = -1.0;
    double target = rng_.uniform() * total;
    int cls = 0;
    const std::size_t site = select(target, cls);
    if (prefetch_) prefetch_next(total);
    advance(dt);
    fire_event(site, cls, target);
    ++fired;
  }
  apply_pending_move();
  sync_occupancy();
  events_ += fired;
  return fired;
}

void LatticeGas::run_recorded(std::uint64_t n, double* dt, double* total_rate) {
  for (std::uint64_t e = 0; e < n; ++e) {
    const double total = classes_.cumulate();
    if (!(total > 0.0)) {
      apply_pending_move();
      sync_occupancy();
      throw std::runtime_error("total rate is zero: no event can happen");
    }
    const double step = (pending_ >= 0.0 ? pending_ : rng_.exponential()) / total;
    pending_ = -1.0;
    double target = rng_.uniform() * total;
    int cls = 0;
    const std::size_t site = select(target, cls);
    advance(step);
    fire_event(site, cls, target);
    dt[e] = step;
    total_rate[e] = total;
    ++events_;
  }
  apply_pending_move();
  sync_occupancy();
}

double LatticeGas::tracer_msd() const {
  if (!p_.tracers)
    throw std::invalid_argument(
        "tracer_msd: this lattice gas keeps no displacements (made with tracers = false)");
  double sum = 0.0;
  std::size_t count = 0;
  for (std::size_t i = 0; i < n_cells_; ++i) {
    if (padding(i) || !(cell_[i] & kOccupied)) continue;
    const std::int32_t* u = displacement(i);
    for (int a = 0; a < dim_; ++a) sum += double(u[a]) * u[a];
    ++count;
  }
  return count ? sum / static_cast<double>(count) : 0.0;
}

}  // namespace mesolith::kmc

namespace mesolith::kmc {

LatticeGasState LatticeGas::state() const {
  LatticeGasState s;
  s.occupancy = occ_;
  if (p_.tracers) {
    s.displacement.assign(3 * occ_.size(), 0);
    for (std::size_t i = 0; i < occ_.size(); ++i)
      if (occ_[i])
        std::copy_n(displacement(cell_of_site(i)), dim_, s.displacement.begin() + 3 * i);
  }
  for (int c = 0; c < classes_.classes(); ++c) s.class_counts.push_back(classes_.count(c));
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
  if (s.occupancy.size() != n || s.displacement.size() != (p_.tracers ? 3 * n : 0) ||
      s.class_counts.size() != static_cast<std::size_t>(classes_.classes()))
    throw std::invalid_argument("checkpoint does not match this lattice");
  // Unwrapped displacements grow like the square root of the hops: beyond 2^30 lattice
  // units a checkpoint is corrupt, and the next hop could overflow the int32 (fuzzing).
  for (std::int32_t v : s.displacement)
    if (v > (1 << 30) || v < -(1 << 30))
      throw std::invalid_argument("checkpoint displacements beyond +-2^30 lattice units");
  // A square lattice keeps no z displacement: one in a checkpoint is corrupt.
  if (dim_ == 2 && p_.tracers)
    for (std::size_t i = 0; i < n; ++i)
      if (s.displacement[3 * i + 2] != 0)
        throw std::invalid_argument("checkpoint displacement z = " +
                                    std::to_string(s.displacement[3 * i + 2]) +
                                    " on a square lattice: must be 0");
  for (double v : {s.time, s.occupancy_integral, s.averaging_time})
    if (!(v >= 0.0) || !std::isfinite(v))
      throw std::invalid_argument("checkpoint clock / averages must be finite and >= 0");
  if (!std::isfinite(s.pending)) throw std::invalid_argument("checkpoint waiting time must be finite");
  set_occupancy(s.occupancy.data());
  if (p_.tracers)
    for (std::size_t i = 0; i < n; ++i)
      if (occ_[i])
        std::copy_n(s.displacement.begin() + 3 * i, dim_, displacement(cell_of_site(i)));
  // The selection is a function of the configuration alone; the counts are a check.
  for (int c = 0; c < classes_.classes(); ++c)
    if (s.class_counts[static_cast<std::size_t>(c)] != classes_.count(c))
      throw std::invalid_argument("checkpoint class counts do not match its occupancy");
  rng_.seek(s.rng_block, s.rng_words_used);
  time_ = s.time;
  pending_ = s.pending;
  occ_integral_ = s.occupancy_integral;
  avg_time_ = s.averaging_time;
  events_ = s.events;
}

}  // namespace mesolith::kmc
