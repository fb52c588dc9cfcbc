// Matrix-free preconditioned conjugate gradients (multigrid or Jacobi) for voxel conduction.
//
// Reductions are summed per x-slab in a fixed order and then over slabs serially, so the
// result is bit-identical for any OpenMP thread count.
#include "mesolith/micro/transport.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <sstream>
#include <vector>

#include "mesolith/micro/connectivity.hpp"
#include "conduction_operator.hpp"
#include "multigrid.hpp"

namespace mesolith::micro {
using detail::GeneralStencil;
using detail::Multigrid;
using detail::PaddedGrid;
using detail::UniformStencil;

namespace {

void check_inputs(const Shape& shape, const std::array<double, 256>& phase_conductivity,
                  const TransportOptions& options) {
  check_shape(shape);
  check_axis(options.axis);
  if (!(options.rtol > 0.0 && options.rtol < 1.0))
    throw std::invalid_argument("rtol must be in (0, 1)");
  // The multigrid coarse levels hold conductances as floats: outside [1e-30, 1e30] they
  // under- or overflow and the preconditioner turns NaN (a subnormal or 1e100 conductivity
  // did in fuzzing). No material is that far from 1 in SI units.
  for (double s : phase_conductivity)
    if (!(s == 0.0 || (s >= kMinConductivity && s <= kMaxConductivity)))
      throw std::invalid_argument("phase conductivities must be 0 or in [1e-30, 1e30]");
}

// Periodic flags of the three axes: the side axes when asked, never the transport axis.
void side_flags(const TransportOptions& o, bool out[3]) {
  for (int a = 0; a < 3; ++a) out[a] = o.periodic_sides && a != o.axis;
}

std::int64_t axis_coord(int axis, std::int64_t x, std::int64_t y, std::int64_t z) {
  return axis == 0 ? x : axis == 1 ? y : z;
}

// The unknowns' coefficients on the padded grid, in one of the two stencil forms.
struct System {
  PaddedGrid grid;
  int axis = 0;
  double face_lo = 1.0, face_hi = 1.0;  // Dirichlet faces present (1) or no-flux (0)
  bool uniform = true;
  double sigma = 1.0;                   // uniform: the common conductivity
  std::vector<std::uint8_t> code;       // padded: diagonal (uniform) or phase code
  int inactive = 0;
  std::vector<double> gtab, gbound;     // general
  std::vector<float> inv_d;             // general: inverse diagonal for the smoother

  // Conductance between inner cell i and ONE Dirichlet face (half a voxel). A volume one
  // voxel thick along the axis touches both faces: the source b and each flux see only one.
  double face_conductance(std::size_t i) const { return uniform ? 2.0 : gbound[code[i]]; }
  bool active(std::size_t i) const { return uniform ? code[i] != 0 : code[i] != inactive; }
  std::size_t bytes() const {
    return code.size() + inv_d.size() * sizeof(float);
  }
};

// active: unpadded unknown mask (freed here).
System make_system(const std::uint8_t* labels, const Shape& shape,
                   const std::array<double, 256>& phase_conductivity, const TransportOptions& o,
                   double face_lo, std::vector<std::uint8_t>& active) {
  System sys;
  sys.grid = PaddedGrid(shape);
  side_flags(o, sys.grid.periodic);
  sys.axis = o.axis;
  sys.face_lo = face_lo;
  const std::size_t n = shape.size();
  // Distinct conductivities of the unknowns: one value gives the integer (uniform) stencil.
  std::array<int, 256> code_of{};
  code_of.fill(-1);
  std::vector<double> sigma;
  // Only conducting labels can be active: the scan stops once all of them have a code.
  int unseen = 0;
  for (double c : phase_conductivity) unseen += c > 0.0;
  for (std::size_t i = 0; i < n && unseen > 0; ++i)
    if (active[i] && code_of[labels[i]] < 0) {
      code_of[labels[i]] = static_cast<int>(sigma.size());
      sigma.push_back(phase_conductivity[labels[i]]);
      --unseen;
    }
  sys.uniform = true;
  for (double s : sigma) sys.uniform &= s == sigma.front();
  sys.sigma = sigma.empty() ? 1.0 : sigma.front();
  const PaddedGrid& g = sys.grid;
  sys.code.assign(g.size, 0);
  if (!sys.uniform) {
    sys.inactive = static_cast<int>(sigma.size());
    std::fill(sys.code.begin(), sys.code.end(), static_cast<std::uint8_t>(sys.inactive));
  }
  const Shape& s = shape;
#pragma omp parallel for schedule(static) if (n >= (1u << 15))
  for (std::int64_t x = 0; x < s.nx; ++x)
    for (std::int64_t y = 0; y < s.ny; ++y)
      for (std::int64_t z = 0; z < s.nz; ++z) {
        const std::size_t i = s.index(x, y, z);
        if (active[i])
          sys.code[g.at(x, y, z)] =
              static_cast<std::uint8_t>(sys.uniform ? 1 : code_of[labels[i]]);
      }
  std::vector<std::uint8_t>().swap(active);
  g.halo(sys.code);
  const int axis = o.axis;
  if (sys.uniform) {
    // Diagonal = active neighbours + 2 per Dirichlet face, written in place over the 1s:
    // only the neighbours' non-zero-ness is read and every unknown keeps a diagonal >= 1.
    // Even x-slabs first, then odd ones, so no slab is rewritten while a neighbour reads it.
    for (int parity = 0; parity < 2; ++parity) {
#pragma omp parallel for schedule(static) if (n >= (1u << 15))
      for (std::int64_t x = parity; x < s.nx; x += 2)
        detail::for_slab(g, x, [&](std::int64_t xx, std::int64_t y, std::int64_t z,
                                   std::size_t i) {
          if (!sys.code[i]) return;
          int d = 0;
          for (int a = 0; a < 3; ++a)
            d += (sys.code[i - g.stride(a)] != 0) + (sys.code[i + g.stride(a)] != 0);
          const std::int64_t ca = axis_coord(axis, xx, y, z);
          d += static_cast<int>(2 * ((ca == 0 ? sys.face_lo : 0.0) +
                                     (ca == s.extent(axis) - 1 ? sys.face_hi : 0.0)));
          sys.code[i] = static_cast<std::uint8_t>(std::max(d, 1));
        });
    }
    g.halo(sys.code);
    return sys;
  }
  const int k = sys.inactive + 1;
  sys.gtab.assign(static_cast<std::size_t>(k) * k, 0.0);
  sys.gbound.assign(static_cast<std::size_t>(k), 0.0);
  for (int a = 0; a < sys.inactive; ++a) {
    sys.gbound[a] = 2.0 * sigma[a];
    for (int b = 0; b < sys.inactive; ++b)
      sys.gtab[static_cast<std::size_t>(a) * k + b] =
          2.0 * sigma[a] * sigma[b] / (sigma[a] + sigma[b]);
  }
  sys.inv_d.assign(g.size, 0.0f);
  return sys;
}

GeneralStencil general_stencil(const System& sys) {
  GeneralStencil st;
  st.grid = &sys.grid;
  st.code = sys.code.data();
  st.inactive = sys.inactive;
  st.axis = sys.axis;
  st.gtab = sys.gtab.data();
  st.gbound = sys.gbound.data();
  st.face_lo = sys.face_lo;
  st.face_hi = sys.face_hi;
  st.inv_d = sys.inv_d.data();
  return st;
}

void fill_inverse_diagonal(System& sys, const GeneralStencil& st) {
  const PaddedGrid& g = sys.grid;
#pragma omp parallel for schedule(static) if (g.inner.size() >= (1u << 15))
  for (std::int64_t x = 0; x < g.inner.nx; ++x)
    detail::for_slab(g, x, [&](std::int64_t xx, std::int64_t y, std::int64_t z, std::size_t i) {
      const double d = st.diag(xx, y, z, i);
      sys.inv_d[i] = d > 0.0 ? static_cast<float>(1.0 / d) : 0.0f;
    });
  g.halo(sys.inv_d);
}

struct PcgOutcome {
  std::int64_t iterations = 0;
  double residual = 0.0;  // ||r|| / ||b||
  std::size_t bytes = 0;  // working memory of vectors and preconditioner
};

// Preconditioned CG on A x = b for the stencil st. On entry r = b - A x0 (padded, ghosts
// current); x itself is not stored: track(alpha, p) is called for every step
// x += alpha p so the caller can follow the parts of x it needs. bnorm = ||b||.
template <typename S, typename Track>
PcgOutcome run_pcg(const S& st, const PaddedGrid& g, std::vector<double>& r, double bnorm,
                   const TransportOptions& options, const char* what, Track track) {
  const std::size_t n = g.size;
  std::vector<double> p(n, 0.0), w(n, 0.0);
  PcgOutcome out;
  out.bytes = 3 * n * sizeof(double);
  if (!(bnorm > 0.0)) return out;
  std::unique_ptr<Multigrid<S>> mg;
  bool odd_periodic = false;
  for (int a = 0; a < 3; ++a) odd_periodic |= g.periodic[a] && g.inner.extent(a) % 2 != 0;
  if (options.preconditioner == Preconditioner::Multigrid && !odd_periodic) {
    mg = std::make_unique<Multigrid<S>>(st, g, options.axis);
    out.bytes += mg->bytes();
  }
  auto precondition = [&]() {  // w = M^-1 r; returns r . w
    if (mg) return mg->apply(r, w);
    return detail::reduce(g, [&](std::int64_t, std::int64_t, std::int64_t, std::size_t i) {
      w[i] = st.active(i) ? r[i] * st.inv_diag(i) : 0.0;
      return r[i] * w[i];
    });
  };
  const bool par = g.inner.size() >= (1u << 15);
  double rnorm = std::sqrt(detail::reduce(
      g, [&](std::int64_t, std::int64_t, std::int64_t, std::size_t i) { return r[i] * r[i]; }));
  double rz = precondition();
  p = w;
  g.halo(p);

  const Shape& shape = g.inner;
  const std::int64_t max_it = options.max_iterations > 0
                                  ? options.max_iterations
                                  : 50 * (shape.nx + shape.ny + shape.nz) + 1000;
  std::int64_t it = 0;
  while (rnorm > options.rtol * bnorm && it < max_it) {
    const double pq = detail::apply_operator(st, p, w);
    if (!(pq > 0.0 && rz > 0.0 && std::isfinite(pq) && std::isfinite(rz)))
      throw NotConverged("conduction solve broke down (non-positive curvature): relative "
                         "residual " + std::to_string(rnorm / bnorm), rnorm / bnorm, it);
    const double alpha = rz / pq;
    track(alpha, p);
    rnorm = std::sqrt(
        detail::reduce(g, [&](std::int64_t, std::int64_t, std::int64_t, std::size_t i) {
          r[i] -= alpha * w[i];
          return r[i] * r[i];
        }));
    g.halo(r);
    ++it;
    if (rnorm <= options.rtol * bnorm) break;
    const double rz_new = precondition();
    const double beta = rz_new / rz;
    rz = rz_new;
#pragma omp parallel for schedule(static) if (par)
    for (std::int64_t x = 0; x < shape.nx; ++x)
      detail::for_slab(g, x, [&](std::int64_t, std::int64_t, std::int64_t, std::size_t i) {
        p[i] = w[i] + beta * p[i];
      });
    g.halo(p);
  }
  out.iterations = it;
  out.residual = rnorm / bnorm;
  if (!(rnorm <= options.rtol * bnorm)) {
    std::ostringstream msg;
    msg << what << " along axis " << options.axis << " did not converge: relative residual "
        << out.residual << " > rtol " << options.rtol << " after " << it << " iterations";
    throw NotConverged(msg.str(), out.residual, it);
  }
  return out;
}

// Run the solve with the stencil that fits sys (uniform or general).
template <typename Body>
auto with_stencil(System& sys, Body body) {
  if (sys.uniform) return body(UniformStencil(sys.grid, sys.code.data()));
  GeneralStencil st = general_stencil(sys);
  fill_inverse_diagonal(sys, st);
  return body(st);
}

// Inner cells of the layer ca along the axis, as padded indices (fixed order).
std::vector<std::size_t> layer_cells(const PaddedGrid& g, int axis, std::int64_t ca) {
  std::vector<std::size_t> cells;
  const Shape& s = g.inner;
  std::int64_t lo[3] = {0, 0, 0}, hi[3] = {s.nx, s.ny, s.nz};
  lo[axis] = ca;
  hi[axis] = ca + 1;
  for (std::int64_t x = lo[0]; x < hi[0]; ++x)
    for (std::int64_t y = lo[1]; y < hi[1]; ++y)
      for (std::int64_t z = lo[2]; z < hi[2]; ++z) cells.push_back(g.at(x, y, z));
  return cells;
}

}  // namespace

TransportResult solve_conduction(const std::uint8_t* labels, const Shape& shape,
                                 const std::array<double, 256>& phase_conductivity,
                                 const TransportOptions& options) {
  check_inputs(shape, phase_conductivity, options);
  const std::size_t n = shape.size();
  TransportResult result;

  // Conducting voxels and the cluster spanning both Dirichlet faces.
  std::vector<std::uint8_t> active(n);
  for (std::size_t i = 0; i < n; ++i) active[i] = phase_conductivity[labels[i]] > 0.0;
  {
    std::vector<std::uint8_t> spanning(n);
    bool per[3];
    side_flags(options, per);
    result.unknowns = spanning_cluster(active.data(), shape, options.axis, spanning.data(), per);
    active.swap(spanning);
  }
  result.percolates = result.unknowns > 0;
  if (!result.percolates) return result;
  System sys = make_system(labels, shape, phase_conductivity, options, 1.0, active);
  const PaddedGrid& g = sys.grid;
  const int axis = options.axis;
  const std::int64_t nax = shape.extent(axis);

  const std::vector<std::size_t> lo = layer_cells(g, axis, 0), hi = layer_cells(g, axis, nax - 1);
  std::vector<double> x_lo(lo.size()), x_hi(hi.size());
  double bnorm2 = 0.0;
  PcgOutcome pcg = with_stencil(sys, [&](const auto& st) {
    // r = b - A x0 for the linear profile x0 between the Dirichlet values; b from the c = 1
    // face. x0 is built in r's place, A x0 in the scratch vector.
    std::vector<double> r(g.size, 0.0), ax(g.size, 0.0);
#pragma omp parallel for schedule(static) if (n >= (1u << 15))
    for (std::int64_t x = 0; x < shape.nx; ++x)
      detail::for_slab(g, x, [&](std::int64_t xx, std::int64_t y, std::int64_t z,
                                 std::size_t i) {
        const std::int64_t ca = axis_coord(axis, xx, y, z);
        r[i] = sys.active(i) ? 1.0 - (static_cast<double>(ca) + 0.5) / static_cast<double>(nax)
                             : 0.0;
      });
    g.halo(r);
    detail::apply_operator(st, r, ax);
    for (std::size_t k = 0; k < lo.size(); ++k) x_lo[k] = r[lo[k]];
    for (std::size_t k = 0; k < hi.size(); ++k) x_hi[k] = r[hi[k]];
    bnorm2 = detail::reduce(g, [&](std::int64_t xx, std::int64_t y, std::int64_t z,
                                   std::size_t i) {
      const std::int64_t ca = axis_coord(axis, xx, y, z);
      const double b = (sys.active(i) && ca == 0) ? sys.face_conductance(i) : 0.0;
      r[i] = b - ax[i];
      return b * b;
    });
    std::vector<double>().swap(ax);
    g.halo(r);
    return run_pcg(st, g, r, std::sqrt(bnorm2), options, "conduction solve",
                   [&](double alpha, const std::vector<double>& p) {
                     for (std::size_t k = 0; k < lo.size(); ++k) x_lo[k] += alpha * p[lo[k]];
                     for (std::size_t k = 0; k < hi.size(); ++k) x_hi[k] += alpha * p[hi[k]];
                   });
  });
  result.iterations = pcg.iterations;
  result.residual = pcg.residual;
  result.working_bytes = pcg.bytes + sys.bytes() + (lo.size() + hi.size()) * 16;

  // Fluxes through the two Dirichlet faces (they agree to the solver tolerance).
  double fin = 0.0, fout = 0.0;
  for (std::size_t k = 0; k < lo.size(); ++k)
    if (sys.active(lo[k])) fin += sys.face_conductance(lo[k]) * (1.0 - x_lo[k]);
  for (std::size_t k = 0; k < hi.size(); ++k)
    if (sys.active(hi[k])) fout += sys.face_conductance(hi[k]) * x_hi[k];
  const double scale = sys.uniform ? sys.sigma : 1.0;
  result.flux_in = scale * fin;
  result.flux_out = scale * fout;
  const double area = static_cast<double>(shape.size()) / static_cast<double>(nax);
  result.effective_conductivity =
      0.5 * (result.flux_in + result.flux_out) * static_cast<double>(nax) / area;
  if (!std::isfinite(result.effective_conductivity))
    throw std::overflow_error("conduction solve: the flux overflows the double range; phase "
                              "conductivities are too large");
  return result;
}

SourceResult solve_with_source(const std::uint8_t* labels, const Shape& shape,
                               const std::array<double, 256>& phase_conductivity,
                               const double* source, const TransportOptions& options) {
  check_inputs(shape, phase_conductivity, options);
  const std::size_t n = shape.size();
  SourceResult result;
  // Conducting voxels connected to the Dirichlet face (the last layer along the axis).
  std::vector<std::uint8_t> active(n);
  for (std::size_t i = 0; i < n; ++i) active[i] = phase_conductivity[labels[i]] > 0.0;
  {
    std::vector<std::uint8_t> reached(n);
    bool per[3];
    side_flags(options, per);
    result.unknowns = reach_from_face(active.data(), shape, options.axis, 1, reached.data(), per);
    active.swap(reached);
  }
  if (result.unknowns == 0) return result;
  // No flux through the first face.
  System sys = make_system(labels, shape, phase_conductivity, options, 0.0, active);
  const PaddedGrid& g = sys.grid;
  // The source on the padded grid (zero outside the unknowns); x0 = 0 so r = b.
  std::vector<double> s(g.size, 0.0);
  result.source_total = 0.0;
  for (std::int64_t x = 0; x < shape.nx; ++x)
    detail::for_slab(g, x, [&](std::int64_t xx, std::int64_t y, std::int64_t z, std::size_t i) {
      if (sys.active(i)) {
        s[i] = source[shape.index(xx, y, z)];
        result.source_total += s[i];
      }
    });
  const double bnorm = std::sqrt(detail::reduce(
      g, [&](std::int64_t, std::int64_t, std::int64_t, std::size_t i) { return s[i] * s[i]; }));
  g.halo(s);
  // psi . s = sum over steps of alpha (p . s): the solution itself is never stored.
  double energy = 0.0;
  std::vector<double> r = s;
  PcgOutcome pcg = with_stencil(sys, [&](const auto& st) {
    return run_pcg(st, g, r, bnorm, options, "source-driven solve",
                   [&](double alpha, const std::vector<double>& p) {
                     energy += alpha * detail::reduce(
                                           g, [&](std::int64_t, std::int64_t, std::int64_t,
                                                  std::size_t i) { return p[i] * s[i]; });
                   });
  });
  result.iterations = pcg.iterations;
  result.residual = pcg.residual;
  // Uniform stencils solve sigma^-1 A; psi = psi_int / sigma.
  result.energy = sys.uniform ? energy / sys.sigma : energy;
  if (!std::isfinite(result.energy))  // e.g. a subnormal conductivity (found by fuzzing)
    throw std::overflow_error("source-driven solve: the dissipated power overflows the double "
                              "range; phase conductivities are too small or too large");
  return result;
}

}  // namespace mesolith::micro
