// Steady-state diffusion / conduction through a labelled voxel volume.
//
// Finite volumes on the voxel grid: each voxel holds one unknown; the conductance between two
// face neighbours is the harmonic mean 2 s_a s_b / (s_a + s_b) of their phase conductivities;
// Dirichlet values c = 1 and c = 0 sit on the outer faces of the first and last voxel layer
// along the transport axis (conductance 2 s over the half voxel); the four side faces carry no
// flux. Only voxels of the cluster that spans both Dirichlet faces are unknowns (isolated
// clusters, and clusters touching one face only, carry no steady flux; dead ends of the
// spanning cluster stay in). The system is solved by conjugate gradients,
// matrix-free, preconditioned by a geometric multigrid V-cycle (default) or Jacobi, to
// ||b - A x||_2 <= rtol ||b||_2, starting from the linear profile between the Dirichlet
// values. When all conducting voxels share one conductivity (the tortuosity solve) the
// matrix is that conductivity times an integer matrix whose diagonal fits in one byte per
// voxel; otherwise a one-byte phase code indexes a table of face conductances.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "mesolith/micro/grid.hpp"

namespace mesolith::micro {

// Raised when the solver stops before reaching its tolerance; carries the residual reached.
class NotConverged : public std::runtime_error {
 public:
  NotConverged(const std::string& what, double residual, std::int64_t iterations)
      : std::runtime_error(what), residual(residual), iterations(iterations) {}
  double residual;
  std::int64_t iterations;
};

enum class Preconditioner { Multigrid, Jacobi };

struct TransportOptions {
  int axis = 0;
  Preconditioner preconditioner = Preconditioner::Multigrid;
  double rtol = 1e-6;                 // relative residual ||r|| / ||b||
  std::int64_t max_iterations = 0;    // 0: 50 * (nx + ny + nz) + 1000
  // The four side faces wrap around instead of carrying no flux. Multigrid needs even
  // extents along them; with an odd one the Jacobi preconditioner is used instead.
  bool periodic_sides = false;
};

struct TransportResult {
  // Effective conductivity in the units of the phase conductivities (voxel size cancels).
  double effective_conductivity = 0.0;
  double flux_in = 0.0;     // total flux through the c = 1 face, conductivity * voxel units
  double flux_out = 0.0;    // total flux through the c = 0 face
  std::int64_t iterations = 0;
  double residual = 0.0;    // final ||r|| / ||b||
  std::size_t unknowns = 0; // voxels in the spanning cluster
  bool percolates = false;
  std::size_t working_bytes = 0;  // solver allocations held during the iterations
};

// Phase conductivities are 0 (insulating) or within these bounds (std::invalid_argument).
constexpr double kMinConductivity = 1e-30;
constexpr double kMaxConductivity = 1e30;

// Solve for the effective conductivity along options.axis. phase_conductivity[label] is 0 or
// in [kMinConductivity, kMaxConductivity] for every label 0..255 (0 = insulating). Throws
// NotConverged if the tolerance is not met, std::overflow_error if the flux leaves the double
// range.
TransportResult solve_conduction(const std::uint8_t* labels, const Shape& shape,
                                 const std::array<double, 256>& phase_conductivity,
                                 const TransportOptions& options);

struct SourceResult {
  double energy = 0.0;        // psi . s = the dissipated power for the source s
  double source_total = 0.0;  // sum of the source over the unknowns
  std::int64_t iterations = 0;
  double residual = 0.0;
  std::size_t unknowns = 0;   // conducting voxels connected to the Dirichlet face
};

// Steady conduction driven by a volumetric source: A psi = s on the conducting voxels
// connected to the last face along options.axis, where psi = 0 (half-voxel conductance);
// every other face carries no flux. Returns psi . s, which for a source of total 1 is the
// DC resistance the source distribution sees (used for the electrode tortuosity factor).
// Throws NotConverged above options.rtol, std::overflow_error if psi . s leaves the double
// range.
SourceResult solve_with_source(const std::uint8_t* labels, const Shape& shape,
                               const std::array<double, 256>& phase_conductivity,
                               const double* source, const TransportOptions& options);

// Bytes of working memory per voxel of the uniform (tortuosity) solve, ghost layers aside:
// three double vectors (residual, search direction, preconditioned residual / operator
// product; the solution is not stored, only its two Dirichlet layers), a one-byte code,
// and the coarse multigrid levels (5 floats + 2 doubles per coarse cell: 36 / 7 bytes per
// voxel over all levels). Multi-conductivity solves add a float inverse diagonal (4 bytes).
// TransportResult::working_bytes reports the exact figure for a solve.
constexpr double kSolverBytesPerVoxel = 3 * 8 + 1 + (5 * 4 + 2 * 8) / 7.0;

}  // namespace mesolith::micro
