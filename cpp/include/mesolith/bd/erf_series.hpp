// S(x) = erf(x) - 2 x exp(-x^2) / sqrt(pi) = (4 / sqrt(pi)) int_0^x t^2 exp(-t^2) dt: the
// combination the overlap-corrected real-space Ewald terms need, where erf and the Gaussian
// cancel to rounding noise for small x (it is ~ x^3 of order-1 terms).
#pragma once

#include <cmath>

namespace mesolith::bd {

inline double erf_minus_gauss(double x) {
  constexpr double kSqrtPi = 1.7724538509055160273;
  if (x > 0.5) return std::erf(x) - 2.0 * x * std::exp(-x * x) / kSqrtPi;
  // (4 / sqrt(pi)) sum_n (-1)^n x^(2n+3) / (n! (2n + 3)); 14 terms reach rounding at x = 0.5.
  double term = x * x * x, sum = 0.0;
  for (int n = 0; n < 14; ++n) {
    sum += term / (2 * n + 3);
    term *= -x * x / (n + 1);
  }
  return 4.0 * sum / kSqrtPi;
}

}  // namespace mesolith::bd
