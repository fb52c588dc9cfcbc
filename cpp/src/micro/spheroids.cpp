// Spheroids: Watson orientations, Perram-Wertheim contact, dense packing, voxelisation.
#include "mesolith/micro/spheroids.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "mesolith/micro/sphere_cells.hpp"
#include "mesolith/micro/spheroid_overlap_energy.hpp"
#include "mesolith/micro/spheroid_packer.hpp"

namespace mesolith::micro {

double Spheroid::support(double nx, double ny, double nz) const {
  const double un = ux * nx + uy * ny + uz * nz;
  return std::sqrt(a * a + (c * c - a * a) * un * un);
}

double watson_cos_theta(double kappa, rng::Stream& s) {
  double t;
  if (kappa == 0.0) return 2.0 * s.uniform() - 1.0;
  if (kappa > 0.0) {
    // |t| on [0, 1] with density ~ exp(kappa t^2) <= exp(kappa t) (t^2 <= t): propose from
    // the truncated exponential exp(kappa (t - 1)) and accept with exp(kappa (t^2 - t)).
    for (;;) {
      t = 1.0 + std::log1p(s.uniform() * std::expm1(-kappa)) / kappa;
      if (t >= 0.0 && s.uniform() <= std::exp(kappa * (t * t - t))) break;
    }
  } else if (kappa >= -1.0) {
    // Weak girdle: uniform proposal, accept with exp(kappa t^2) >= e^-1.
    for (;;) {
      t = s.uniform();
      if (s.uniform() <= std::exp(kappa * t * t)) break;
    }
  } else {
    // Strong girdle: a half-normal with variance 1 / (2 |kappa|), truncated to [0, 1].
    const double sd = std::sqrt(0.5 / -kappa);
    for (;;) {
      t = std::fabs(s.normal()) * sd;
      if (t <= 1.0) break;
    }
  }
  return s.uniform() < 0.5 ? -t : t;
}

namespace {

// The symmetric 3x3 matrix C = alpha I + beta u u^T + gamma v v^T and solves with it.
struct Sym3 {
  double m[3][3];
  double c00, c11, c22, c01, c02, c12, det;  // adjugate entries and determinant
  Sym3(double alpha, double beta, const double u[3], double gamma, const double v[3]) {
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j)
        m[i][j] = (i == j ? alpha : 0.0) + beta * u[i] * u[j] + gamma * v[i] * v[j];
    // Adjugate of the symmetric matrix: C^-1 = adj(C) / det(C).
    c00 = m[1][1] * m[2][2] - m[1][2] * m[1][2];
    c11 = m[0][0] * m[2][2] - m[0][2] * m[0][2];
    c22 = m[0][0] * m[1][1] - m[0][1] * m[0][1];
    c01 = m[0][2] * m[1][2] - m[0][1] * m[2][2];
    c02 = m[0][1] * m[1][2] - m[0][2] * m[1][1];
    c12 = m[0][1] * m[0][2] - m[0][0] * m[1][2];
    det = m[0][0] * c00 + m[0][1] * c01 + m[0][2] * c02;
  }
  // r^T C^-1 r
  double quad_inverse(const double r[3]) const {
    return (c00 * r[0] * r[0] + c11 * r[1] * r[1] + c22 * r[2] * r[2] +
            2.0 * (c01 * r[0] * r[1] + c02 * r[0] * r[2] + c12 * r[1] * r[2])) /
           det;
  }
  // y = C^-1 r
  void solve(const double r[3], double y[3]) const {
    y[0] = (c00 * r[0] + c01 * r[1] + c02 * r[2]) / det;
    y[1] = (c01 * r[0] + c11 * r[1] + c12 * r[2]) / det;
    y[2] = (c02 * r[0] + c12 * r[1] + c22 * r[2]) / det;
  }
};

Sym3 contact_matrix(const Spheroid& A, const Spheroid& B, double lam) {
  const double u[3] = {A.ux, A.uy, A.uz}, v[3] = {B.ux, B.uy, B.uz};
  const double a2 = A.a * A.a, b2 = B.a * B.a;
  return Sym3((1.0 - lam) * a2 + lam * b2, (1.0 - lam) * (A.c * A.c - a2), u,
              lam * (B.c * B.c - b2), v);
}

// F and the maximising lambda (see perram_wertheim).
double contact_function(const Spheroid& A, const Spheroid& B, const double r[3], double& lambda) {
  auto f = [&](double lam) {
    return lam * (1.0 - lam) * contact_matrix(A, B, lam).quad_inverse(r);
  };
  // F(lambda) is concave on [0, 1] (Perram & Wertheim 1985): golden-section search; 40
  // steps shrink the bracket to 2e-9, and F at the maximum is flat to second order.
  const double g = 0.5 * (std::sqrt(5.0) - 1.0);
  double lo = 0.0, hi = 1.0;
  double x1 = hi - g * (hi - lo), x2 = lo + g * (hi - lo);
  double f1 = f(x1), f2 = f(x2);
  for (int k = 0; k < 40; ++k) {
    if (f1 < f2) {
      lo = x1;
      x1 = x2;
      f1 = f2;
      x2 = lo + g * (hi - lo);
      f2 = f(x2);
    } else {
      hi = x2;
      x2 = x1;
      f2 = f1;
      x1 = hi - g * (hi - lo);
      f1 = f(x1);
    }
  }
  lambda = f1 > f2 ? x1 : x2;
  return std::max(f1, f2);
}

}  // namespace

double perram_wertheim(const Spheroid& A, const Spheroid& B, double rx, double ry, double rz) {
  const double r[3] = {rx, ry, rz};
  double lambda;
  return contact_function(A, B, r, lambda);
}

namespace {

struct Box {
  double lx, ly, lz;
  bool periodic_z;
  void separation(const Spheroid& p, const Spheroid& q, double r[3]) const {
    r[0] = q.x - p.x;
    r[1] = q.y - p.y;
    r[2] = q.z - p.z;
    r[0] -= lx * std::nearbyint(r[0] / lx);
    r[1] -= ly * std::nearbyint(r[1] / ly);
    if (periodic_z) r[2] -= lz * std::nearbyint(r[2] / lz);
  }
  void wrap(Spheroid& p) const {
    p.x = std::fmod(std::fmod(p.x, lx) + lx, lx);
    p.y = std::fmod(std::fmod(p.y, ly) + ly, ly);
    if (periodic_z) {
      p.z = std::fmod(std::fmod(p.z, lz) + lz, lz);
    } else {
      const double h = p.support(0.0, 0.0, 1.0);
      p.z = std::clamp(p.z, h, lz - h);
    }
  }
};

std::vector<Sphere> bounding_spheres(const std::vector<Spheroid>& p) {
  std::vector<Sphere> s(p.size());
  for (std::size_t i = 0; i < p.size(); ++i) s[i] = {p[i].x, p[i].y, p[i].z, p[i].bounding_radius()};
  return s;
}

// Overlap of a pair as 1 - sqrt(F) (0 when apart, also when a separating axis along the line
// of centres shows it). For an overlapping pair `push` is the displacement of B relative to A
// that brings them into contact along the contact normal n ~ C(lambda*)^-1 r: with
// y = C^-1 r and k = lambda (1 - lambda), k (r + t y)^T C^-1 (r + t y) = 1 is a quadratic in
// t, and after the move F >= F_lambda* = 1 (F is the maximum over lambda), so the pair no
// longer overlaps. For flat particles the normal is the short way out, where the line of
// centres can be a long one.
double pair_overlap(const Spheroid& p, const Spheroid& q, const double r[3], double push[3]) {
  const double d2 = r[0] * r[0] + r[1] * r[1] + r[2] * r[2];
  const double reach = p.bounding_radius() + q.bounding_radius();
  if (d2 >= reach * reach) return 0.0;
  const double d = std::sqrt(d2);
  if (d > 1e-12) {
    const double n[3] = {r[0] / d, r[1] / d, r[2] / d};
    if (d >= p.support(n[0], n[1], n[2]) + q.support(n[0], n[1], n[2])) return 0.0;
  }
  double lambda;
  const double F = contact_function(p, q, r, lambda);
  if (F >= 1.0) return 0.0;
  if (F < 1e-20) {  // coincident centres: separate along z by the two half-heights
    push[0] = push[1] = 0.0;
    push[2] = p.support(0, 0, 1) + q.support(0, 0, 1);
    return 1.0;
  }
  const Sym3 C = contact_matrix(p, q, lambda);
  double y[3], z[3];
  C.solve(r, y);
  C.solve(y, z);
  const double k = lambda * (1.0 - lambda);
  const double a = r[0] * y[0] + r[1] * y[1] + r[2] * y[2];
  const double b = y[0] * y[0] + y[1] * y[1] + y[2] * y[2];
  const double c = y[0] * z[0] + y[1] * z[1] + y[2] * z[2];
  const double t = (-b + std::sqrt(b * b - c * (a - 1.0 / k))) / c;
  for (int i = 0; i < 3; ++i) push[i] = t * y[i];
  return 1.0 - std::sqrt(F);
}

// One Gauss-Seidel sweep: pairs in index order pushed apart to contact along the contact
// normal (the larger particle moves less), walls push back. Returns the worst overlap.
double relax_spheroids(std::vector<Spheroid>& p, const Box& box, double reach, bool move) {
  const SphereCells cells(bounding_spheres(p), box.lx, box.ly, box.lz, reach, box.periodic_z);
  double worst = 0.0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    Spheroid& A = p[i];
    cells.for_neighbours(A.x, A.y, A.z, [&](std::size_t j) {
      if (j <= i) return;
      Spheroid& B = p[j];
      double r[3];
      box.separation(A, B, r);
      double push[3];
      const double overlap = pair_overlap(A, B, r, push);
      if (overlap <= 0.0) return;
      worst = std::max(worst, overlap);
      if (!move) return;
      const double va = A.volume(), vb = B.volume();
      const double wa = vb / (va + vb), wb = va / (va + vb);
      A.x -= wa * push[0];
      A.y -= wa * push[1];
      A.z -= wa * push[2];
      B.x += wb * push[0];
      B.y += wb * push[1];
      B.z += wb * push[2];
      box.wrap(B);
    });
    if (!box.periodic_z) {
      const double h = A.support(0.0, 0.0, 1.0);
      if (A.z < h) worst = std::max(worst, (h - A.z) / h);
      if (A.z > box.lz - h) worst = std::max(worst, (A.z + h - box.lz) / h);
    }
    if (move) box.wrap(A);
  }
  return worst;
}

}  // namespace

double spheroid_overlap(const std::vector<Spheroid>& p, double lx, double ly, double lz,
                        bool periodic_z) {
  if (p.empty()) return 0.0;
  double r_max = 0.0;
  for (const Spheroid& s : p) r_max = std::max(r_max, s.bounding_radius());
  std::vector<Spheroid> copy = p;
  return relax_spheroids(copy, Box{lx, ly, lz, periodic_z}, 2.0 * r_max, false);
}

SpheroidPackingResult pack_spheroids(const SpheroidPackingOptions& o) {
  SpheroidPacker packer(o);
  packer.advance(std::numeric_limits<std::int64_t>::max());  // to the end, or it throws
  return packer.result();
}

SpheroidCalenderResult calender_spheroids(std::vector<Spheroid> p, double lx, double ly,
                                          double lz, const CalenderOptions& o) {
  if (p.empty()) throw std::invalid_argument("calendering needs at least one particle");
  double r_max = 0.0, h_max = 0.0, r_min = 1e300;
  for (const Spheroid& s : p) {
    r_max = std::max(r_max, s.bounding_radius());
    h_max = std::max(h_max, s.support(0, 0, 1));
    r_min = std::min(r_min, std::min(s.a, s.c));
  }
  if (!(o.lz_new > 2 * h_max && o.lz_new <= lz))
    throw std::invalid_argument("final height must lie between the largest particle height "
                                "and the current height");
  if (!(o.spring_back >= 0.0 && o.spring_back < 1.0))
    throw std::invalid_argument("spring_back must be in [0, 1)");
  if (o.steps < 1 || o.max_sweeps_per_step < 1)
    throw std::invalid_argument("steps and max_sweeps_per_step must be >= 1");
  SpheroidCalenderResult result;
  const double reach = 2.0 * r_max + 0.5 * r_min;
  double height = lz;
  auto squeeze = [&](double next) {
    const double ratio = next / height;
    for (Spheroid& s : p) {
      const double h = s.support(0, 0, 1);
      s.z = std::clamp(s.z * ratio, h, next - h);
    }
    height = next;
    const Box box{lx, ly, height, false};
    for (std::int64_t sweep = 0; sweep < o.max_sweeps_per_step; ++sweep) {
      ++result.sweeps;
      if (relax_spheroids(p, box, reach, true) <= o.overlap_tolerance) break;
    }
  };
  for (std::int64_t k = 1; k <= o.steps; ++k)
    squeeze(lz + (o.lz_new - lz) * static_cast<double>(k) / static_cast<double>(o.steps));
  result.lz_loaded = height;
  if (o.spring_back > 0.0) squeeze(o.lz_new + o.spring_back * (lz - o.lz_new));
  result.max_overlap = relax_spheroids(p, Box{lx, ly, height, false}, reach, false);
  result.lz = height;
  result.particles = std::move(p);
  return result;
}

void voxelise_spheroids(const std::vector<Spheroid>& particles, const Shape& shape,
                        const bool periodic[3], std::uint8_t label, std::uint8_t* labels) {
  check_shape(shape);
  const double len[3] = {static_cast<double>(shape.nx), static_cast<double>(shape.ny),
                         static_cast<double>(shape.nz)};
  // Periodic images whose bounding box reaches into the volume.
  std::vector<Spheroid> images;
  for (const Spheroid& s : particles) {
    const double h[3] = {s.support(1, 0, 0), s.support(0, 1, 0), s.support(0, 0, 1)};
    for (int i = periodic[0] ? -1 : 0; i <= (periodic[0] ? 1 : 0); ++i)
      for (int j = periodic[1] ? -1 : 0; j <= (periodic[1] ? 1 : 0); ++j)
        for (int k = periodic[2] ? -1 : 0; k <= (periodic[2] ? 1 : 0); ++k) {
          Spheroid im = s;
          im.x += i * len[0];
          im.y += j * len[1];
          im.z += k * len[2];
          const double c[3] = {im.x, im.y, im.z};
          bool inside = true;
          for (int a = 0; a < 3; ++a) inside &= c[a] + h[a] > 0 && c[a] - h[a] < len[a];
          if (inside) images.push_back(im);
        }
  }
  std::vector<std::vector<std::size_t>> by_x(static_cast<std::size_t>(shape.nx));
  for (std::size_t n = 0; n < images.size(); ++n) {
    const Spheroid& s = images[n];
    const double hx = s.support(1, 0, 0);
    const auto x0 = std::max<std::int64_t>(0, static_cast<std::int64_t>(std::ceil(s.x - hx - 0.5)));
    const auto x1 =
        std::min<std::int64_t>(shape.nx - 1, static_cast<std::int64_t>(std::floor(s.x + hx - 0.5)));
    for (std::int64_t x = x0; x <= x1; ++x) by_x[static_cast<std::size_t>(x)].push_back(n);
  }
#pragma omp parallel for schedule(dynamic, 1)
  for (std::int64_t x = 0; x < shape.nx; ++x) {
    for (std::size_t n : by_x[static_cast<std::size_t>(x)]) {
      const Spheroid& s = images[n];
      const double ia = 1.0 / (s.a * s.a), diff = 1.0 / (s.c * s.c) - ia;
      const double hy = s.support(0, 1, 0), hz = s.support(0, 0, 1);
      const auto y0 = std::max<std::int64_t>(0, static_cast<std::int64_t>(std::ceil(s.y - hy - 0.5)));
      const auto y1 = std::min<std::int64_t>(shape.ny - 1,
                                             static_cast<std::int64_t>(std::floor(s.y + hy - 0.5)));
      const auto z0 = std::max<std::int64_t>(0, static_cast<std::int64_t>(std::ceil(s.z - hz - 0.5)));
      const auto z1 = std::min<std::int64_t>(shape.nz - 1,
                                             static_cast<std::int64_t>(std::floor(s.z + hz - 0.5)));
      const double dx = x + 0.5 - s.x;
      for (std::int64_t y = y0; y <= y1; ++y) {
        const double dy = y + 0.5 - s.y;
        const std::size_t row = shape.index(x, y, 0);
        for (std::int64_t z = z0; z <= z1; ++z) {
          const double dz = z + 0.5 - s.z;
          const double ud = s.ux * dx + s.uy * dy + s.uz * dz;
          if ((dx * dx + dy * dy + dz * dz) * ia + diff * ud * ud <= 1.0) labels[row + z] = label;
        }
      }
    }
  }
}

}  // namespace mesolith::micro
