// Matrix-free preconditioned conjugate gradients (multigrid or Jacobi) for voxel conduction.
//
// Reductions are summed per x-slab in a fixed order and then over slabs serially, so the
// result is bit-identical for any OpenMP thread count.
#include "mesolith/micro/transport.hpp"

#include <cmath>
#include <memory>
#include <string>
#include <sstream>
#include <vector>

#include "mesolith/micro/connectivity.hpp"
#include "conduction_operator.hpp"
#include "multigrid.hpp"

namespace mesolith::micro {
using detail::Operator;

namespace {

void check_inputs(const Shape& shape, const std::array<double, 256>& phase_conductivity,
                  const TransportOptions& options) {
  check_shape(shape);
  check_axis(options.axis);
  if (!(options.rtol > 0.0 && options.rtol < 1.0))
    throw std::invalid_argument("rtol must be in (0, 1)");
  for (double s : phase_conductivity)
    if (!(s >= 0.0) || !std::isfinite(s))
      throw std::invalid_argument("phase conductivities must be finite and >= 0");
}

// The operator on the voxels with active != 0 (phase codes, conductance tables).
Operator make_operator(const std::uint8_t* labels, const Shape& shape,
                       const std::array<double, 256>& phase_conductivity, int axis,
                       std::vector<std::uint8_t>& active) {
  const std::size_t n = shape.size();
  // Compact codes for the conducting labels present in the cluster.
  std::array<int, 256> code_of{};
  code_of.fill(-1);
  std::vector<double> sigma;
  for (std::size_t i = 0; i < n; ++i) {
    if (active[i] && code_of[labels[i]] < 0) {
      code_of[labels[i]] = static_cast<int>(sigma.size());
      sigma.push_back(phase_conductivity[labels[i]]);
    }
  }
  Operator op;
  op.shape = shape;
  op.axis = axis;
  op.inactive = static_cast<int>(sigma.size());
  const int k = op.inactive + 1;
  op.gtab.assign(static_cast<std::size_t>(k) * k, 0.0);
  op.gbound.assign(static_cast<std::size_t>(k), 0.0);
  for (int a = 0; a < op.inactive; ++a) {
    op.gbound[a] = 2.0 * sigma[a];
    for (int b = 0; b < op.inactive; ++b)
      op.gtab[static_cast<std::size_t>(a) * k + b] = 2.0 * sigma[a] * sigma[b] / (sigma[a] + sigma[b]);
  }
  op.code.resize(n);
  for (std::size_t i = 0; i < n; ++i)
    op.code[i] = static_cast<std::uint8_t>(active[i] ? code_of[labels[i]] : op.inactive);
  std::vector<std::uint8_t>().swap(active);
  return op;
}

// Periodic flags of the three axes: the side axes when asked, never the transport axis.
void side_flags(const TransportOptions& o, bool out[3]) {
  for (int a = 0; a < 3; ++a) out[a] = o.periodic_sides && a != o.axis;
}

struct PcgOutcome {
  std::int64_t iterations = 0;
  double residual = 0.0;  // ||r|| / ||b||
};

// Preconditioned CG on op x = b; r holds b on entry (and the residual on exit), x the
// initial guess. Throws NotConverged above options.rtol.
PcgOutcome run_pcg(const Operator& op, std::vector<double>& x, std::vector<double>& r,
                   const TransportOptions& options, const char* what) {
  const Shape& shape = op.shape;
  const std::size_t n = shape.size();
  std::vector<double> p(n), q(n);
  const double bnorm = std::sqrt(op.reduce(
      [&](std::int64_t, std::int64_t, std::int64_t, std::size_t i) { return r[i] * r[i]; }));
  PcgOutcome out;
  if (!(bnorm > 0.0)) return out;
  // Preconditioner z = M^-1 r: a multigrid V-cycle, or the inverse diagonal (Jacobi).
  std::vector<float> inv_diag;
  std::unique_ptr<detail::Multigrid> mg;
  bool odd_periodic = false;
  for (int a = 0; a < 3; ++a) odd_periodic |= op.periodic[a] && shape.extent(a) % 2 != 0;
  if (options.preconditioner == Preconditioner::Multigrid && !odd_periodic) {
    mg = std::make_unique<detail::Multigrid>(op);
  } else {
    inv_diag.resize(n);
    op.reduce([&](std::int64_t cx, std::int64_t cy, std::int64_t cz, std::size_t i) {
      const double d = op.diagonal(cx, cy, cz, i);
      inv_diag[i] = d > 0.0 ? static_cast<float>(1.0 / d) : 0.0f;
      return 0.0;
    });
  }
  auto precondition = [&] {  // q = z = M^-1 r; returns r . z
    if (mg) {
      mg->apply(r, q);
    } else {
#pragma omp parallel for schedule(static) if (n >= (1u << 15))
      for (std::int64_t i = 0; i < static_cast<std::int64_t>(n); ++i) q[i] = r[i] * inv_diag[i];
    }
    return op.reduce([&](std::int64_t, std::int64_t, std::int64_t, std::size_t i) {
      return r[i] * q[i];
    });
  };

  op.apply(x, q);
  double rnorm = std::sqrt(op.reduce([&](std::int64_t, std::int64_t, std::int64_t,
                                         std::size_t i) {
    r[i] -= q[i];
    return r[i] * r[i];
  }));
  double rz = precondition();
  p = q;

  const std::int64_t max_it = options.max_iterations > 0
                                  ? options.max_iterations
                                  : 50 * (shape.nx + shape.ny + shape.nz) + 1000;
  std::int64_t it = 0;
  while (rnorm > options.rtol * bnorm && it < max_it) {
    const double pq = op.apply(p, q);
    if (!(pq > 0.0 && rz > 0.0 && std::isfinite(pq) && std::isfinite(rz)))
      throw NotConverged("conduction solve broke down (non-positive curvature): relative "
                         "residual " + std::to_string(rnorm / bnorm), rnorm / bnorm, it);
    const double alpha = rz / pq;
    rnorm = std::sqrt(op.reduce([&](std::int64_t, std::int64_t, std::int64_t, std::size_t i) {
      x[i] += alpha * p[i];
      r[i] -= alpha * q[i];
      return r[i] * r[i];
    }));
    ++it;
    if (rnorm <= options.rtol * bnorm) break;
    const double rz_new = precondition();
    const double beta = rz_new / rz;
    rz = rz_new;
#pragma omp parallel for schedule(static) if (n >= (1u << 15))
    for (std::int64_t i = 0; i < static_cast<std::int64_t>(n); ++i) p[i] = q[i] + beta * p[i];
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
  Operator op = make_operator(labels, shape, phase_conductivity, options.axis, active);
  side_flags(options, op.periodic);

  const std::int64_t nax = shape.extent(options.axis);
  std::vector<double> x(n), r(n);
  // Linear initial profile between the Dirichlet values; right-hand side from the c = 1 face.
  op.reduce([&](std::int64_t cx, std::int64_t cy, std::int64_t cz, std::size_t i) {
    const int c = op.code[i];
    const std::int64_t ca = options.axis == 0 ? cx : options.axis == 1 ? cy : cz;
    x[i] = c == op.inactive ? 0.0
                            : 1.0 - (static_cast<double>(ca) + 0.5) / static_cast<double>(nax);
    r[i] = (c != op.inactive && ca == 0) ? op.gbound[c] : 0.0;
    return 0.0;
  });
  const PcgOutcome pcg = run_pcg(op, x, r, options, "conduction solve");
  result.iterations = pcg.iterations;
  result.residual = pcg.residual;

  // Fluxes through the two Dirichlet faces (they agree to the solver tolerance).
  result.flux_in = op.reduce([&](std::int64_t cx, std::int64_t cy, std::int64_t cz, std::size_t i) {
    const std::int64_t ca = options.axis == 0 ? cx : options.axis == 1 ? cy : cz;
    const int c = op.code[i];
    return (c != op.inactive && ca == 0) ? op.gbound[c] * (1.0 - x[i]) : 0.0;
  });
  result.flux_out = op.reduce([&](std::int64_t cx, std::int64_t cy, std::int64_t cz,
                                  std::size_t i) {
    const std::int64_t ca = options.axis == 0 ? cx : options.axis == 1 ? cy : cz;
    const int c = op.code[i];
    return (c != op.inactive && ca == nax - 1) ? op.gbound[c] * x[i] : 0.0;
  });
  const double area = static_cast<double>(shape.size()) / static_cast<double>(nax);
  result.effective_conductivity =
      0.5 * (result.flux_in + result.flux_out) * static_cast<double>(nax) / area;
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
  Operator op = make_operator(labels, shape, phase_conductivity, options.axis, active);
  side_flags(options, op.periodic);
  op.face_lo = 0.0;  // no flux through the first face
  std::vector<double> x(n, 0.0), r(n);
  result.source_total = op.reduce([&](std::int64_t, std::int64_t, std::int64_t, std::size_t i) {
    r[i] = op.code[i] == op.inactive ? 0.0 : source[i];
    return r[i];
  });
  const PcgOutcome pcg = run_pcg(op, x, r, options, "source-driven solve");
  result.iterations = pcg.iterations;
  result.residual = pcg.residual;
  result.energy = op.reduce([&](std::int64_t, std::int64_t, std::int64_t, std::size_t i) {
    return op.code[i] == op.inactive ? 0.0 : x[i] * source[i];
  });
  return result;
}

}  // namespace mesolith::micro
