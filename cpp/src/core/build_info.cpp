#include "mesolith/build_info.hpp"

#ifndef MESOLITH_VERSION_STRING
#define MESOLITH_VERSION_STRING "0.0.0"
#endif
#ifndef MESOLITH_GIT_HASH
#define MESOLITH_GIT_HASH "unknown"
#endif
#ifndef MESOLITH_BUILD_TYPE
#define MESOLITH_BUILD_TYPE "unknown"
#endif
#ifndef MESOLITH_NATIVE_FLAG
#define MESOLITH_NATIVE_FLAG 0
#endif
#ifndef MESOLITH_SANITIZE_FLAG
#define MESOLITH_SANITIZE_FLAG 0
#endif

namespace mesolith {

BuildInfo build_info() {
  BuildInfo info;
  info.version = MESOLITH_VERSION_STRING;
  info.git_hash = MESOLITH_GIT_HASH;
  info.build_type = MESOLITH_BUILD_TYPE;
#if defined(__clang__)
  info.compiler = std::string("clang ") + __clang_version__;
#elif defined(__GNUC__)
  info.compiler = std::string("gcc ") + __VERSION__;
#else
  info.compiler = "unknown";
#endif
#ifdef _OPENMP
  info.openmp_version = _OPENMP;
#else
  info.openmp_version = 0;
#endif
  info.native = MESOLITH_NATIVE_FLAG != 0;
  info.sanitizers = MESOLITH_SANITIZE_FLAG != 0;
  return info;
}

}  // namespace mesolith
