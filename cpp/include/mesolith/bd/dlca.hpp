// Off-lattice diffusion-limited cluster aggregation (DLCA) of rigid clusters.
//
// Spheres in a periodic cubic box stick irreversibly where they touch; every cluster
// then moves as one rigid body. This is the free-draining, irreversible-sticking
// limit of Brownian dynamics at the cluster level: hydrodynamic interactions between
// clusters are neglected, while each cluster diffuses with the Stokes-Einstein
// coefficient of its hydrodynamic radius in the Kirkwood approximation
//     1/R_h = (1/N^2) [ sum_i 1/a_i + sum_{i != j} 1/r_ij ]
// (Kirkwood & Riseman, J. Chem. Phys. 16, 565, 1948), so D_c = kT / (6 pi eta R_h).
// By default clusters only translate, as in the classical off-lattice DLCA of Meakin
// (Phys. Rev. Lett. 51, 1119, 1983) and Jullien & Kolb (J. Phys. A 17, L639, 1984),
// both of which give a fractal dimension d_f ~ 1.78 in 3D. With `rotation` on, each
// accepted move is followed by a rotation about the cluster's centroid, by the angle
// theta = step sqrt(3) / (2 R_h) about a random axis, so that <theta^2> per unit time is
// 6 D_r with the rotational coefficient of the same sphere, D_r = kT / (8 pi eta R_h^3).
// The rotation is applied in increments that move no sphere more than a quarter radius;
// the first increment that brings a sphere into overlap is bisected to the contact angle
// (to 1e-12 rad) and the clusters merge there. A cluster whose extent could reach its
// own periodic image (it spans the box) no longer rotates.
//
// Kinetic Monte Carlo of the Brownian motion: an attempt picks a cluster uniformly
// and accepts it with probability D_c / D_max; the accepted cluster moves by a
// fixed length `step` along a uniformly random direction, which gives each cluster
// the diffusion coefficient D_c on scales above `step` when the clock advances by
// step^2 / (6 D_max n_clusters) per attempt. The move is swept: the cluster stops at
// the first contact along its path (exact sphere-sphere contact time) and merges
// with the cluster it touched. Contacts of a cluster with its own periodic images
// are ignored (a cluster larger than the box is no longer a free aggregate).
//
// Lengths are in units of the smallest radius, time in a_min^2 / D_0 with
// D_0 = kT / (6 pi eta a_min). All draws come from one Philox stream keyed by the
// seed: the result is a function of the seed only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace mesolith::bd {

struct DlcaParams {
  double box = 50.0;                   // cubic periodic box edge
  double step = 1.0;                   // displacement per accepted move
  std::size_t target_clusters = 1;     // stop when this many clusters remain
  std::uint64_t max_attempts = 0;      // safety stop (0 = no limit)
  double max_time = 0.0;               // stop at this reduced time (0 = no limit)
  std::uint64_t seed = 0;
  bool rotation = false;               // rotational diffusion of the clusters
};

// One merge event: the cluster it produced.
struct DlcaMerge {
  double time = 0.0;
  std::uint32_t size = 0;      // particles in the new cluster
  double radius_of_gyration = 0.0;  // of the centres (point masses), unwrapped
  double hydrodynamic_radius = 0.0;  // Kirkwood
};

struct DlcaResult {
  std::vector<double> positions;      // N x 3, unwrapped: each cluster is contiguous
  std::vector<std::uint32_t> labels;  // cluster of each particle (0 .. n_clusters-1)
  std::vector<DlcaMerge> merges;
  std::uint64_t attempts = 0;
  std::uint64_t moves = 0;
  double time = 0.0;
  std::size_t clusters = 0;
};

// Aggregates the spheres (centres `positions`, N x 3, no overlaps). With `initial` cluster
// labels (N entries, < N), particles sharing a label start as one rigid cluster in the
// relative (unwrapped) positions given; empty: every particle starts alone.
DlcaResult run_dlca(const std::vector<double>& positions, const std::vector<double>& radii,
                    const DlcaParams& p, const std::vector<std::uint32_t>& initial = {});

}  // namespace mesolith::bd
