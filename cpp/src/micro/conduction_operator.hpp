// Level-0 conduction operator on the voxel grid (private to the transport solver).
#pragma once

#include <cstdint>
#include <vector>

#include "mesolith/micro/grid.hpp"

namespace mesolith::micro::detail {

// Unknowns carry a compact phase code; `inactive` marks voxels outside the spanning cluster.
struct Operator {
  Shape shape;
  int axis;
  int inactive;                  // code of voxels outside the unknowns
  std::vector<std::uint8_t> code;  // compact phase code per voxel
  std::vector<double> gtab;      // (inactive + 1)^2 face conductances by code pair
  std::vector<double> gbound;    // Dirichlet half-voxel conductance 2 s by code
  double face_lo = 1.0, face_hi = 1.0;  // 1 where the first / last face along axis is Dirichlet
  bool periodic[3] = {false, false, false};  // side axes that wrap around

  // Offset to the -/+ neighbour along axis a at coordinate c, or 0 where there is none.
  std::int64_t minus(int a, std::int64_t c) const {
    return c > 0 ? -shape.stride(a) : periodic[a] ? (shape.extent(a) - 1) * shape.stride(a) : 0;
  }
  std::int64_t plus(int a, std::int64_t c) const {
    return c < shape.extent(a) - 1 ? shape.stride(a)
           : periodic[a]           ? -(shape.extent(a) - 1) * shape.stride(a)
                                   : 0;
  }

  // Number of Dirichlet faces (0, 1 or 2) a voxel with coordinate ca along the axis touches.
  double dirichlet_faces(std::int64_t ca) const {
    return (ca == 0 ? face_lo : 0.0) + (ca == shape.extent(axis) - 1 ? face_hi : 0.0);
  }

  double g(int a, int b) const { return gtab[static_cast<std::size_t>(a) * (inactive + 1) + b]; }

  // Sum over voxels of f(x, y, z, flat index), accumulated per x-slab then serially.
  template <typename F>
  double reduce(F f) const {
    std::vector<double> part(static_cast<std::size_t>(shape.nx), 0.0);
    // Small volumes run serially (a parallel region costs more than the work there).
#pragma omp parallel for schedule(static) if (shape.size() >= (1u << 15))
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
      const std::int64_t lo = minus(a, co[a]), hi = plus(a, co[a]);
      if (lo) d += g(c, code[i + lo]);
      if (hi) d += g(c, code[i + hi]);
    }
    return d + gbound[c] * dirichlet_faces(co[axis]);
  }

  // (A p)_i at voxel i = (x, y, z); 0 outside the unknowns.
  double row(std::int64_t x, std::int64_t y, std::int64_t z, std::size_t i,
             const std::vector<double>& p) const {
    const int c = code[i];
    if (c == inactive) return 0.0;
    const double* g = &gtab[static_cast<std::size_t>(c) * (inactive + 1)];
    const double pi = p[i];
    double s = 0.0;
    const std::int64_t co[3] = {x, y, z};
    for (int a = 2; a >= 0; --a) {
      const std::int64_t lo = minus(a, co[a]), hi = plus(a, co[a]);
      if (lo) s += g[code[i + lo]] * (pi - p[i + lo]);
      if (hi) s += g[code[i + hi]] * (pi - p[i + hi]);
    }
    const std::int64_t ca = axis == 0 ? x : axis == 1 ? y : z;
    return s + gbound[c] * dirichlet_faces(ca) * pi;
  }

  // q = A p on the unknowns; returns p . q.
  double apply(const std::vector<double>& p, std::vector<double>& q) const {
    return reduce([&](std::int64_t x, std::int64_t y, std::int64_t z, std::size_t i) {
      q[i] = row(x, y, z, i, p);
      return p[i] * q[i];
    });
  }
};


}  // namespace mesolith::micro::detail
