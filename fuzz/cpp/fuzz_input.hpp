// Turns libFuzzer's bytes into typed arguments, and the one way a harness reports a finding.
// Every draw is total: when the bytes run out it returns the low end of its range, so any
// input decodes into a valid call.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>

namespace mesolith::fuzz {

class Input {
 public:
  Input(const std::uint8_t* data, std::size_t size) : p_(data), n_(size) {}

  std::uint8_t byte() { return n_ ? (--n_, *p_++) : 0; }
  bool flag() { return byte() & 1; }
  // Uniform-ish integer in [lo, hi] from up to four bytes.
  std::int64_t integer(std::int64_t lo, std::int64_t hi) {
    const auto span = static_cast<std::uint64_t>(hi - lo) + 1;
    std::uint64_t v = 0;
    for (int k = 0; k < 4 && (span >> (8 * k)) > 0; ++k) v = (v << 8) | byte();
    return lo + static_cast<std::int64_t>(v % span);
  }
  // A double in [lo, hi] on a 2^16 grid.
  double real(double lo, double hi) {
    const double u = static_cast<double>(integer(0, 65535)) / 65535.0;
    return lo + (hi - lo) * u;
  }
  // Mostly real(lo, hi); sometimes one of the values that break careless code.
  double nasty(double lo, double hi) {
    if (byte() % 8 != 0) return real(lo, hi);
    constexpr double kValues[] = {0.0, -0.0, -1.0, 1e308, 5e-324,
                                  std::numeric_limits<double>::infinity(),
                                  -std::numeric_limits<double>::infinity(),
                                  std::numeric_limits<double>::quiet_NaN()};
    return kValues[byte() % (sizeof kValues / sizeof kValues[0])];
  }
  // A value every "must be finite and > 0" parameter must refuse.
  double invalid() {
    constexpr double kValues[] = {0.0, -0.0, -1.0, std::numeric_limits<double>::infinity(),
                                  -std::numeric_limits<double>::infinity(),
                                  std::numeric_limits<double>::quiet_NaN()};
    return kValues[byte() % (sizeof kValues / sizeof kValues[0])];
  }
  std::size_t left() const { return n_; }

 private:
  const std::uint8_t* p_;
  std::size_t n_;
};

// A violated invariant: say which, then abort so libFuzzer stores the input.
[[noreturn]] inline void finding(const char* what) {
  std::fprintf(stderr, "fuzz invariant violated: %s\n", what);
  std::abort();
}

inline void require(bool ok, const char* what) {
  if (!ok) finding(what);
}

// |a - b| <= rel * max(|a|, |b|) + abs.
inline bool close(double a, double b, double rel, double abs = 0.0) {
  return std::fabs(a - b) <= rel * std::fmax(std::fabs(a), std::fabs(b)) + abs;
}

}  // namespace mesolith::fuzz
