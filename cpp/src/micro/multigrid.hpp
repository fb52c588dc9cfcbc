// Geometric multigrid preconditioner for the voxel conduction operator (private header).
//
// Coarse levels aggregate 2x2x2 blocks: the conductance between two coarse cells is the sum
// of the fine conductances crossing their common face (Galerkin, A_c = P^T A P with
// piecewise-constant P), the Dirichlet conductance the sum over the boundary children, both
// times kCoarseScale = 1/2. The plain Galerkin operator of piecewise-constant aggregation is
// twice too stiff for smooth errors (4 fine faces of conductance 1 against one coarse face
// of area 4 and length 2), so its corrections come out half as large; the factor 1/2 turns
// it into the rediscretised operator on the coarse grid and halves the iteration count.
// The coarse operators stay symmetric positive definite on the cluster of unknowns, with
// the fine connectivity (no bridging of insulating gaps by averaging).
//
// One application is a symmetric variable V-cycle: red-black Gauss-Seidel (red, black) before
// the coarse correction and (black, red) after it, symmetric sweeps on the coarsest level, so
// the preconditioner is symmetric as conjugate gradients requires. Level 0 gets one sweep each
// way; coarse level l >= 1 gets kCoarseSweeps * 4^(l-1) (a variable V-cycle in the sense of
// Bramble, Pasciak & Xu). Aggregation coarse operators of porous media are rough, and the
// smoothing on the coarse levels, not on level 0, limited the convergence: with 2, 8, 32, ...
// sweeps the iteration count drops from 21 to 15 (tortuosity) and 49 to 33 (electrode
// tortuosity, one Dirichlet face) on a 256^3 electrode, while an iteration costs about a
// fifth more. The extra work stays bounded: a sweep on level l costs 8^-l of a fine one, so
// the sweeps of each level cost half those of the level above. On level 0 the cycle is
// fused into four passes over the grid, using that a Gauss-Seidel update of a cell does not
// read the cell's own old value: the first red sweep (from zero) gives r/D, which is never
// stored but recomputed where the black sweep and the prolongation need it; after the black
// sweep only red cells have a residual; the prolongation to red cells is folded into the
// post-smoothing black sweep, which is the only reader of those values. Every update is a
// pure function of the data (colours are independent), so results do not depend on the
// thread count.
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
// The coarse smoothing sweeps (up to 2 x 128 per level and cycle, each colour a parallel
// region) run serially below 64^3 cells: there a barrier costs about as much as the sweep.
constexpr std::int64_t kParallelSweepCells = 1 << 18;

struct CoarseLevel {
  Shape shape;
  bool periodic[3] = {false, false, false};
  std::vector<float> gx, gy, gz;  // conductance to the +x, +y, +z neighbour (wrapping)
  std::vector<float> gb;          // Dirichlet conductance (both faces)
  std::vector<float> inv_diag;    // 1 / diagonal, 0 outside the unknowns
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

constexpr double kCoarseScale = 0.5;
// Pre- and post-smoothing sweeps (red-black pairs) on level 1, four times more on each
// coarser level (up to 128).
constexpr int kCoarseSweeps = 2;

template <typename S>
class Multigrid {
 public:
  // st: the level-0 stencil on `grid` (periodic flags taken from the grid).
  Multigrid(const S& st, const PaddedGrid& grid, int axis) : st_(st), g_(grid), axis_(axis) {
    const Shape& s0 = grid.inner;
    auto even_periodic = [&](const Shape& sh) {
      for (int a = 0; a < 3; ++a)
        if (grid.periodic[a] && sh.extent(a) % 2 != 0) return false;
      return true;
    };
    const Shape c1 = {(s0.nx + 1) / 2, (s0.ny + 1) / 2, (s0.nz + 1) / 2};
    if (std::min({s0.nx, s0.ny, s0.nz}) < 4 || !even_periodic(c1)) return;
    levels_.push_back(coarsen_level0());
    build_parents();
    Shape s = levels_.back().shape;
    while (std::min({s.nx, s.ny, s.nz}) >= 4 && levels_.size() < 12 &&
           even_periodic({(s.nx + 1) / 2, (s.ny + 1) / 2, (s.nz + 1) / 2})) {
      const CoarseLevel& f = levels_.back();
      const std::vector<float>* g[3] = {&f.gx, &f.gy, &f.gz};
      levels_.push_back(coarsen(
          f.shape,
          [&](int a, std::size_t i, std::int64_t) { return static_cast<double>((*g[a])[i]); },
          [&](std::int64_t, std::int64_t, std::int64_t, std::size_t i) {
            return static_cast<double>(f.gb[i]);
          },
          grid.periodic));
      s = levels_.back().shape;
    }
  }

  std::size_t levels() const { return levels_.size() + 1; }

  // Bytes held by the coarse levels.
  std::size_t bytes() const {
    std::size_t b = 0;
    for (const auto& L : levels_) b += L.shape.size() * (5 * sizeof(float) + 2 * sizeof(double));
    return b + parents_.size() * sizeof(std::int64_t);
  }

  // w = M^{-1} r by one symmetric V-cycle (r, w padded; r's periodic ghosts up to date).
  // Returns r . w.
  double apply(const std::vector<double>& r, std::vector<double>& w) {
    r_ = r.data();
    w_ = w.data();
    const double* rr = r_;
    double* ww = w_;
    const PaddedGrid& g = g_;
    const bool par = parallel(g.inner);
    if (levels_.empty()) {  // no coarse level: symmetric Gauss-Seidel (red, black, red)
      colour_pass(1, [&](std::size_t i) { return st_.sum_over_diag(i, rr); });
      g.halo(w);
      return colour_pass_dot(0, r);
    }
    // Pre-smoothing: black cells from the (implicit) red values r/D.
    colour_pass(1, [&](std::size_t i) { return st_.sum_over_diag(i, rr); });
    g.halo(w);
    // Residual on red cells (black ones are zero after their sweep), summed into level 1.
    CoarseLevel& c = levels_.front();
    const Shape& f = g.inner;
    const Shape cs = c.shape;
#pragma omp parallel for schedule(static) if (par)
    for (std::int64_t X = 0; X < cs.nx; ++X)
      for (std::int64_t Y = 0; Y < cs.ny; ++Y)
        for (std::int64_t Z = 0; Z < cs.nz; ++Z) {
          double s = 0.0;
          for (std::int64_t x = 2 * X; x < std::min(2 * X + 2, f.nx); ++x)
            for (std::int64_t y = 2 * Y; y < std::min(2 * Y + 2, f.ny); ++y) {
              const std::int64_t z0 = 2 * Z + ((x + y + 2 * Z) & 1);  // the red child
              if (z0 >= f.nz) continue;
              const std::size_t i = g.at(x, y, z0);
              s += st_.unknown(i) * st_.sum_values(i, ww);
            }
          c.r[cs.index(X, Y, Z)] = s;
        }
    vcycle(0);
    // Post-smoothing, black: red neighbours are r/D plus the coarse correction.
    const double* cz = c.z.data();
    const std::int64_t* px = parents_.data();
    const std::int64_t* py = px + (f.nx + 2);
    const std::int64_t* pz = py + (f.ny + 2);
    colour_pass_xyz(1, [&](std::int64_t x, std::int64_t y, std::int64_t z, std::size_t i) {
      return st_.masked_sum(i, [&](std::size_t j, int a, int d) {
        const std::int64_t X = px[x + 1 + (a == 0 ? d : 0)], Y = py[y + 1 + (a == 1 ? d : 0)],
                           Z = pz[z + 1 + (a == 2 ? d : 0)];
        return rr[j] * st_.inv_diag(j) + cz[X + Y + Z];
      });
    });
    g.halo(w);
    // Post-smoothing, red, with the dot product r . w.
    return colour_pass_dot(0, r);
  }

 private:
  static bool is_colour(std::int64_t x, std::int64_t y, std::int64_t z, int colour) {
    return ((x + y + z) & 1) == colour;
  }

  // w_i = (r_i + nsum(x, y, z, i)) / D_i on the cells of one colour. Outside the unknowns r
  // and the inverse diagonal are 0, so w is 0 there without a test (nsum is finite).
  template <typename N>
  void colour_pass_xyz(int colour, N nsum) {
    const PaddedGrid& g = g_;
#pragma omp parallel for schedule(static) if (parallel(g.inner))
    for (std::int64_t x = 0; x < g.inner.nx; ++x)
      for (std::int64_t y = 0; y < g.inner.ny; ++y) {
        const std::size_t row = g.at(x, y, 0);
        for (std::int64_t z = (x + y + colour) & 1; z < g.inner.nz; z += 2) {
          const std::size_t i = row + static_cast<std::size_t>(z);
          w_[i] = (r_[i] + nsum(x, y, z, i)) * st_.inv_diag(i);
        }
      }
  }
  template <typename N>
  void colour_pass(int colour, N nsum) {
    colour_pass_xyz(colour, [&](std::int64_t, std::int64_t, std::int64_t, std::size_t i) {
      return nsum(i);
    });
  }
  // The last red sweep, from the stored black values; returns r . w over all cells.
  double colour_pass_dot(int colour, const std::vector<double>& r) {
    const double* ww = w_;
    const double* rr = r.data();
    return reduce(g_, [&](std::int64_t x, std::int64_t y, std::int64_t z, std::size_t i) {
      if (is_colour(x, y, z, colour))
        w_[i] = (rr[i] + st_.sum_values(i, ww)) * st_.inv_diag(i);
      return rr[i] * w_[i];
    });
  }

  // Level 1 from the level-0 stencil.
  CoarseLevel coarsen_level0() const {
    const PaddedGrid& g = g_;
    const Shape& f = g.inner;
    CoarseLevel c = empty_level({(f.nx + 1) / 2, (f.ny + 1) / 2, (f.nz + 1) / 2}, g.periodic);
    const Shape cs = c.shape;
#pragma omp parallel for schedule(static) if (parallel(f))
    for (std::int64_t X = 0; X < cs.nx; ++X)
      for (std::int64_t Y = 0; Y < cs.ny; ++Y)
        for (std::int64_t Z = 0; Z < cs.nz; ++Z) {
          double gs[3] = {0, 0, 0}, gb = 0;
          for (std::int64_t x = 2 * X; x < std::min(2 * X + 2, f.nx); ++x)
            for (std::int64_t y = 2 * Y; y < std::min(2 * Y + 2, f.ny); ++y)
              for (std::int64_t z = 2 * Z; z < std::min(2 * Z + 2, f.nz); ++z) {
                const std::size_t i = g.at(x, y, z);
                if (!st_.active(i)) continue;
                const std::int64_t co[3] = {x, y, z}, ext[3] = {f.nx, f.ny, f.nz};
                double off = 0.0;
                for (int a = 0; a < 3; ++a) {
                  const std::int64_t sa = g.stride(a);
                  const double wlo = st_.weight(i, i - sa), whi = st_.weight(i, i + sa);
                  off += wlo + whi;
                  // Fine faces that cross to the next coarse cell (across the wrap on the
                  // last cell of a periodic axis).
                  if ((co[a] == 2 * (a == 0 ? X : a == 1 ? Y : Z) + 1 && co[a] + 1 < ext[a]) ||
                      (g.periodic[a] && co[a] == ext[a] - 1))
                    gs[a] += whi;
                }
                gb += st_.diag(x, y, z, i) - off;  // the Dirichlet conductance
              }
          const std::size_t C = cs.index(X, Y, Z);
          c.gx[C] = static_cast<float>(kCoarseScale * gs[0]);
          c.gy[C] = static_cast<float>(kCoarseScale * gs[1]);
          c.gz[C] = static_cast<float>(kCoarseScale * gs[2]);
          c.gb[C] = static_cast<float>(kCoarseScale * gb);
        }
    finish_level(c);
    return c;
  }

  // Parent coarse offsets per padded coordinate, axis by axis (wrapping on periodic axes).
  void build_parents() {
    const Shape& f = g_.inner;
    const Shape& cs = levels_.front().shape;
    const std::int64_t n[3] = {f.nx, f.ny, f.nz};
    const std::int64_t cst[3] = {cs.ny * cs.nz, cs.nz, 1};
    parents_.clear();
    for (int a = 0; a < 3; ++a)
      for (std::int64_t p = 0; p < n[a] + 2; ++p) {
        std::int64_t x = p - 1;
        if (x < 0) x = g_.periodic[a] ? n[a] - 1 : 0;
        if (x >= n[a]) x = g_.periodic[a] ? 0 : n[a] - 1;
        parents_.push_back((x / 2) * cst[a]);
      }
  }

  static CoarseLevel empty_level(const Shape& s, const bool periodic[3]) {
    CoarseLevel c;
    c.shape = s;
    for (int a = 0; a < 3; ++a) c.periodic[a] = periodic[a];
    const std::size_t n = s.size();
    c.gx.assign(n, 0.0f);
    c.gy.assign(n, 0.0f);
    c.gz.assign(n, 0.0f);
    c.gb.assign(n, 0.0f);
    c.inv_diag.assign(n, 0.0f);
    c.z.assign(n, 0.0);
    c.r.assign(n, 0.0);
    return c;
  }

  static void finish_level(CoarseLevel& c) {
    const Shape cs = c.shape;
#pragma omp parallel for schedule(static) if (parallel(cs))
    for (std::int64_t X = 0; X < cs.nx; ++X)
      for (std::int64_t Y = 0; Y < cs.ny; ++Y)
        for (std::int64_t Z = 0; Z < cs.nz; ++Z) {
          const std::size_t C = cs.index(X, Y, Z);
          double d = c.gb[C];
          c.neighbours(X, Y, Z, C, [&](std::size_t, float gg) { d += gg; });
          c.inv_diag[C] = d > 0.0 ? static_cast<float>(1.0 / d) : 0.0f;
        }
  }

  // fine_g(axis, i, coordinate) is the conductance from fine cell i to its + neighbour along
  // axis (wrapping on periodic axes); fine_gb its Dirichlet conductance.
  template <typename G, typename GB>
  static CoarseLevel coarsen(const Shape& f, G fine_g, GB fine_gb, const bool periodic[3]) {
    CoarseLevel c = empty_level({(f.nx + 1) / 2, (f.ny + 1) / 2, (f.nz + 1) / 2}, periodic);
    const Shape cs = c.shape;
#pragma omp parallel for schedule(static) if (parallel(f))
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
                if ((x == 2 * X + 1 && x + 1 < f.nx) || (periodic[0] && x == f.nx - 1))
                  gx += fine_g(0, i, x);
                if ((y == 2 * Y + 1 && y + 1 < f.ny) || (periodic[1] && y == f.ny - 1))
                  gy += fine_g(1, i, y);
                if ((z == 2 * Z + 1 && z + 1 < f.nz) || (periodic[2] && z == f.nz - 1))
                  gz += fine_g(2, i, z);
              }
          c.gx[C] = static_cast<float>(kCoarseScale * gx);
          c.gy[C] = static_cast<float>(kCoarseScale * gy);
          c.gz[C] = static_cast<float>(kCoarseScale * gz);
          c.gb[C] = static_cast<float>(kCoarseScale * gb);
        }
    finish_level(c);
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

  // One colour of red-black Gauss-Seidel on a coarse level. The x and y neighbours of a row
  // are resolved once per row (offset and a 0/1 factor for a missing wall neighbour), the
  // interior of the row has no boundary tests, and the inverse diagonal (0 outside the
  // unknowns) replaces the division and the test for inactive cells.
  static void smooth(CoarseLevel& L, int colour) {
    const Shape& s = L.shape;
    const float* gx = L.gx.data();
    const float* gy = L.gy.data();
    const float* gz = L.gz.data();
    const float* inv = L.inv_diag.data();
    const double* rr = L.r.data();
    double* zz = L.z.data();
    // Offset to the lower / upper neighbour along an axis and whether it exists.
    auto side = [&](int a, std::int64_t c, std::int64_t& lo, double& has_lo, std::int64_t& hi,
                    double& has_hi) {
      const std::int64_t n = s.extent(a), st = s.stride(a);
      const bool wrap = L.periodic[a] && n > 1;
      lo = c > 0 ? -st : wrap ? (n - 1) * st : 0;
      has_lo = c > 0 || wrap ? 1.0 : 0.0;
      hi = c < n - 1 ? st : wrap ? -(n - 1) * st : 0;
      has_hi = c < n - 1 || wrap ? 1.0 : 0.0;
    };
#pragma omp parallel for schedule(static) if (static_cast<std::int64_t>(s.size()) >= kParallelSweepCells)
    for (std::int64_t x = 0; x < s.nx; ++x)
      for (std::int64_t y = 0; y < s.ny; ++y) {
        std::int64_t xlo, xhi, ylo, yhi;
        double hxlo, hxhi, hylo, hyhi;
        side(0, x, xlo, hxlo, xhi, hxhi);
        side(1, y, ylo, hylo, yhi, hyhi);
        const std::size_t row = s.index(x, y, 0);
        auto update = [&](std::size_t i, double zsum) {
          const std::size_t jxl = i + xlo, jxh = i + xhi, jyl = i + ylo, jyh = i + yhi;
          const double sum = rr[i] + zsum + hylo * gy[jyl] * zz[jyl] + hyhi * gy[i] * zz[jyh] +
                             hxlo * gx[jxl] * zz[jxl] + hxhi * gx[i] * zz[jxh];
          zz[i] = sum * inv[i];
        };
        // z neighbours: generic at the two ends of the row, plain inside.
        auto z_ends = [&](std::int64_t z) {
          std::int64_t zlo, zhi;
          double hzlo, hzhi;
          side(2, z, zlo, hzlo, zhi, hzhi);
          const std::size_t i = row + static_cast<std::size_t>(z);
          update(i, hzlo * gz[i + zlo] * zz[i + zlo] + hzhi * gz[i] * zz[i + zhi]);
        };
        const std::int64_t z0 = (x + y + colour) & 1;
        for (std::int64_t z = z0; z < s.nz; z += 2) {
          if (z == 0 || z == s.nz - 1) {
            z_ends(z);
            continue;
          }
          const std::size_t i = row + static_cast<std::size_t>(z);
          update(i, gz[i - 1] * zz[i - 1] + gz[i] * zz[i + 1]);
        }
      }
  }

  // (A z)_i on a coarse level.
  static double coarse_row(const CoarseLevel& L, std::int64_t x, std::int64_t y, std::int64_t zz,
                           std::size_t i) {
    double d = L.gb[i], a = 0.0;  // the diagonal is gb plus the conductances
    L.neighbours(x, y, zz, i, [&](std::size_t j, float g) {
      d += g;
      a -= g * L.z[j];
    });
    return d * L.z[i] + a;
  }

  // l indexes levels_, whose entry 0 is level 1.
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
    const int sweeps = kCoarseSweeps << (2 * std::min<std::size_t>(l, 3));
    for (int k = 0; k < sweeps; ++k) {
      smooth(L, 0);
      smooth(L, 1);
    }
    CoarseLevel& C = levels_[l + 1];
    restrict_into(L.shape, C, [&](std::int64_t x, std::int64_t y, std::int64_t zz,
                                  std::size_t i) { return L.r[i] - coarse_row(L, x, y, zz, i); });
    vcycle(l + 1);
    prolong_from(L.shape, C, [&](std::size_t i) { return L.inv_diag[i] > 0.0f; }, L.z);
    for (int k = 0; k < sweeps; ++k) {
      smooth(L, 1);
      smooth(L, 0);
    }
  }

  const S& st_;
  const PaddedGrid& g_;
  int axis_;
  std::vector<CoarseLevel> levels_;
  std::vector<std::int64_t> parents_;
  const double* r_ = nullptr;  // vectors of the current apply()
  double* w_ = nullptr;
};

}  // namespace mesolith::micro::detail
