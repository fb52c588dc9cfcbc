// The compiled module mesolith._core: gathers the export_* functions of each engine.
#include "exports.hpp"

PYBIND11_MODULE(_core, m) {
  m.doc() = "mesolith compiled core (C++17/OpenMP); use the mesolith Python package instead.";
  m.attr("__version__") = MESOLITH_VERSION_STRING;
  mesolith::bindings::export_core(m);
  mesolith::bindings::export_rng(m);
  mesolith::bindings::export_bd(m);
  mesolith::bindings::export_kmc(m);
  mesolith::bindings::export_micro(m);
}
