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
// Sixteen dot products at once: rows a[0..3] against rows b[0..3] over len entries,
// into out[4 * p + q]. Four rows of each stay in registers while k runs, so each
// loaded value is used four times (the inner kernel of the Cholesky panel update).
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
__attribute__((target_clones("avx512f", "avx2", "default")))
#endif
void dots_4x4(const double* const* a, const double* const* b, std::size_t len, double* out) {
  const double *a0 = a[0], *a1 = a[1], *a2 = a[2], *a3 = a[3];
  const double *b0 = b[0], *b1 = b[1], *b2 = b[2], *b3 = b[3];
  double s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
  double s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
#pragma omp simd reduction(+ : s00, s01, s02, s03, s10, s11, s12, s13, s20, s21, s22, s23, s30, \
                               s31, s32, s33)
  for (std::size_t k = 0; k < len; ++k) {
    const double x0 = a0[k], x1 = a1[k], x2 = a2[k], x3 = a3[k];
    const double y0 = b0[k], y1 = b1[k], y2 = b2[k], y3 = b3[k];
    s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
    s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
    s20 += x2 * y0; s21 += x2 * y1; s22 += x2 * y2; s23 += x2 * y3;
    s30 += x3 * y0; s31 += x3 * y1; s32 += x3 * y2; s33 += x3 * y3;
  }
  const double r[16] = {s00, s01, s02, s03, s10, s11, s12, s13,
                        s20, s21, s22, s23, s30, s31, s32, s33};
  for (int q = 0; q < 16; ++q) out[q] = r[q];
}
}  // namespace

double stable_dot(const double* a, const double* b, std::size_t n) {
  const std::size_t chunks = (n + kChunk - 1) / kChunk;
  if (chunks <= 1) return plain_dot(a, b, n);
  std::vector<double> part(chunks);
// Threads only for long vectors: a parallel region costs more than a dot of 10^5 entries.
#pragma omp parallel for schedule(static) if (chunks >= 64)
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
    // Panel below the block, in groups of four rows (independent, so threads split them):
    // first the dot products over all earlier columns k < j0 with the 4x4 kernel, then
    // the short triangular remainder k in [j0, j) column by column.
    const std::size_t width = j1 - j0;
#pragma omp parallel for schedule(dynamic, 1) if ((n - j1) * width * (j0 + 1) > 200000)
    for (std::size_t ig = j1; ig < n; ig += 4) {
      const std::size_t ni = std::min<std::size_t>(4, n - ig);
      const double* rows_i[4];
      for (std::size_t p = 0; p < 4; ++p) rows_i[p] = a + (ig + std::min(p, ni - 1)) * n;
      double bulk[4][kBlock];
      for (std::size_t jg = j0; jg < j1; jg += 4) {
        const std::size_t nj = std::min<std::size_t>(4, j1 - jg);
        const double* rows_j[4];
        for (std::size_t q = 0; q < 4; ++q) rows_j[q] = a + (jg + std::min(q, nj - 1)) * n;
        double out[16];
        dots_4x4(rows_i, rows_j, j0, out);
        for (std::size_t p = 0; p < ni; ++p)
          for (std::size_t q = 0; q < nj; ++q) bulk[p][jg - j0 + q] = out[4 * p + q];
      }
      for (std::size_t p = 0; p < ni; ++p) {
        double* ri = a + (ig + p) * n;
        for (std::size_t j = j0; j < j1; ++j) {
          const double* rj = a + j * n;
          ri[j] = (ri[j] - bulk[p][j - j0] - plain_dot(ri + j0, rj + j0, j - j0)) / rj[j];
        }
      }
    }
    (void)width;  // used only by the OpenMP clause
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
