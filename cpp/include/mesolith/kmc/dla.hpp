// Diffusion-limited aggregation on the square / simple-cubic lattice: the limit of the
// deposition model where Li+ random walks stick to the deposit on first contact (sticking
// probability 1) or after several contacts (s < 1), without surface diffusion.
// (Witten & Sander, Phys. Rev. Lett. 47, 1400, 1981; Meakin, Phys. Rev. A 27, 1495, 1983.)
#pragma once

#include <cstdint>
#include <vector>

namespace mesolith::kmc {

struct DlaResult {
  std::vector<double> radius_of_gyration;  // after 1, 2, ..., n particles (lattice units)
  std::vector<std::int32_t> coords;        // particle positions, d per particle, seed first
};

// Grow a cluster of n particles from a seed at the origin in dimension d (2 or 3).
// Walkers start on a sphere 5 sites beyond the cluster, step to a random nearest neighbour,
// stick with probability `sticking` when next to the cluster, and are restarted when they
// wander beyond twice the launch radius (which does not bias the hitting distribution much
// and keeps the cost finite). Draws from rng stream `stream` only.
DlaResult grow_dla(int dimension, int n, double sticking, std::uint64_t seed,
                   std::uint64_t stream);

// Independent clusters r = 0..n_clusters-1 (streams first_stream + r) in parallel; returns
// the radius of gyration after each particle, n_clusters x n values.
std::vector<double> dla_gyration_replicas(int dimension, int n, double sticking,
                                          std::uint64_t seed, std::uint64_t first_stream,
                                          int n_clusters);

}  // namespace mesolith::kmc
