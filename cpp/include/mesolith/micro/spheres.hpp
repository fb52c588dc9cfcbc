// Sphere generators: the Boolean (overlapping) model and a dense random packing, plus
// voxelisation. Lengths are in voxel units; the Python layer converts from metres.
//
// Random numbers: sphere i of a generator draws from rng::Stream(seed, stream, i * 8), so a
// result is a function of the seed only, independent of the OpenMP thread count.
#pragma once

#include <cstdint>
#include <vector>

#include "mesolith/micro/grid.hpp"

namespace mesolith::micro {

struct Sphere {
  double x, y, z, r;
};

// Log-normal radii with the given mean and standard deviation of ln(r) (log_sigma = 0 gives
// monodisperse radii), truncated to [min_radius, max_radius].
struct RadiusDistribution {
  double mean_radius = 5.0;
  double log_sigma = 0.0;
  double min_radius = 0.0;
  double max_radius = 1e300;
  double draw(double u_normal) const;  // radius from one standard normal draw
  double mean_cube() const;            // E[r^3] of the untruncated distribution
};

// Boolean model in a box periodic along all three axes: a Poisson number of centres with
// `intensity` per unit volume (voxel^-3), uniform in the box, radii from `radii`.
std::vector<Sphere> boolean_spheres(double lx, double ly, double lz, double intensity,
                                    const RadiusDistribution& radii, std::uint64_t seed);

struct PackingOptions {
  double lx = 64, ly = 64, lz = 64;  // box; periodic in x and y, hard walls at z = 0 and lz
  double target_fraction = 0.6;      // sphere volume / box volume at the end
  RadiusDistribution radii;
  double start_fraction = 0.3;       // radii start scaled to this fraction and grow
  double growth = 5e-3;              // relative radius growth per relaxation sweep
  double overlap_tolerance = 2e-3;   // final max overlap / smaller radius
  std::int64_t max_sweeps = 200000;
  std::uint64_t seed = 0;
  bool periodic_z = false;           // bulk packing: periodic along z too, no walls
  // Jamming mode (> 0): target_fraction is an upper bound; once the radii have not grown for
  // this many sweeps the packing is jammed: the radii then shrink by 0.1 growth per sweep
  // while the sweeps relax, until every overlap is within the tolerance, and the fraction
  // reached is returned (no exception).
  std::int64_t jam_sweeps = 0;
};

struct PackingResult {
  std::vector<Sphere> spheres;
  double fraction = 0.0;     // sum of sphere volumes / box volume
  double max_overlap = 0.0;  // largest overlap relative to the smaller radius
  std::int64_t sweeps = 0;
  bool jammed = false;       // stopped by jam_sweeps below target_fraction
};

// Dense random packing by collective rearrangement with growing radii: spheres start small
// at random positions; every sweep visits the overlapping pairs in a fixed order and pushes
// each apart along the line of centres (Gauss-Seidel; the larger sphere moves less, walls
// push back), and the radii grow while the overlaps stay small, until they reach their
// target size with no overlap above the tolerance. Serial, hence thread-independent.
// Throws std::runtime_error if the target cannot be reached within max_sweeps.
PackingResult pack_spheres(const PackingOptions& options);

// One Gauss-Seidel sweep of overlap removal in a box periodic in x and y with walls at z = 0
// and z = lz: each overlapping pair is visited once in index order and pushed apart along the
// line of centres (the larger sphere moves less), walls push spheres back. `reach` must be at
// least the largest contact distance plus the largest displacement within the sweep. With
// move = false it only measures. Returns the worst overlap relative to the smaller radius.
// With periodic_z the box is periodic along z too (no walls).
double relax_sweep(std::vector<Sphere>& spheres, double lx, double ly, double lz, double reach,
                   bool move, bool periodic_z = false);

struct CalenderOptions {
  double lz_new = 0;                     // final height (between the largest diameter and lz)
  std::int64_t steps = 50;               // the top wall moves down in this many equal steps
  double overlap_tolerance = 2e-3;       // relaxation target at each step
  std::int64_t max_sweeps_per_step = 2000;
  // Elastic spring-back: the fraction of the compression (lz - lz_new) recovered when the
  // load is released; the wall returns to lz_new + spring_back (lz - lz_new).
  double spring_back = 0.0;
};

struct CalenderResult {
  std::vector<Sphere> spheres;
  double lz = 0;             // final height (after spring-back)
  double lz_loaded = 0;      // height under load (the roll gap, lz_new)
  double max_overlap = 0.0;  // worst overlap / smaller radius left at the end
  std::int64_t sweeps = 0;
};

// Calendering: the separator-side wall moves from lz down to lz_new in steps; at each step the
// centres are compressed affinely in z with the box and the particles rearrange (overlap
// relaxation) with the walls at the new height. What rearrangement cannot resolve is left as
// overlap (contact flattening), reported in max_overlap. With spring_back > 0 the load is then
// released: the wall moves up to the recovered height, the centres follow affinely in z (the
// recovered elastic strain is uniform through the bed) and the particles relax again against
// the walls. Serial and deterministic.
CalenderResult calender_spheres(std::vector<Sphere> spheres, double lx, double ly, double lz,
                                const CalenderOptions& options);

// Sets labels[i] = label for every voxel whose centre lies inside a sphere (box lx = nx etc.,
// periodic along axes with periodic[a]). Union semantics: independent of order and threads.
void voxelise_spheres(const std::vector<Sphere>& spheres, const Shape& shape,
                      const bool periodic[3], std::uint8_t label, std::uint8_t* labels);

enum class CbdMode { Bridge, Film };

// Converts `count` pore voxels (label pore) to label cbd: in Bridge mode those with the
// smallest sum of distances to the two nearest sphere surfaces (necks between particles), in
// Film mode those closest to any sphere surface (a film of uniform thickness). Ties are broken
// by a hash of the voxel index drawn from the seed. Returns the number converted.
std::size_t add_cbd(std::uint8_t* labels, const Shape& shape, const std::vector<Sphere>& spheres,
                    const bool periodic[3], CbdMode mode, std::size_t count, std::uint64_t seed,
                    std::uint8_t pore = 0, std::uint8_t cbd = 2);

}  // namespace mesolith::micro
