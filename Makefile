# SPDX-License-Identifier: MIT
# One command to build and run the app, one to build and run every test, on a fresh Debian 12 machine.
# Missing Debian packages are installed first (as root, or through sudo).

BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
FUZZ_BUILD_DIR ?= build-fuzz
FUZZ_SECONDS ?= 600
ASAN_BUILD_DIR ?= build-asan
JOBS ?= $(shell nproc)
DEPS_FILE := packaging/debian-build-deps.txt
DEPS := $(shell grep -v '^\#' $(DEPS_FILE) | grep -v '^$$')
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: all deps configure build run test package test-asan bench stress fuzz screenshots format clean

all: build

deps:
	@missing=$$(for p in $(DEPS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing missing Debian packages:" $$missing; \
		$(SUDO) apt-get update && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends $$missing; \
	fi

configure: deps
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

# The GUI on the bundled example project (SQLite, no server needed).
run: build
	$(BUILD_DIR)/app/qmigrate migrations/alembic.ini

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

# The Debian package: $(BUILD_DIR)/qmigrate_<version>_<arch>.deb (stripped binaries, man pages, completion).
package: build
	cd $(BUILD_DIR) && cpack -G DEB

# The whole suite with qmigrate's code built under AddressSanitizer and UndefinedBehaviorSanitizer, in a build
# directory of its own. Every finding fails: the test binaries and the qmigrate-cli they start inherit these
# options. exitcode=23 is one qmigrate-cli never uses, so a child's report cannot pass for an expected exit 1
# or 2, and the process still exits normally, so the test prints the report it captured. Leak suppressions are
# for third-party libraries only (tests/sanitizers/lsan.supp).
ASAN_OPTIONS_ALL := detect_leaks=1:halt_on_error=1:abort_on_error=0:exitcode=23:print_stacktrace=1:detect_stack_use_after_return=1:strict_string_checks=1:check_initialization_order=1
UBSAN_OPTIONS_ALL := halt_on_error=1:print_stacktrace=1:exitcode=23
LSAN_OPTIONS_ALL := exitcode=23:print_suppressions=0:suppressions=$(CURDIR)/tests/sanitizers/lsan.supp

test-asan: deps
	cmake -S . -B $(ASAN_BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DQMIGRATE_SANITIZE=ON
	cmake --build $(ASAN_BUILD_DIR) -j $(JOBS)
	cd $(ASAN_BUILD_DIR) && ASAN_OPTIONS='$(ASAN_OPTIONS_ALL)' UBSAN_OPTIONS='$(UBSAN_OPTIONS_ALL)' \
		LSAN_OPTIONS='$(LSAN_OPTIONS_ALL)' ctest --output-on-failure -j $(JOBS) $(CTEST_ARGS)

# Every benchmark, then one table of their rows beside Alembic and the floors (tests/bench/run-all.sh).
bench: build
	bash tests/bench/run-all.sh $(BUILD_DIR)

# Kills at random moments and concurrent runs on SQLite, PostgreSQL and MariaDB (throwaway servers).
# Then the same concurrency rounds on a 3-node MariaDB Galera cluster, each process on a node of its own.
stress: build
	bash tests/servers/start-postgresql.sh $(BUILD_DIR)/tests/servers
	bash tests/servers/start-mariadb.sh $(BUILD_DIR)/tests/servers
	bash tests/servers/start-galera.sh $(BUILD_DIR)/tests/servers
	$(BUILD_DIR)/tests/qmigrate_stress $(STRESS_ARGS); status=$$?; \
	$(BUILD_DIR)/tests/qmigrate_stress --modes galera $(STRESS_ARGS) || status=1; \
	bash tests/servers/stop-postgresql.sh $(BUILD_DIR)/tests/servers; \
	bash tests/servers/stop-mariadb.sh $(BUILD_DIR)/tests/servers; \
	bash tests/servers/stop-galera.sh $(BUILD_DIR)/tests/servers; \
	exit $$status

# libFuzzer on the engine's parsers (clang, ASan + UBSan), each target FUZZ_SECONDS in turn on one core; a crash
# fails it, naming the input to keep in tests/data/fuzz/<name>/ as a regression once fixed.
fuzz: deps
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DQMIGRATE_FUZZ=ON
	cmake --build $(FUZZ_BUILD_DIR) -j $(JOBS)
	FUZZ_SECONDS=$(FUZZ_SECONDS) bash tests/fuzz/run-fuzzers.sh $(FUZZ_BUILD_DIR) $(FUZZ_TARGETS)

# Rewrites docs/screenshots/*.png (tools/screenshots): the real window under Xvfb at 1600x1000 with openbox as
# window manager, and a throwaway PostgreSQL server for the connection dialog's "Test connection".
SCREENSHOTS_SERVERS := $(abspath $(BUILD_DIR))/tools/screenshots/servers

screenshots: configure
	cmake --build $(BUILD_DIR) -j $(JOBS) --target qmigrate-screenshots
	bash tests/servers/start-postgresql.sh $(SCREENSHOTS_SERVERS)
	QMIGRATE_SERVERS_DIR=$(SCREENSHOTS_SERVERS) QT_QPA_PLATFORM=xcb xvfb-run -a -s '-screen 0 1600x1000x24' \
		bash tools/screenshots/with-openbox.sh $(BUILD_DIR)/tools/screenshots/qmigrate-screenshots docs/screenshots; \
	status=$$?; \
	bash tests/servers/stop-postgresql.sh $(SCREENSHOTS_SERVERS); \
	exit $$status

format:
	clang-format -i $$(git ls-files '*.cpp' '*.h')

clean:
	rm -rf $(BUILD_DIR)
