#include "mesolith/bd/linalg.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace mesolith::bd {

namespace {
constexpr std::size_t kChunk = 2048;

inline double plain_dot(const double* a, const double* b, std::size_t n) {
  double s = 0.0;
#pragma omp simd reduction(+ : s)
  for (std::size_t k = 0; k < n; ++k) s += a[k] * b[k];
  return s;
}
}  // namespace

double stable_dot(const double* a, const double* b, std::size_t n) {
  const std::size_t chunks = (n + kChunk - 1) / kChunk;
  if (chunks <= 1) return plain_dot(a, b, n);
  std::vector<double> part(chunks);
#pragma omp parallel for schedule(static) if (chunks >= 8)
  for (std::size_t c = 0; c < chunks; ++c) {
    const std::size_t lo = c * kChunk;
    part[c] = plain_dot(a + lo, b + lo, std::min(kChunk, n - lo));
  }
  double s = 0.0;
  for (double p : part) s += p;
  return s;
}

void cholesky_inplace(double* a, std::size_t n) {
  constexpr std::size_t kBlock = 64;
  for (std::size_t j0 = 0; j0 < n; j0 += kBlock) {
    const std::size_t j1 = std::min(n, j0 + kBlock);
    // Diagonal block, serially: columns j0..j1 of rows j0..j1.
    for (std::size_t j = j0; j < j1; ++j) {
      double* rj = a + j * n;
      const double d = rj[j] - plain_dot(rj, rj, j);
      if (!(d > 0.0))
        throw std::runtime_error("matrix is not positive definite (pivot " + std::to_string(j) +
                                 " = " + std::to_string(d) + ")");
      rj[j] = std::sqrt(d);
      const double inv = 1.0 / rj[j];
      for (std::size_t i = j + 1; i < j1; ++i) {
        double* ri = a + i * n;
        ri[j] = (ri[j] - plain_dot(ri, rj, j)) * inv;
      }
    }
    // Panel below the block: rows are independent; the block's rows stay in cache.
    // Threads only when the panel is big enough to pay for a parallel region.
#pragma omp parallel for schedule(static) if ((n - j1) * (j1 - j0) * (j0 + 1) > 200000)
    for (std::size_t i = j1; i < n; ++i) {
      double* ri = a + i * n;
      for (std::size_t j = j0; j < j1; ++j) {
        const double* rj = a + j * n;
        ri[j] = (ri[j] - plain_dot(ri, rj, j)) / rj[j];
      }
    }
  }
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j < n; ++j) a[i * n + j] = 0.0;
}

void lower_matvec(const double* l, const double* x, double* y, std::size_t n) {
#pragma omp parallel for schedule(static) if (n > 1000)
  for (std::size_t i = 0; i < n; ++i) y[i] = plain_dot(l + i * n, x, i + 1);
}

void symmetric_eigen(std::vector<double>& a, std::size_t m, std::vector<double>& evals,
                     std::vector<double>& evecs) {
  evecs.assign(m * m, 0.0);
  for (std::size_t i = 0; i < m; ++i) evecs[i * m + i] = 1.0;
  for (int sweep = 0; sweep < 100; ++sweep) {
    double off = 0.0, diag = 0.0;
    for (std::size_t p = 0; p < m; ++p) {
      diag += a[p * m + p] * a[p * m + p];
      for (std::size_t q = p + 1; q < m; ++q) off += a[p * m + q] * a[p * m + q];
    }
    if (off <= 1e-30 * diag) break;
    for (std::size_t p = 0; p < m; ++p) {
      for (std::size_t q = p + 1; q < m; ++q) {
        const double apq = a[p * m + q];
        if (std::abs(apq) < 1e-300) continue;
        // Rotation that zeroes a_pq (Golub & Van Loan, Alg. 8.5.1).
        const double theta = (a[q * m + q] - a[p * m + p]) / (2.0 * apq);
        const double t = (theta >= 0 ? 1.0 : -1.0) /
                         (std::abs(theta) + std::sqrt(theta * theta + 1.0));
        const double c = 1.0 / std::sqrt(t * t + 1.0);
        const double s = t * c;
        for (std::size_t k = 0; k < m; ++k) {
          const double akp = a[k * m + p], akq = a[k * m + q];
          a[k * m + p] = c * akp - s * akq;
          a[k * m + q] = s * akp + c * akq;
        }
        for (std::size_t k = 0; k < m; ++k) {
          const double apk = a[p * m + k], aqk = a[q * m + k];
          a[p * m + k] = c * apk - s * aqk;
          a[q * m + k] = s * apk + c * aqk;
        }
        for (std::size_t k = 0; k < m; ++k) {
          const double vkp = evecs[k * m + p], vkq = evecs[k * m + q];
          evecs[k * m + p] = c * vkp - s * vkq;
          evecs[k * m + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  evals.resize(m);
  for (std::size_t i = 0; i < m; ++i) evals[i] = a[i * m + i];
}

}  // namespace mesolith::bd
