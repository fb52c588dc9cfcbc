// libFuzzer harness for the label-volume kernels of the micro engine: flood fill from a face,
// the spanning (percolating) cluster, the interface-density estimate, the exact distance
// transform and the local thickness. Volumes are tiny (<= 9 voxels a side) so that every
// answer is checked against a brute-force reference computed here.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "fuzz_input.hpp"
#include "mesolith/micro/connectivity.hpp"
#include "mesolith/micro/distance.hpp"
#include "mesolith/micro/surface.hpp"

using mesolith::fuzz::close;
using mesolith::fuzz::Input;
using mesolith::fuzz::require;
using mesolith::micro::Shape;

namespace {

// Breadth-first 6-connected fill of the mask from every masked voxel on one face.
std::vector<std::uint8_t> reference_reach(const std::vector<std::uint8_t>& mask, const Shape& s,
                                          int axis, int side, const bool periodic[3]) {
  std::vector<std::uint8_t> seen(s.size(), 0);
  std::vector<std::size_t> todo;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (mask[i] && s.coord(i, axis) == (side ? s.extent(axis) - 1 : 0)) {
      seen[i] = 1;
      todo.push_back(i);
    }
  while (!todo.empty()) {
    const std::size_t i = todo.back();
    todo.pop_back();
    for (int a = 0; a < 3; ++a)
      for (int step : {-1, 1}) {
        std::int64_t c[3] = {s.coord(i, 0), s.coord(i, 1), s.coord(i, 2)};
        c[a] += step;
        if (c[a] < 0 || c[a] >= s.extent(a)) {
          if (!periodic[a]) continue;
          c[a] = (c[a] + s.extent(a)) % s.extent(a);
        }
        const std::size_t j = s.index(c[0], c[1], c[2]);
        if (mask[j] && !seen[j]) {
          seen[j] = 1;
          todo.push_back(j);
        }
      }
  }
  return seen;
}

void check_connectivity(const std::vector<std::uint8_t>& mask, const Shape& s, Input& in) {
  const int axis = static_cast<int>(in.integer(0, 2));
  const int side = static_cast<int>(in.integer(0, 1));
  bool periodic[3] = {in.flag(), in.flag(), in.flag()};
  const bool use_periodic = in.flag();
  const bool none[3] = {false, false, false};
  const bool* flags = use_periodic ? periodic : none;

  std::vector<std::uint8_t> out(s.size(), 7);
  const std::size_t n = mesolith::micro::reach_from_face(mask.data(), s, axis, side, out.data(),
                                                         use_periodic ? periodic : nullptr);
  const auto ref = reference_reach(mask, s, axis, side, flags);
  std::size_t count = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    require(out[i] == ref[i], "reach_from_face differs from a breadth-first fill");
    count += out[i];
  }
  require(n == count, "reach_from_face count differs from the voxels it marked");

  // The spanning cluster: components touching both faces (the transport axis never wraps).
  periodic[axis] = false;
  std::vector<std::uint8_t> span(s.size(), 7);
  const std::size_t m = mesolith::micro::spanning_cluster(mask.data(), s, axis, span.data(),
                                                          use_periodic ? periodic : nullptr);
  const auto from0 = reference_reach(mask, s, axis, 0, use_periodic ? periodic : none);
  const auto from1 = reference_reach(mask, s, axis, 1, use_periodic ? periodic : none);
  count = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    require(span[i] == (from0[i] & from1[i]), "spanning_cluster differs from reach(0) & reach(1)");
    count += span[i];
  }
  require(m == count, "spanning_cluster count differs from the voxels it marked");
}

void check_surface(const std::vector<std::uint8_t>& labels, const Shape& s, int max_label,
                   Input& in) {
  const int n_labels = static_cast<int>(in.integer(0, 6));
  std::vector<double> sv;
  try {
    sv = mesolith::micro::interface_density(labels.data(), s, n_labels);
  } catch (const std::invalid_argument&) {
    require(n_labels < 1 || max_label >= n_labels, "interface_density refused valid labels");
    return;
  }
  require(max_label < n_labels, "interface_density accepted a label >= n_labels");
  require(sv.size() == static_cast<std::size_t>(n_labels * n_labels), "matrix size");
  std::vector<std::size_t> present(static_cast<std::size_t>(n_labels), 0);
  for (auto v : labels) ++present[v];
  for (int a = 0; a < n_labels; ++a)
    for (int b = 0; b < n_labels; ++b) {
      const double v = sv[static_cast<std::size_t>(a * n_labels + b)];
      require(std::isfinite(v) && v >= 0.0, "interface density finite and >= 0");
      require(v == sv[static_cast<std::size_t>(b * n_labels + a)], "interface density symmetric");
      if (a == b || !present[static_cast<std::size_t>(a)] || !present[static_cast<std::size_t>(b)])
        require(v == 0.0, "no interface on the diagonal or with an absent label");
      // At most one crossing per lattice step in every direction: S_V = 2 <P_L> <= 2.
      require(v <= 2.0 + 1e-12, "interface density above 2 per voxel");
    }
}

void check_distance(const std::vector<std::uint8_t>& mask, const Shape& s) {
  const auto d2 = mesolith::micro::squared_distance(mask.data(), s);
  require(d2.size() == s.size(), "squared_distance size");
  bool any_background = false;
  for (auto v : mask) any_background |= v == 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    double best = std::numeric_limits<double>::infinity();
    if (mask[i])
      for (std::size_t j = 0; j < s.size(); ++j) {
        if (mask[j]) continue;
        double r2 = 0.0;
        for (int a = 0; a < 3; ++a) {
          const double d = static_cast<double>(s.coord(i, a) - s.coord(j, a));
          r2 += d * d;
        }
        best = std::min(best, r2);
      }
    else
      best = 0.0;
    require(d2[i] == best, "squared_distance differs from the brute-force minimum");
    if (mask[i] && !any_background) require(std::isinf(d2[i]), "no background: inf expected");
  }

  // Local thickness: the largest ball (centre c on the mask, radius R_c = EDT capped at half
  // the largest extent) that contains the voxel.
  const auto lt = mesolith::micro::local_thickness(mask.data(), s);
  require(lt.size() == s.size(), "local_thickness size");
  const double cap = 0.5 * static_cast<double>(std::max({s.nx, s.ny, s.nz}));
  for (std::size_t i = 0; i < s.size(); ++i) {
    double best = 0.0;
    if (mask[i])
      for (std::size_t c = 0; c < s.size(); ++c) {
        if (!mask[c]) continue;
        const double r = std::min(std::sqrt(d2[c]), cap);
        double dist2 = 0.0;
        for (int a = 0; a < 3; ++a) {
          const double d = static_cast<double>(s.coord(i, a) - s.coord(c, a));
          dist2 += d * d;
        }
        if (dist2 <= r * r) best = std::max(best, 2.0 * r);
      }
    require(std::isfinite(lt[i]) && lt[i] >= 0.0f, "local thickness finite and >= 0");
    require(lt[i] == static_cast<float>(best), "local_thickness differs from the brute-force ball cover");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Input in(data, size);
  const Shape s{in.integer(1, 9), in.integer(1, 9), in.integer(1, 9)};
  const int n_labels = static_cast<int>(in.integer(1, 4));
  std::vector<std::uint8_t> labels(s.size());
  int max_label = 0;
  for (auto& v : labels) {
    v = static_cast<std::uint8_t>(in.byte() % n_labels);
    max_label = std::max<int>(max_label, v);
  }
  const auto phase = static_cast<std::uint8_t>(in.integer(0, 3));
  std::vector<std::uint8_t> mask(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) mask[i] = labels[i] == phase;

  check_connectivity(mask, s, in);
  check_surface(labels, s, max_label, in);
  check_distance(mask, s);
  return 0;
}
