#include "mesolith/bd/dlca.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <stdexcept>
#include <string>

#include "mesolith/rng.hpp"

namespace mesolith::bd {

namespace {

struct Cluster {
  std::vector<std::uint32_t> members;
  double inverse_sum = 0.0;  // sum_i 1/a_i + sum_{i != j} 1/r_ij
  double diffusion = 1.0;    // D_c / D_0 = a_min / R_h
  std::size_t live_index = 0;
};

class Aggregator {
 public:
  Aggregator(const std::vector<double>& x, const std::vector<double>& radii, const DlcaParams& p,
             const std::vector<std::uint32_t>& initial)
      : p_(p), n_(radii.size()), a_(radii), wx_(x), ux_(x), rng_(p.seed, 0) {
    if (x.size() != 3 * n_) throw std::invalid_argument("dlca: positions must be N x 3");
    if (n_ == 0) throw std::invalid_argument("dlca: no particles");
    if (!(p.box > 0.0) || !(p.step > 0.0) || !std::isfinite(p.box) || !std::isfinite(p.step))
      throw std::invalid_argument("dlca: box and step must be finite and > 0");
    const double a_max = *std::max_element(a_.begin(), a_.end());
    if (!(a_max > 0.0) || *std::min_element(a_.begin(), a_.end()) <= 0.0)
      throw std::invalid_argument("dlca: radii must be > 0");
    a_max_ = a_max;
    if (2.0 * a_max + p.step >= p.box / 2.0)
      throw std::invalid_argument("dlca: box must exceed 2 (step + 2 a_max)");
    for (double& v : wx_) v = wrap(v);
    // Cells at least one interaction range wide, but no more than about 64 per particle: a
    // dilute system in a huge box would otherwise ask for (box / range)^3 empty cells (and
    // overflow the count); wider cells only put more pairs in each.
    const double per_side = std::floor(p.box / (p.step + 2.0 * a_max));
    const double cap = std::max(3.0, std::floor(std::cbrt(64.0 * static_cast<double>(n_))));
    nc_ = static_cast<long>(std::min(per_side, cap));
    if (nc_ < 3) nc_ = 1;  // fewer than 3 cells per side: one cell, every pair checked
    edge_ = p.box / static_cast<double>(nc_);
    cells_.assign(static_cast<std::size_t>(nc_ * nc_ * nc_), {});
    cell_of_.resize(n_);
    slot_.resize(n_);
    for (std::uint32_t i = 0; i < n_; ++i) insert(i);
    check_overlaps();
    owner_.resize(n_);
    clusters_.resize(n_);
    for (std::uint32_t i = 0; i < n_; ++i) {
      owner_[i] = i;
      clusters_[i].members = {i};
      clusters_[i].inverse_sum = 1.0 / a_[i];
      clusters_[i].diffusion = 1.0 / a_[i];  // D/D_0 = a_min / R_h with R_h = a_i
      clusters_[i].live_index = i;
      live_.push_back(i);
    }
    if (!initial.empty()) join_initial(initial);
    refresh_dmax();
  }

  // Start from given rigid clusters: particles with the same label form one cluster, in
  // the relative positions given (unwrapped).
  void join_initial(const std::vector<std::uint32_t>& label) {
    if (label.size() != n_) throw std::invalid_argument("dlca: labels must have N entries");
    std::vector<std::uint32_t> first(n_, UINT32_MAX);
    for (std::uint32_t i = 0; i < n_; ++i) {
      if (label[i] >= n_) throw std::invalid_argument("dlca: labels must be < N");
      std::uint32_t& head = first[label[i]];
      if (head == UINT32_MAX) {
        head = i;
        continue;
      }
      Cluster& c = clusters_[head];
      double cross = 0.0;
      for (std::uint32_t q : c.members) {
        double r2 = 0.0;
        for (int k = 0; k < 3; ++k) r2 += std::pow(ux_[3 * q + k] - ux_[3 * i + k], 2);
        cross += 1.0 / std::sqrt(r2);
      }
      c.inverse_sum += 1.0 / a_[i] + 2.0 * cross;
      c.members.push_back(i);
      owner_[i] = head;
      const double m = static_cast<double>(c.members.size());
      c.diffusion = c.inverse_sum / (m * m);  // 1 / R_h
      const std::size_t pos = clusters_[i].live_index;
      live_[pos] = live_.back();
      clusters_[live_[pos]].live_index = pos;
      live_.pop_back();
      clusters_[i].members.clear();
    }
  }

  DlcaResult run() {
    DlcaResult r;
    while (live_.size() > std::max<std::size_t>(p_.target_clusters, 1)) {
      if (p_.max_attempts && r.attempts >= p_.max_attempts) break;
      if (p_.max_time > 0.0 && time_ >= p_.max_time) break;
      ++r.attempts;
      time_ += p_.step * p_.step / (6.0 * dmax_ * static_cast<double>(live_.size()));
      const std::uint32_t c = live_[rng_.below(static_cast<std::uint32_t>(live_.size()))];
      const double accept = clusters_[c].diffusion / dmax_;
      if (accept < 1.0 && rng_.uniform() >= accept) continue;
      ++r.moves;
      move(c, r);
    }
    r.time = time_;
    r.clusters = live_.size();
    r.positions = ux_;
    // labels by decreasing cluster size (ties by smallest member)
    std::vector<std::uint32_t> order(live_.begin(), live_.end());
    std::sort(order.begin(), order.end(), [&](std::uint32_t s, std::uint32_t t) {
      const auto ns = clusters_[s].members.size(), nt = clusters_[t].members.size();
      if (ns != nt) return ns > nt;
      return clusters_[s].members.front() < clusters_[t].members.front();
    });
    r.labels.resize(n_);
    for (std::size_t k = 0; k < order.size(); ++k)
      for (std::uint32_t i : clusters_[order[k]].members) r.labels[i] = static_cast<std::uint32_t>(k);
    return r;
  }

 private:
  double wrap(double v) const {
    v -= p_.box * std::floor(v / p_.box);
    return v >= p_.box ? 0.0 : v;
  }
  double image(double d) const { return d - p_.box * std::nearbyint(d / p_.box); }
  long cell_index(double v) const {
    const long c = static_cast<long>(v / edge_);
    return std::min(std::max(c, 0L), nc_ - 1);
  }
  std::size_t cell_of_point(const double* x) const {
    return static_cast<std::size_t>((cell_index(x[0]) * nc_ + cell_index(x[1])) * nc_ +
                                    cell_index(x[2]));
  }
  void insert(std::uint32_t i) {
    const std::size_t c = cell_of_point(&wx_[3 * i]);
    cell_of_[i] = c;
    slot_[i] = cells_[c].size();
    cells_[c].push_back(i);
  }
  void erase(std::uint32_t i) {
    auto& v = cells_[cell_of_[i]];
    const std::uint32_t last = v.back();
    v[slot_[i]] = last;
    slot_[last] = slot_[i];
    v.pop_back();
  }

  template <class F>
  void for_neighbours(std::uint32_t i, F&& f) const {
    for_neighbours_of(&wx_[3 * i], f);
  }

  template <class F>
  void for_neighbours_of(const double* x, F&& f) const {
    const long ci = cell_index(x[0]), cj = cell_index(x[1]), ck = cell_index(x[2]);
    const long r = nc_ >= 3 ? 1 : 0;
    for (long di = -r; di <= r; ++di)
      for (long dj = -r; dj <= r; ++dj)
        for (long dk = -r; dk <= r; ++dk) {
          const long a = (ci + di + nc_) % nc_, b = (cj + dj + nc_) % nc_,
                     c = (ck + dk + nc_) % nc_;
          for (std::uint32_t j : cells_[static_cast<std::size_t>((a * nc_ + b) * nc_ + c)]) f(j);
        }
  }

  void check_overlaps() const {
    for (std::uint32_t i = 0; i < n_; ++i)
      for_neighbours(i, [&](std::uint32_t j) {
        if (j <= i) return;
        double d2 = 0.0;
        for (int k = 0; k < 3; ++k) {
          const double d = image(wx_[3 * i + k] - wx_[3 * j + k]);
          d2 += d * d;
        }
        const double s = a_[i] + a_[j];
        if (d2 < s * s * (1.0 - 1e-12))
          throw std::invalid_argument("dlca: particles " + std::to_string(i) + " and " +
                                      std::to_string(j) + " overlap");
      });
  }

  void refresh_dmax() {
    dmax_ = 0.0;
    for (std::uint32_t c : live_) dmax_ = std::max(dmax_, clusters_[c].diffusion);
  }

  void move(std::uint32_t c, DlcaResult& r) {
    const double uz = 2.0 * rng_.uniform() - 1.0;
    const double phi = rng::kTwoPi * rng_.uniform();
    const double s = std::sqrt(std::max(0.0, 1.0 - uz * uz));
    const double u[3] = {s * std::cos(phi), s * std::sin(phi), uz};
    double t_hit = p_.step;
    std::uint32_t hit_i = 0, hit_j = 0;
    bool hit = false;
    for (std::uint32_t i : clusters_[c].members) {
      for_neighbours(i, [&](std::uint32_t j) {
        if (owner_[j] == c) return;
        double d[3], d2 = 0.0, b = 0.0;
        for (int k = 0; k < 3; ++k) {
          d[k] = image(wx_[3 * i + k] - wx_[3 * j + k]);
          d2 += d[k] * d[k];
          b += d[k] * u[k];
        }
        if (b >= 0.0) return;  // moving apart (or sideways): no contact ahead
        const double sum = a_[i] + a_[j];
        const double c0 = d2 - sum * sum;
        double t;
        if (c0 <= 0.0) {
          t = 0.0;  // in contact already (round-off) and approaching
        } else {
          const double disc = b * b - c0;
          if (disc < 0.0) return;
          t = c0 / (-b + std::sqrt(disc));  // smaller root of t^2 + 2 b t + c0, stable form
        }
        if (t < t_hit || (t == t_hit && hit && j < hit_j)) {
          t_hit = t;
          hit_i = i;
          hit_j = j;
          hit = true;
        }
      });
    }
    for (std::uint32_t i : clusters_[c].members) {
      erase(i);
      for (int k = 0; k < 3; ++k) {
        wx_[3 * i + k] = wrap(wx_[3 * i + k] + t_hit * u[k]);
        ux_[3 * i + k] += t_hit * u[k];
      }
      insert(i);
    }
    if (hit) {
      merge(c, owner_[hit_j], hit_i, hit_j, r);
    } else if (p_.rotation && clusters_[c].members.size() > 1) {
      rotate(c, r);
    }
  }

  // Positions of cluster c's members (unwrapped, in member order) rotated by phi about
  // `axis` through `centre`, from the start positions x0.
  static void rotated(const std::vector<double>& x0, const double* centre, const double* k,
                      double phi, std::vector<double>& out) {
    const double c = std::cos(phi), s = std::sin(phi);
    out.resize(x0.size());
    for (std::size_t q = 0; q < x0.size(); q += 3) {
      const double v[3] = {x0[q] - centre[0], x0[q + 1] - centre[1], x0[q + 2] - centre[2]};
      const double kv = k[0] * v[0] + k[1] * v[1] + k[2] * v[2];
      const double kxv[3] = {k[1] * v[2] - k[2] * v[1], k[2] * v[0] - k[0] * v[2],
                             k[0] * v[1] - k[1] * v[0]};
      for (int d = 0; d < 3; ++d)
        out[q + d] = centre[d] + v[d] * c + kxv[d] * s + k[d] * kv * (1.0 - c);
    }
  }

  // Smallest gap^2 - sum^2 test: first (member, other) pair that overlaps at positions x,
  // or the pair with the smallest surface gap when `closest` is set.
  bool overlaps(std::uint32_t c, const std::vector<double>& x, std::uint32_t& pi,
                std::uint32_t& pj, bool closest = false) const {
    const auto& mem = clusters_[c].members;
    double best = 1e300;
    bool found = false;
    for (std::size_t m = 0; m < mem.size(); ++m) {
      const std::uint32_t i = mem[m];
      const double w[3] = {wrap(x[3 * m]), wrap(x[3 * m + 1]), wrap(x[3 * m + 2])};
      for_neighbours_of(w, [&](std::uint32_t j) {
        if (owner_[j] == c) return;
        double d2 = 0.0;
        for (int k = 0; k < 3; ++k) {
          const double d = image(w[k] - wx_[3 * j + k]);
          d2 += d * d;
        }
        const double sum = a_[i] + a_[j];
        const double gap = std::sqrt(d2) - sum;
        if (closest ? gap < best : (d2 < sum * sum && !found)) {
          best = gap;
          pi = i;
          pj = j;
          found = true;
        }
      });
      if (found && !closest) return true;
    }
    return found;
  }

  void place(std::uint32_t c, const std::vector<double>& x) {
    const auto& mem = clusters_[c].members;
    for (std::size_t m = 0; m < mem.size(); ++m) {
      const std::uint32_t i = mem[m];
      erase(i);
      for (int k = 0; k < 3; ++k) {
        ux_[3 * i + k] = x[3 * m + k];
        wx_[3 * i + k] = wrap(x[3 * m + k]);
      }
      insert(i);
    }
  }

  void rotate(std::uint32_t c, DlcaResult& r) {
    const auto& mem = clusters_[c].members;
    const double rh = 1.0 / clusters_[c].diffusion;
    const double theta = p_.step * std::sqrt(3.0) / (2.0 * rh);
    const double kz = 2.0 * rng_.uniform() - 1.0;
    const double kphi = rng::kTwoPi * rng_.uniform();
    const double ks = std::sqrt(std::max(0.0, 1.0 - kz * kz));
    const double axis[3] = {ks * std::cos(kphi), ks * std::sin(kphi), kz};
    std::vector<double> x0(3 * mem.size()), x;
    double centre[3] = {0, 0, 0};
    for (std::size_t m = 0; m < mem.size(); ++m)
      for (int k = 0; k < 3; ++k) {
        x0[3 * m + k] = ux_[3 * mem[m] + k];
        centre[k] += x0[3 * m + k] / static_cast<double>(mem.size());
      }
    double reach = 0.0;
    for (std::size_t q = 0; q < x0.size(); q += 3)
      reach = std::max(reach, std::hypot(x0[q] - centre[0], x0[q + 1] - centre[1],
                                         x0[q + 2] - centre[2]));
    // A cluster that could reach its own periodic image spans the box (a gel): it no
    // longer rotates, which also keeps it from overlapping its images.
    if (2.0 * (reach + a_max_) >= p_.box) return;
    const auto pieces = static_cast<std::size_t>(std::ceil(theta * reach / 0.25)) + 1;
    std::uint32_t i = 0, j = 0;
    double lo = 0.0;
    for (std::size_t s = 1; s <= pieces; ++s) {
      const double hi = theta * static_cast<double>(s) / static_cast<double>(pieces);
      rotated(x0, centre, axis, hi, x);
      if (!overlaps(c, x, i, j)) {
        lo = hi;
        continue;
      }
      double top = hi;  // bisect [lo, top] to the contact angle
      for (int it = 0; it < 200 && top - lo > 1e-12; ++it) {
        const double mid = 0.5 * (lo + top);
        rotated(x0, centre, axis, mid, x);
        if (overlaps(c, x, i, j)) top = mid; else lo = mid;
      }
      rotated(x0, centre, axis, lo, x);
      place(c, x);
      overlaps(c, x, i, j, true);  // the pair that touches
      merge(c, owner_[j], i, j, r);
      return;
    }
    place(c, x);
  }

  // Merge cluster b into a (or a into b, whichever is smaller moves in unwrapped space),
  // i in a and j in b in contact.
  void merge(std::uint32_t a, std::uint32_t b, std::uint32_t i, std::uint32_t j, DlcaResult& r) {
    double d[3];
    for (int k = 0; k < 3; ++k) d[k] = image(wx_[3 * i + k] - wx_[3 * j + k]);
    if (clusters_[a].members.size() < clusters_[b].members.size()) {
      std::swap(a, b);
      std::swap(i, j);
      for (double& v : d) v = -v;
    }
    // now b (the smaller) is shifted by a whole number of boxes so that
    // ux_i - ux_j equals the minimum-image contact vector d.
    double shift[3];
    for (int k = 0; k < 3; ++k) {
      const double s = ux_[3 * i + k] - d[k] - ux_[3 * j + k];
      shift[k] = p_.box * std::nearbyint(s / p_.box);
    }
    Cluster& ca = clusters_[a];
    Cluster& cb = clusters_[b];
    for (std::uint32_t q : cb.members)
      for (int k = 0; k < 3; ++k) ux_[3 * q + k] += shift[k];
    double cross = 0.0;
    for (std::uint32_t p : ca.members)
      for (std::uint32_t q : cb.members) {
        double r2 = 0.0;
        for (int k = 0; k < 3; ++k) {
          const double e = ux_[3 * p + k] - ux_[3 * q + k];
          r2 += e * e;
        }
        cross += 1.0 / std::sqrt(r2);
      }
    ca.inverse_sum += cb.inverse_sum + 2.0 * cross;
    for (std::uint32_t q : cb.members) owner_[q] = a;
    ca.members.insert(ca.members.end(), cb.members.begin(), cb.members.end());
    const double m = static_cast<double>(ca.members.size());
    const double rh = m * m / ca.inverse_sum;
    ca.diffusion = 1.0 / rh;
    // remove b from the live list
    const std::size_t pos = cb.live_index;
    live_[pos] = live_.back();
    clusters_[live_[pos]].live_index = pos;
    live_.pop_back();
    std::vector<std::uint32_t>().swap(cb.members);
    refresh_dmax();

    double cm[3] = {0, 0, 0};
    for (std::uint32_t q : ca.members)
      for (int k = 0; k < 3; ++k) cm[k] += ux_[3 * q + k];
    for (double& v : cm) v /= m;
    double rg2 = 0.0;
    for (std::uint32_t q : ca.members)
      for (int k = 0; k < 3; ++k) {
        const double e = ux_[3 * q + k] - cm[k];
        rg2 += e * e;
      }
    r.merges.push_back({time_, static_cast<std::uint32_t>(ca.members.size()), std::sqrt(rg2 / m),
                        rh});
  }

  DlcaParams p_;
  std::size_t n_;
  std::vector<double> a_, wx_, ux_;
  rng::Stream rng_;
  long nc_ = 1;
  double edge_ = 1.0;
  std::vector<std::vector<std::uint32_t>> cells_;
  std::vector<std::size_t> cell_of_, slot_;
  std::vector<std::uint32_t> owner_, live_;
  std::vector<Cluster> clusters_;
  double dmax_ = 1.0;
  double a_max_ = 1.0;
  double time_ = 0.0;
};

}  // namespace

DlcaResult run_dlca(const std::vector<double>& positions, const std::vector<double>& radii,
                    const DlcaParams& p, const std::vector<std::uint32_t>& initial) {
  Aggregator agg(positions, radii, p, initial);
  return agg.run();
}

}  // namespace mesolith::bd
