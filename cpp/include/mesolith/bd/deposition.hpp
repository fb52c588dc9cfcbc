// Reactive deposition by Brownian walkers (the lithium-deposition setting of the
// review: compact deposits at low Damkohler number, dendritic at high).
//
// Walkers of radius a are released one at a time at a height `release_gap` above
// the current top of the deposit, at a random lateral position in a periodic
// L x L cell. Each step moves a walker by sqrt(2 D dt) W. A step that would bring
// it into contact with the electrode (z < a) or a deposited sphere (distance < 2a)
// is a reaction attempt: with probability p the walker deposits where it stands,
// otherwise the step is rejected (reflecting boundary). p relates to a surface
// rate constant k by p = k sqrt(pi dt / D) (Erban & Chapman, Phys. Biol. 4, 16,
// 2007), i.e. p = Da sqrt(pi D dt) / a with Da = k a / D. A walker that drifts
// more than `kill_gap` above the deposit is released again.
//
// Walker w draws its numbers from rng::Stream(seed, w): the deposit is a function
// of the seed only. Lengths are in units of a (the caller converts).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace mesolith::bd {

struct DepositionParams {
  double cell = 20.0;          // lateral periodic cell edge (in a)
  double step = 0.2;           // rms displacement per component per step, sqrt(2 D dt) (in a)
  double probability = 1.0;    // reaction probability per contact attempt
  double release_gap = 5.0;    // release height above the deposit top (in a)
  double kill_gap = 25.0;      // re-release above this height over the deposit top (in a)
  std::size_t walkers = 1000;  // particles to deposit
  std::uint64_t max_steps = 2000000000ULL;  // safety stop for the whole run
  std::uint64_t seed = 0;
};

struct DepositionResult {
  std::vector<double> positions;  // N x 3 deposited centres (in a)
  std::uint64_t steps = 0;        // walker steps taken in all
  std::uint64_t attempts = 0;     // contact attempts
  bool complete = false;          // all walkers deposited before max_steps
};

DepositionResult run_deposition(const DepositionParams& p);

}  // namespace mesolith::bd
