// Counter-based random numbers: Philox-4x32-10 (Salmon, Moraes, Dror, Shaw,
// "Parallel random numbers: as easy as 1, 2, 3", SC'11).
//
// Every draw is a pure function of (seed, stream, counter), so any thread can
// produce the numbers of any particle, site or step without shared state.
// That is what makes results bit-identical for any OpenMP thread count and
// across checkpoint/restart. This is the only generator the engines use.
#pragma once

#include <array>
#include <cstddef>
#include <cmath>
#include <cstdint>

#if defined(__SSE2__)
#include <immintrin.h>
#endif

namespace mesolith::rng {

using Counter = std::array<std::uint32_t, 4>;
using Key = std::array<std::uint32_t, 2>;

namespace detail {
constexpr std::uint32_t kMul0 = 0xD2511F53u;
constexpr std::uint32_t kMul1 = 0xCD9E8D57u;
constexpr std::uint32_t kWeyl0 = 0x9E3779B9u;  // golden ratio
constexpr std::uint32_t kWeyl1 = 0xBB67AE85u;  // sqrt(3) - 1

inline void mulhilo(std::uint32_t a, std::uint32_t b, std::uint32_t& hi, std::uint32_t& lo) {
  const std::uint64_t p = static_cast<std::uint64_t>(a) * b;
  hi = static_cast<std::uint32_t>(p >> 32);
  lo = static_cast<std::uint32_t>(p);
}

inline Counter round(const Counter& c, const Key& k) {
  std::uint32_t hi0, lo0, hi1, lo1;
  mulhilo(kMul0, c[0], hi0, lo0);
  mulhilo(kMul1, c[2], hi1, lo1);
  return {hi1 ^ c[1] ^ k[0], lo1, hi0 ^ c[3] ^ k[1], lo0};
}
}  // namespace detail

// One Philox-4x32 block with `rounds` rounds (10 is the standard, tested variant).
inline Counter philox4x32(Counter ctr, Key key, int rounds = 10) {
  for (int r = 0; r < rounds; ++r) {
    if (r > 0) {
      key[0] += detail::kWeyl0;
      key[1] += detail::kWeyl1;
    }
    ctr = detail::round(ctr, key);
  }
  return ctr;
}

namespace detail {
// Eight blocks side by side: lane b of each vector is word w of block b, widened to 64 bits
// so that one unsigned 32 x 32 -> 64-bit multiply per lane gives both halves of a product.
typedef std::uint64_t U64x8 __attribute__((vector_size(64)));
typedef std::uint32_t U32x8 __attribute__((vector_size(32)));

// product = a * factor part by part, in the registers of type Reg, by mul (a lane-wise
// multiply of the low 32 bits of each 64-bit lane).
template <class Reg, class Mul>
[[gnu::always_inline]] inline void multiply_parts(const U64x8& a, const U64x8& factor,
                                                  U64x8& product, Mul mul) {
  constexpr int kParts = static_cast<int>(sizeof(U64x8) / sizeof(Reg));
  Reg x[kParts], f[kParts];
  __builtin_memcpy(x, &a, sizeof a);
  __builtin_memcpy(f, &factor, sizeof factor);
  for (int q = 0; q < kParts; ++q) x[q] = mul(x[q], f[q]);
  __builtin_memcpy(&product, x, sizeof product);
}

// product = (a mod 2^32) * m, lane-wise. The x86 multiply of the low halves says so; plain
// vector code would make GCC emulate a full 64-bit multiply (slower than the scalar blocks).
// Results by reference: a 64-byte vector returned by value warns of ABI changes (-Wpsabi).
[[gnu::always_inline]] inline void mul_low32(const U64x8& a, std::uint32_t m, U64x8& product) {
  const U64x8 factor = U64x8{} + m;
#if defined(__AVX512F__)
  // The unmasked form warns in GCC 12 (PR 105593).
  multiply_parts<__m512i>(a, factor, product,
                          [](__m512i x, __m512i f) { return _mm512_maskz_mul_epu32(0xff, x, f); });
#elif defined(__AVX2__)
  multiply_parts<__m256i>(a, factor, product,
                          [](__m256i x, __m256i f) { return _mm256_mul_epu32(x, f); });
#elif defined(__SSE2__)
  multiply_parts<__m128i>(a, factor, product,
                          [](__m128i x, __m128i f) { return _mm_mul_epu32(x, f); });
#else
  product = (a & 0xffffffffu) * factor;
#endif
}
}  // namespace detail

// Philox-4x32-10 blocks [first, first + 8) of `stream`, the same numbers as philox4x32() but
// computed together (8 independent chains in vector lanes, about twice as fast). Word w of
// block b goes to out[8 w + b].
inline void philox4x32_8(std::uint64_t stream, std::uint64_t first, Key key, std::uint32_t* out) {
  using detail::U64x8;
  // Only the low 32 bits of a lane count: the multiply reads only them and the output keeps
  // only them, so the high bits are left as they fall instead of masked each round.
  const U64x8 block = U64x8{0, 1, 2, 3, 4, 5, 6, 7} + first;
  U64x8 c0 = block, c1 = block >> 32;
  U64x8 c2 = U64x8{} + (stream & 0xffffffffu), c3 = U64x8{} + (stream >> 32);
  std::uint32_t k0 = key[0], k1 = key[1];
  for (int r = 0; r < 10; ++r) {
    if (r > 0) {
      k0 += detail::kWeyl0;
      k1 += detail::kWeyl1;
    }
    U64x8 p0, p1;
    detail::mul_low32(c0, detail::kMul0, p0);
    detail::mul_low32(c2, detail::kMul1, p1);
    c0 = (p1 >> 32) ^ c1 ^ k0;
    c2 = (p0 >> 32) ^ c3 ^ k1;
    c1 = p1;
    c3 = p0;
  }
  const detail::U32x8 words[4] = {
      __builtin_convertvector(c0, detail::U32x8), __builtin_convertvector(c1, detail::U32x8),
      __builtin_convertvector(c2, detail::U32x8), __builtin_convertvector(c3, detail::U32x8)};
  __builtin_memcpy(out, words, sizeof words);
}

// Key and counter layout used by every engine:
//   key     = seed (64 bit)
//   counter = [block lo, block hi, stream lo, stream hi]
inline Counter make_counter(std::uint64_t stream, std::uint64_t block) {
  return {static_cast<std::uint32_t>(block), static_cast<std::uint32_t>(block >> 32),
          static_cast<std::uint32_t>(stream), static_cast<std::uint32_t>(stream >> 32)};
}
inline Key make_key(std::uint64_t seed) {
  return {static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)};
}

// 64 random bits -> double uniform on the open interval (0, 1), 53-bit resolution.
// The +0.5 offset keeps 0 and 1 out, so log(u) is always finite.
inline double to_open_unit(std::uint64_t bits) {
  return (static_cast<double>(bits >> 11) + 0.5) * 0x1.0p-53;
}

constexpr double kTwoPi = 6.283185307179586476925286766559;

// A sequence of draws for one (seed, stream), starting at a block counter.
// Cheap to construct: make one per particle/site/step inside a parallel loop.
class Stream {
 public:
  Stream(std::uint64_t seed, std::uint64_t stream, std::uint64_t block = 0)
      : key_(make_key(seed)), stream_(stream), block_(block) {}

  // Convention for per-step draws: (stream, step) owns blocks [step * 2^32, (step + 1) * 2^32).
  static Stream for_step(std::uint64_t seed, std::uint64_t stream, std::uint32_t step) {
    return Stream(seed, stream, static_cast<std::uint64_t>(step) << 32);
  }

  std::uint32_t next_u32() {
    if (used_ == 4) refill();
    return buffer_[used_++];
  }

  std::uint64_t next_u64() {
    const std::uint64_t lo = next_u32();
    const std::uint64_t hi = next_u32();
    return (hi << 32) | lo;
  }

  // Uniform on (0, 1).
  double uniform() { return to_open_unit(next_u64()); }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }

  // Unbiased integer in [0, n), n >= 1 (Lemire's multiply-and-reject).
  std::uint32_t below(std::uint32_t n) {
    std::uint64_t m = static_cast<std::uint64_t>(next_u32()) * n;
    auto low = static_cast<std::uint32_t>(m);
    if (low < n) {
      const std::uint32_t threshold = (0u - n) % n;
      while (low < threshold) {
        m = static_cast<std::uint64_t>(next_u32()) * n;
        low = static_cast<std::uint32_t>(m);
      }
    }
    return static_cast<std::uint32_t>(m >> 32);
  }

  // Standard normal by Box-Muller; the second value of each pair is kept for the next call.
  double normal() {
    if (has_spare_) {
      has_spare_ = false;
      return spare_;
    }
    const double u1 = uniform();
    const double u2 = uniform();
    const double r = std::sqrt(-2.0 * std::log(u1));
    spare_ = r * std::sin(kTwoPi * u2);
    has_spare_ = true;
    return r * std::cos(kTwoPi * u2);
  }

  // Exponential with unit mean (rate 1): -ln(u).
  double exponential() { return -std::log(uniform()); }

  // The uniform that uniform() would return after `ahead` more 32-bit words were drawn,
  // without drawing anything (counter-based: any position can be computed directly).
  double peek_uniform(int ahead) const {
    const std::uint64_t word = (block_ - 1) * 4 + static_cast<std::uint64_t>(used_ + ahead);
    const Counter first = philox4x32(make_counter(stream_, word / 4), key_);
    const auto w = static_cast<std::size_t>(word % 4);
    const std::uint64_t lo = first[w];
    const std::uint64_t hi =
        w < 3 ? first[w + 1] : philox4x32(make_counter(stream_, word / 4 + 1), key_)[0];
    return to_open_unit((hi << 32) | lo);
  }

  // Position in the sequence, for checkpoints: next block and words used of the current one.
  std::uint64_t block() const { return block_; }
  int words_used() const { return used_; }
  std::uint64_t stream() const { return stream_; }

  // Restore a position saved with block()/words_used() (the spare normal is dropped,
  // so save only between whole normal pairs or not at all mid-pair).
  void seek(std::uint64_t block, int words_used) {
    block_ = block;
    used_ = 4;
    has_spare_ = false;
    if (words_used > 0 && words_used < 4) {
      block_ = block - 1;
      refill();
      used_ = words_used;
    }
  }

 private:
  void refill() {
    buffer_ = philox4x32(make_counter(stream_, block_), key_);
    ++block_;
    used_ = 0;
  }

  Key key_;
  std::uint64_t stream_;
  std::uint64_t block_;
  Counter buffer_{};
  int used_ = 4;
  bool has_spare_ = false;
  double spare_ = 0.0;
};

// The same sequence as Stream, for a hot loop that draws a few numbers per step (the
// lattice gas): blocks are made 16 at a time, eight side by side in vector lanes
// (philox4x32_8) instead of one latency-bound block at each refill, and the numbers a few
// events ahead (peek_uniform) are nearly always already in the buffer. block(),
// words_used() and seek() mean what they mean for Stream, so checkpoints of either can be
// read by the other.
class BufferedStream {
 public:
  static constexpr int kBlocks = 16;

  BufferedStream(std::uint64_t seed, std::uint64_t stream, std::uint64_t block = 0)
      : key_(make_key(seed)), stream_(stream), word_(4 * block) {}

  std::uint32_t next_u32() {
    const std::uint64_t offset = word_ - 4 * first_;
    if (offset >= kWords) {  // past the buffer (or before it, after a seek back)
      fill(word_ / 4);
      return buffer_[slot(word_++ % 4)];
    }
    ++word_;
    return buffer_[slot(offset)];
  }
  std::uint64_t next_u64() {
    const std::uint64_t lo = next_u32();
    const std::uint64_t hi = next_u32();
    return (hi << 32) | lo;
  }
  double uniform() { return to_open_unit(next_u64()); }
  double exponential() { return -std::log(uniform()); }

  // The uniform that uniform() would return after `ahead` more 32-bit words were drawn.
  double peek_uniform(int ahead) const {
    const std::uint64_t word = word_ + static_cast<std::uint64_t>(ahead);
    return to_open_unit((static_cast<std::uint64_t>(peek_u32(word + 1)) << 32) | peek_u32(word));
  }

  // Stream's position convention: the next block to make and the words used of the last.
  std::uint64_t block() const { return word_ % 4 ? word_ / 4 + 1 : word_ / 4; }
  int words_used() const { return word_ % 4 ? static_cast<int>(word_ % 4) : 4; }
  std::uint64_t stream() const { return stream_; }
  void seek(std::uint64_t block, int words_used) {
    word_ = words_used > 0 && words_used < 4
                ? 4 * (block - 1) + static_cast<std::uint64_t>(words_used)
                : 4 * block;
  }

 private:
  static constexpr std::uint64_t kWords = 4 * kBlocks;
  static_assert(kBlocks % 8 == 0, "philox4x32_8 makes 8 blocks at a time");
  // Blocks [first, first + kBlocks); the buffer is filled once more only when a draw passes it.
  void fill(std::uint64_t first) {
    first_ = first;
    for (int b = 0; b < kBlocks; b += 8)
      philox4x32_8(stream_, first + static_cast<std::uint64_t>(b), key_, buffer_ + 4 * b);
  }
  // Where word `offset` of the buffer (4 per block, in block order) lies: each run of 8
  // blocks in word-major order, as philox4x32_8 writes them.
  static std::size_t slot(std::uint64_t offset) {
    return static_cast<std::size_t>((offset & ~std::uint64_t(31)) + (offset & 3) * 8 +
                                    ((offset >> 2) & 7));
  }
  std::uint32_t peek_u32(std::uint64_t word) const {
    const std::uint64_t offset = word - 4 * first_;
    if (offset < kWords) return buffer_[slot(offset)];
    return philox4x32(make_counter(stream_, word / 4), key_)[word % 4];
  }

  Key key_;
  std::uint64_t stream_;
  std::uint64_t word_;  // words drawn since block 0
  // First block in the buffer; at first 2^61, so that every word of a stream (< 2^63) is
  // outside it.
  std::uint64_t first_ = std::uint64_t(1) << 61;
  std::uint32_t buffer_[kWords] = {};
};

}  // namespace mesolith::rng
