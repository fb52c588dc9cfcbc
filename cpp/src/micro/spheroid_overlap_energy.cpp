// Overlap energy of spheroids (Perram-Wertheim) with analytic gradients, minimised by FIRE.
#include "mesolith/micro/spheroid_overlap_energy.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <utility>

#include "mesolith/micro/sphere_cells.hpp"

namespace mesolith::micro {

namespace {

// M = a^2 I + (c^2 - a^2) u u^T: the inverse of the spheroid's shape matrix.
void inverse_shape(const Spheroid& s, double m[3][3]) {
  const double u[3] = {s.ux, s.uy, s.uz};
  const double d = s.c * s.c - s.a * s.a;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) m[i][j] = (i == j ? s.a * s.a : 0.0) + d * u[i] * u[j];
}

// y = C^-1 r for a symmetric positive definite 3x3 C (adjugate over determinant).
void solve3(const double c[3][3], const double r[3], double y[3]) {
  const double c00 = c[1][1] * c[2][2] - c[1][2] * c[1][2];
  const double c11 = c[0][0] * c[2][2] - c[0][2] * c[0][2];
  const double c22 = c[0][0] * c[1][1] - c[0][1] * c[0][1];
  const double c01 = c[0][2] * c[1][2] - c[0][1] * c[2][2];
  const double c02 = c[0][1] * c[1][2] - c[0][2] * c[1][1];
  const double c12 = c[0][1] * c[0][2] - c[0][0] * c[1][2];
  const double inv = 1.0 / (c[0][0] * c00 + c[0][1] * c01 + c[0][2] * c02);
  y[0] = (c00 * r[0] + c01 * r[1] + c02 * r[2]) * inv;
  y[1] = (c01 * r[0] + c11 * r[1] + c12 * r[2]) * inv;
  y[2] = (c02 * r[0] + c12 * r[1] + c22 * r[2]) * inv;
}

double dot3(const double a[3], const double b[3]) {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

}  // namespace

PwGradient perram_wertheim_gradient(const Spheroid& A, const Spheroid& B, const double r[3]) {
  double ma[3][3], mb[3][3], c[3][3], d[3][3];
  inverse_shape(A, ma);
  inverse_shape(B, mb);
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) d[i][j] = mb[i][j] - ma[i][j];
  // With C = (1 - l) M_A + l M_B, y = C^-1 r and S = r^T y:
  //   S' = -y^T D y,  S'' = 2 (D y)^T C^-1 (D y),  D = M_B - M_A,
  //   F = l (1 - l) S,  F' = (1 - 2 l) S + l (1 - l) S',
  //   F'' = -2 S + 2 (1 - 2 l) S' + l (1 - l) S''.
  // F' > 0 at 0 and < 0 at 1; Newton steps that leave the bracket fall back to bisection.
  double lo = 0.0, hi = 1.0;
  double lam = A.bounding_radius() / (A.bounding_radius() + B.bounding_radius());
  double y[3];
  for (int it = 0; it < 60; ++it) {
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j) c[i][j] = (1.0 - lam) * ma[i][j] + lam * mb[i][j];
    solve3(c, r, y);
    const double s = dot3(r, y);
    const double dy[3] = {dot3(d[0], y), dot3(d[1], y), dot3(d[2], y)};
    double w[3];
    solve3(c, dy, w);
    const double s1 = -dot3(y, dy), s2 = 2.0 * dot3(dy, w);
    const double k = lam * (1.0 - lam);
    const double f1 = (1.0 - 2.0 * lam) * s + k * s1;
    const double f2 = -2.0 * s + 2.0 * (1.0 - 2.0 * lam) * s1 + k * s2;
    if (f1 > 0.0) lo = lam; else hi = lam;
    double next = f2 < 0.0 ? lam - f1 / f2 : 0.5 * (lo + hi);
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    const bool done = std::fabs(next - lam) < 1e-12 || hi - lo < 1e-12;
    lam = next;
    if (done) break;
  }
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) c[i][j] = (1.0 - lam) * ma[i][j] + lam * mb[i][j];
  solve3(c, r, y);
  PwGradient g;
  const double k = lam * (1.0 - lam);
  g.lambda = lam;
  g.F = k * dot3(r, y);
  // Envelope theorem: dF = k (2 y^T dr - y^T dC y) at fixed lambda; dC/du_A in direction w is
  // (1 - l) (c_A^2 - a_A^2) (w u_A^T + u_A w^T).
  const double ua[3] = {A.ux, A.uy, A.uz}, ub[3] = {B.ux, B.uy, B.uz};
  const double fa = -2.0 * k * (1.0 - lam) * (A.c * A.c - A.a * A.a) * dot3(y, ua);
  const double fb = -2.0 * k * lam * (B.c * B.c - B.a * B.a) * dot3(y, ub);
  for (int i = 0; i < 3; ++i) {
    g.dr[i] = 2.0 * k * y[i];
    g.du_a[i] = fa * y[i];
    g.du_b[i] = fb * y[i];
  }
  return g;
}

namespace {

// Pairs whose bounding spheres come within `skin` of touching, rebuilt when a centre has
// moved by more than skin / 2 since the last build. Centres are not wrapped into the box while
// the list lives, so each entry keeps the periodic image (shift in box lengths) it was found
// with and the separation stays continuous. In a box narrower than two contact distances a
// pair can touch through two images at once; each image is then an entry of its own (the
// minimum image alone would flip between them and the forces with it).
struct PairImage {
  std::uint32_t i, j;
  std::int8_t shift[3];
};

class PairList {
 public:
  PairList(double lx, double ly, double lz, bool periodic_z, double skin)
      : len_{lx, ly, lz}, periodic_{true, true, periodic_z}, skin_(skin) {}

  void build(const std::vector<Spheroid>& p) {
    std::vector<Sphere> s(p.size());
    double r_max = 0.0;
    for (std::size_t i = 0; i < p.size(); ++i) {
      double c[3] = {p[i].x, p[i].y, p[i].z};
      for (int a = 0; a < 3; ++a)
        if (periodic_[a]) c[a] -= len_[a] * std::floor(c[a] / len_[a]);
      s[i] = {c[0], c[1], c[2], p[i].bounding_radius()};
      r_max = std::max(r_max, s[i].r);
    }
    const SphereCells cells(s, len_[0], len_[1], len_[2], 2.0 * r_max + skin_, periodic_[2]);
    pairs_.clear();
    for (std::size_t i = 0; i < p.size(); ++i) {
      cells.for_neighbours(s[i].x, s[i].y, s[i].z, [&](std::size_t j) {
        if (j <= i) return;
        const double d[3] = {p[j].x - p[i].x, p[j].y - p[i].y, p[j].z - p[i].z};
        const double reach = s[i].r + s[j].r + skin_;
        int base[3], lo[3], hi[3];
        for (int a = 0; a < 3; ++a) {
          base[a] = periodic_[a] ? -static_cast<int>(std::nearbyint(d[a] / len_[a])) : 0;
          // A second image can be within reach only in a box narrower than two reaches.
          const bool narrow = periodic_[a] && len_[a] < 2.0 * (2.0 * r_max + skin_);
          lo[a] = narrow ? -1 : 0;
          hi[a] = narrow ? 1 : 0;
        }
        for (int kx = lo[0]; kx <= hi[0]; ++kx)
          for (int ky = lo[1]; ky <= hi[1]; ++ky)
            for (int kz = lo[2]; kz <= hi[2]; ++kz) {
              const int n[3] = {base[0] + kx, base[1] + ky, base[2] + kz};
              double r2 = 0.0;
              for (int a = 0; a < 3; ++a) r2 += (d[a] + n[a] * len_[a]) * (d[a] + n[a] * len_[a]);
              if (r2 < reach * reach)
                pairs_.push_back({static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j),
                                  {static_cast<std::int8_t>(n[0]), static_cast<std::int8_t>(n[1]),
                                   static_cast<std::int8_t>(n[2])}});
            }
      });
    }
    moved_.assign(3 * p.size(), 0.0);
  }

  // Records a displacement of particle i; true if the list must be rebuilt.
  bool moved(std::size_t i, const double dx[3]) {
    double d2 = 0.0;
    for (int a = 0; a < 3; ++a) {
      moved_[3 * i + a] += dx[a];
      d2 += moved_[3 * i + a] * moved_[3 * i + a];
    }
    return d2 > 0.25 * skin_ * skin_;
  }

  // Centre of B minus centre of A for the image of the entry.
  void separation(const std::vector<Spheroid>& p, const PairImage& e, double r[3]) const {
    const Spheroid &A = p[e.i], &B = p[e.j];
    r[0] = B.x - A.x + e.shift[0] * len_[0];
    r[1] = B.y - A.y + e.shift[1] * len_[1];
    r[2] = B.z - A.z + e.shift[2] * len_[2];
  }

  const std::vector<PairImage>& pairs() const { return pairs_; }

 private:
  double len_[3];
  bool periodic_[3];
  double skin_;
  std::vector<PairImage> pairs_;
  std::vector<double> moved_;
};

// Into [0, len) (x - len floor(x / len) can round up to len itself).
void wrap(double& x, double len) {
  x -= len * std::floor(x / len);
  if (x >= len) x -= len;
}

// Generalised forces: per particle 3 on the centre (-dU/dx times the particle's radius scale,
// i.e. the force on the scaled coordinate x / R) and 3 on the axis (tangential part of -dU/du).
double forces(const std::vector<Spheroid>& p, const std::vector<double>& scale,
              const PairList& list, const OverlapMinimiseOptions& o, std::vector<double>& f) {
  std::fill(f.begin(), f.end(), 0.0);
  // Order restraint W n (S - S0)^2 with S = mean P2(u_z): dU/du_z,i = 6 W (S - S0) u_z,i.
  double order_force = 0.0;
  if (o.rotate && o.order_stiffness > 0.0) {
    double sum = 0.0;
    for (const Spheroid& s : p) sum += 1.5 * s.uz * s.uz - 0.5;
    order_force = 6.0 * o.order_stiffness * (sum / static_cast<double>(p.size()) - o.target_order);
  }
  double worst = 0.0;
  // The energy counts overlaps of the particles inflated by 1 + tolerance / 2, so that its
  // forces stay finite while the true overlaps approach the tolerance (FIRE slows down as
  // the forces vanish).
  const double grow = 1.0 + 0.5 * o.tolerance;
  for (const PairImage& e : list.pairs()) {
    const std::size_t i = e.i, j = e.j;
    const Spheroid &A = p[i], &B = p[j];
    double r[3];
    list.separation(p, e, r);
    const double d2 = dot3(r, r);
    const double reach = grow * (A.bounding_radius() + B.bounding_radius());
    if (d2 >= reach * reach) continue;
    const double d = std::sqrt(d2);
    if (d > 1e-12) {
      const double n[3] = {r[0] / d, r[1] / d, r[2] / d};
      if (d >= grow * (A.support(n[0], n[1], n[2]) + B.support(n[0], n[1], n[2]))) continue;
    } else {  // coincident centres: push apart along z
      f[6 * i + 2] -= 1.0;
      f[6 * j + 2] += 1.0;
      worst = 1.0;
      continue;
    }
    const PwGradient g = perram_wertheim_gradient(A, B, r);
    const double root = std::sqrt(g.F), eps = grow - root;
    if (eps <= 0.0) continue;
    worst = std::max(worst, 1.0 - root);
    // U = eps^2, dU/dF = -eps / sqrt(F)
    const double dudf = -eps / std::max(root, 1e-6);
    for (int a = 0; a < 3; ++a) {
      f[6 * i + a] += dudf * g.dr[a] * scale[i];
      f[6 * j + a] -= dudf * g.dr[a] * scale[j];
      f[6 * i + 3 + a] -= dudf * g.du_a[a];
      f[6 * j + 3 + a] -= dudf * g.du_b[a];
    }
  }
  for (std::size_t i = 0; i < p.size(); ++i) {
    const Spheroid& s = p[i];
    double* fi = &f[6 * i];
    if (!o.periodic_z) {
      // Bottom: eps = 1 - z / h, top: eps = 1 - (lz - z) / h, with h = sqrt(a^2 + (c^2 - a^2)
      // uz^2) and dh/duz = (c^2 - a^2) uz / h.
      const double h = s.support(0.0, 0.0, 1.0);
      const double dh = (s.c * s.c - s.a * s.a) * s.uz / h;
      for (const double gap : {s.z, o.lz - s.z}) {
        const double eps = grow - gap / h;
        if (eps <= 0.0) continue;
        worst = std::max(worst, 1.0 - gap / h);
        const double sign = gap == s.z ? 1.0 : -1.0;  // d gap / dz
        fi[2] -= 2.0 * eps * (-sign / h) * scale[i];
        fi[5] -= 2.0 * eps * (gap / (h * h)) * dh;
      }
    }
    if (o.rotate) {
      const double u[3] = {s.ux, s.uy, s.uz};
      fi[5] -= order_force * s.uz;
      const double along = dot3(u, fi + 3);
      for (int a = 0; a < 3; ++a) fi[3 + a] -= along * u[a];
    } else {
      fi[3] = fi[4] = fi[5] = 0.0;
    }
  }
  return worst;
}

}  // namespace

OverlapMinimiseResult minimise_overlap(std::vector<Spheroid>& p,
                                       const OverlapMinimiseOptions& o) {
  OverlapMinimiseResult result;
  const std::size_t n = p.size();
  if (n == 0) {
    result.converged = true;
    return result;
  }
  std::vector<double> scale(n);
  double r_min = 1e300;
  for (std::size_t i = 0; i < n; ++i) {
    scale[i] = std::cbrt(p[i].a * p[i].a * p[i].c);
    r_min = std::min(r_min, std::min(p[i].a, p[i].c));
  }
  PairList list(o.lx, o.ly, o.lz, o.periodic_z, 0.5 * r_min);
  list.build(p);
  std::vector<double> f(6 * n), v(6 * n, 0.0);
  // FIRE parameters of Bitzek et al. (2006); times in units where a sphere pair's stiffness
  // in scaled coordinates is O(1).
  // Gentle steps (dt_max, moves capped at 5 % of the radius per step) jam denser than
  // aggressive ones: measured, isotropic flakes of aspect 0.25 with max_move 0.1 needed up to
  // ten times more steps near 0.60 than with 0.05, and dt_max 1 more again.
  const double dt_max = 0.3, max_move = 0.05, alpha0 = 0.1, f_alpha = 0.99;
  const int n_min = 5;
  double dt = 0.05, alpha = alpha0;
  int positive = 0;
  double worst = forces(p, scale, list, o, f);
  for (std::int64_t step = 0;; ++step) {
    result.steps = step;
    result.max_overlap = worst;
    if (worst <= o.tolerance || step >= o.max_steps) {
      result.converged = worst <= o.tolerance;
      for (Spheroid& s : p) {
        wrap(s.x, o.lx);
        wrap(s.y, o.ly);
        if (o.periodic_z) wrap(s.z, o.lz);
      }
      return result;
    }
    double power = 0.0, vv = 0.0, ff = 0.0;
    for (std::size_t k = 0; k < 6 * n; ++k) {
      power += f[k] * v[k];
      vv += v[k] * v[k];
      ff += f[k] * f[k];
    }
    if (power > 0.0) {
      const double mix = alpha * std::sqrt(vv / std::max(ff, 1e-300));
      for (std::size_t k = 0; k < 6 * n; ++k) v[k] = (1.0 - alpha) * v[k] + mix * f[k];
      if (++positive > n_min) {
        dt = std::min(dt * 1.1, dt_max);
        alpha *= f_alpha;
      }
    } else {
      positive = 0;
      dt *= 0.5;
      alpha = alpha0;
      std::fill(v.begin(), v.end(), 0.0);
    }
    // Semi-implicit Euler step; moves capped at max_move (scaled units, radians).
    bool rebuild = false;
    for (std::size_t i = 0; i < n; ++i) {
      double* vi = &v[6 * i];
      const double* fi = &f[6 * i];
      double step2 = 0.0;
      for (int a = 0; a < 6; ++a) {
        vi[a] += dt * fi[a];
        step2 += dt * dt * vi[a] * vi[a];
      }
      const double cap = step2 > max_move * max_move ? max_move / std::sqrt(step2) : 1.0;
      Spheroid& s = p[i];
      const double dx[3] = {cap * dt * vi[0] * scale[i], cap * dt * vi[1] * scale[i],
                            cap * dt * vi[2] * scale[i]};
      s.x += dx[0];
      s.y += dx[1];
      s.z += dx[2];
      if (!o.periodic_z) s.z = std::clamp(s.z, 0.0, o.lz);
      rebuild |= list.moved(i, dx);
      if (o.rotate) {
        double u[3] = {s.ux + cap * dt * vi[3], s.uy + cap * dt * vi[4], s.uz + cap * dt * vi[5]};
        const double norm = std::sqrt(dot3(u, u));
        for (double& x : u) x /= norm;
        s.ux = u[0];
        s.uy = u[1];
        s.uz = u[2];
        const double along = dot3(u, vi + 3);
        for (int a = 0; a < 3; ++a) vi[3 + a] -= along * u[a];
      }
    }
    if (rebuild) list.build(p);
    worst = forces(p, scale, list, o, f);
  }
}

}  // namespace mesolith::micro
