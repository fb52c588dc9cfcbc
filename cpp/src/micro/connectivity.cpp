// Flood fill from a face (explicit stack, 6-connectivity) and the spanning cluster.
#include "mesolith/micro/connectivity.hpp"

#include <vector>

namespace mesolith::micro {

std::size_t reach_from_face(const std::uint8_t* mask, const Shape& shape, int axis, int side,
                            std::uint8_t* out, const bool* periodic) {
  check_shape(shape);
  check_axis(axis);
  const std::size_t n = shape.size();
  for (std::size_t i = 0; i < n; ++i) out[i] = 0;

  std::vector<std::size_t> stack;
  const std::int64_t face = side == 0 ? 0 : shape.extent(axis) - 1;
  // Seed with every masked voxel on the face.
  const int a1 = axis == 0 ? 1 : 0;
  const int a2 = axis == 2 ? 1 : 2;
  for (std::int64_t u = 0; u < shape.extent(a1); ++u) {
    for (std::int64_t v = 0; v < shape.extent(a2); ++v) {
      std::int64_t c[3];
      c[axis] = face;
      c[a1] = u;
      c[a2] = v;
      const std::size_t i = shape.index(c[0], c[1], c[2]);
      if (mask[i] && !out[i]) {
        out[i] = 1;
        stack.push_back(i);
      }
    }
  }
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
  std::vector<std::uint8_t> from_far(shape.size());
  reach_from_face(mask, shape, axis, 0, out, periodic);
  reach_from_face(mask, shape, axis, 1, from_far.data(), periodic);
  std::size_t count = 0;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    out[i] = static_cast<std::uint8_t>(out[i] & from_far[i]);
    count += out[i];
  }
  return count;
}

}  // namespace mesolith::micro
