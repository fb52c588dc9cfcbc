// The dense sphere packing of pack_spheres as an object that advances a given number of
// sweeps at a time, so that a long packing can be checkpointed between chunks and resumed.
//
// The packing is a deterministic loop (random numbers are drawn only for the initial
// placement), so its whole state is the spheres, the radius scale, the sweep of the last
// growth and the sweep count: setting these on a packer built from the same options continues
// exactly the run that was saved, whatever the chunk sizes.
#pragma once

#include <cstdint>
#include <vector>

#include "mesolith/micro/spheres.hpp"

namespace mesolith::micro {

// Everything that changes from sweep to sweep (the rest follows from the options).
struct PackerState {
  std::vector<Sphere> spheres;  // current centres and radii (voxel units)
  double scale = 0.0;           // radii = scale * target radius
  std::int64_t last_growth = 0;
  std::int64_t sweep = 0;       // sweeps done
  double max_overlap = 0.0;     // worst overlap after the last sweep
  bool done = false;
  bool jammed = false;
};

class SpherePacker {
 public:
  // Draws the target radii and the initial placement; throws std::invalid_argument for bad
  // options (as pack_spheres does).
  explicit SpherePacker(const PackingOptions& options);

  // Runs at most `sweeps` more sweeps; returns true once the packing is finished. Throws
  // std::runtime_error when options.max_sweeps is reached without finishing.
  bool advance(std::int64_t sweeps);

  const PackerState& state() const { return state_; }
  // Replaces the state by one taken from a packer with the same options; throws
  // std::invalid_argument if the number of spheres differs or a value is out of range.
  void set_state(const PackerState& state);

  // The finished packing; throws std::logic_error before advance() has returned true.
  PackingResult result() const;

  std::size_t size() const { return radius_.size(); }

 private:
  double sweep_once(bool move);  // one relaxation sweep at the current scale

  PackingOptions o_;
  std::vector<double> radius_;  // target radii
  double r_max_ = 0.0;
  double margin_ = 0.0;
  PackerState state_;
};

}  // namespace mesolith::micro
