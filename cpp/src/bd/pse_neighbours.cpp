#include "mesolith/bd/pse_neighbours.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace mesolith::bd {

namespace {

double wrap(double v, double box) {
  double w = v - box * std::floor(v / box);
  return w >= box ? 0.0 : w;  // v slightly below 0 can round up to box
}

// Rows are built in chunks, each chunk by one thread into its own buffer, then the
// buffers are joined in chunk order: the list is the same for any thread count.
template <class Visit>
NeighbourList build(std::size_t n, Visit visit) {
  constexpr std::size_t kChunk = 256;
  const std::size_t chunks = (n + kChunk - 1) / kChunk;
  std::vector<std::vector<std::uint32_t>> idx(chunks);
  std::vector<std::vector<double>> sep(chunks);
  NeighbourList out;
  out.start.assign(n + 1, 0);
#pragma omp parallel for schedule(dynamic, 1) if (n > 2000)
  for (std::size_t c = 0; c < chunks; ++c) {
    for (std::size_t i = c * kChunk; i < std::min(n, (c + 1) * kChunk); ++i) {
      const std::size_t before = idx[c].size();
      visit(i, [&](std::uint32_t j, const double* d) {
        idx[c].push_back(j);
        sep[c].insert(sep[c].end(), d, d + 3);
      });
      out.start[i + 1] = idx[c].size() - before;
    }
  }
  for (std::size_t i = 0; i < n; ++i) out.start[i + 1] += out.start[i];
  out.index.reserve(out.start[n]);
  out.separation.reserve(3 * out.start[n]);
  for (std::size_t c = 0; c < chunks; ++c) {
    out.index.insert(out.index.end(), idx[c].begin(), idx[c].end());
    out.separation.insert(out.separation.end(), sep[c].begin(), sep[c].end());
  }
  return out;
}

}  // namespace

NeighbourList periodic_neighbours(const double* x, std::size_t n, double box, double cutoff) {
  if (!(box > 0.0) || !(cutoff > 0.0)) throw std::invalid_argument("need box > 0 and cutoff > 0");
  if (n >= 0xffffffffULL) throw std::length_error("too many particles for 32-bit indices");
  std::vector<double> w(3 * n);
  for (std::size_t q = 0; q < 3 * n; ++q) w[q] = wrap(x[q], box);
  const double c2 = cutoff * cutoff;
  if (std::floor(2.0 * box / cutoff) < 5.0) {
    // Small box: every pair, every image within the cut-off.
    const long images = static_cast<long>(std::ceil(cutoff / box));
    return build(n, [&](std::size_t i, auto&& add) {
      for (std::size_t j = 0; j < n; ++j) {
        double d0[3];
        for (int k = 0; k < 3; ++k) {
          d0[k] = w[3 * j + k] - w[3 * i + k];
          d0[k] -= box * std::nearbyint(d0[k] / box);
        }
        for (long u = -images; u <= images; ++u)
          for (long v = -images; v <= images; ++v)
            for (long s = -images; s <= images; ++s) {
              if (i == j && u == 0 && v == 0 && s == 0) continue;
              const double d[3] = {d0[0] + u * box, d0[1] + v * box, d0[2] + s * box};
              if (d[0] * d[0] + d[1] * d[1] + d[2] * d[2] < c2)
                add(static_cast<std::uint32_t>(j), d);
            }
      }
    });
  }
  // Cell list: cells of edge >= cutoff / 2, searched +-2 cells; with >= 5 cells per edge
  // every visited cell is distinct and the image found is the minimum one.
  const long reach = 2;
  const long cells_per_edge = static_cast<long>(std::floor(reach * box / cutoff));
  const std::size_t nc = static_cast<std::size_t>(cells_per_edge);
  const double inv = static_cast<double>(cells_per_edge) / box;
  std::vector<std::size_t> cell_of(n), head(nc * nc * nc + 1, 0), items(n);
  auto coord = [&](double v) {
    const long c = static_cast<long>(v * inv);
    return static_cast<std::size_t>(c >= cells_per_edge ? cells_per_edge - 1 : c);
  };
  for (std::size_t i = 0; i < n; ++i) {
    cell_of[i] = (coord(w[3 * i]) * nc + coord(w[3 * i + 1])) * nc + coord(w[3 * i + 2]);
    ++head[cell_of[i] + 1];
  }
  for (std::size_t c = 0; c < nc * nc * nc; ++c) head[c + 1] += head[c];
  {
    std::vector<std::size_t> fill(head.begin(), head.end() - 1);
    for (std::size_t i = 0; i < n; ++i) items[fill[cell_of[i]]++] = i;  // ascending i per cell
  }
  const long cpe = cells_per_edge;
  return build(n, [&](std::size_t i, auto&& add) {
    const std::size_t c = cell_of[i];
    const long cc[3] = {static_cast<long>(c / (nc * nc)), static_cast<long>((c / nc) % nc),
                        static_cast<long>(c % nc)};
    const double xi[3] = {w[3 * i], w[3 * i + 1], w[3 * i + 2]};
    for (long dx = -reach; dx <= reach; ++dx)
      for (long dy = -reach; dy <= reach; ++dy)
        for (long dz = -reach; dz <= reach; ++dz) {
          const long o3[3] = {cc[0] + dx, cc[1] + dy, cc[2] + dz};
          double shift[3];
          std::size_t oc[3];
          for (int k = 0; k < 3; ++k) {
            // a neighbour cell past an edge is the periodic image one box away
            shift[k] = o3[k] < 0 ? -box : (o3[k] >= cpe ? box : 0.0);
            oc[k] = static_cast<std::size_t>((o3[k] + cpe) % cpe);
          }
          const std::size_t o = (oc[0] * nc + oc[1]) * nc + oc[2];
          for (std::size_t p = head[o]; p < head[o + 1]; ++p) {
            const std::size_t j = items[p];
            if (j == i) continue;
            const double d[3] = {w[3 * j] + shift[0] - xi[0], w[3 * j + 1] + shift[1] - xi[1],
                                 w[3 * j + 2] + shift[2] - xi[2]};
            if (d[0] * d[0] + d[1] * d[1] + d[2] * d[2] < c2)
              add(static_cast<std::uint32_t>(j), d);
          }
        }
  });
}

}  // namespace mesolith::bd
