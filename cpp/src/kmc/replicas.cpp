#include "mesolith/kmc/replicas.hpp"

#include <limits>

namespace mesolith::kmc {

namespace {
constexpr std::uint64_t kNoLimit = std::numeric_limits<std::uint64_t>::max();
}

void replica_coverage_samples(const LatticeGasParams& params, const std::uint8_t* initial,
                              std::uint64_t seed, std::uint64_t first_stream, int n_replicas,
                              double t_equilibrate, double interval, int n_samples, double* out) {
  LatticeGasParams p = params;
  p.tracers = false;  // coverages only: the same trajectories with less memory per replica
#pragma omp parallel for schedule(dynamic, 1)
  for (int r = 0; r < n_replicas; ++r) {
    LatticeGas gas(p, seed, first_stream + static_cast<std::uint64_t>(r));
    gas.set_occupancy(initial);
    gas.run(kNoLimit, t_equilibrate);
    const double n = static_cast<double>(gas.sites());
    for (int s = 0; s < n_samples; ++s) {
      gas.run(kNoLimit, t_equilibrate + (s + 1) * interval);
      out[static_cast<std::size_t>(r) * n_samples + s] = static_cast<double>(gas.occupied()) / n;
    }
  }
}

void replica_tracer_msd(const LatticeGasParams& params, const std::uint8_t* initial,
                        std::uint64_t seed, std::uint64_t first_stream, int n_replicas,
                        const double* times, int n_times, double* out) {
  LatticeGasParams p = params;
  p.tracers = true;
#pragma omp parallel for schedule(dynamic, 1)
  for (int r = 0; r < n_replicas; ++r) {
    LatticeGas gas(p, seed, first_stream + static_cast<std::uint64_t>(r));
    gas.set_occupancy(initial);
    for (int k = 0; k < n_times; ++k) {
      gas.run(kNoLimit, times[k]);
      out[static_cast<std::size_t>(r) * n_times + k] = gas.tracer_msd();
    }
  }
}

}  // namespace mesolith::kmc
