// Geometric multigrid preconditioner for the voxel conduction operator (private header).
//
// Coarse levels aggregate 2x2x2 blocks (Galerkin: A_c = P^T A P with piecewise-constant P):
// the conductance between two coarse cells is the sum of the fine conductances crossing
// their common face, the Dirichlet conductance the sum over the boundary children. That
// keeps every coarse operator symmetric positive definite on the cluster of unknowns, with
// the fine connectivity (no bridging of insulating gaps by averaging). One application is a
// symmetric V-cycle: red-black Gauss-Seidel (red, black) before the coarse correction and
// (black, red) after it, symmetric sweeps on the coarsest level, so the preconditioner is
// symmetric as conjugate gradients requires. Every update is a pure function of the data
// (colours are independent), so results do not depend on the thread count.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "conduction_operator.hpp"

namespace mesolith::micro::detail {

// Coarse levels smaller than this run serially: a parallel region per colour and level costs
// more than the work there, and far more when the cores are shared with other processes.
constexpr std::int64_t kParallelCells = 1 << 15;
inline bool parallel(const Shape& s) { return static_cast<std::int64_t>(s.size()) >= kParallelCells; }

struct CoarseLevel {
  Shape shape;
  bool periodic[3] = {false, false, false};
  std::vector<float> gx, gy, gz;  // conductance to the +x, +y, +z neighbour (wrapping)
  std::vector<float> gb;          // Dirichlet conductance (both faces)
  std::vector<float> diag;
  std::vector<double> z, r;

  // Calls f(neighbour index, conductance) for the six face neighbours of cell i = (x, y, z),
  // in the fixed order z-, z+, y-, y+, x-, x+.
  template <typename F>
  void neighbours(std::int64_t x, std::int64_t y, std::int64_t zz, std::size_t i, F f) const {
    const std::int64_t co[3] = {x, y, zz};
    const std::vector<float>* g[3] = {&gx, &gy, &gz};
    for (int a = 2; a >= 0; --a) {
      const std::int64_t n = shape.extent(a), st = shape.stride(a);
      if (co[a] > 0) {
        f(i - st, (*g[a])[i - st]);
      } else if (periodic[a] && n > 1) {
        f(i + (n - 1) * st, (*g[a])[i + (n - 1) * st]);
      }
      if (co[a] < n - 1) {
        f(i + st, (*g[a])[i]);
      } else if (periodic[a] && n > 1) {
        f(i - (n - 1) * st, (*g[a])[i]);
      }
    }
  }
};

class Multigrid {
 public:
  explicit Multigrid(const Operator& op) : op_(op) {
    Shape s = op.shape;
    bool first = true;
    // Red-black colouring needs even extents along periodic axes, on every level.
    auto even_periodic = [&](const Shape& sh) {
      for (int a = 0; a < 3; ++a)
        if (op.periodic[a] && sh.extent(a) % 2 != 0) return false;
      return true;
    };
    while (std::min({s.nx, s.ny, s.nz}) >= 4 && levels_.size() < 12 &&
           even_periodic({(s.nx + 1) / 2, (s.ny + 1) / 2, (s.nz + 1) / 2})) {
      if (first) {
        levels_.push_back(coarsen(
            s,
            [&](int axis, std::size_t i, std::int64_t coord) {
              const std::int64_t hi = op_.plus(axis, coord);
              return hi ? op_.g(op_.code[i], op_.code[i + hi]) : 0.0;
            },
            [&](std::int64_t x, std::int64_t y, std::int64_t z, std::size_t i) {
              const int c = op_.code[i];
              if (c == op_.inactive) return 0.0;
              const std::int64_t co[3] = {x, y, z};
              return op_.gbound[c] * op_.dirichlet_faces(co[op_.axis]);
            },
            op_.periodic));
        first = false;
      } else {
        const CoarseLevel& f = levels_.back();
        const std::vector<float>* g[3] = {&f.gx, &f.gy, &f.gz};
        levels_.push_back(coarsen(
            f.shape,
            [&](int axis, std::size_t i, std::int64_t) {
              return static_cast<double>((*g[axis])[i]);
            },
            [&](std::int64_t, std::int64_t, std::int64_t, std::size_t i) {
              return static_cast<double>(f.gb[i]);
            },
            op_.periodic));
      }
      s = levels_.back().shape;
    }
  }

  std::size_t levels() const { return levels_.size() + 1; }

  // z = M^{-1} r by one symmetric V-cycle.
  void apply(const std::vector<double>& r, std::vector<double>& z) {
    std::fill(z.begin(), z.end(), 0.0);
    smooth0(r, z, 0);
    smooth0(r, z, 1);
    if (!levels_.empty()) {
      CoarseLevel& c = levels_.front();
      // Residual r - A z formed child by child as it is restricted (no level-0 scratch).
      restrict_into(op_.shape, c, [&](std::int64_t x, std::int64_t y, std::int64_t zz,
                                      std::size_t i) { return r[i] - op_.row(x, y, zz, i, z); });
      vcycle(0);
      prolong_from(op_.shape, c, [&](std::size_t i) { return op_.code[i] != op_.inactive; }, z);
    }
    smooth0(r, z, 1);
    smooth0(r, z, 0);
  }

 private:
  // fine_g(axis, i, coordinate) is the conductance from fine cell i to its + neighbour along
  // axis (wrapping on periodic axes); fine_gb its Dirichlet conductance.
  template <typename G, typename GB>
  static CoarseLevel coarsen(const Shape& f, G fine_g, GB fine_gb, const bool periodic[3]) {
    CoarseLevel c;
    c.shape = {(f.nx + 1) / 2, (f.ny + 1) / 2, (f.nz + 1) / 2};
    for (int a = 0; a < 3; ++a) c.periodic[a] = periodic[a];
    const std::size_t n = c.shape.size();
    c.gx.assign(n, 0.0f);
    c.gy.assign(n, 0.0f);
    c.gz.assign(n, 0.0f);
    c.gb.assign(n, 0.0f);
    c.diag.assign(n, 0.0f);
    c.z.assign(n, 0.0);
    c.r.assign(n, 0.0);
    const Shape cs = c.shape;
    const bool par = parallel(f);
#pragma omp parallel for schedule(static) if (par)
    for (std::int64_t X = 0; X < cs.nx; ++X)
      for (std::int64_t Y = 0; Y < cs.ny; ++Y)
        for (std::int64_t Z = 0; Z < cs.nz; ++Z) {
          const std::size_t C = cs.index(X, Y, Z);
          double gx = 0, gy = 0, gz = 0, gb = 0;
          for (std::int64_t x = 2 * X; x < std::min(2 * X + 2, f.nx); ++x)
            for (std::int64_t y = 2 * Y; y < std::min(2 * Y + 2, f.ny); ++y)
              for (std::int64_t z = 2 * Z; z < std::min(2 * Z + 2, f.nz); ++z) {
                const std::size_t i = f.index(x, y, z);
                gb += fine_gb(x, y, z, i);
                // Fine faces that cross to the next coarse cell (across the wrap on the
                // last cell of a periodic axis).
                if ((x == 2 * X + 1 && x + 1 < f.nx) || (periodic[0] && x == f.nx - 1))
                  gx += fine_g(0, i, x);
                if ((y == 2 * Y + 1 && y + 1 < f.ny) || (periodic[1] && y == f.ny - 1))
                  gy += fine_g(1, i, y);
                if ((z == 2 * Z + 1 && z + 1 < f.nz) || (periodic[2] && z == f.nz - 1))
                  gz += fine_g(2, i, z);
              }
          c.gx[C] = static_cast<float>(gx);
          c.gy[C] = static_cast<float>(gy);
          c.gz[C] = static_cast<float>(gz);
          c.gb[C] = static_cast<float>(gb);
        }
#pragma omp parallel for schedule(static) if (par)
    for (std::int64_t X = 0; X < cs.nx; ++X)
      for (std::int64_t Y = 0; Y < cs.ny; ++Y)
        for (std::int64_t Z = 0; Z < cs.nz; ++Z) {
          const std::size_t C = cs.index(X, Y, Z);
          double d = c.gb[C];
          c.neighbours(X, Y, Z, C, [&](std::size_t, float g) { d += g; });
          c.diag[C] = static_cast<float>(d);
        }
    return c;
  }

  // r_c = sum over each block of fine(x, y, z, index).
  template <typename F>
  static void restrict_into(const Shape& f, CoarseLevel& c, F fine) {
    const Shape cs = c.shape;
#pragma omp parallel for schedule(static) if (parallel(f))
    for (std::int64_t X = 0; X < cs.nx; ++X)
      for (std::int64_t Y = 0; Y < cs.ny; ++Y)
        for (std::int64_t Z = 0; Z < cs.nz; ++Z) {
          double s = 0.0;
          for (std::int64_t x = 2 * X; x < std::min(2 * X + 2, f.nx); ++x)
            for (std::int64_t y = 2 * Y; y < std::min(2 * Y + 2, f.ny); ++y)
              for (std::int64_t z = 2 * Z; z < std::min(2 * Z + 2, f.nz); ++z)
                s += fine(x, y, z, f.index(x, y, z));
          c.r[cs.index(X, Y, Z)] = s;
        }
  }

  // z_f += z_c on every active fine cell of each block.
  template <typename A>
  static void prolong_from(const Shape& f, const CoarseLevel& c, A active, std::vector<double>& z) {
#pragma omp parallel for schedule(static) if (parallel(f))
    for (std::int64_t x = 0; x < f.nx; ++x)
      for (std::int64_t y = 0; y < f.ny; ++y) {
        const std::size_t row = f.index(x, y, 0);
        const std::size_t crow = c.shape.index(x / 2, y / 2, 0);
        for (std::int64_t zz = 0; zz < f.nz; ++zz)
          if (active(row + zz)) z[row + zz] += c.z[crow + zz / 2];
      }
  }

  // One colour of red-black Gauss-Seidel on level 0 (matrix-free through the phase codes).
  void smooth0(const std::vector<double>& r, std::vector<double>& z, int colour) const {
    const Shape& s = op_.shape;
#pragma omp parallel for schedule(static) if (parallel(s))
    for (std::int64_t x = 0; x < s.nx; ++x)
      for (std::int64_t y = 0; y < s.ny; ++y) {
        const std::size_t row = s.index(x, y, 0);
        for (std::int64_t zz = (x + y + colour) & 1; zz < s.nz; zz += 2) {
          const std::size_t i = row + zz;
          const int c = op_.code[i];
          if (c == op_.inactive) continue;
          const double* g = &op_.gtab[static_cast<std::size_t>(c) * (op_.inactive + 1)];
          double d = 0.0, sum = r[i];
          const std::int64_t co[3] = {x, y, zz};
          for (int a = 2; a >= 0; --a) {
            const std::int64_t lo = op_.minus(a, co[a]), hi = op_.plus(a, co[a]);
            if (lo) { const double w = g[op_.code[i + lo]]; d += w; sum += w * z[i + lo]; }
            if (hi) { const double w = g[op_.code[i + hi]]; d += w; sum += w * z[i + hi]; }
          }
          const std::int64_t ca = op_.axis == 0 ? x : op_.axis == 1 ? y : zz;
          d += op_.gbound[c] * op_.dirichlet_faces(ca);
          z[i] = sum / d;
        }
      }
  }

  // One colour of red-black Gauss-Seidel on a coarse level.
  static void smooth(CoarseLevel& L, int colour) {
    const Shape& s = L.shape;
#pragma omp parallel for schedule(static) if (parallel(s))
    for (std::int64_t x = 0; x < s.nx; ++x)
      for (std::int64_t y = 0; y < s.ny; ++y) {
        const std::size_t row = s.index(x, y, 0);
        for (std::int64_t zz = (x + y + colour) & 1; zz < s.nz; zz += 2) {
          const std::size_t i = row + zz;
          if (!(L.diag[i] > 0.0f)) continue;
          double sum = L.r[i];
          L.neighbours(x, y, zz, i, [&](std::size_t j, float g) { sum += g * L.z[j]; });
          L.z[i] = sum / L.diag[i];
        }
      }
  }

  // (A z)_i on a coarse level.
  static double coarse_row(const CoarseLevel& L, std::int64_t x, std::int64_t y, std::int64_t zz,
                           std::size_t i) {
    double a = L.diag[i] * L.z[i];
    L.neighbours(x, y, zz, i, [&](std::size_t j, float g) { a -= g * L.z[j]; });
    return a;
  }

  void vcycle(std::size_t l) {
    CoarseLevel& L = levels_[l];
    std::fill(L.z.begin(), L.z.end(), 0.0);
    if (l + 1 == levels_.size()) {
      constexpr int kCoarsestSweeps = 30;  // forward then backward: symmetric
      for (int k = 0; k < kCoarsestSweeps; ++k) {
        smooth(L, 0);
        smooth(L, 1);
      }
      for (int k = 0; k < kCoarsestSweeps; ++k) {
        smooth(L, 1);
        smooth(L, 0);
      }
      return;
    }
    smooth(L, 0);
    smooth(L, 1);
    CoarseLevel& C = levels_[l + 1];
    restrict_into(L.shape, C, [&](std::int64_t x, std::int64_t y, std::int64_t zz,
                                  std::size_t i) { return L.r[i] - coarse_row(L, x, y, zz, i); });
    vcycle(l + 1);
    prolong_from(L.shape, C, [&](std::size_t i) { return L.diag[i] > 0.0f; }, L.z);
    smooth(L, 1);
    smooth(L, 0);
  }

  const Operator& op_;
  std::vector<CoarseLevel> levels_;
};

}  // namespace mesolith::micro::detail
