// Kinetic Monte Carlo of Li+ insertion into a layered graphite host and Li metal plating
// on its surface, on one cubic lattice (spacing a, periodic in x and y, bounded in z):
//
//   z in [0, host_layers)        graphite host: graphene planes at even x (inert), galleries
//                                at odd x; Li hops in-plane (y, z) inside a gallery
//   z = host_layers - 1          edge sites: the only entry into the galleries
//   z in [host_layers, nz)       electrolyte (empty / Li+) and Li metal deposit
//   z = nz - 1                   reservoir layer held at the bulk Li+ occupancy
//
// Rates (all documented with references in docs/theory/kmc.md; f = e/kT):
//   Li+ hop (per empty neighbour)  k_e = D_e(T) / a^2, optionally capped (rate rescaling)
//   insertion of the Li+ above an empty edge site
//                                  k0_ins(T) exp(-alpha f eta),  eta = E - E_site - s_sigma
//   de-insertion to an empty site above
//                                  k0_ins(T) exp((1 - alpha) f eta)
//     E_site = E0 + (kT/e) ln((1 - p_ref)/p_ref) - (eps_in n_in + eps_out n_out)/e,
//     s_sigma = sigma_h Omega / F (stress-modified Butler-Volmer, Lu et al.)
//   host hop (per empty in-plane neighbour)
//                                  nu_h exp(-E_h/kT) w_in^n_in w_out^n_out, w = exp(eps/kT)
//   deposition of a supported Li+ (on the host surface or touching metal), only for
//   E < E_Li = (kT/e) ln(c/c_ref), the Li/Li+ potential at the bulk concentration (Nernst;
//   0 V at the reference concentration)
//                                  k0_pl(T) exp(-alpha_pl f (E - E_pl))
//   stripping of an exposed metal atom with m metal neighbours
//                                  k0_pl(T) exp(eps_m m / kT) exp((1 - alpha_pl) f (E - E_pl))
//     E_pl = (kT/e) ln((1 - p_ref)/p_ref) + 3 eps_m / e  (a kink atom is at equilibrium at 0 V)
//   adatom hop to an empty supported neighbour
//                                  nu_s exp(-E_s/kT) exp(eps_m m / kT)
//   reservoir: empty top site filled at k_e p, Li+ removed at k_e (1 - p)
// The three hop rates may be capped (min(rate, cap)): fast diffusive events far quicker
// than every reaction are slowed so that the reactions are reached in feasible event counts.
// Drives: potentiostatic; galvanostatic, where E follows the double-layer charge balance
// C_dl dE/dt = I_faradaic - I_applied from the open-circuit potential; pulsed (galvanostatic
// on/off or on/reverse).
#pragma once

#include <cstdint>
#include <vector>

#include "mesolith/kmc/rate_tree.hpp"
#include "mesolith/rng.hpp"

namespace mesolith::kmc {

enum SiteState : std::uint8_t {
  kEmpty = 0,     // electrolyte, no ion
  kIon = 1,       // electrolyte with Li+
  kMetal = 2,     // Li metal
  kHostEmpty = 3, // gallery site, empty
  kHostLi = 4,    // gallery site with Li
  kGraphene = 5,  // graphene plane (inert)
};

// Physical inputs in SI units (energies in eV, potentials in V vs Li/Li+).
struct AnodeParams {
  int nx = 8, ny = 8, nz = 24, host_layers = 12;
  double spacing = 5e-10;       // m
  double temperature = 298.15;  // K
  double reference_temperature = 298.15;  // K, where the reference rates below are given

  double concentration = 1000.0;            // mol/m^3, bulk Li+
  double reference_concentration = 1000.0;  // mol/m^3, standard state of E0 and 0 V
  double electrolyte_diffusivity = 3e-10;   // m^2/s at the reference temperature
  double electrolyte_activation = 0.15;     // eV
  double electrolyte_hop_cap = 0.0;         // 1/s; 0 = no cap

  double host_attempt_frequency = 1e13;  // 1/s
  double host_barrier = 0.45;            // eV
  double host_hop_cap = 0.0;             // 1/s; 0 = no cap
  double interaction_in_plane = -0.02;   // eV per NN pair in a gallery
  double interaction_interlayer = 0.03;  // eV per pair across a graphene plane (x +- 2)

  double insertion_exchange_current = 1.0;  // A/m^2 at the reference temperature
  double insertion_activation = 0.55;       // eV
  double insertion_alpha = 0.5;
  double insertion_potential = 0.12;        // V: E0, half filling of a non-interacting host
  double stress_shift = 0.0;                // V: sigma_h Omega / F

  double plating_exchange_current = 10.0;   // A/m^2 at the reference temperature
  double plating_activation = 0.30;         // eV
  double plating_alpha = 0.5;
  double metal_bond = -0.05;                // eV per Li-Li NN bond
  double surface_attempt_frequency = 1e13;  // 1/s
  double surface_barrier = 0.14;            // eV
  double surface_hop_cap = 0.0;             // 1/s; 0 = no cap
};

// Rate constants derived from AnodeParams at its temperature (1/s, V).
struct AnodeRates {
  double f;                 // e/kT, 1/V
  double ion_hop;           // per direction
  double ion_occupancy;     // bulk site fraction p
  double host_hop;          // at zero interaction
  double k0_insertion, k0_plating;
  double e_site_base;       // E0 + (kT/e) ln((1-p_ref)/p_ref) - s_sigma
  double e_plating;         // E_pl
  double e_lithium;         // Li/Li+ at the bulk concentration, (kT/e) ln(c/c_ref), V
  double surface_hop;       // at zero bonds
  double w_in[5], w_out[3], w_metal[7];
};
AnodeRates derive_rates(const AnodeParams& p);

enum class DriveMode : int { kPotentiostatic = 0, kGalvanostatic = 1, kPulsed = 2 };

struct Drive {
  DriveMode mode = DriveMode::kPotentiostatic;
  double potential = 0.1;      // V vs Li/Li+ (potentiostatic)
  double current = 0.0;        // A, > 0 charging (reduction: insertion + plating)
  double pulse_on = 1e-3;      // s
  double pulse_off = 3e-3;     // s
  double reverse_ratio = 0.0;  // off-phase current = -reverse_ratio * current
  double min_potential = -0.5, max_potential = 1.5;  // V, bracket of the galvanostat
  double double_layer_capacitance = 0.2;  // F/m^2 of the lattice's top area (galvanostat)
  double control_interval = 1e-3;         // s, longest time between potential updates
};

struct Sample {
  double time, potential, target_current, expected_current;
  double soc;                                        // host filling fraction
  std::int64_t inserted, plated;                     // net counts since the start
  std::int64_t ions;                                 // Li+ in the electrolyte
  std::uint64_t events;
};

// Everything besides the lattice that a restart needs to continue the same trajectory.
struct AnodeCheckpoint {
  double time = 0, potential = 0, target = 0, pending = -1;
  double e_start = 0, q_applied = 0, q_faradaic_start = 0, t_last_control = 0;
  bool pulse_high = true;
  double next_boundary = 0;
  std::uint64_t events = 0, rng_block = 0;
  int rng_words_used = 4;
  std::uint64_t counts[4] = {0, 0, 0, 0};
};

class AnodeModel {
 public:
  AnodeModel(const AnodeParams& params, std::uint64_t seed, std::uint64_t stream = 0);

  // Random initial state: host filled to `soc`, electrolyte at the bulk occupancy.
  void initialize(double soc);
  // Replace the state (one SiteState per site, index x + nx (y + ny z)).
  void set_state(const std::uint8_t* state);

  void set_drive(const Drive& drive);
  // Run until t_end or max_events; a sample is appended every `sample_interval` seconds.
  std::uint64_t run(double t_end, std::uint64_t max_events, double sample_interval);

  double time() const { return time_; }
  std::uint64_t events() const { return events_; }
  double potential() const { return potential_; }
  std::uint8_t* state() { return state_.data(); }
  std::size_t sites() const { return state_.size(); }
  const std::vector<Sample>& samples() const { return samples_; }
  void clear_samples() { samples_.clear(); }
  const AnodeRates& rates() const { return r_; }
  const AnodeParams& params() const { return p_; }
  const RateTree& tree() const { return tree_; }
  std::size_t host_sites() const { return host_sites_; }
  double soc() const;
  // Save / restore the scalars of a run (the lattice goes through state()/set_state()).
  // restore() must follow set_drive() and set_state() with the saved drive and lattice.
  AnodeCheckpoint checkpoint() const;
  void restore(const AnodeCheckpoint& c, const std::vector<Sample>& samples);

  // Expected (mean) reduction current at potential E for the present configuration, A.
  double expected_current(double potential) const;
  double site_rate(std::size_t i) const;
  // Event counts: insertions, de-insertions, depositions, strippings.
  const std::uint64_t* counts() const { return counts_; }

 private:
  struct CurrentSums {
    double insertion = 0, deinsertion = 0, deposition = 0, stripping = 0;
  };
  CurrentSums current_sums() const;
  CurrentSums mean_field_sums() const;
  double current_at(const CurrentSums& sums, double potential) const;
  template <class Visit>
  void channels(std::size_t i, Visit&& visit) const;
  int neighbours(std::size_t i, std::size_t* out) const;  // 6 cubic, bounded z
  bool in_host(std::size_t i) const { return i / nxy_ < static_cast<std::size_t>(p_.host_layers); }
  bool supported(std::size_t j, std::size_t ignore) const;
  int metal_neighbours(std::size_t i) const;
  double site_potential(std::size_t host_site) const;
  void fire(std::size_t i, double offset);
  void refresh_shell(std::size_t i, int radius);
  void rebuild();
  void start_drive();
  void update_potential();
  double open_circuit_potential() const;
  double faradaic_charge() const;
  double next_control_time() const;
  double phase_current() const;
  double next_phase_boundary() const;
  void record(double target);

  AnodeParams p_;
  AnodeRates r_;
  Drive drive_;
  std::size_t nxy_;
  std::size_t host_sites_ = 0;
  std::vector<std::uint8_t> state_;
  std::vector<std::uint32_t> stamp_;
  std::uint32_t stamp_now_ = 0;
  std::vector<std::size_t> touched_;
  RateTree tree_;
  rng::Stream rng_;
  double time_ = 0.0;
  double potential_ = 0.1;
  double target_ = 0.0;
  std::uint64_t events_ = 0;
  double capacitance_ = 1.0, e_start_ = 0.0, q_applied_ = 0.0, q_faradaic_start_ = 0.0;
  double t_last_control_ = 0.0;
  double pending_ = -1.0;
  bool pulse_high_ = true;      // pulsed drive: in the pulse (true) or the rest/reverse
  double next_boundary_ = 0.0;  // pulsed drive: time of the next phase change  // unit-exponential waiting "integrated rate" left; < 0: none drawn
  std::uint64_t counts_[4] = {0, 0, 0, 0};
  std::int64_t ions_ = 0, host_li_ = 0, metal_ = 0;
  std::vector<Sample> samples_;
};

}  // namespace mesolith::kmc
