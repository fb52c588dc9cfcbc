# mesolith: the README's commands. Everything installs what it needs itself.
#   make demo   - venv with all extras, runs the end-to-end example recipe
#   make test   - venv, build, C++ + Python tests (default, fast set)
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
BUILD_DEPS := "scikit-build-core>=0.10" "pybind11>=2.12" ninja cmake
TEST_EXTRAS ?= test,fem,md,viz
PIP_BUILD := --no-build-isolation -C cmake.define.MESOLITH_BUILD_TESTS=ON
DEMO_RECIPE ?= examples/demo.toml
ASAN_VENV := .venv-asan
PYTEST_ARGS ?=

.PHONY: help venv install stubs fuzz fuzz-cpp fuzz-cpp-build validate-reliability test test-all asan demo demo-system-packages bench lint docs validate clean

help:
	@echo "make demo | test | test-all | asan | bench | lint | docs | validate | validate-reliability | fuzz | fuzz-cpp | stubs | clean"

$(VENV)/.created:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q $(BUILD_DEPS)
	touch $@

venv: $(VENV)/.created

# Build the C++ core + extension (Release, incremental in build/) and install it.
install: venv
	$(PIP) install -q $(PIP_BUILD) ".[$(TEST_EXTRAS)]"

# Type stubs of the compiled core (python/mesolith/_core/*.pyi), regenerated from the built module;
# tests/test_core_stubs.py fails when they fall out of step with the bindings.
stubs: install
	$(PIP) install -q pybind11-stubgen ruff
	rm -rf build/stubs && $(VENV)/bin/pybind11-stubgen mesolith._core -o build/stubs
	rm -rf python/mesolith/_core && cp -r build/stubs/mesolith/_core python/mesolith/_core
	$(VENV)/bin/ruff check -q --fix-only python/mesolith/_core
	$(VENV)/bin/ruff format -q python/mesolith/_core

test: install
	ctest --test-dir $$(ls -d build/*-Release | head -n1) --output-on-failure
	$(PY) -m pytest -m "not slow" -q $(PYTEST_ARGS)

test-all: install
	ctest --test-dir $$(ls -d build/*-Release | head -n1) --output-on-failure
	$(PY) -m pytest -q $(PYTEST_ARGS)

validate: install
	$(VENV)/bin/mesolith validate

# Crashes, silent wrong answers, kill-and-resume and thread determinism, as one table.
validate-reliability: install
	$(VENV)/bin/mesolith validate --reliability

# atheris fuzzing of the array/file entry points, FUZZ_SECONDS per target (findings in fuzz/findings/).
FUZZ_SECONDS ?= 120
fuzz: install
	$(PIP) install -q --no-build-isolation ".[fuzz]"
	PYTHON=$(PY) fuzz/run.sh $(FUZZ_SECONDS)

# libFuzzer harnesses of the C++ core (fuzz/cpp/fuzz_*.cpp), built with clang and
# -fsanitize=fuzzer,address,undefined in build/fuzz (no Python needed), then FUZZ_SECONDS per
# target; corpora in fuzz/corpus/, crash inputs and logs in fuzz/findings/. Debian's clang
# ships libFuzzer: installed here when missing, if we are root and have apt-get.
FUZZ_CXX ?= clang++
fuzz-cpp-build:
	@if ! command -v $(FUZZ_CXX) >/dev/null; then \
		if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && apt-get install -y -qq clang >/dev/null; \
		else echo "make fuzz-cpp needs clang with libFuzzer (e.g. apt-get install clang); set FUZZ_CXX"; exit 1; fi; \
	fi
	test -x $(VENV)/bin/cmake || $(MAKE) venv
	CXX=$(FUZZ_CXX) $(VENV)/bin/cmake -S . -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DCMAKE_MAKE_PROGRAM=$(abspath $(VENV))/bin/ninja -DMESOLITH_FUZZ=ON -DMESOLITH_BUILD_PYTHON=OFF
	$(VENV)/bin/cmake --build build/fuzz

fuzz-cpp: fuzz-cpp-build
	fuzz/cpp/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# AddressSanitizer + UndefinedBehaviorSanitizer build of the extension, then the default suite.
# Python itself is not instrumented, so the ASan runtime is preloaded and leak checks are off
# (the interpreter's own allocations at exit would drown real reports).
asan:
	test -x $(ASAN_VENV)/bin/python || $(PYTHON) -m venv $(ASAN_VENV)
	$(ASAN_VENV)/bin/python -m pip install -q $(BUILD_DEPS)
	$(ASAN_VENV)/bin/python -m pip install -q $(PIP_BUILD) -C cmake.build-type=Debug \
		-C cmake.define.MESOLITH_SANITIZE=ON ".[$(TEST_EXTRAS)]"
	ctest --test-dir $$(ls -d build/*-Debug | head -n1) --output-on-failure
	LD_PRELOAD="$$(g++ -print-file-name=libasan.so) $$(g++ -print-file-name=libubsan.so)" \
		ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		$(ASAN_VENV)/bin/python -m pytest -m "not slow" -q -p no:cacheprovider $(PYTEST_ARGS)

# Pictures need OpenGL libraries; install them from Debian when we can (root, apt available).
demo-system-packages:
	@if command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
		dpkg -s libgl1 libegl1 libxrender1 >/dev/null 2>&1 || \
		(apt-get update -qq && apt-get install -y -qq libgl1 libegl1 libxrender1 libosmesa6 >/dev/null); \
	else echo "note: install libgl1 libegl1 libxrender1 for pictures (not root or no apt-get)"; fi

demo: venv demo-system-packages
	$(PIP) install -q --no-build-isolation -C cmake.define.MESOLITH_NATIVE=ON ".[all]"
	$(VENV)/bin/mesolith info
	$(VENV)/bin/mesolith validate --fast --json examples/results/demo/validation.json
	$(VENV)/bin/mesolith run $(DEMO_RECIPE)
	VTK_DEFAULT_OPENGL_WINDOW=vtkEGLRenderWindow $(VENV)/bin/mesolith render \
		$$(find examples/results/demo -name '*.vti' -o -name '*.vtp')
	@echo "demo results are in examples/results/demo/"

# Peers that install from PyPI come along (torch's CPU build for TauFactor); kmcos needs its
# own environment (numpy 1.24, gfortran): see benchmarks/bench_kmc.py.
BENCH_PEERS ?= taufactor torch==2.13.0 porespy openpnm pystokes scikit-image

bench: venv
	$(PIP) install -q --no-build-isolation -C cmake.define.MESOLITH_NATIVE=ON ".[test,md]"
	$(PIP) install -q $(BENCH_PEERS) || echo "note: some peers did not install; their columns stay empty"
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

lint: venv
	$(PIP) install -q ruff
	$(VENV)/bin/ruff check python tests benchmarks examples docs fuzz

docs: install
	$(PIP) install -q ".[docs]" --no-build-isolation
	$(VENV)/bin/sphinx-build -q -W -b html docs docs/_build/html
	@echo "docs in docs/_build/html/index.html"

clean:
	rm -rf build docs/_build .pytest_cache
