// C++ unit tests of the generator, without Python: known answers and stream consistency.
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "mesolith/random_fill.hpp"
#include "mesolith/rng.hpp"

#include "check.hpp"

using mesolith::testing::check;

int main() {
  using mesolith::rng::philox4x32;
  // Random123 kat_vectors, philox4x32 10: counter, key -> expected.
  check(philox4x32({0, 0, 0, 0}, {0, 0}) ==
            mesolith::rng::Counter{0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u},
        "KAT zeros");
  check(philox4x32({0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu},
                   {0xffffffffu, 0xffffffffu}) ==
            mesolith::rng::Counter{0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu},
        "KAT ones");
  check(philox4x32({0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u},
                   {0xa4093822u, 0x299f31d0u}) ==
            mesolith::rng::Counter{0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u},
        "KAT pi digits");

  // Eight blocks in vector lanes = eight philox4x32 blocks, also where the block counter's
  // low word wraps and for a stream and key with both halves set.
  {
    const mesolith::rng::Key key{0xa4093822u, 0xffffffffu};
    bool same = true;
    for (const std::uint64_t first : {std::uint64_t(0), std::uint64_t(0xfffffffcu),
                                      (std::uint64_t(1) << 61) - 3}) {
      std::uint32_t out[32];
      const std::uint64_t stream = 0x85a308d3ffffffffull;
      mesolith::rng::philox4x32_8(stream, first, key, out);
      for (int b = 0; b < 8; ++b) {
        const auto c = philox4x32(mesolith::rng::make_counter(stream, first + b), key);
        for (int w = 0; w < 4; ++w) same &= out[8 * w + b] == c[static_cast<std::size_t>(w)];
      }
    }
    check(same, "philox4x32_8 = 8 x philox4x32");
  }

  // The sequential Stream and the parallel fill give the same numbers.
  double filled[6];
  mesolith::rng::fill_uniform(7, 3, 10, filled, 6);
  mesolith::rng::Stream s(7, 3, 10);
  for (double v : filled) check(s.uniform() == v, "stream vs fill (uniform)");

  // seek() restores a position inside a block.
  mesolith::rng::Stream a(11, 0);
  a.next_u32();
  const auto block = a.block();
  const int used = a.words_used();
  const auto expected = a.next_u32();
  mesolith::rng::Stream b(11, 0);
  b.seek(block, used);
  check(b.next_u32() == expected, "seek mid-block");

  // BufferedStream draws what Stream draws, across buffer refills, peeks and seeks.
  {
    mesolith::rng::Stream plain(13, 4, 5);
    mesolith::rng::BufferedStream buffered(13, 4, 5);
    bool same = true;
    for (int i = 0; i < 1000; ++i) {
      same &= buffered.block() == plain.block() && buffered.words_used() == plain.words_used();
      same &= buffered.peek_uniform(i % 71) == plain.peek_uniform(i % 71);  // past the buffer too
      if (i % 3 == 0) same &= buffered.next_u32() == plain.next_u32();
      else same &= buffered.uniform() == plain.uniform();
    }
    check(same, "buffered stream = stream (draws, peeks, positions)");
    mesolith::rng::BufferedStream back(13, 4, 5);
    for (int i = 0; i < 100; ++i) back.next_u32();
    for (int used = 0; used <= 4; ++used) {
      mesolith::rng::Stream ref(13, 4);
      ref.seek(20, used);
      back.seek(20, used);
      bool ok = back.block() == ref.block() && back.words_used() == ref.words_used();
      for (int i = 0; i < 40; ++i) ok &= back.next_u32() == ref.next_u32();
      check(ok, "buffered stream seek (words used 0..4)");
    }
  }

  // below(n) stays in range.
  mesolith::rng::Stream c(5, 5);
  bool in_range = true;
  for (int i = 0; i < 100000; ++i) in_range &= c.below(7) < 7u;
  check(in_range, "below(7) < 7");

  return mesolith::testing::finish("test_rng");
}
