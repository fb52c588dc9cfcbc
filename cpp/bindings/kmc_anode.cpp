// Bindings for the anode kMC model: dict -> struct conversion, numpy views, GIL release.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "mesolith/kmc/anode.hpp"

namespace py = pybind11;

namespace mesolith::bindings {
namespace {

using kmc::AnodeParams;

const std::vector<std::pair<const char*, int AnodeParams::*>> kIntFields = {
    {"nx", &AnodeParams::nx},
    {"ny", &AnodeParams::ny},
    {"nz", &AnodeParams::nz},
    {"host_layers", &AnodeParams::host_layers},
};
const std::vector<std::pair<const char*, double AnodeParams::*>> kDoubleFields = {
    {"spacing", &AnodeParams::spacing},
    {"temperature", &AnodeParams::temperature},
    {"reference_temperature", &AnodeParams::reference_temperature},
    {"concentration", &AnodeParams::concentration},
    {"reference_concentration", &AnodeParams::reference_concentration},
    {"electrolyte_diffusivity", &AnodeParams::electrolyte_diffusivity},
    {"electrolyte_activation", &AnodeParams::electrolyte_activation},
    {"electrolyte_hop_cap", &AnodeParams::electrolyte_hop_cap},
    {"host_attempt_frequency", &AnodeParams::host_attempt_frequency},
    {"host_barrier", &AnodeParams::host_barrier},
    {"host_hop_cap", &AnodeParams::host_hop_cap},
    {"interaction_in_plane", &AnodeParams::interaction_in_plane},
    {"interaction_interlayer", &AnodeParams::interaction_interlayer},
    {"insertion_exchange_current", &AnodeParams::insertion_exchange_current},
    {"insertion_activation", &AnodeParams::insertion_activation},
    {"insertion_alpha", &AnodeParams::insertion_alpha},
    {"insertion_potential", &AnodeParams::insertion_potential},
    {"stress_shift", &AnodeParams::stress_shift},
    {"plating_exchange_current", &AnodeParams::plating_exchange_current},
    {"plating_activation", &AnodeParams::plating_activation},
    {"plating_alpha", &AnodeParams::plating_alpha},
    {"metal_bond", &AnodeParams::metal_bond},
    {"surface_attempt_frequency", &AnodeParams::surface_attempt_frequency},
    {"surface_barrier", &AnodeParams::surface_barrier},
    {"surface_hop_cap", &AnodeParams::surface_hop_cap},
};

AnodeParams params_from_dict(const py::dict& d) {
  AnodeParams p;
  std::size_t used = 0;
  for (const auto& [name, member] : kIntFields)
    if (d.contains(name)) {
      p.*member = d[name].cast<int>();
      ++used;
    }
  for (const auto& [name, member] : kDoubleFields)
    if (d.contains(name)) {
      p.*member = d[name].cast<double>();
      ++used;
    }
  if (used != d.size()) throw py::value_error("anode parameters: unknown key");
  return p;
}

py::dict params_to_dict(const AnodeParams& p) {
  py::dict d;
  for (const auto& [name, member] : kIntFields) d[name] = p.*member;
  for (const auto& [name, member] : kDoubleFields) d[name] = p.*member;
  return d;
}

}  // namespace

void export_kmc_anode(py::module_& k) {
  k.def("anode_default_parameters", [] { return params_to_dict(AnodeParams{}); });
  k.def("anode_rates", [](const py::dict& d) {
    const kmc::AnodeRates r = kmc::derive_rates(params_from_dict(d));
    py::dict out;
    out["f"] = r.f;
    out["ion_hop"] = r.ion_hop;
    out["ion_occupancy"] = r.ion_occupancy;
    out["host_hop"] = r.host_hop;
    out["k0_insertion"] = r.k0_insertion;
    out["k0_plating"] = r.k0_plating;
    out["e_site_base"] = r.e_site_base;
    out["e_plating"] = r.e_plating;
    out["e_lithium"] = r.e_lithium;
    out["surface_hop"] = r.surface_hop;
    return out;
  });

  py::class_<kmc::AnodeModel>(k, "AnodeModel")
      .def(py::init([](const py::dict& d, std::uint64_t seed, std::uint64_t stream) {
             return new kmc::AnodeModel(params_from_dict(d), seed, stream);
           }),
           py::arg("params"), py::arg("seed"), py::arg("stream") = 0)
      .def("initialize", &kmc::AnodeModel::initialize, py::arg("soc"))
      .def("set_state",
           [](kmc::AnodeModel& m, const py::array_t<std::uint8_t, py::array::c_style>& s) {
             if (static_cast<std::size_t>(s.size()) != m.sites())
               throw py::value_error("state: wrong number of sites");
             m.set_state(s.data());
           })
      .def(
          "set_drive",
          [](kmc::AnodeModel& m, int mode, double potential, double current, double pulse_on,
             double pulse_off, double reverse_ratio, double min_potential, double max_potential,
             double capacitance, double control_interval) {
            if (mode < 0 || mode > 2) throw py::value_error("drive mode must be 0, 1 or 2");
            kmc::Drive d;
            d.mode = static_cast<kmc::DriveMode>(mode);
            d.potential = potential;
            d.current = current;
            d.pulse_on = pulse_on;
            d.pulse_off = pulse_off;
            d.reverse_ratio = reverse_ratio;
            d.min_potential = min_potential;
            d.max_potential = max_potential;
            d.double_layer_capacitance = capacitance;
            d.control_interval = control_interval;
            py::gil_scoped_release release;
            m.set_drive(d);
          },
          py::arg("mode"), py::arg("potential"), py::arg("current"), py::arg("pulse_on"),
          py::arg("pulse_off"), py::arg("reverse_ratio"), py::arg("min_potential"),
          py::arg("max_potential"), py::arg("double_layer_capacitance"),
          py::arg("control_interval"))
      .def(
          "run",
          [](kmc::AnodeModel& m, double t_end, std::uint64_t max_events, double interval) {
            py::gil_scoped_release release;
            return m.run(t_end, max_events, interval);
          },
          py::arg("t_end"), py::arg("max_events"), py::arg("sample_interval"))
      .def("state_view",
           [](py::object self) {
             auto& m = self.cast<kmc::AnodeModel&>();
             return py::array_t<std::uint8_t>({static_cast<py::ssize_t>(m.sites())},
                                              {static_cast<py::ssize_t>(1)}, m.state(), self);
           })
      .def("samples",
           [](const kmc::AnodeModel& m) {
             const auto& s = m.samples();
             const auto n = static_cast<py::ssize_t>(s.size());
             py::array_t<double> t(n), e(n), target(n), expected(n), soc(n);
             py::array_t<std::int64_t> ins(n), pl(n), ions(n), ev(n);
             for (py::ssize_t i = 0; i < n; ++i) {
               const auto& x = s[static_cast<std::size_t>(i)];
               t.mutable_at(i) = x.time;
               e.mutable_at(i) = x.potential;
               target.mutable_at(i) = x.target_current;
               expected.mutable_at(i) = x.expected_current;
               soc.mutable_at(i) = x.soc;
               ins.mutable_at(i) = x.inserted;
               pl.mutable_at(i) = x.plated;
               ions.mutable_at(i) = x.ions;
               ev.mutable_at(i) = static_cast<std::int64_t>(x.events);
             }
             py::dict d;
             d["time"] = t;
             d["potential"] = e;
             d["target_current"] = target;
             d["expected_current"] = expected;
             d["soc"] = soc;
             d["inserted"] = ins;
             d["plated"] = pl;
             d["ions"] = ions;
             d["events"] = ev;
             return d;
           })
      .def("checkpoint",
           [](const kmc::AnodeModel& m) {
             const kmc::AnodeCheckpoint c = m.checkpoint();
             py::dict d;
             d["time"] = c.time;
             d["potential"] = c.potential;
             d["target"] = c.target;
             d["pending"] = c.pending;
             d["e_start"] = c.e_start;
             d["q_applied"] = c.q_applied;
             d["q_faradaic_start"] = c.q_faradaic_start;
             d["t_last_control"] = c.t_last_control;
             d["events"] = c.events;
             d["pulse_high"] = c.pulse_high;
             d["next_boundary"] = c.next_boundary;
             d["rng_block"] = c.rng_block;
             d["rng_words_used"] = c.rng_words_used;
             d["counts"] = py::make_tuple(c.counts[0], c.counts[1], c.counts[2], c.counts[3]);
             return d;
           })
      .def("restore",
           [](kmc::AnodeModel& m, const py::dict& d, const py::dict& samples) {
             kmc::AnodeCheckpoint c;
             c.time = d["time"].cast<double>();
             c.potential = d["potential"].cast<double>();
             c.target = d["target"].cast<double>();
             c.pending = d["pending"].cast<double>();
             c.e_start = d["e_start"].cast<double>();
             c.q_applied = d["q_applied"].cast<double>();
             c.q_faradaic_start = d["q_faradaic_start"].cast<double>();
             c.t_last_control = d["t_last_control"].cast<double>();
             c.events = d["events"].cast<std::uint64_t>();
             c.pulse_high = d["pulse_high"].cast<bool>();
             c.next_boundary = d["next_boundary"].cast<double>();
             c.rng_block = d["rng_block"].cast<std::uint64_t>();
             c.rng_words_used = d["rng_words_used"].cast<int>();
             const auto counts = d["counts"].cast<std::vector<std::uint64_t>>();
             if (counts.size() != 4) throw py::value_error("checkpoint: counts must have 4 entries");
             for (int k = 0; k < 4; ++k) c.counts[k] = counts[static_cast<std::size_t>(k)];
             const auto col = [&](const char* name) {
               return samples[name].cast<std::vector<double>>();
             };
             const auto icol = [&](const char* name) {
               return samples[name].cast<std::vector<std::int64_t>>();
             };
             const auto t = col("time"), e = col("potential"), tg = col("target_current"),
                        ex = col("expected_current"), soc = col("soc");
             const auto ins = icol("inserted"), pl = icol("plated"), ions = icol("ions"),
                        ev = icol("events");
             std::vector<kmc::Sample> s(t.size());
             for (std::size_t i = 0; i < t.size(); ++i)
               s[i] = kmc::Sample{t[i], e[i], tg[i], ex[i], soc[i], ins[i], pl[i], ions[i],
                                  static_cast<std::uint64_t>(ev[i])};
             m.restore(c, s);
           })
      .def("expected_current", &kmc::AnodeModel::expected_current, py::arg("potential"))
      .def("counts",
           [](const kmc::AnodeModel& m) {
             const auto* c = m.counts();
             return py::make_tuple(c[0], c[1], c[2], c[3]);
           })
      .def_property_readonly("time", &kmc::AnodeModel::time)
      .def_property_readonly("events", &kmc::AnodeModel::events)
      .def_property_readonly("potential", &kmc::AnodeModel::potential)
      .def_property_readonly("soc", &kmc::AnodeModel::soc)
      .def_property_readonly("host_sites", &kmc::AnodeModel::host_sites)
      .def_property_readonly("total_rate", [](const kmc::AnodeModel& m) { return m.tree().total(); });
}

}  // namespace mesolith::bindings
