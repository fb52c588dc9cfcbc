// Thread-count control that works with and without OpenMP.
#pragma once

namespace mesolith {

// Threads an OpenMP parallel region would use now (1 without OpenMP).
int max_threads();

// Set the thread count for later parallel regions; n < 1 is rejected by the caller.
void set_num_threads(int n);

// True when the core was compiled with OpenMP.
bool has_openmp();

}  // namespace mesolith
