// Spheroids (ellipsoids of revolution) for graphite-like flakes: orientation sampling (Watson
// distribution), the Perram-Wertheim contact function, dense packing by collective
// rearrangement and exact voxelisation. Lengths are in voxel units.
//
// Random numbers: particle i draws its size from rng::Stream(seed, 5, i * 8), its orientation
// from Stream(seed, 6, i * 8) and its start position from Stream(seed, 7, i * 8).
#pragma once

#include <cstdint>
#include <vector>

#include "mesolith/micro/grid.hpp"
#include "mesolith/micro/spheres.hpp"
#include "mesolith/rng.hpp"

namespace mesolith::micro {

// Centre (x, y, z), equatorial semi-axis a, polar semi-axis c (c < a: oblate), unit symmetry
// axis (ux, uy, uz).
struct Spheroid {
  double x, y, z, a, c, ux, uy, uz;
  double volume() const { return 4.18879020478639098 * a * a * c; }
  double bounding_radius() const { return a > c ? a : c; }
  // Half-extent along the unit vector n: sqrt(a^2 + (c^2 - a^2) (u.n)^2).
  double support(double nx, double ny, double nz) const;
};

// Cosine of the angle between the symmetry axis and z, drawn from the Watson distribution
// p(t) ~ exp(kappa t^2) on t in [-1, 1]: kappa = 0 is isotropic, kappa > 0 aligns the axes
// with z (flakes lying in the xy plane), kappa < 0 puts them in the plane (flakes standing).
// Exact rejection sampling; consumes a variable number of draws from `s`.
double watson_cos_theta(double kappa, rng::Stream& s);

// Perram-Wertheim contact function F(A, B) = max over lambda in [0, 1] of
// lambda (1 - lambda) r^T [(1 - lambda) M_A^-1 + lambda M_B^-1]^-1 r, r the centre separation
// (minimum image applied by the caller). F < 1: overlap, F = 1: contact, F > 1: apart;
// sqrt(F) is the factor by which both would have to shrink to touch.
double perram_wertheim(const Spheroid& A, const Spheroid& B, double rx, double ry, double rz);

struct SpheroidPackingOptions {
  double lx = 64, ly = 64, lz = 64;  // box; periodic in x and y, walls at z = 0 and lz
  double target_fraction = 0.5;      // particle volume / box volume at the end
  RadiusDistribution radii;          // equal-volume sphere radius a^(2/3) c^(1/3)
  double aspect_ratio = 0.25;        // c / a (< 1 oblate, 1 sphere, > 1 prolate)
  double kappa = 0.0;                // Watson concentration of the axis about z
  double start_fraction = 0.2;
  double growth = 0.02;              // relative size growth per compression stage
  double overlap_tolerance = 5e-3;   // final max (1 - sqrt(F)) over all pairs and walls
  std::int64_t max_sweeps = 200000;  // FIRE steps over all stages
  std::int64_t stage_steps = 2000;   // FIRE steps one stage may take before it counts as jammed
  bool rotate = true;                // axes take part in the minimisation (false: fixed)
  double order_stiffness = 1.0;      // W of the restraint W n (S - S0)^2 on S = <P2(u_z)>
  std::uint64_t seed = 0;
  bool periodic_z = false;
};

struct SpheroidPackingResult {
  std::vector<Spheroid> particles;
  double fraction = 0.0;
  double max_overlap = 0.0;  // max over pairs of 1 - sqrt(F) (0: no overlap)
  std::int64_t sweeps = 0;   // FIRE steps taken
  std::int64_t stages = 0;   // compression stages (size increments) taken
  double order_sampled = 0;  // S0 = <P2(u_z)> of the sampled axes
  double order = 0;          // <P2(u_z)> at the end
};

// Dense packing of spheroids by compression with energy minimisation (a Lubachevsky-
// Stillinger-like protocol): sizes grow from start_fraction in stages of `growth`; after
// each stage FIRE minimises the overlap energy over centres and axes
// (spheroid_overlap_energy.hpp) until every overlap is within the tolerance. A stage that
// cannot be relaxed within stage_steps is undone and retried with half the growth. Serial,
// hence thread-independent. Throws std::runtime_error if the target cannot be reached within
// max_sweeps FIRE steps or the growth step falls below 1e-5 (jammed below the target).
// Runs a SpheroidPacker (spheroid_packer.hpp) to the end.
SpheroidPackingResult pack_spheroids(const SpheroidPackingOptions& options);

// Worst overlap (max 1 - sqrt(F) over pairs, and relative wall penetration) of a configuration.
double spheroid_overlap(const std::vector<Spheroid>& p, double lx, double ly, double lz,
                        bool periodic_z);

struct SpheroidCalenderResult {
  std::vector<Spheroid> particles;
  double lz = 0;             // final height (after spring-back)
  double lz_loaded = 0;      // height under load
  double max_overlap = 0.0;  // worst 1 - sqrt(F) (or wall penetration) left at the end
  std::int64_t sweeps = 0;
};

// Calendering of a spheroid packing, as calender_spheres: the top wall moves from lz to
// options.lz_new in steps, centres follow affinely in z, particles relax (Perram-Wertheim,
// orientations fixed) against both walls; then optional elastic spring-back.
SpheroidCalenderResult calender_spheroids(std::vector<Spheroid> particles, double lx,
                                          double ly, double lz, const CalenderOptions& options);

// CBD placement around spheroids, as add_cbd (spheres.hpp) with the surface distance of a
// voxel centre g (relative to the centre) taken to first order, d = (Q - 1) / |grad Q| with
// Q = g^T M g (Sampson distance; exact for spheres to first order in d).
std::size_t add_cbd_spheroids(std::uint8_t* labels, const Shape& shape,
                              const std::vector<Spheroid>& particles, const bool periodic[3],
                              CbdMode mode, std::size_t count, std::uint64_t seed,
                              std::uint8_t pore = 0, std::uint8_t cbd = 2);

// Sets labels[i] = label for every voxel whose centre lies inside a spheroid (exact point test
// (p - x)^T M (p - x) <= 1), with periodic images along axes with periodic[a].
void voxelise_spheroids(const std::vector<Spheroid>& particles, const Shape& shape,
                        const bool periodic[3], std::uint8_t label, std::uint8_t* labels);

}  // namespace mesolith::micro
