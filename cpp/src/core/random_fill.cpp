#include "mesolith/random_fill.hpp"

#include <cmath>

#include "mesolith/rng.hpp"

namespace mesolith::rng {
namespace {

// Calls pair(block_index, out_pointer, count) for each block of two outputs.
// Blocks are independent, so a static schedule over them is deterministic.
template <typename PairFn>
void fill_pairs(std::size_t n, PairFn pair) {
  const auto blocks = static_cast<std::int64_t>((n + 1) / 2);
#pragma omp parallel for schedule(static)
  for (std::int64_t b = 0; b < blocks; ++b) {
    const std::size_t i = static_cast<std::size_t>(b) * 2;
    pair(static_cast<std::uint64_t>(b), i, (i + 1 < n) ? 2 : 1);
  }
}

Counter block_at(std::uint64_t seed, std::uint64_t stream, std::uint64_t block) {
  return philox4x32(make_counter(stream, block), make_key(seed));
}

std::uint64_t word64(const Counter& c, int k) {
  return (static_cast<std::uint64_t>(c[2 * k + 1]) << 32) | c[2 * k];
}

}  // namespace

void fill_uniform(std::uint64_t seed, std::uint64_t stream, std::uint64_t first_block, double* out,
                  std::size_t n) {
  fill_pairs(n, [&](std::uint64_t b, std::size_t i, int count) {
    const Counter c = block_at(seed, stream, first_block + b);
    for (int k = 0; k < count; ++k) out[i + k] = to_open_unit(word64(c, k));
  });
}

void fill_normal(std::uint64_t seed, std::uint64_t stream, std::uint64_t first_block, double* out,
                 std::size_t n) {
  fill_pairs(n, [&](std::uint64_t b, std::size_t i, int count) {
    const Counter c = block_at(seed, stream, first_block + b);
    const double r = std::sqrt(-2.0 * std::log(to_open_unit(word64(c, 0))));
    const double theta = kTwoPi * to_open_unit(word64(c, 1));
    out[i] = r * std::cos(theta);
    if (count == 2) out[i + 1] = r * std::sin(theta);
  });
}

void fill_exponential(std::uint64_t seed, std::uint64_t stream, std::uint64_t first_block,
                      double* out, std::size_t n) {
  fill_pairs(n, [&](std::uint64_t b, std::size_t i, int count) {
    const Counter c = block_at(seed, stream, first_block + b);
    for (int k = 0; k < count; ++k) out[i + k] = -std::log(to_open_unit(word64(c, k)));
  });
}

void fill_u32(std::uint64_t seed, std::uint64_t stream, std::uint64_t first_block,
              std::uint32_t* out, std::size_t n) {
  const auto blocks = static_cast<std::int64_t>((n + 3) / 4);
#pragma omp parallel for schedule(static)
  for (std::int64_t b = 0; b < blocks; ++b) {
    const Counter c = block_at(seed, stream, first_block + static_cast<std::uint64_t>(b));
    const std::size_t i = static_cast<std::size_t>(b) * 4;
    for (std::size_t k = 0; k < 4 && i + k < n; ++k) out[i + k] = c[k];
  }
}

}  // namespace mesolith::rng
