# declutr: the project's commands. `make run` and `make test` are the two set-up commands.

CARGO ?= cargo
PYTHON ?= python3
DEV ?= ../shared/eval/dev
EVAL_OUT ?= target/eval
# The binary cargo builds (cargo honours CARGO_TARGET_DIR, so this does too).
BIN := $(or $(CARGO_TARGET_DIR),target)/release/declutr
# The JSON Lines stream `make bench-stream` generates (once) and cleans.
STREAM ?= target/stream.jsonl
STREAM_SIZE ?= 1G

.PHONY: run test check bench bench-stream build eval-text eval-html clean

build:
	$(CARGO) build --release

## Clean the bundled samples with the embedded default rules, into target/samples-clean.
run: build
	rm -rf target/samples-clean
	$(BIN) clean samples/ -o target/samples-clean
	@echo "cleaned samples are in target/samples-clean/"

## The whole test suite: unit, samples, CLI, registry and rule-file tests, doc examples.
## (Benchmarks are compiled by `make check` and run by `make bench`, not here.)
test:
	$(CARGO) test --lib --bins --tests
	$(CARGO) test --doc

## Format, lints, tests and docs, all with warnings as errors.
check:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets -- -D warnings
	$(MAKE) test
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --no-deps --quiet

## Criterion benchmarks (text and HTML mode, single thread and batch).
bench:
	$(CARGO) bench --bench text_mode
	$(CARGO) bench --bench html_mode

## Memory and throughput of `clean --input-format jsonl` on a 1 GB stream, from the file
## and from stdin (the stream is generated into $(STREAM) if missing; delete it after).
bench-stream: build $(STREAM)
	$(PYTHON) contrib/bench_stream.py $(BIN) $(STREAM)

$(STREAM):
	@mkdir -p $(dir $@)
	$(PYTHON) contrib/gen_jsonl.py $@ --size $(STREAM_SIZE)

## Score text mode on the development set (needs the eval set beside the project).
eval-text: build
	rm -rf $(EVAL_OUT)/text
	$(BIN) clean $(DEV)/text -o $(EVAL_OUT)/text --quiet
	python3 $(DEV)/../score.py $(DEV) $(EVAL_OUT)/text --per-doc $(EVAL_OUT)/text-rows.tsv

## Score HTML mode on the development set (body only, as the scorer expects).
eval-html: build
	rm -rf $(EVAL_OUT)/html
	$(BIN) clean $(DEV)/html -o $(EVAL_OUT)/html --quiet --no-header
	python3 $(DEV)/../score.py $(DEV) $(EVAL_OUT)/html --per-doc $(EVAL_OUT)/html-rows.tsv
