// Small dense linear algebra for the Brownian noise, written so that every
// result is independent of the OpenMP thread count (fixed summation order).
#pragma once

#include <cstddef>
#include <vector>

namespace mesolith::bd {

// Dot product summed in fixed chunks, then the chunk sums in order: the same
// bits for any number of threads.
double stable_dot(const double* a, const double* b, std::size_t n);

// In-place Cholesky factorisation A = L L^T of a symmetric positive definite
// n x n row-major matrix. On return the lower triangle holds L and the strict
// upper triangle is zeroed. Blocked, left-looking: each entry is one
// contiguous dot product over earlier columns, so rows stay in cache and the
// result does not depend on threads. Throws std::runtime_error if A is not
// positive definite (reports the failing pivot).
void cholesky_inplace(double* a, std::size_t n);

// y = L x for a lower-triangular row-major L.
void lower_matvec(const double* l, const double* x, double* y, std::size_t n);

// Eigen-decomposition of a small symmetric matrix (cyclic Jacobi). a: m x m
// row-major, destroyed. evals: m, evecs: m x m row-major, column k = vector k.
void symmetric_eigen(std::vector<double>& a, std::size_t m, std::vector<double>& evals,
                     std::vector<double>& evecs);

}  // namespace mesolith::bd
