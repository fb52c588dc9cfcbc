// libFuzzer harness for the steady conduction solves of the micro engine on tiny volumes.
// A solve must either converge or throw NotConverged; bad conductivities or tolerances must
// be refused with std::invalid_argument. A converged solve must satisfy:
//   - percolation exactly when the conducting voxels hold a cluster spanning the axis;
//   - flux in = flux out up to the residual (sum of the residual = flux_in - flux_out);
//   - 0 < sigma_eff <= mean conductivity (Wiener bound: the linear profile is a trial field
//     and harmonic face means never exceed arithmetic ones), which for one conducting phase
//     is the tortuosity factor tau = eps sigma / sigma_eff >= 1;
//   - the source-driven solve's energy psi . s = s^T A^-1 s is finite and >= 0.
#include <array>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <vector>

#include "fuzz_input.hpp"
#include "mesolith/micro/connectivity.hpp"
#include "mesolith/micro/transport.hpp"

using mesolith::fuzz::Input;
using mesolith::fuzz::finding;
using mesolith::fuzz::require;
using namespace mesolith::micro;

namespace {

constexpr double kRtol = 1e-10;
// Relative slack of the bounds: the conductivity contrast is at most 20 and the volumes are
// at most 6 voxels a side, so a 1e-10 residual moves the fluxes by far less than this.
constexpr double kSlack = 1e-6;

// ordinary: the conductivities in use come from the small set (contrast <= 20). Otherwise a
// bound value (1e-30 or 1e30) is in use, the contrast is up to 1e33 and conjugate gradients
// may honestly fail: then only the form of the answer is checked.
void check_conduction(const std::vector<std::uint8_t>& labels, const Shape& s,
                      const std::array<double, 256>& sigma, bool sigma_ok, bool ordinary,
                      const TransportOptions& o) {
  TransportResult r;
  try {
    r = solve_conduction(labels.data(), s, sigma, o);
  } catch (const NotConverged&) {
    require(sigma_ok, "NotConverged for conductivities that should be refused");
    require(o.max_iterations > 0 || !ordinary, "no convergence within the default iteration limit");
    return;
  } catch (const std::invalid_argument&) {
    require(!sigma_ok, "valid conductivities refused");
    return;
  } catch (const std::overflow_error&) {
    finding("overflow reported for conductivities within the accepted bounds");
  }
  require(sigma_ok, "invalid conductivities accepted");

  std::vector<std::uint8_t> active(s.size()), span(s.size());
  double mean = 0.0;
  std::size_t conducting = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    active[i] = sigma[labels[i]] > 0.0;
    conducting += active[i];
    mean += sigma[labels[i]];
  }
  mean /= static_cast<double>(s.size());
  bool per[3] = {false, false, false};
  for (int a = 0; a < 3; ++a) per[a] = o.periodic_sides && a != o.axis;
  const std::size_t spanning = spanning_cluster(active.data(), s, o.axis, span.data(), per);
  require(r.unknowns == spanning, "unknowns differ from the spanning cluster");
  require(r.percolates == (spanning > 0), "percolates differs from the spanning cluster");
  if (!r.percolates) {
    require(r.effective_conductivity == 0.0, "non-percolating volume conducts");
    return;
  }
  require(r.residual <= o.rtol, "a converged solve reports a residual above rtol");
  require(std::isfinite(r.flux_in) && std::isfinite(r.flux_out), "fluxes finite");
  // At a contrast of 1e33 a relative residual of 1e-10 bounds nothing about the weak phase:
  // only finiteness is required there (a documented limit of the residual criterion).
  if (!ordinary) {
    require(std::isfinite(r.effective_conductivity), "effective conductivity not finite");
    return;
  }
  require(std::fabs(r.flux_in - r.flux_out) <= kSlack * std::fabs(r.flux_in),
          "flux in and flux out differ beyond the solver tolerance");
  require(r.effective_conductivity > 0.0, "a percolating volume does not conduct");
  require(r.effective_conductivity <= mean * (1.0 + kSlack), "Wiener upper bound violated");
  // One conducting phase: tau = eps sigma / sigma_eff >= 1.
  double first = -1.0;
  bool uniform = true;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (active[i]) {
      if (first < 0.0) first = sigma[labels[i]];
      uniform &= sigma[labels[i]] == first;
    }
  if (uniform) {
    const double eps = static_cast<double>(conducting) / static_cast<double>(s.size());
    const double tau = eps * first / r.effective_conductivity;
    require(std::isfinite(tau) && tau >= 1.0 - kSlack, "tortuosity factor below 1");
  }
}

void check_source(const std::vector<std::uint8_t>& labels, const Shape& s,
                  const std::array<double, 256>& sigma, bool sigma_ok, bool ordinary,
                  const TransportOptions& o, Input& in) {
  std::vector<double> source(s.size());
  const bool zero = in.byte() % 8 == 0;
  for (auto& v : source) v = zero ? 0.0 : in.real(-1.0, 1.0);
  SourceResult r;
  try {
    r = solve_with_source(labels.data(), s, sigma, source.data(), o);
  } catch (const NotConverged&) {
    require(sigma_ok, "NotConverged for conductivities that should be refused");
    require(o.max_iterations > 0 || !ordinary, "no convergence within the default iteration limit");
    return;
  } catch (const std::invalid_argument&) {
    require(!sigma_ok, "valid conductivities refused");
    return;
  } catch (const std::overflow_error&) {
    finding("overflow reported for conductivities within the accepted bounds");
  }
  require(sigma_ok, "invalid conductivities accepted");
  require(std::isfinite(r.energy), "source energy finite");
  require(r.energy >= -1e-12 || !ordinary, "source energy >= 0");
  require(std::isfinite(r.source_total), "source total finite");
  if (zero) require(r.energy == 0.0, "zero source, non-zero energy");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Input in(data, size);
  const Shape s{in.integer(1, 6), in.integer(1, 6), in.integer(1, 6)};
  const int n_labels = static_cast<int>(in.integer(1, 4));
  std::vector<std::uint8_t> labels(s.size());
  for (auto& v : labels) v = static_cast<std::uint8_t>(in.byte() % n_labels);

  // Conductivities from a small set times one scale (contrast <= 20), sometimes a bad one.
  constexpr double kLevels[] = {0.0, 0.5, 1.0, 2.0, 10.0};
  const double scale = std::pow(10.0, static_cast<double>(in.integer(-3, 3)));
  std::array<double, 256> sigma{};
  for (int l = 0; l < n_labels; ++l) sigma[static_cast<std::size_t>(l)] = scale * kLevels[in.byte() % 5];
  bool sigma_ok = true, ordinary = true;
  if (in.byte() % 16 == 0) {
    // Negative, or inf / NaN / subnormal / huge, or one of the two bounds (valid).
    const double bad = in.byte() % 4 == 0 ? (in.flag() ? kMinConductivity : kMaxConductivity)
                                          : in.nasty(-1.0, -1e-300);
    const std::uint8_t label = in.byte();
    sigma[label] = bad;
    ordinary = label >= n_labels || bad == 0.0;
    sigma_ok = bad == 0.0 || (bad >= kMinConductivity && bad <= kMaxConductivity);
  }

  TransportOptions o;
  o.axis = static_cast<int>(in.integer(0, 2));
  o.preconditioner = in.flag() ? Preconditioner::Jacobi : Preconditioner::Multigrid;
  o.periodic_sides = in.flag();
  o.rtol = kRtol;
  // A small iteration cap sometimes, so that non-convergence is exercised too.
  o.max_iterations = in.flag() ? in.integer(1, 8) : 0;

  if (in.flag())
    check_conduction(labels, s, sigma, sigma_ok, ordinary, o);
  else
    check_source(labels, s, sigma, sigma_ok, ordinary, o, in);
  return 0;
}
