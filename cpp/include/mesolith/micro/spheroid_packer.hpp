// The spheroid compression of pack_spheroids as an object that advances a given number of
// compression stages at a time, so that a long packing can be checkpointed between chunks and
// resumed.
//
// Random numbers are drawn only for the sizes, axes and initial placement, and the FIRE
// minimiser starts afresh (zero velocities, initial time step) in every stage, so between two
// stages the whole state is the particles, the last relaxed configuration with its size scale,
// the current scale and growth step, the minimiser tolerance (lowered at full size until the
// independent check passes) and the counters. Setting these on a packer built from the same
// options continues exactly the run that was saved, whatever the chunk sizes.
#pragma once

#include <cstdint>
#include <vector>

#include "mesolith/micro/spheroid_overlap_energy.hpp"
#include "mesolith/micro/spheroids.hpp"

namespace mesolith::micro {

// Everything that changes from stage to stage (the rest follows from the options).
struct SpheroidPackerState {
  std::vector<Spheroid> particles;  // current configuration (voxel units)
  std::vector<Spheroid> relaxed;    // last configuration relaxed within the tolerance
  double scale = 0.0;               // sizes = scale * target size for the next stage
  double relaxed_scale = 0.0;       // the scale of `relaxed`
  double step = 0.0;                // relative growth of the next successful stage
  double tolerance = 0.0;           // minimiser tolerance (<= options.overlap_tolerance)
  std::int64_t sweeps = 0;          // FIRE steps done
  std::int64_t stages = 0;          // stages done
  double max_overlap = 0.0;         // worst overlap after the last stage
  bool done = false;
};

class SpheroidPacker {
 public:
  // Draws sizes, axes and the initial placement; throws std::invalid_argument for bad options
  // (as pack_spheroids does).
  explicit SpheroidPacker(const SpheroidPackingOptions& options);

  // Runs at most `stages` more compression stages; returns true once the packing is finished.
  // Throws std::runtime_error when the packing jams below the target (max_sweeps reached or
  // the growth step below 1e-5); the packer is then not to be advanced further.
  bool advance(std::int64_t stages);

  const SpheroidPackerState& state() const { return state_; }
  // Replaces the state by one taken from a packer with the same options; throws
  // std::invalid_argument if the number of particles differs or a value is out of range.
  void set_state(const SpheroidPackerState& state);

  // The finished packing; throws std::logic_error before advance() has returned true.
  SpheroidPackingResult result() const;

  std::size_t size() const { return target_.size(); }

 private:
  void stage();  // one compression stage: resize, minimise, accept or undo

  SpheroidPackingOptions o_;
  std::vector<Spheroid> target_;  // sizes and sampled axes at the target fraction
  double order_sampled_ = 0.0;    // <P2(u_z)> of the sampled axes
  SpheroidPackerState state_;
};

}  // namespace mesolith::micro
