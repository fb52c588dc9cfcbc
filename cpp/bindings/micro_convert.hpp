// Array conversions shared by the micro bindings (spheres as (n, 4) and spheroids as (n, 8)
// arrays, radius laws).
#pragma once

#include <pybind11/numpy.h>

#include <cstdint>
#include <vector>

#include "mesolith/micro/spheres.hpp"
#include "mesolith/micro/spheroids.hpp"

namespace mesolith::bindings {

using Doubles = pybind11::array_t<double, pybind11::array::c_style>;

inline std::vector<micro::Sphere> spheres_from(const Doubles& a) {
  if (a.ndim() != 2 || a.shape(1) != 4)
    throw pybind11::value_error("spheres: must have shape (n, 4) = (x, y, z, r) in voxel units");
  std::vector<micro::Sphere> out(static_cast<std::size_t>(a.shape(0)));
  auto r = a.unchecked<2>();
  for (pybind11::ssize_t i = 0; i < a.shape(0); ++i) out[i] = {r(i, 0), r(i, 1), r(i, 2), r(i, 3)};
  return out;
}

inline Doubles spheres_to(const std::vector<micro::Sphere>& s) {
  Doubles a({static_cast<pybind11::ssize_t>(s.size()), static_cast<pybind11::ssize_t>(4)});
  auto w = a.mutable_unchecked<2>();
  for (std::size_t i = 0; i < s.size(); ++i) {
    w(i, 0) = s[i].x;
    w(i, 1) = s[i].y;
    w(i, 2) = s[i].z;
    w(i, 3) = s[i].r;
  }
  return a;
}

inline std::vector<micro::Spheroid> spheroids_from(const Doubles& a) {
  if (a.ndim() != 2 || a.shape(1) != 8)
    throw pybind11::value_error(
        "spheroids: must have shape (n, 8) = (x, y, z, a, c, ux, uy, uz) in voxel units");
  std::vector<micro::Spheroid> out(static_cast<std::size_t>(a.shape(0)));
  auto r = a.unchecked<2>();
  for (pybind11::ssize_t i = 0; i < a.shape(0); ++i)
    out[i] = {r(i, 0), r(i, 1), r(i, 2), r(i, 3), r(i, 4), r(i, 5), r(i, 6), r(i, 7)};
  return out;
}

inline Doubles spheroids_to(const std::vector<micro::Spheroid>& s) {
  Doubles a({static_cast<pybind11::ssize_t>(s.size()), static_cast<pybind11::ssize_t>(8)});
  auto w = a.mutable_unchecked<2>();
  for (std::size_t i = 0; i < s.size(); ++i) {
    const double v[8] = {s[i].x, s[i].y, s[i].z, s[i].a, s[i].c, s[i].ux, s[i].uy, s[i].uz};
    for (int k = 0; k < 8; ++k) w(i, k) = v[k];
  }
  return a;
}

inline micro::RadiusDistribution radii_of(double mean, double log_sigma, double rmin, double rmax) {
  micro::RadiusDistribution d;
  d.mean_radius = mean;
  d.log_sigma = log_sigma;
  d.min_radius = rmin;
  d.max_radius = rmax;
  return d;
}

// The options of pack_spheres / SpherePacker from the bindings' flat arguments (one place, so
// the one-call packing and the chunked packer cannot drift apart).
inline micro::PackingOptions packing_options(double lx, double ly, double lz,
                                             double target_fraction, double mean_radius,
                                             double log_sigma, double min_radius,
                                             double max_radius, double start_fraction,
                                             double growth, double overlap_tolerance,
                                             std::int64_t max_sweeps, std::uint64_t seed,
                                             bool periodic_z, std::int64_t jam_sweeps) {
  micro::PackingOptions o;
  o.lx = lx;
  o.ly = ly;
  o.lz = lz;
  o.target_fraction = target_fraction;
  o.radii = radii_of(mean_radius, log_sigma, min_radius, max_radius);
  o.start_fraction = start_fraction;
  o.growth = growth;
  o.overlap_tolerance = overlap_tolerance;
  o.max_sweeps = max_sweeps;
  o.seed = seed;
  o.periodic_z = periodic_z;
  o.jam_sweeps = jam_sweeps;
  return o;
}

// The options of pack_spheroids / SpheroidPacker, likewise.
inline micro::SpheroidPackingOptions spheroid_packing_options(
    double lx, double ly, double lz, double target_fraction, double mean_radius,
    double log_sigma, double min_radius, double max_radius, double aspect_ratio, double kappa,
    double start_fraction, double growth, double overlap_tolerance, std::int64_t max_sweeps,
    std::uint64_t seed, bool periodic_z, bool rotate, double order_stiffness,
    std::int64_t stage_steps) {
  micro::SpheroidPackingOptions o;
  o.lx = lx;
  o.ly = ly;
  o.lz = lz;
  o.target_fraction = target_fraction;
  o.radii = radii_of(mean_radius, log_sigma, min_radius, max_radius);
  o.aspect_ratio = aspect_ratio;
  o.kappa = kappa;
  o.start_fraction = start_fraction;
  o.growth = growth;
  o.overlap_tolerance = overlap_tolerance;
  o.max_sweeps = max_sweeps;
  o.seed = seed;
  o.periodic_z = periodic_z;
  o.rotate = rotate;
  o.order_stiffness = order_stiffness;
  o.stage_steps = stage_steps;
  return o;
}

}  // namespace mesolith::bindings
