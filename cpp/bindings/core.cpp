// Bindings: build information and thread control.
#include <pybind11/stl.h>

#include "exports.hpp"
#include "mesolith/build_info.hpp"
#include "mesolith/parallel.hpp"

namespace py = pybind11;

namespace mesolith::bindings {

void export_core(py::module_& m) {
  m.def(
      "build_info",
      [] {
        const BuildInfo b = build_info();
        py::dict d;
        d["version"] = b.version;
        d["git_hash"] = b.git_hash;
        d["build_type"] = b.build_type;
        d["compiler"] = b.compiler;
        d["openmp"] = has_openmp();
        d["openmp_version"] = b.openmp_version;
        d["native"] = b.native;
        d["sanitizers"] = b.sanitizers;
        return d;
      },
      "Version, git hash, build type, compiler and flags of this build.");
  m.def("max_threads", &max_threads, "Threads the next parallel region will use.");
  m.def(
      "set_num_threads",
      [](int n) {
        if (n < 1) throw py::value_error("threads = " + std::to_string(n) + ": must be >= 1");
        set_num_threads(n);
      },
      py::arg("n"), "Set the number of OpenMP threads for later calls.");
}

}  // namespace mesolith::bindings
