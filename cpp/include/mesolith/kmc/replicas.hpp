// Independent replicas of a lattice gas, run in parallel with OpenMP.
//
// Replica r draws only from rng stream `first_stream + r`, so each replica's trajectory is a
// function of (seed, r) alone and every output is bit-identical for any thread count.
#pragma once

#include <cstdint>

#include "mesolith/kmc/lattice_gas.hpp"

namespace mesolith::kmc {

// Run n_replicas copies from `initial` (one byte per site); after an equilibration time
// t_equilibrate record the coverage every `interval` seconds, n_samples times.
// out[r * n_samples + s] = coverage of replica r at sample s.
void replica_coverage_samples(const LatticeGasParams& params, const std::uint8_t* initial,
                              std::uint64_t seed, std::uint64_t first_stream, int n_replicas,
                              double t_equilibrate, double interval, int n_samples, double* out);

// Tracer mean-squared displacement (lattice units^2, averaged over the particles of each
// replica) at the increasing times[0..n_times). out[r * n_times + k].
void replica_tracer_msd(const LatticeGasParams& params, const std::uint8_t* initial,
                        std::uint64_t seed, std::uint64_t first_stream, int n_replicas,
                        const double* times, int n_times, double* out);

}  // namespace mesolith::kmc
