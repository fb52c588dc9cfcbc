// Gaussian random field by separable convolution of white noise.
#include "mesolith/micro/random_field.hpp"

#include <cmath>
#include <stdexcept>

#include "mesolith/rng.hpp"

namespace mesolith::micro {
namespace {

// Periodic 1-D convolution of every line along `axis` with the kernel w[-h..h].
void convolve_axis(std::vector<double>& f, const Shape& s, int axis, const std::vector<double>& w) {
  const std::int64_t n = s.extent(axis), stride = s.stride(axis);
  const auto h = static_cast<std::int64_t>(w.size() / 2);
  const int a1 = axis == 0 ? 1 : 0, a2 = axis == 2 ? 1 : 2;
  const std::int64_t n1 = s.extent(a1), n2 = s.extent(a2);
#pragma omp parallel
  {
    std::vector<double> line(static_cast<std::size_t>(n));
#pragma omp for schedule(static)
    for (std::int64_t u = 0; u < n1; ++u)
      for (std::int64_t v = 0; v < n2; ++v) {
        std::int64_t c[3];
        c[axis] = 0;
        c[a1] = u;
        c[a2] = v;
        const std::size_t base = s.index(c[0], c[1], c[2]);
        for (std::int64_t k = 0; k < n; ++k) line[k] = f[base + k * stride];
        for (std::int64_t k = 0; k < n; ++k) {
          double acc = 0.0;
          for (std::int64_t j = -h; j <= h; ++j) {
            std::int64_t m = (k + j) % n;
            if (m < 0) m += n;
            acc += w[static_cast<std::size_t>(j + h)] * line[m];
          }
          f[base + k * stride] = acc;
        }
      }
  }
}

}  // namespace

std::vector<float> gaussian_field(const Shape& shape, double kernel_sigma, std::uint64_t seed,
                                  std::uint64_t stream) {
  check_shape(shape);
  if (!(kernel_sigma > 0.0)) throw std::invalid_argument("kernel_sigma must be > 0 voxels");
  const std::size_t n = shape.size();
  std::vector<double> f(n);
#pragma omp parallel for schedule(static)
  for (std::int64_t i = 0; i < static_cast<std::int64_t>(n); ++i) {
    // Two normals per block pair; voxel i owns blocks [2 i, 2 i + 2).
    rng::Stream s(seed, stream, static_cast<std::uint64_t>(i) * 2);
    f[static_cast<std::size_t>(i)] = s.normal();
  }
  const auto h = static_cast<std::int64_t>(std::ceil(4.0 * kernel_sigma));
  std::vector<double> w(static_cast<std::size_t>(2 * h + 1));
  double sum = 0.0;
  for (std::int64_t j = -h; j <= h; ++j) {
    w[static_cast<std::size_t>(j + h)] = std::exp(-0.5 * j * j / (kernel_sigma * kernel_sigma));
    sum += w[static_cast<std::size_t>(j + h)];
  }
  double sum2 = 0.0;
  for (double& v : w) {
    v /= sum;
    sum2 += v * v;
  }
  for (int axis = 0; axis < 3; ++axis) convolve_axis(f, shape, axis, w);
  // Variance of the sum of independent unit normals: (sum of squared weights)^3; lines
  // shorter than the kernel wrap onto themselves, which this factor ignores (use boxes of
  // at least 8 kernel_sigma).
  const double scale = 1.0 / std::sqrt(sum2 * sum2 * sum2);
  std::vector<float> out(n);
#pragma omp parallel for schedule(static)
  for (std::int64_t i = 0; i < static_cast<std::int64_t>(n); ++i)
    out[static_cast<std::size_t>(i)] = static_cast<float>(f[static_cast<std::size_t>(i)] * scale);
  return out;
}

}  // namespace mesolith::micro
