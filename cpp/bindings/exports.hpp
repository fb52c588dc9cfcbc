// One export_* function per engine; module.cpp gathers them.
#pragma once

#include <pybind11/pybind11.h>

namespace mesolith::bindings {

void export_core(pybind11::module_& m);  // build info, threads
void export_rng(pybind11::module_& m);   // Philox blocks and parallel fills
void export_bd(pybind11::module_& m);
void export_bd_pse(pybind11::module_& bd);  // PSE kernels, into the bd submodule
void export_kmc(pybind11::module_& m);   // kinetic Monte Carlo
void export_micro(pybind11::module_& m);  // microstructures and their properties
void export_sphere_packer(pybind11::module_& micro);  // chunked packing, into micro
void export_spheroid_packer(pybind11::module_& micro);  // chunked spheroid packing

}  // namespace mesolith::bindings
