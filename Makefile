# declutr: the project's commands. `make run` and `make test` are the two set-up commands.

CARGO ?= cargo
DEV ?= ../shared/eval/dev
EVAL_OUT ?= target/eval
FUZZ_SECONDS ?= 600
# libFuzzer's options (one process, its default): an input taking over 10 s or 2 GB is a
# finding. Pages up to 256 KB, enough for markup nested past the depth cap; rule files up
# to 16 KB, with a dictionary of the rule-file keys.
FUZZ_FLAGS ?= -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
FUZZ_FLAGS_text ?= -max_len=262144
FUZZ_FLAGS_html ?= -max_len=262144
FUZZ_FLAGS_rules ?= -max_len=16384 -dict=fuzz/rules.dict
# The binary cargo builds (cargo honours CARGO_TARGET_DIR, so this does too).
BIN := $(or $(CARGO_TARGET_DIR),target)/release/declutr

.PHONY: run test check bench build eval-text eval-html clean fuzz fuzz-text fuzz-html fuzz-rules

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

## Format (the fuzz targets too), lints, tests and docs, all with warnings as errors.
check:
	$(CARGO) fmt --all -- --check
	rustfmt --edition 2024 --check fuzz/fuzz_targets/*.rs
	$(CARGO) clippy --all-targets -- -D warnings
	$(MAKE) test
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --no-deps --quiet

## Criterion benchmarks (text and HTML mode, single thread and batch).
bench:
	$(CARGO) bench --bench text_mode
	$(CARGO) bench --bench html_mode

## Fuzz the text pipeline, the HTML pipeline and the rule loader, FUZZ_SECONDS each
## (default 600), one after the other (`make fuzz-rules` runs one). Needs cargo-fuzz and a
## nightly toolchain. The corpus grows in fuzz/corpus/, findings land in fuzz/artifacts/;
## libFuzzer stops at the first crash, timeout or out-of-memory and the target exits non-zero.
fuzz: fuzz-text fuzz-html fuzz-rules

fuzz-text fuzz-html fuzz-rules: fuzz-%:
	mkdir -p fuzz/corpus/$*
	$(CARGO) +nightly fuzz run $* fuzz/corpus/$* fuzz/seeds/$* -- \
		-max_total_time=$(FUZZ_SECONDS) $(FUZZ_FLAGS) $(FUZZ_FLAGS_$*)

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
