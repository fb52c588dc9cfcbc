// Array conversions shared by the micro bindings (spheres as (n, 4) and spheroids as (n, 8)
// arrays, radius laws).
#pragma once

#include <pybind11/numpy.h>

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

}  // namespace mesolith::bindings
