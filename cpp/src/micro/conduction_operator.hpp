// Level-0 conduction operator on a padded voxel grid (private to the transport solver).
//
// Every level-0 array carries one ghost layer on each side, so the six neighbours of an
// inner cell are always in memory and the inner loops have no boundary branches. Ghost cells
// are inactive (code 0 / `inactive`) and their vector values never matter: along the
// transport axis they stand for the Dirichlet faces (whose conductance sits in the
// diagonal), on non-periodic sides for the no-flux walls; on periodic sides the ghost layers
// hold copies of the opposite inner layer, refreshed by `halo()` after each write.
//
// Two coefficient policies share the solver:
//  * UniformStencil: every conducting voxel has the same conductivity (the tortuosity
//    solve). The matrix is sigma times an integer matrix: off-diagonals -1 between active
//    neighbours, diagonal = active neighbours + 2 per Dirichlet face (half-voxel
//    conductance). The code byte of a voxel *is* that diagonal (0 = not an unknown).
//  * GeneralStencil: per-phase conductivities, face conductance the harmonic mean
//    2 s_a s_b / (s_a + s_b) from a small table indexed by compact phase codes.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "mesolith/micro/grid.hpp"

namespace mesolith::micro::detail {

// Inner shape plus the padded layout (one ghost layer per side).
struct PaddedGrid {
  Shape inner;
  std::int64_t sy = 0, sx = 0;  // padded strides along y and x (z is 1)
  std::size_t size = 0;         // padded cell count
  bool periodic[3] = {false, false, false};

  PaddedGrid() = default;
  explicit PaddedGrid(const Shape& s) : inner(s) {
    sy = s.nz + 2;
    sx = (s.ny + 2) * sy;
    size = static_cast<std::size_t>((s.nx + 2) * sx);
  }
  // Padded flat index of inner cell (x, y, z); -1 and n are the ghost layers.
  std::size_t at(std::int64_t x, std::int64_t y, std::int64_t z) const {
    return static_cast<std::size_t>((x + 1) * sx + (y + 1) * sy + (z + 1));
  }
  std::int64_t stride(int a) const { return a == 0 ? sx : a == 1 ? sy : 1; }

  // Copy the inner layers next to each periodic boundary into the opposite ghost layers.
  // Axis by axis over the full padded extent of the others, so edges and corners wrap too.
  template <typename T>
  void halo(std::vector<T>& v) const {
    const std::int64_t n[3] = {inner.nx + 2, inner.ny + 2, inner.nz + 2};
    for (int a = 0; a < 3; ++a) {
      if (!periodic[a] || n[a] < 4) continue;
      const int b = a == 0 ? 1 : 0, c = a == 2 ? 1 : 2;
      const std::int64_t sa = stride(a), sb = stride(b), sc = stride(c);
      for (std::int64_t u = 0; u < n[b]; ++u)
        for (std::int64_t w = 0; w < n[c]; ++w) {
          const std::size_t base = static_cast<std::size_t>(u * sb + w * sc);
          v[base] = v[base + (n[a] - 2) * sa];
          v[base + (n[a] - 1) * sa] = v[base + sa];
        }
    }
  }
  bool any_periodic() const { return periodic[0] || periodic[1] || periodic[2]; }
};

// Loop body f(x, y, z, padded index) over inner cells of one x-slab.
template <typename F>
inline void for_slab(const PaddedGrid& g, std::int64_t x, F f) {
  for (std::int64_t y = 0; y < g.inner.ny; ++y) {
    const std::size_t row = g.at(x, y, 0);
    for (std::int64_t z = 0; z < g.inner.nz; ++z) f(x, y, z, row + static_cast<std::size_t>(z));
  }
}

// Sum over inner cells of f(x, y, z, i): per x-slab, then the slabs serially in order, so
// the result does not depend on the number of threads.
template <typename F>
inline double reduce(const PaddedGrid& g, F f) {
  std::vector<double> part(static_cast<std::size_t>(g.inner.nx), 0.0);
#pragma omp parallel for schedule(static) if (g.inner.size() >= (1u << 15))
  for (std::int64_t x = 0; x < g.inner.nx; ++x) {
    double s = 0.0;
    for_slab(g, x, [&](std::int64_t xx, std::int64_t y, std::int64_t z, std::size_t i) {
      s += f(xx, y, z, i);
    });
    part[static_cast<std::size_t>(x)] = s;
  }
  double total = 0.0;
  for (double v : part) total += v;
  return total;
}

// Same-conductivity unknowns: code = integer diagonal, 0 outside the unknowns.
struct UniformStencil {
  const PaddedGrid* grid;
  const std::uint8_t* code;  // padded
  static constexpr int kMaxDiag = 10;
  double inv[16] = {};
  double is_unknown[16] = {};  // 1 for a diagonal code, 0 for code 0

  UniformStencil(const PaddedGrid& g, const std::uint8_t* c) : grid(&g), code(c) {
    for (int d = 1; d <= kMaxDiag; ++d) {
      inv[d] = 1.0 / d;
      is_unknown[d] = 1.0;
    }
  }
  bool active(std::size_t i) const { return code[i] != 0; }
  double unknown(std::size_t i) const { return is_unknown[code[i]]; }  // 1 or 0
  double diag(std::int64_t, std::int64_t, std::int64_t, std::size_t i) const { return code[i]; }
  double inv_diag(std::size_t i) const { return inv[code[i]]; }
  // Conductance between unknown i and its neighbour j.
  double weight(std::size_t, std::size_t j) const { return code[j] ? 1.0 : 0.0; }
  // Sum over the six neighbours j of g_ij f(j, axis, -1 or +1), for f finite on every cell:
  // f is called for all neighbours and masked by multiplication, so the loop has no
  // data-dependent branches (the pore pattern defeats branch prediction).
  template <typename F>
  double masked_sum(std::size_t i, F f) const {
    const std::int64_t s[3] = {grid->sx, grid->sy, 1};  // axes x, y, z
    double acc = 0.0;
    for (int a = 0; a < 3; ++a) {
      const std::size_t lo = i - s[a], hi = i + s[a];
      acc += is_unknown[code[lo]] * f(lo, a, -1);
      acc += is_unknown[code[hi]] * f(hi, a, +1);
    }
    return acc;
  }
  // Sum of g_ij r_j / D_j for r finite everywhere (1 / D is 0 outside the unknowns).
  double sum_over_diag(std::size_t i, const double* r) const {
    const std::size_t sx = static_cast<std::size_t>(grid->sx);
    const std::size_t sy = static_cast<std::size_t>(grid->sy);
    auto t = [&](std::size_t j) { return r[j] * inv[code[j]]; };
    return ((t(i - sx) + t(i + sx)) + (t(i - sy) + t(i + sy))) + (t(i - 1) + t(i + 1));
  }
  // Sum of g_ij v_j for v zero outside the unknowns (ghost cells included): the plain sum of
  // the six neighbour values, without looking at their codes.
  double sum_values(std::size_t i, const double* v) const {
    const std::size_t sx = static_cast<std::size_t>(grid->sx);
    const std::size_t sy = static_cast<std::size_t>(grid->sy);
    return ((v[i - sx] + v[i + sx]) + (v[i - sy] + v[i + sy])) + (v[i - 1] + v[i + 1]);
  }
  // (A p)_i, 0 outside the unknowns (p zero there); the select compiles without a branch.
  double apply_row(std::int64_t, std::int64_t, std::int64_t, std::size_t i,
                   const double* p) const {
    const double v = static_cast<double>(code[i]) * p[i] - sum_values(i, p);
    return code[i] ? v : 0.0;
  }
};

// Per-phase conductivities: code = compact phase code, `inactive` outside the unknowns.
struct GeneralStencil {
  const PaddedGrid* grid;
  const std::uint8_t* code;  // padded
  int inactive = 0;
  int axis = 0;
  const double* gtab = nullptr;   // (inactive + 1)^2 conductances, zero row/column inactive
  const double* gbound = nullptr; // Dirichlet conductance 2 s per phase code
  double face_lo = 1.0, face_hi = 1.0;
  const float* inv_d = nullptr;   // padded inverse diagonal (smoother only)

  bool active(std::size_t i) const { return code[i] != inactive; }
  double unknown(std::size_t i) const { return active(i) ? 1.0 : 0.0; }
  double g(int a, int b) const { return gtab[a * (inactive + 1) + b]; }
  double dirichlet(std::int64_t ca, int c) const {
    return gbound[c] * ((ca == 0 ? face_lo : 0.0) +
                        (ca == grid->inner.extent(axis) - 1 ? face_hi : 0.0));
  }
  double diag(std::int64_t x, std::int64_t y, std::int64_t z, std::size_t i) const {
    const int c = code[i];
    if (c == inactive) return 0.0;
    const std::int64_t ca = axis == 0 ? x : axis == 1 ? y : z;
    return neighbour_sum(i, [](std::size_t, int, int) { return 1.0; }) + dirichlet(ca, c);
  }
  double inv_diag(std::size_t i) const { return inv_d[i]; }
  double weight(std::size_t i, std::size_t j) const { return g(code[i], code[j]); }
  template <typename F>
  double neighbour_sum(std::size_t i, F f) const {
    const std::int64_t s[3] = {grid->sx, grid->sy, 1};  // axes x, y, z
    const double* row = gtab + code[i] * (inactive + 1);
    double acc = 0.0;
    for (int a = 0; a < 3; ++a) {
      const std::size_t lo = i - s[a], hi = i + s[a];
      if (code[lo] != inactive) acc += row[code[lo]] * f(lo, a, -1);
      if (code[hi] != inactive) acc += row[code[hi]] * f(hi, a, +1);
    }
    return acc;
  }
  template <typename F>
  double masked_sum(std::size_t i, F f) const {
    return neighbour_sum(i, f);
  }
  double sum_over_diag(std::size_t i, const double* r) const {
    return neighbour_sum(i, [&](std::size_t j, int, int) { return r[j] * inv_diag(j); });
  }
  double sum_values(std::size_t i, const double* v) const {
    return neighbour_sum(i, [v](std::size_t j, int, int) { return v[j]; });
  }
  double apply_row(std::int64_t x, std::int64_t y, std::int64_t z, std::size_t i,
                   const double* p) const {
    return active(i) ? diag(x, y, z, i) * p[i] - sum_values(i, p) : 0.0;
  }
};

// q = A p on the unknowns (0 elsewhere) for p zero outside the unknowns; returns p . q.
template <typename S>
double apply_operator(const S& st, const std::vector<double>& p, std::vector<double>& q) {
  const double* pp = p.data();
  double* qq = q.data();
  return reduce(*st.grid, [&](std::int64_t x, std::int64_t y, std::int64_t z, std::size_t i) {
    const double v = st.apply_row(x, y, z, i, pp);
    qq[i] = v;
    return pp[i] * v;
  });
}

}  // namespace mesolith::micro::detail
