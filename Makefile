# AgentDesk — build, test and tooling targets (GNU make).
#
#   make            build bin/agentdesk (installs missing Debian packages first)
#   make run        build and run; pass flags with ARGS="..."
#   make test       gofmt check, go vet, go test -race under Xvfb + D-Bus, screenshot smoke test,
#                   make package-check
#   make bench      Go benchmarks, then the real app's figures (make uibench)
#   make uibench    the real app under Xvfb + PulseAudio: launch, idle/in-call CPU and PSS,
#                   offer to ring and notification (scripts/uibench.sh)
#   make screenshot docs/screenshots/main.png of the real window (scripts/screenshot.sh)
#   make screenshots every view into docs/screenshots/ (scripts/screenshots.sh)
#   make package    dist/: Linux .deb + fyne tar.xz, Windows .exe (docs/packaging.md)
#   make package-check  make package, then inspect what it built (scripts/package/check.sh)
#   make fmt | vet | clean | deps | deps-test | deps-package

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build

# Go may live in /usr/local/go/bin without being on PATH (e.g. fresh CI shells).
ifeq ($(shell command -v go 2>/dev/null),)
export PATH := /usr/local/go/bin:$(PATH)
endif

GO      ?= go
TAGS    ?= nolibopusfile
# The app adds migrated_fynedo, as `fyne package` does for FyneApp.toml's
# [Migrations] fyneDo = true: without it Fyne checks the calling goroutine
# (a runtime.Stack) on every call from the main thread, 1.5 % of the app's
# perf samples in a call (a frame took 4.9 ms of the drawing thread against
# 4.7 with the tag, medians of alternating runs). Tests keep the checks.
BUILD_TAGS ?= $(TAGS),migrated_fynedo
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
BIN     := bin/agentdesk
ARGS    ?=

DIST    ?= dist

# cgo's C flags as `fyne package` sets them on Debian (fyne.io/tools v1.7.4: its base flags
# plus hardening), so that `make build` and `make package` share Go's build cache for the cgo
# packages (go-gl, glfw, miniaudio, opus, speexdsp): the packaged build then does not compile
# them a second time. With other values both still work, only without that sharing.
BUILD_CGO_CFLAGS  ?= -O2 -g -fexceptions -fasynchronous-unwind-tables -pipe -D_FORTIFY_SOURCE=3 -fcf-protection -fstack-protector-strong
BUILD_CGO_LDFLAGS ?= -Wl,-z,relro,-z,now -Wl,--as-needed

GO_TEST_TIMEOUT ?= 20m
TEST_FLAGS      ?=

.PHONY: all build run test bench uibench lossy screenshot screenshots fmt vet clean deps deps-test deps-package \
	package package-linux package-windows package-check distclean

all: build

## deps: install missing build packages (Debian/Ubuntu) and download Go modules
deps:
	@scripts/deps.sh build
	@$(GO) mod download

## deps-test: like deps, plus the packages the tests and the screenshot need
deps-test:
	@scripts/deps.sh test
	@$(GO) mod download

## deps-package: like deps-test, plus mingw-w64, dpkg-dev, osslsigncode and deb-src access
deps-package:
	@scripts/deps.sh package
	@$(GO) mod download

# The app is built with Fyne patched (ui/desktop/fyne-v2.8.1-*.patch) so that an
# idle window sleeps instead of ticking at 60 Hz, large rectangles fill flat,
# fonts load once and only when needed, and shader programs compile on first
# use: scripts/fynepatch.sh prepares it under build/fyne and prints the go.mod
# to build with. Tests use go.mod as it is: they run on Fyne's test driver, which
# the loop, fill and program patches do not touch and whose text the fonts patch
# leaves the same, pixel for pixel (scripts/flatfill.sh checks the flat fill, and
# make test runs the patched painters' own tests).
build: deps
	@echo "==> go build $(BIN) (version $(VERSION), Fyne with ui/desktop's idle-loop, flat-fill, fonts and lazy-programs patches)"
	CGO_CFLAGS="$(BUILD_CGO_CFLAGS)" CGO_LDFLAGS="$(BUILD_CGO_LDFLAGS)" \
		$(GO) build -modfile "$$(scripts/fynepatch.sh)" -tags $(BUILD_TAGS) -ldflags "-X main.version=$(VERSION)" -o $(BIN) .

run: build
	./$(BIN) $(ARGS)

## lossy: the softphone over a lossy, jittery virtual network (10% loss, 30 ms jitter), verbose (make test runs it too)
lossy: deps-test
	$(GO) test -tags $(TAGS) -race -count=1 -run TestToneSurvivesLossAndJitter -v ./audio/rtc/

# gofmt checks our sources only: build/ holds the patched copy of Fyne.
GOFILES = $$(find . -path ./build -prune -o -name '*.go' -print)

fmt:
	gofmt -l -w $(GOFILES)

vet: deps
	$(GO) vet -tags $(TAGS) ./...

# go test runs with a throw-away HOME and XDG dirs (so tests never see or touch
# the user's real config), but with the Go caches and env file of the real
# user, resolved before HOME is changed, so nothing is rebuilt from scratch.
# Go telemetry is switched off in the temp config dir: otherwise the go
# command's detached telemetry child recreates it after the cleanup.
test: deps-test
	@echo "==> gofmt check"
	@unformatted="$$(gofmt -l $(GOFILES))"; \
	if [[ -n "$$unformatted" ]]; then \
		echo "gofmt: these files are not formatted (run 'make fmt'):" >&2; \
		echo "$$unformatted" >&2; \
		exit 1; \
	fi
	@echo "==> go vet -tags $(TAGS) ./..."
	@$(GO) vet -tags $(TAGS) ./...
	@echo "==> go test -tags $(TAGS) -race ./... (under xvfb-run + dbus-run-session, temp HOME)"
	@GOCACHE="$$($(GO) env GOCACHE)"; GOMODCACHE="$$($(GO) env GOMODCACHE)"; \
	GOPATH="$$($(GO) env GOPATH)"; GOENV="$$($(GO) env GOENV)"; \
	export GOCACHE GOMODCACHE GOPATH GOENV; \
	tmp="$$(mktemp -d -t agentdesk-test.XXXXXX)"; \
	trap 'rm -rf "$$tmp"' EXIT; \
	mkdir -p "$$tmp/home" "$$tmp/config" "$$tmp/data" "$$tmp/cache" "$$tmp/state"; \
	mkdir -m 0700 "$$tmp/runtime"; \
	mkdir -p "$$tmp/config/go/telemetry"; echo off >"$$tmp/config/go/telemetry/mode"; \
	unset LC_ALL LC_MESSAGES LANGUAGE WAYLAND_DISPLAY DISPLAY DBUS_SESSION_BUS_ADDRESS; \
	export HOME="$$tmp/home" XDG_CONFIG_HOME="$$tmp/config" XDG_DATA_HOME="$$tmp/data" \
		XDG_CACHE_HOME="$$tmp/cache" XDG_STATE_HOME="$$tmp/state" XDG_RUNTIME_DIR="$$tmp/runtime"; \
	env LANG=en_US.UTF-8 dbus-run-session -- \
		xvfb-run -a -s "-screen 0 1280x1024x24 -nolisten tcp" \
		$(GO) test -tags $(TAGS) -race -count=1 -timeout $(GO_TEST_TIMEOUT) $(TEST_FLAGS) ./...
	@echo "==> screenshot smoke test (scripts/screenshot.sh)"
	@scripts/screenshot.sh $(BIN)-smoke.png
	@echo "==> Fyne flat-fill patch: the same pixels as upstream's painter (scripts/flatfill.sh)"
	@scripts/flatfill.sh
	@echo "==> Fyne fonts patch: the patched painter's own tests (fyne.io/fyne/v2/internal/painter)"
	@$(GO) test -modfile "$$(scripts/fynepatch.sh)" -race -count=1 fyne.io/fyne/v2/internal/painter
	@echo "==> Fyne lazy-programs patch: the patched GL painter's own tests (fyne.io/fyne/v2/internal/painter/gl; no -race: they are single-threaded, and a race build of go-gl takes minutes)"
	@$(GO) test -modfile "$$(scripts/fynepatch.sh)" -count=1 fyne.io/fyne/v2/internal/painter/gl
	@$(MAKE) --no-print-directory package-check VERSION=$(VERSION)
	@echo "==> make test: all OK"

## package: the Linux .deb and tar.xz and the Windows .exe in $(DIST)/ (see docs/packaging.md);
## the Windows .exe is signed when SIGN_CERT and SIGN_KEY (or SIGN_PKCS12) are set
## (one after the other: both run fyne package in this directory, which writes fyne.syso here)
package: deps-package
	@scripts/package/linux.sh $(VERSION) $(DIST)
	@scripts/package/windows.sh $(VERSION) $(DIST)

package-linux: deps-package
	@scripts/package/linux.sh $(VERSION) $(DIST)

package-windows: deps-package
	@scripts/package/windows.sh $(VERSION) $(DIST)

## package-check: build the packages, then check their contents, install the .deb into an
## empty root and inspect the .exe's imports (scripts/package/check.sh)
package-check: package
	@echo "==> package check (scripts/package/check.sh)"
	@scripts/package/check.sh $(VERSION) $(DIST)

bench: deps
	$(GO) test -tags $(TAGS) -run '^$$' -bench . -benchtime 2s ./...
	@$(MAKE) --no-print-directory uibench

uibench: build
	AGENTDESK_BIN=$(BIN) scripts/uibench.sh

screenshot:
	scripts/screenshot.sh

screenshots: build
	AGENTDESK_BIN=$(BIN) scripts/screenshots.sh

# build/ holds the fyne CLI and the patched Fyne: `make distclean`. The static mingw libraries are
# cached per user in ~/.cache/agentdesk/mingw64 (scripts/package/windows.sh).
clean:
	rm -rf bin $(DIST) AgentDesk.exe AgentDesk.tar.xz fyne.syso

distclean: clean
	rm -rf build
