// Conservative forces between slurry particles, in any consistent units
// (the engine uses reduced units: length = reference radius, energy = kT).
//
//  - steep repulsion: a WCA potential in the surface gap h = r - a_i - a_j,
//      U = 4 e [(d/(h+d))^12 - (d/(h+d))^6] + e   for h + d < 2^(1/6) d,
//    i.e. the Weeks-Chandler-Andersen form shifted so that it acts only
//    within 0.12 d of contact (d = repulsion range);
//  - van der Waals between unequal spheres (Hamaker, Physica 4, 1058, 1937);
//  - screened double layer at constant potential, Derjaguin approximation
//    (Hogg, Healy, Fuerstenau, Trans. Faraday Soc. 62, 1638, 1966);
//  - harmonic binder bonds that form when two bondable surfaces come within a
//    capture gap and break when their tension exceeds a force;
//  - a constant force per particle (gravity minus buoyancy) and an optional
//    repulsive wall at z = 0 (the same shifted WCA form in the gap z - a_i).
// Both DLVO terms use h clamped to >= min_gap, the usual cut-off that stands
// for the Stern layer / surface roughness; inside it they exert no force.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace mesolith::bd {

struct ForceParams {
  std::size_t n_species = 1;
  double repulsion_energy = 1.0;  // e
  double repulsion_range = 0.1;   // d
  std::vector<double> hamaker;    // n_species^2, energy; empty = no van der Waals
  std::vector<double> surface_potential;  // n_species, volts; empty = no double layer
  double double_layer_prefactor = 0.0;    // pi eps_r eps_0 in energy / (length V^2)
  double debye_kappa = 1.0;               // inverse Debye length
  double min_gap = 1e-3;                  // DLVO regularisation gap
  double dlvo_cutoff_gap = 0.0;           // DLVO acts for gaps below this (0 = off)
  std::vector<unsigned char> bondable;    // n_species^2: 1 if bonds may form
  double bond_stiffness = 0.0;            // energy / length^2
  double bond_break_force = 0.0;          // energy / length; <= 0 means unbreakable
  double bond_capture_gap = 0.0;          // bonds form for gaps below this
  bool wall = false;                      // repulsive wall at z = 0
};

// Energy and radial derivative dU/dr of one pair (without bonds).
struct PairTerm {
  double energy = 0.0;
  double dudr = 0.0;
};
PairTerm pair_term(double r, double ai, double aj, int si, int sj, const ForceParams& p);

// Wall energy and dU/dz for a particle of radius a at height z.
PairTerm wall_term(double z, double a, const ForceParams& p);

// Largest centre distance at which pair_term can be non-zero for radii <= a_max.
double pair_cutoff(double a_max, const ForceParams& p);

using Bond = std::pair<std::uint32_t, std::uint32_t>;  // i < j

// Forces and energy of a configuration. Neighbours come from a cell list
// rebuilt on every call; each particle sums its own pair forces in a fixed
// order, so the result is identical for any thread count.
class ForceField {
 public:
  ForceField(ForceParams params, std::vector<double> radii, std::vector<int> species,
             std::vector<double> external);  // external: N x 3 constant forces

  // Writes forces (N x 3) and returns the potential energy (pairs + bonds + wall + external).
  double compute(const double* positions, double* forces) const;

  // Form bonds between bondable particles within the capture gap, break bonds
  // whose tension exceeds the break force. Returns (formed, broken).
  std::pair<std::size_t, std::size_t> update_bonds(const double* positions);

  const std::vector<Bond>& bonds() const { return bonds_; }
  void set_bonds(std::vector<Bond> bonds);
  std::size_t size() const { return radii_.size(); }
  const std::vector<double>& radii() const { return radii_; }
  const ForceParams& params() const { return params_; }

  // Every pair (i < j) with centre distance below `cutoff`, sorted.
  std::vector<Bond> close_pairs(const double* positions, double cutoff) const;

 private:
  void build_cells(const double* positions, double cutoff) const;

  ForceParams params_;
  std::vector<double> radii_;
  std::vector<int> species_;
  std::vector<double> external_;
  std::vector<Bond> bonds_;
  double a_max_ = 0.0;
  // cell list (mutable: rebuilt per call)
  mutable std::vector<std::uint32_t> cell_start_, cell_items_;
  mutable std::vector<std::uint32_t> cell_of_;
  mutable double origin_[3] = {0, 0, 0};
  mutable double cell_size_ = 1.0;
  mutable long dims_[3] = {1, 1, 1};
};

}  // namespace mesolith::bd
