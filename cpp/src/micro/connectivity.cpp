// Flood fill from a face (explicit stack, 6-connectivity) and the spanning cluster.
#include "mesolith/micro/connectivity.hpp"

#include <stdexcept>
#include <vector>

namespace mesolith::micro {

namespace {

// Calls f(x, y, z) for every voxel of the layer at coordinate `face` along `axis`.
template <typename F>
void for_face_cells(const Shape& shape, int axis, std::int64_t face, F f) {
  const int a1 = axis == 0 ? 1 : 0;
  const int a2 = axis == 2 ? 1 : 2;
  for (std::int64_t u = 0; u < shape.extent(a1); ++u)
    for (std::int64_t v = 0; v < shape.extent(a2); ++v) {
      std::int64_t c[3];
      c[axis] = face;
      c[a1] = u;
      c[a2] = v;
      f(c[0], c[1], c[2]);
    }
}

// Flood without periodic axes on a copy of the mask with one closed layer around it: the
// six neighbours are fixed offsets, so a step needs no coordinates (divisions) or bounds
// tests. The reached set is the same as the general flood's.
std::size_t reach_from_face_walled(const std::uint8_t* mask, const Shape& shape, int axis,
                                   std::int64_t face, std::uint8_t* out) {
  const std::int64_t sy = shape.nz + 2, sx = (shape.ny + 2) * sy;
  auto padded = [&](std::int64_t x, std::int64_t y, std::int64_t z) {
    return static_cast<std::size_t>((x + 1) * sx + (y + 1) * sy + z + 1);
  };
  std::vector<std::uint8_t> open(static_cast<std::size_t>((shape.nx + 2) * sx), 0);
  for (std::int64_t x = 0; x < shape.nx; ++x)
    for (std::int64_t y = 0; y < shape.ny; ++y) {
      const std::uint8_t* m = mask + shape.index(x, y, 0);
      std::uint8_t* o = open.data() + padded(x, y, 0);
      for (std::int64_t z = 0; z < shape.nz; ++z) o[z] = m[z] != 0;
    }
  std::vector<std::size_t> stack;
  for_face_cells(shape, axis, face, [&](std::int64_t x, std::int64_t y, std::int64_t z) {
    const std::size_t p = padded(x, y, z);
    if (open[p]) {
      open[p] = 0;
      stack.push_back(p);
    }
  });
  std::size_t count = stack.size();
  const std::int64_t step[6] = {-sx, sx, -sy, sy, -1, 1};
  while (!stack.empty()) {
    const std::size_t p = stack.back();
    stack.pop_back();
    for (std::int64_t d : step) {
      const std::size_t q = static_cast<std::size_t>(static_cast<std::int64_t>(p) + d);
      if (open[q]) {
        open[q] = 0;
        ++count;
        stack.push_back(q);
      }
    }
  }
  // Reached: in the mask and no longer open.
  for (std::int64_t x = 0; x < shape.nx; ++x)
    for (std::int64_t y = 0; y < shape.ny; ++y) {
      const std::size_t i = shape.index(x, y, 0);
      const std::uint8_t* o = open.data() + padded(x, y, 0);
      for (std::int64_t z = 0; z < shape.nz; ++z)
        out[i + static_cast<std::size_t>(z)] =
            static_cast<std::uint8_t>((mask[i + static_cast<std::size_t>(z)] != 0) & !o[z]);
    }
  return count;
}

}  // namespace

std::size_t reach_from_face(const std::uint8_t* mask, const Shape& shape, int axis, int side,
                            std::uint8_t* out, const bool* periodic) {
  check_shape(shape);
  check_axis(axis);
  if (!(periodic && (periodic[0] || periodic[1] || periodic[2])))
    return reach_from_face_walled(mask, shape, axis, side == 0 ? 0 : shape.extent(axis) - 1,
                                  out);
  const std::size_t n = shape.size();
  for (std::size_t i = 0; i < n; ++i) out[i] = 0;

  std::vector<std::size_t> stack;
  const std::int64_t face = side == 0 ? 0 : shape.extent(axis) - 1;
  // Seed with every masked voxel on the face.
  for_face_cells(shape, axis, face, [&](std::int64_t x, std::int64_t y, std::int64_t z) {
    const std::size_t i = shape.index(x, y, z);
    if (mask[i] && !out[i]) {
      out[i] = 1;
      stack.push_back(i);
    }
  });
  std::size_t count = stack.size();
  const std::int64_t strides[3] = {shape.stride(0), shape.stride(1), shape.stride(2)};
  while (!stack.empty()) {
    const std::size_t i = stack.back();
    stack.pop_back();
    const std::int64_t c[3] = {shape.coord(i, 0), shape.coord(i, 1), shape.coord(i, 2)};
    for (int a = 0; a < 3; ++a) {
      for (int dir = -1; dir <= 1; dir += 2) {
        const std::int64_t n = shape.extent(a);
        std::int64_t step = dir * strides[a];
        const std::int64_t nc = c[a] + dir;
        if (nc < 0 || nc >= n) {
          if (!(periodic && periodic[a]) || n < 2) continue;
          step = -dir * (n - 1) * strides[a];  // wrap to the opposite side
        }
        const std::size_t j = static_cast<std::size_t>(static_cast<std::int64_t>(i) + step);
        if (mask[j] && !out[j]) {
          out[j] = 1;
          ++count;
          stack.push_back(j);
        }
      }
    }
  }
  return count;
}

std::size_t spanning_cluster(const std::uint8_t* mask, const Shape& shape, int axis,
                             std::uint8_t* out, const bool* periodic) {
  // A voxel is in a component touching both faces iff it is reachable from each face.
  // The two floods are independent, so they run side by side on two threads.
  std::vector<std::uint8_t> from_far(shape.size());
#pragma omp parallel sections if (shape.size() >= (std::size_t{1} << 15))
  {
#pragma omp section
    reach_from_face(mask, shape, axis, 0, out, periodic);
#pragma omp section
    reach_from_face(mask, shape, axis, 1, from_far.data(), periodic);
  }
  std::size_t count = 0;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    out[i] = static_cast<std::uint8_t>(out[i] & from_far[i]);
    count += out[i];
  }
  return count;
}

namespace {

// Union-find over voxel indices with path halving; the smaller index becomes the root, so
// the labelling is a pure function of the mask.
std::uint32_t find_root(std::vector<std::uint32_t>& parent, std::uint32_t i) {
  while (parent[i] != i) {
    parent[i] = parent[parent[i]];
    i = parent[i];
  }
  return i;
}

void unite(std::vector<std::uint32_t>& parent, std::uint32_t a, std::uint32_t b) {
  a = find_root(parent, a);
  b = find_root(parent, b);
  if (a < b) parent[b] = a;
  else if (b < a) parent[a] = b;
}

}  // namespace

void percolation_axes(const std::uint8_t* mask, const Shape& shape, bool out[3]) {
  check_shape(shape);
  const std::size_t n = shape.size();
  if (n >= (std::size_t{1} << 32))
    throw std::invalid_argument("percolation_axes: volumes of 2^32 voxels or more");
  std::vector<std::uint32_t> parent(n);
  for (std::size_t i = 0; i < n; ++i) parent[i] = static_cast<std::uint32_t>(i);
  // Join each voxel with its -x, -y and -z neighbours: every 6-connected pair is visited once.
  for (std::int64_t x = 0; x < shape.nx; ++x)
    for (std::int64_t y = 0; y < shape.ny; ++y)
      for (std::int64_t z = 0; z < shape.nz; ++z) {
        const std::size_t i = shape.index(x, y, z);
        if (!mask[i]) continue;
        const auto u = static_cast<std::uint32_t>(i);
        if (z > 0 && mask[i - 1]) unite(parent, u, u - 1);
        if (y > 0 && mask[i - shape.nz]) unite(parent, u, u - static_cast<std::uint32_t>(shape.nz));
        if (x > 0 && mask[i - shape.stride(0)])
          unite(parent, u, u - static_cast<std::uint32_t>(shape.stride(0)));
      }
  std::vector<std::uint8_t> on_low(n, 0);
  for (int axis = 0; axis < 3; ++axis) {
    auto face_cells = [&](std::int64_t face, auto f) {
      for_face_cells(shape, axis, face, [&](std::int64_t x, std::int64_t y, std::int64_t z) {
        const std::size_t i = shape.index(x, y, z);
        if (mask[i]) f(find_root(parent, static_cast<std::uint32_t>(i)));
      });
    };
    std::vector<std::uint32_t> marked;
    face_cells(0, [&](std::uint32_t r) {
      if (!on_low[r]) marked.push_back(r);
      on_low[r] = 1;
    });
    bool spans = false;
    face_cells(shape.extent(axis) - 1, [&](std::uint32_t r) { spans |= on_low[r] != 0; });
    out[axis] = spans;
    for (std::uint32_t r : marked) on_low[r] = 0;
  }
}

}  // namespace mesolith::micro
