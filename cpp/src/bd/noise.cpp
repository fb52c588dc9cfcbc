#include "mesolith/bd/noise.hpp"

#include <cmath>
#include <stdexcept>

#include "mesolith/bd/linalg.hpp"
#include "mesolith/rng.hpp"

namespace mesolith::bd {

void standard_normals(std::uint64_t seed, std::uint64_t step, std::size_t n, double* w) {
  if (step > 0xffffffffULL) throw std::out_of_range("step does not fit the 32-bit step counter");
#pragma omp parallel for schedule(static) if (n > 2000)
  for (std::size_t i = 0; i < n; ++i) {
    rng::Stream s = rng::Stream::for_step(seed, i, static_cast<std::uint32_t>(step));
    w[3 * i] = s.normal();
    w[3 * i + 1] = s.normal();
    w[3 * i + 2] = s.normal();
  }
}

void cholesky_sqrt(const Mobility& m, const double* w, double* y) {
  const std::size_t d = m.dim();
  std::vector<double> a(d * d);
  m.dense(a.data());
  cholesky_inplace(a.data(), d);
  lower_matvec(a.data(), w, y, d);
}

void diagonal_sqrt(const Mobility& m, const double* w, double* y) {
  const std::size_t n = m.size();
  const double c = 1.0 / (6.0 * kPi * m.viscosity());
  for (std::size_t i = 0; i < n; ++i) {
    const double s = std::sqrt(c / m.radius(i));
    for (int p = 0; p < 3; ++p) y[3 * i + p] = s * w[3 * i + p];
  }
}

LanczosReport lanczos_sqrt(const Mobility& m, const double* w, double* y,
                           const LanczosOptions& opt) {
  return lanczos_sqrt([&m](const double* v, double* out) { m.apply(v, out); }, m.dim(), w, y,
                      opt);
}

LanczosReport lanczos_sqrt(const LinearOperator& apply, std::size_t d, const double* w,
                           double* y, const LanczosOptions& opt) {
  LanczosReport rep;
  const double beta0 = std::sqrt(stable_dot(w, w, d));
  if (beta0 == 0.0) {
    for (std::size_t k = 0; k < d; ++k) y[k] = 0.0;
    rep.converged = true;
    return rep;
  }
  const int kmax = std::max(1, opt.max_iterations);
  std::vector<double> basis;  // Krylov vectors v_0 .. v_k, each d long
  basis.reserve(static_cast<std::size_t>(std::min<std::size_t>(kmax, 64)) * d);
  basis.insert(basis.end(), w, w + d);
  for (std::size_t k = 0; k < d; ++k) basis[k] /= beta0;
  std::vector<double> alpha, beta;  // T: diagonal alpha, off-diagonal beta
  std::vector<double> wk(d), coef, coef_prev, t, evals, evecs;
  for (int k = 0; k < kmax; ++k) {
    const double* vk = basis.data() + static_cast<std::size_t>(k) * d;
    apply(vk, wk.data());
    const double ak = stable_dot(vk, wk.data(), d);
    alpha.push_back(ak);
    const double* vprev = k > 0 ? vk - d : nullptr;
    const double bprev = k > 0 ? beta[k - 1] : 0.0;
    for (std::size_t q = 0; q < d; ++q)
      wk[q] -= ak * vk[q] + (vprev ? bprev * vprev[q] : 0.0);
    // Full reorthogonalisation against the basis: O(k d) per iteration, small next to
    // the O(N^2) product, and it keeps the basis orthonormal so that the coefficient
    // norms below measure the change of y.
    for (int pass = 0; pass < 2; ++pass)
      for (int p = 0; p <= k; ++p) {
        const double* vp = basis.data() + static_cast<std::size_t>(p) * d;
        const double h = stable_dot(vp, wk.data(), d);
        for (std::size_t q = 0; q < d; ++q) wk[q] -= h * vp[q];
      }
    const double bk = std::sqrt(stable_dot(wk.data(), wk.data(), d));
    // c = T^{1/2} e_1 through the eigen-decomposition of the small tridiagonal T.
    const std::size_t mdim = alpha.size();
    t.assign(mdim * mdim, 0.0);
    for (std::size_t p = 0; p < mdim; ++p) {
      t[p * mdim + p] = alpha[p];
      if (p + 1 < mdim) t[p * mdim + p + 1] = t[(p + 1) * mdim + p] = beta[p];
    }
    symmetric_eigen(t, mdim, evals, evecs);
    coef.assign(mdim, 0.0);
    for (std::size_t e = 0; e < mdim; ++e) {
      const double s = std::sqrt(std::max(evals[e], 0.0)) * evecs[0 * mdim + e];
      for (std::size_t p = 0; p < mdim; ++p) coef[p] += evecs[p * mdim + e] * s;
    }
    // |y_k - y_{k-1}| / |y_k| from the coefficients (the basis is orthonormal).
    double diff = 0.0, norm = 0.0;
    for (std::size_t p = 0; p < mdim; ++p) {
      const double prev = p < coef_prev.size() ? coef_prev[p] : 0.0;
      diff += (coef[p] - prev) * (coef[p] - prev);
      norm += coef[p] * coef[p];
    }
    rep.iterations = k + 1;
    rep.error_estimate = k > 0 ? std::sqrt(diff / norm) : 1.0;
    coef_prev = coef;
    const bool invariant = bk <= 1e-14 * beta0 * std::sqrt(std::abs(ak) + 1e-300);
    if ((k > 0 && rep.error_estimate < opt.tolerance) || invariant || mdim == d) {
      rep.converged = true;
      break;
    }
    beta.push_back(bk);
    basis.resize(basis.size() + d);
    double* vnext = basis.data() + static_cast<std::size_t>(k + 1) * d;
    for (std::size_t q = 0; q < d; ++q) vnext[q] = wk[q] / bk;
  }
  const std::size_t mdim = coef.size();
#pragma omp parallel for schedule(static) if (d > 6000)
  for (std::size_t q = 0; q < d; ++q) {
    double s = 0.0;
    for (std::size_t p = 0; p < mdim; ++p) s += basis[p * d + q] * coef[p];
    y[q] = beta0 * s;
  }
  return rep;
}

}  // namespace mesolith::bd
