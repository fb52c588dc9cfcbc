// Arrays of random numbers filled in parallel from the counter-based generator.
// Element i depends only on (seed, stream, first_block, i), never on the thread
// that computed it, so the arrays are identical for any thread count.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mesolith::rng {

// Two draws per Philox block: element i comes from block first_block + i / 2.
void fill_uniform(std::uint64_t seed, std::uint64_t stream, std::uint64_t first_block, double* out,
                  std::size_t n);
void fill_normal(std::uint64_t seed, std::uint64_t stream, std::uint64_t first_block, double* out,
                 std::size_t n);
void fill_exponential(std::uint64_t seed, std::uint64_t stream, std::uint64_t first_block,
                      double* out, std::size_t n);
// Raw 32-bit words: four per block, element i from block first_block + i / 4.
void fill_u32(std::uint64_t seed, std::uint64_t stream, std::uint64_t first_block,
              std::uint32_t* out, std::size_t n);

}  // namespace mesolith::rng
