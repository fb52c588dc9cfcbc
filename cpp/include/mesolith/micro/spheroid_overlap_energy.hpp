// Overlap energy of spheroids and its minimisation over centres and symmetry axes (FIRE), the
// relaxation step of the spheroid compression protocol (pack_spheroids).
//
// U = sum over overlapping pairs of (1 - sqrt(F))^2, F the Perram-Wertheim contact function,
// + sum over particles of (1 - z / h)^2 below the bottom wall and (1 - (lz - z) / h)^2 above
// the top one (h the half-height along z) + an order restraint W n (S - S0)^2 on the
// orientational order parameter S = <P2(u_z)> = <3 u_z^2 - 1> / 2 of the n axes, which keeps
// the alignment about z at the sampled S0 while single axes rotate freely.
#pragma once

#include <cstdint>
#include <vector>

#include "mesolith/micro/spheroids.hpp"

namespace mesolith::micro {

// F and its gradients for one pair at the maximising lambda (envelope theorem: the lambda
// dependence drops out of first derivatives). r = centre of B - centre of A.
struct PwGradient {
  double F = 0.0;       // contact function
  double lambda = 0.0;  // maximiser in [0, 1]
  double dr[3] = {};    // dF / dr (dF/dx_B = dr, dF/dx_A = -dr)
  double du_a[3] = {};  // dF / du_A (unconstrained; project on the tangent plane of u_A)
  double du_b[3] = {};  // dF / du_B
};

// Perram-Wertheim F by safeguarded Newton iteration on dF/dlambda = 0 (F is concave in
// lambda), converged to |dlambda| < 1e-12, with the analytic gradients above.
PwGradient perram_wertheim_gradient(const Spheroid& A, const Spheroid& B, const double r[3]);

struct OverlapMinimiseOptions {
  double lx = 64, ly = 64, lz = 64;
  bool periodic_z = false;
  double tolerance = 5e-3;           // stop once every 1 - sqrt(F) and wall overlap is <= this
  std::int64_t max_steps = 5000;     // FIRE steps before giving up
  bool rotate = true;                // false: axes fixed
  double order_stiffness = 0;        // W of the order restraint (0: none)
  double target_order = 0;           // S0
};

struct OverlapMinimiseResult {
  double max_overlap = 0.0;  // worst pair or wall overlap at the end
  std::int64_t steps = 0;
  bool converged = false;    // max_overlap <= tolerance
};

// Minimises U over centres (in units of each particle's equal-volume radius, so that one time
// step suits all sizes) and, with options.rotate, unit axes, by FIRE (Bitzek et al., PRL 97,
// 170201, 2006) until the worst overlap is within the tolerance. Serial: the result depends on
// the input only.
OverlapMinimiseResult minimise_overlap(std::vector<Spheroid>& p,
                                       const OverlapMinimiseOptions& options);

}  // namespace mesolith::micro
