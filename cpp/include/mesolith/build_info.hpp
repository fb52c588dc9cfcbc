// What this build of the core is: version, compiler, flags, for `mesolith info`
// and for the provenance attributes of every results file.
#pragma once

#include <string>

namespace mesolith {

struct BuildInfo {
  std::string version;
  std::string git_hash;
  std::string build_type;
  std::string compiler;
  int openmp_version;  // _OPENMP date code, 0 without OpenMP
  bool native;         // compiled with -march=native
  bool sanitizers;     // compiled with ASan + UBSan
};

BuildInfo build_info();

}  // namespace mesolith
