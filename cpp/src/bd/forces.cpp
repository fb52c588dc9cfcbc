#include "mesolith/bd/forces.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace mesolith::bd {

namespace {
constexpr double kTwoSixth = 1.122462048309373;  // 2^(1/6)

// Shifted WCA in a gap h with range d: energy and dU/dh.
PairTerm shifted_wca(double h, double eps, double d) {
  const double rho = h + d;
  if (rho >= kTwoSixth * d) return {};
  const double rr = std::max(rho, 1e-6 * d);
  const double s6 = std::pow(d / rr, 6);
  return {4.0 * eps * (s6 * s6 - s6) + eps, -24.0 * eps * (2.0 * s6 * s6 - s6) / rr};
}
}  // namespace

PairTerm pair_term(double r, double ai, double aj, int si, int sj, const ForceParams& p) {
  const double sum = ai + aj;
  const double h = r - sum;
  PairTerm out = shifted_wca(h, p.repulsion_energy, p.repulsion_range);
  if (p.dlvo_cutoff_gap <= 0.0 || h >= p.dlvo_cutoff_gap) return out;
  const bool clamped = h < p.min_gap;
  const double hc = clamped ? p.min_gap : h;
  const double rc = sum + hc;
  if (!p.hamaker.empty()) {
    // U = -A/6 [2 ai aj/(r^2 - s^2) + 2 ai aj/(r^2 - d^2) + ln((r^2 - s^2)/(r^2 - d^2))]
    const double a_h = p.hamaker[static_cast<std::size_t>(si) * p.n_species + sj];
    const double r2 = rc * rc;
    const double x = r2 - sum * sum;
    const double y = r2 - (ai - aj) * (ai - aj);
    const double two_ab = 2.0 * ai * aj;
    out.energy += -a_h / 6.0 * (two_ab / x + two_ab / y + std::log(x / y));
    if (!clamped)
      out.dudr += -a_h / 6.0 *
                  (-2.0 * rc * two_ab / (x * x) - 2.0 * rc * two_ab / (y * y) + 2.0 * rc / x -
                   2.0 * rc / y);
  }
  if (!p.surface_potential.empty() && p.double_layer_prefactor > 0.0) {
    // U = pi e e0 ai aj/(ai+aj) [(psi_i+psi_j)^2 ln(1+e^-kh) + (psi_i-psi_j)^2 ln(1-e^-kh)]
    const double pi_ = p.surface_potential[static_cast<std::size_t>(si)];
    const double pj = p.surface_potential[static_cast<std::size_t>(sj)];
    const double pre = p.double_layer_prefactor * ai * aj / sum;
    const double e = std::exp(-p.debye_kappa * hc);
    const double plus = (pi_ + pj) * (pi_ + pj), minus = (pi_ - pj) * (pi_ - pj);
    out.energy += pre * (plus * std::log1p(e) + minus * std::log1p(-e));
    if (!clamped)
      out.dudr += pre * p.debye_kappa * e * (-plus / (1.0 + e) + minus / (1.0 - e));
  }
  return out;
}

PairTerm wall_term(double z, double a, const ForceParams& p) {
  if (!p.wall) return {};
  return shifted_wca(z - a, p.repulsion_energy, p.repulsion_range);
}

double pair_cutoff(double a_max, const ForceParams& p) {
  double gap = (kTwoSixth - 1.0) * p.repulsion_range;
  gap = std::max(gap, p.dlvo_cutoff_gap);
  return 2.0 * a_max + gap;
}

ForceField::ForceField(ForceParams params, std::vector<double> radii, std::vector<int> species,
                       std::vector<double> external)
    : params_(std::move(params)),
      radii_(std::move(radii)),
      species_(std::move(species)),
      external_(std::move(external)) {
  const std::size_t n = radii_.size();
  const std::size_t s = params_.n_species;
  if (species_.size() != n || external_.size() != 3 * n)
    throw std::invalid_argument("species/external sizes do not match radii");
  for (int sp : species_)
    if (sp < 0 || static_cast<std::size_t>(sp) >= s)
      throw std::invalid_argument("species index out of range");
  if (!params_.hamaker.empty() && params_.hamaker.size() != s * s)
    throw std::invalid_argument("hamaker table must be n_species^2");
  if (!params_.surface_potential.empty() && params_.surface_potential.size() != s)
    throw std::invalid_argument("surface_potential must have n_species entries");
  if (!params_.bondable.empty() && params_.bondable.size() != s * s)
    throw std::invalid_argument("bondable table must be n_species^2");
  if (!(params_.repulsion_range > 0.0)) throw std::invalid_argument("repulsion_range must be > 0");
  for (double a : radii_) a_max_ = std::max(a_max_, a);
}

void ForceField::set_bonds(std::vector<Bond> bonds) {
  for (auto& b : bonds) {
    if (b.first > b.second) std::swap(b.first, b.second);
    if (b.second >= radii_.size() || b.first == b.second)
      throw std::invalid_argument("bond index out of range");
  }
  std::sort(bonds.begin(), bonds.end());
  bonds.erase(std::unique(bonds.begin(), bonds.end()), bonds.end());
  bonds_ = std::move(bonds);
}

void ForceField::build_cells(const double* x, double cutoff) const {
  const std::size_t n = radii_.size();
  double lo[3] = {x[0], x[1], x[2]}, hi[3] = {x[0], x[1], x[2]};
  for (std::size_t i = 1; i < n; ++i)
    for (int d = 0; d < 3; ++d) {
      lo[d] = std::min(lo[d], x[3 * i + d]);
      hi[d] = std::max(hi[d], x[3 * i + d]);
    }
  // Cells no smaller than the cut-off, and no more cells than about 2 N (sparse clouds).
  double size = std::max(cutoff, 1e-12);
  for (;;) {
    long total = 1;
    for (int d = 0; d < 3; ++d) {
      dims_[d] = std::max(1L, static_cast<long>((hi[d] - lo[d]) / size) + 1);
      total *= dims_[d];
    }
    if (total <= static_cast<long>(2 * n + 64)) break;
    size *= 1.26;
  }
  cell_size_ = size;
  for (int d = 0; d < 3; ++d) origin_[d] = lo[d];
  const std::size_t ncell = static_cast<std::size_t>(dims_[0] * dims_[1] * dims_[2]);
  cell_of_.resize(n);
  cell_start_.assign(ncell + 1, 0);
  for (std::size_t i = 0; i < n; ++i) {
    long c[3];
    for (int d = 0; d < 3; ++d)
      c[d] = std::min(dims_[d] - 1, static_cast<long>((x[3 * i + d] - lo[d]) / size));
    cell_of_[i] = static_cast<std::uint32_t>((c[2] * dims_[1] + c[1]) * dims_[0] + c[0]);
    ++cell_start_[cell_of_[i] + 1];
  }
  for (std::size_t c = 0; c < ncell; ++c) cell_start_[c + 1] += cell_start_[c];
  cell_items_.resize(n);
  std::vector<std::uint32_t> fill(cell_start_.begin(), cell_start_.end() - 1);
  for (std::size_t i = 0; i < n; ++i) cell_items_[fill[cell_of_[i]]++] = static_cast<std::uint32_t>(i);
}

namespace {
// Neighbour cells of particle i's cell, in a fixed order; calls visit(j) for every j.
template <typename Visit>
void visit_neighbours(std::uint32_t cell, const long* dims, const std::vector<std::uint32_t>& start,
                      const std::vector<std::uint32_t>& items, Visit visit) {
  const long cx = cell % dims[0];
  const long cy = (cell / dims[0]) % dims[1];
  const long cz = cell / (dims[0] * dims[1]);
  for (long dz = -1; dz <= 1; ++dz) {
    const long z = cz + dz;
    if (z < 0 || z >= dims[2]) continue;
    for (long dy = -1; dy <= 1; ++dy) {
      const long y = cy + dy;
      if (y < 0 || y >= dims[1]) continue;
      for (long dx = -1; dx <= 1; ++dx) {
        const long x = cx + dx;
        if (x < 0 || x >= dims[0]) continue;
        const std::size_t c = static_cast<std::size_t>((z * dims[1] + y) * dims[0] + x);
        for (std::uint32_t k = start[c]; k < start[c + 1]; ++k) visit(items[k]);
      }
    }
  }
}
}  // namespace

double ForceField::compute(const double* x, double* f) const {
  const std::size_t n = radii_.size();
  const double cutoff = pair_cutoff(a_max_, params_);
  build_cells(x, cutoff);
  std::vector<double> energy_i(n, 0.0);
#pragma omp parallel for schedule(dynamic, 64) if (n > 2000)
  for (std::size_t i = 0; i < n; ++i) {
    double fi[3] = {external_[3 * i], external_[3 * i + 1], external_[3 * i + 2]};
    double e = -(external_[3 * i] * x[3 * i] + external_[3 * i + 1] * x[3 * i + 1] +
                 external_[3 * i + 2] * x[3 * i + 2]);
    visit_neighbours(cell_of_[i], dims_, cell_start_, cell_items_, [&](std::uint32_t j) {
      if (j == i) return;
      const double d[3] = {x[3 * j] - x[3 * i], x[3 * j + 1] - x[3 * i + 1],
                           x[3 * j + 2] - x[3 * i + 2]};
      const double r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
      if (r2 >= cutoff * cutoff) return;
      const double r = std::sqrt(r2);
      const PairTerm t = pair_term(r, radii_[i], radii_[j], species_[i], species_[j], params_);
      e += 0.5 * t.energy;
      // force on i = -dU/dr * (x_i - x_j)/r = dU/dr * d / r
      const double s = t.dudr / std::max(r, 1e-300);
      for (int k = 0; k < 3; ++k) fi[k] += s * d[k];
    });
    const PairTerm w = wall_term(x[3 * i + 2], radii_[i], params_);
    e += w.energy;
    fi[2] -= w.dudr;
    for (int k = 0; k < 3; ++k) f[3 * i + k] = fi[k];
    energy_i[i] = e;
  }
  double energy = 0.0;
  for (double e : energy_i) energy += e;
  // Bonds: few, summed serially in their sorted order.
  for (const Bond& b : bonds_) {
    const std::size_t i = b.first, j = b.second;
    const double d[3] = {x[3 * j] - x[3 * i], x[3 * j + 1] - x[3 * i + 1],
                         x[3 * j + 2] - x[3 * i + 2]};
    const double r = std::sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
    const double stretch = r - (radii_[i] + radii_[j]);
    energy += 0.5 * params_.bond_stiffness * stretch * stretch;
    const double s = params_.bond_stiffness * stretch / std::max(r, 1e-300);
    for (int k = 0; k < 3; ++k) {
      f[3 * i + k] += s * d[k];
      f[3 * j + k] -= s * d[k];
    }
  }
  return energy;
}

std::vector<Bond> ForceField::close_pairs(const double* x, double cutoff) const {
  const std::size_t n = radii_.size();
  build_cells(x, cutoff);
  std::vector<Bond> out;
  for (std::size_t i = 0; i < n; ++i) {
    visit_neighbours(cell_of_[i], dims_, cell_start_, cell_items_, [&](std::uint32_t j) {
      if (j <= i) return;
      double r2 = 0.0;
      for (int k = 0; k < 3; ++k) r2 += (x[3 * j + k] - x[3 * i + k]) * (x[3 * j + k] - x[3 * i + k]);
      if (r2 < cutoff * cutoff) out.emplace_back(static_cast<std::uint32_t>(i), j);
    });
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::pair<std::size_t, std::size_t> ForceField::update_bonds(const double* x) {
  if (params_.bondable.empty() || params_.bond_stiffness <= 0.0) return {0, 0};
  std::size_t broken = 0, formed = 0;
  std::vector<Bond> kept;
  kept.reserve(bonds_.size());
  for (const Bond& b : bonds_) {
    double r2 = 0.0;
    for (int k = 0; k < 3; ++k)
      r2 += (x[3 * b.second + k] - x[3 * b.first + k]) * (x[3 * b.second + k] - x[3 * b.first + k]);
    const double tension =
        params_.bond_stiffness * (std::sqrt(r2) - radii_[b.first] - radii_[b.second]);
    if (params_.bond_break_force > 0.0 && tension > params_.bond_break_force)
      ++broken;
    else
      kept.push_back(b);
  }
  const double cutoff = 2.0 * a_max_ + params_.bond_capture_gap;
  for (const Bond& b : close_pairs(x, cutoff)) {
    const std::size_t s = params_.n_species;
    if (!params_.bondable[static_cast<std::size_t>(species_[b.first]) * s + species_[b.second]])
      continue;
    double r2 = 0.0;
    for (int k = 0; k < 3; ++k)
      r2 += (x[3 * b.second + k] - x[3 * b.first + k]) * (x[3 * b.second + k] - x[3 * b.first + k]);
    if (std::sqrt(r2) - radii_[b.first] - radii_[b.second] >= params_.bond_capture_gap) continue;
    if (std::binary_search(bonds_.begin(), bonds_.end(), b)) continue;
    kept.push_back(b);
    ++formed;
  }
  std::sort(kept.begin(), kept.end());
  bonds_ = std::move(kept);
  return {formed, broken};
}

}  // namespace mesolith::bd
