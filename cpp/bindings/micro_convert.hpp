// Array conversions shared by the micro bindings (spheres as (n, 4) arrays, radius laws).
#pragma once

#include <pybind11/numpy.h>

#include <vector>

#include "mesolith/micro/spheres.hpp"

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

inline micro::RadiusDistribution radii_of(double mean, double log_sigma, double rmin, double rmax) {
  micro::RadiusDistribution d;
  d.mean_radius = mean;
  d.log_sigma = log_sigma;
  d.min_radius = rmin;
  d.max_radius = rmax;
  return d;
}

}  // namespace mesolith::bindings
