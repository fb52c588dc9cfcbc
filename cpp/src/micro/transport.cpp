// Matrix-free Jacobi-preconditioned conjugate gradients for voxel conduction.
//
// Reductions are summed per x-slab in a fixed order and then over slabs serially, so the
// result is bit-identical for any OpenMP thread count.
#include "mesolith/micro/transport.hpp"

#include <cmath>
#include <sstream>
#include <vector>

#include "mesolith/micro/connectivity.hpp"

namespace mesolith::micro {
namespace {

struct Operator {
  Shape shape;
  int axis;
  int inactive;                  // code of voxels outside the unknowns
  std::vector<std::uint8_t> code;  // compact phase code per voxel
  std::vector<double> gtab;      // (inactive + 1)^2 face conductances by code pair
  std::vector<double> gbound;    // Dirichlet half-voxel conductance 2 s by code

  double g(int a, int b) const { return gtab[static_cast<std::size_t>(a) * (inactive + 1) + b]; }

  // Sum over voxels of f(x, y, z, flat index), accumulated per x-slab then serially.
  template <typename F>
  double reduce(F f) const {
    std::vector<double> part(static_cast<std::size_t>(shape.nx), 0.0);
#pragma omp parallel for schedule(static)
    for (std::int64_t x = 0; x < shape.nx; ++x) {
      double s = 0.0;
      for (std::int64_t y = 0; y < shape.ny; ++y) {
        const std::size_t row = shape.index(x, y, 0);
        for (std::int64_t z = 0; z < shape.nz; ++z) s += f(x, y, z, row + z);
      }
      part[static_cast<std::size_t>(x)] = s;
    }
    double total = 0.0;
    for (double v : part) total += v;
    return total;
  }

  // Diagonal of the matrix at voxel i (for the preconditioner).
  double diagonal(std::int64_t x, std::int64_t y, std::int64_t z, std::size_t i) const {
    const int c = code[i];
    if (c == inactive) return 0.0;
    const std::int64_t co[3] = {x, y, z};
    double d = 0.0;
    for (int a = 0; a < 3; ++a) {
      const std::int64_t st = shape.stride(a);
      if (co[a] > 0) d += g(c, code[i - st]);
      if (co[a] < shape.extent(a) - 1) d += g(c, code[i + st]);
    }
    if (co[axis] == 0) d += gbound[c];
    if (co[axis] == shape.extent(axis) - 1) d += gbound[c];
    return d;
  }

  // q = A p on the unknowns; returns p . q.
  double apply(const std::vector<double>& p, std::vector<double>& q) const {
    const std::int64_t sx = shape.stride(0), sy = shape.stride(1);
    const std::int64_t nx = shape.nx, ny = shape.ny, nz = shape.nz;
    const std::int64_t nax = shape.extent(axis);
    return reduce([&](std::int64_t x, std::int64_t y, std::int64_t z, std::size_t i) {
      const int c = code[i];
      if (c == inactive) {
        q[i] = 0.0;
        return 0.0;
      }
      const double* row = &gtab[static_cast<std::size_t>(c) * (inactive + 1)];
      const double pi = p[i];
      double s = 0.0;
      if (z > 0) s += row[code[i - 1]] * (pi - p[i - 1]);
      if (z < nz - 1) s += row[code[i + 1]] * (pi - p[i + 1]);
      if (y > 0) s += row[code[i - sy]] * (pi - p[i - sy]);
      if (y < ny - 1) s += row[code[i + sy]] * (pi - p[i + sy]);
      if (x > 0) s += row[code[i - sx]] * (pi - p[i - sx]);
      if (x < nx - 1) s += row[code[i + sx]] * (pi - p[i + sx]);
      const std::int64_t ca = axis == 0 ? x : axis == 1 ? y : z;
      if (ca == 0) s += gbound[c] * pi;
      if (ca == nax - 1) s += gbound[c] * pi;
      q[i] = s;
      return pi * s;
    });
  }
};

}  // namespace

TransportResult solve_conduction(const std::uint8_t* labels, const Shape& shape,
                                 const std::array<double, 256>& phase_conductivity,
                                 const TransportOptions& options) {
  check_shape(shape);
  check_axis(options.axis);
  if (!(options.rtol > 0.0 && options.rtol < 1.0))
    throw std::invalid_argument("rtol must be in (0, 1)");
  for (double s : phase_conductivity)
    if (!(s >= 0.0) || !std::isfinite(s))
      throw std::invalid_argument("phase conductivities must be finite and >= 0");

  const std::size_t n = shape.size();
  TransportResult result;

  // Conducting voxels and the cluster spanning both Dirichlet faces.
  std::vector<std::uint8_t> active(n);
  for (std::size_t i = 0; i < n; ++i) active[i] = phase_conductivity[labels[i]] > 0.0;
  {
    std::vector<std::uint8_t> spanning(n);
    result.unknowns = spanning_cluster(active.data(), shape, options.axis, spanning.data());
    active.swap(spanning);
  }
  result.percolates = result.unknowns > 0;
  if (!result.percolates) return result;

  // Compact codes for the conducting labels present in the cluster.
  std::array<int, 256> code_of{};
  code_of.fill(-1);
  std::vector<double> sigma;
  for (std::size_t i = 0; i < n; ++i) {
    if (active[i] && code_of[labels[i]] < 0) {
      code_of[labels[i]] = static_cast<int>(sigma.size());
      sigma.push_back(phase_conductivity[labels[i]]);
    }
  }
  Operator op;
  op.shape = shape;
  op.axis = options.axis;
  op.inactive = static_cast<int>(sigma.size());
  const int k = op.inactive + 1;
  op.gtab.assign(static_cast<std::size_t>(k) * k, 0.0);
  op.gbound.assign(static_cast<std::size_t>(k), 0.0);
  for (int a = 0; a < op.inactive; ++a) {
    op.gbound[a] = 2.0 * sigma[a];
    for (int b = 0; b < op.inactive; ++b)
      op.gtab[static_cast<std::size_t>(a) * k + b] = 2.0 * sigma[a] * sigma[b] / (sigma[a] + sigma[b]);
  }
  op.code.resize(n);
  for (std::size_t i = 0; i < n; ++i)
    op.code[i] = static_cast<std::uint8_t>(active[i] ? code_of[labels[i]] : op.inactive);
  std::vector<std::uint8_t>().swap(active);

  const std::int64_t nax = shape.extent(options.axis);
  std::vector<double> x(n), r(n), p(n), q(n);
  std::vector<float> inv_diag(n);
  // Linear initial profile between the Dirichlet values; right-hand side from the c = 1 face.
  const double bnorm2 = op.reduce([&](std::int64_t cx, std::int64_t cy, std::int64_t cz,
                                      std::size_t i) {
    const int c = op.code[i];
    const std::int64_t ca = options.axis == 0 ? cx : options.axis == 1 ? cy : cz;
    const double d = op.diagonal(cx, cy, cz, i);
    inv_diag[i] = c == op.inactive ? 0.0f : static_cast<float>(1.0 / d);
    x[i] = c == op.inactive ? 0.0 : 1.0 - (static_cast<double>(ca) + 0.5) / static_cast<double>(nax);
    const double b = (c != op.inactive && ca == 0) ? op.gbound[c] : 0.0;
    r[i] = b;
    return b * b;
  });
  const double bnorm = std::sqrt(bnorm2);
  op.apply(x, q);
  double rz = op.reduce([&](std::int64_t, std::int64_t, std::int64_t, std::size_t i) {
    r[i] -= q[i];
    p[i] = r[i] * inv_diag[i];
    return r[i] * p[i];
  });
  double rnorm = std::sqrt(op.reduce(
      [&](std::int64_t, std::int64_t, std::int64_t, std::size_t i) { return r[i] * r[i]; }));

  const std::int64_t max_it = options.max_iterations > 0
                                  ? options.max_iterations
                                  : 50 * (shape.nx + shape.ny + shape.nz) + 1000;
  std::int64_t it = 0;
  while (rnorm > options.rtol * bnorm && it < max_it) {
    const double pq = op.apply(p, q);
    const double alpha = rz / pq;
    double rr = 0.0;
    const double rz_new = [&] {
      std::vector<double> part_rr(static_cast<std::size_t>(shape.nx), 0.0);
      std::vector<double> part_rz(static_cast<std::size_t>(shape.nx), 0.0);
      const std::size_t slab = static_cast<std::size_t>(shape.ny * shape.nz);
#pragma omp parallel for schedule(static)
      for (std::int64_t sx = 0; sx < shape.nx; ++sx) {
        double a = 0.0, b = 0.0;
        const std::size_t lo = static_cast<std::size_t>(sx) * slab;
        for (std::size_t i = lo; i < lo + slab; ++i) {
          x[i] += alpha * p[i];
          r[i] -= alpha * q[i];
          a += r[i] * r[i];
          b += r[i] * r[i] * inv_diag[i];
        }
        part_rr[static_cast<std::size_t>(sx)] = a;
        part_rz[static_cast<std::size_t>(sx)] = b;
      }
      double s = 0.0;
      for (std::int64_t sx = 0; sx < shape.nx; ++sx) {
        rr += part_rr[static_cast<std::size_t>(sx)];
        s += part_rz[static_cast<std::size_t>(sx)];
      }
      return s;
    }();
    const double beta = rz_new / rz;
    rz = rz_new;
    rnorm = std::sqrt(rr);
#pragma omp parallel for schedule(static)
    for (std::int64_t i = 0; i < static_cast<std::int64_t>(n); ++i)
      p[i] = r[i] * inv_diag[i] + beta * p[i];
    ++it;
  }
  result.iterations = it;
  result.residual = rnorm / bnorm;
  if (!(rnorm <= options.rtol * bnorm)) {
    std::ostringstream msg;
    msg << "conduction solve along axis " << options.axis << " did not converge: relative residual "
        << result.residual << " > rtol " << options.rtol << " after " << it << " iterations";
    throw NotConverged(msg.str(), result.residual, it);
  }

  // Fluxes through the two Dirichlet faces (they agree to the solver tolerance).
  result.flux_in = op.reduce([&](std::int64_t cx, std::int64_t cy, std::int64_t cz, std::size_t i) {
    const std::int64_t ca = options.axis == 0 ? cx : options.axis == 1 ? cy : cz;
    const int c = op.code[i];
    return (c != op.inactive && ca == 0) ? op.gbound[c] * (1.0 - x[i]) : 0.0;
  });
  result.flux_out = op.reduce([&](std::int64_t cx, std::int64_t cy, std::int64_t cz,
                                  std::size_t i) {
    const std::int64_t ca = options.axis == 0 ? cx : options.axis == 1 ? cy : cz;
    const int c = op.code[i];
    return (c != op.inactive && ca == nax - 1) ? op.gbound[c] * x[i] : 0.0;
  });
  const double area = static_cast<double>(shape.size()) / static_cast<double>(nax);
  result.effective_conductivity =
      0.5 * (result.flux_in + result.flux_out) * static_cast<double>(nax) / area;
  return result;
}

}  // namespace mesolith::micro
