// The small harness every C++ unit test uses: count failed checks, report, exit status.
#pragma once

#include <cstdio>
#include <cstdlib>

namespace mesolith::testing {

inline int& failures() {
  static int count = 0;
  return count;
}

inline void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "FAILED: %s\n", what);
    ++failures();
  }
}

// Return value for main(): prints a summary line when everything passed.
inline int finish(const char* test_name) {
  if (failures() == 0) std::printf("%s: all checks passed\n", test_name);
  return failures() == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

}  // namespace mesolith::testing
