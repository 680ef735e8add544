# declutr: the project's commands. `make run` and `make test` are the two set-up commands.

CARGO ?= cargo
PYTHON ?= python3
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
# WARC files up to 256 KB (past the reader's 64 KB buffer), with record and HTTP tokens.
FUZZ_FLAGS_warc ?= -max_len=262144 -dict=fuzz/warc.dict
# The binary cargo builds (cargo honours CARGO_TARGET_DIR, so this does too).
BIN := $(or $(CARGO_TARGET_DIR),target)/release/declutr
# The JSON Lines stream `make bench-stream` generates (once) and cleans.
STREAM ?= target/stream.jsonl
STREAM_SIZE ?= 1G
# The scrape directories `make bench-learn` generates (once): LEARN_MB megabytes of 50
# sites, and, for each number in LEARN_SITES, that many sites of LEARN_PAGES pages.
LEARN_CORPUS ?= target/learn-corpus
LEARN_MB ?= 1000
LEARN_SITES ?= 2000 20000
LEARN_PAGES ?= 4
LEARN_REPEAT ?= 3
# Where `make spark-demo` installs pyspark (pinned in contrib/spark/requirements.txt) and
# writes its files.
SPARK_VENV ?= target/spark-venv
SPARK_DEMO ?= target/spark-demo

.PHONY: run test check bench bench-stream bench-learn bench-hostile spark-demo build eval eval-text \
	eval-html fuzz fuzz-text fuzz-html fuzz-rules fuzz-warc

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
	$(CARGO) check --quiet --manifest-path fuzz/Cargo.toml
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

## Peak memory and CPU time of `declutr learn`, and of `declutr clean` with and without
## in-batch learning, over a generated scrape of 50 sites ($(LEARN_MB) MB, in
## $(LEARN_CORPUS)) and over crawls of many small sites (LEARN_SITES sites of LEARN_PAGES
## pages, in target/learn-sites-N); generated if missing, delete them after.
## `make bench-learn LEARN_MB=0` skips the large scrape.
LEARN_SMALL := $(foreach n,$(LEARN_SITES),target/learn-sites-$(n))

bench-learn: build $(if $(filter-out 0,$(LEARN_MB)),$(LEARN_CORPUS)/.done) \
		$(addsuffix /.done,$(LEARN_SMALL))
	for corpus in $(if $(filter-out 0,$(LEARN_MB)),$(LEARN_CORPUS)) $(LEARN_SMALL); do \
		$(PYTHON) contrib/bench_learn.py $(BIN) $$corpus target/learned-rules \
			--repeat $(LEARN_REPEAT) || exit 1; \
	done

$(LEARN_CORPUS)/.done:
	$(PYTHON) contrib/gen_site_corpus.py $(LEARN_CORPUS) $(LEARN_MB) 50
	touch $@

## Time and peak memory of `declutr clean` on inputs that grow in one direction: short
## lines, blank lines, `<p>a</p>` paragraphs, attributes of one element and table rows, at
## each of HOSTILE_SIZES (generated into $(HOSTILE_DIR) if missing; delete it after).
HOSTILE_DIR ?= target/hostile
HOSTILE_SIZES ?= 10000 100000 1000000
bench-hostile: build
	$(PYTHON) contrib/bench_hostile.py $(BIN) $(HOSTILE_DIR) $(HOSTILE_SIZES)

target/learn-sites-%/.done:
	$(PYTHON) contrib/gen_site_corpus.py $(dir $@) --sites $* --pages $(LEARN_PAGES)
	touch $@

## Clean the samples, as JSON Lines, with a local Spark job piping each partition through
## declutr (contrib/spark/declutr_pipe.py, see docs/spark.md), and check that the result
## equals one declutr run over the same file. Needs Java 17+ and pyspark from PyPI; not
## part of `make test`.
spark-demo: build $(SPARK_VENV)/.installed
	@test -n "$$JAVA_HOME" || command -v java >/dev/null || \
		{ echo "spark-demo needs Java 17 or later (java on PATH, or JAVA_HOME)"; exit 1; }
	rm -rf $(SPARK_DEMO) && mkdir -p $(SPARK_DEMO)
	$(PYTHON) contrib/spark/samples_to_jsonl.py samples > $(SPARK_DEMO)/samples.jsonl
	SPARK_CONF_DIR=$(abspath contrib/spark/conf) SPARK_LOCAL_IP=127.0.0.1 \
	PYSPARK_PYTHON=$(abspath $(SPARK_VENV))/bin/python \
		$(SPARK_VENV)/bin/spark-submit --master 'local[2]' --files $(BIN) \
		contrib/spark/declutr_pipe.py $(SPARK_DEMO)/samples.jsonl $(SPARK_DEMO)/spark-out \
		--partitions 4
	$(BIN) clean $(SPARK_DEMO)/samples.jsonl --input-format jsonl --quiet \
		> $(SPARK_DEMO)/single.jsonl
	$(PYTHON) contrib/spark/compare.py $(SPARK_DEMO)/samples.jsonl $(SPARK_DEMO)/single.jsonl \
		$(SPARK_DEMO)/spark-out

# The virtualenv is created once; pyspark is installed again when the pin changes.
$(SPARK_VENV)/.installed: contrib/spark/requirements.txt
	test -x $(SPARK_VENV)/bin/python || $(PYTHON) -m venv $(SPARK_VENV)
	$(SPARK_VENV)/bin/pip install --quiet --disable-pip-version-check -r $<
	touch $@

## Fuzz the text pipeline, the HTML pipeline, the rule loader and the WARC reader,
## FUZZ_SECONDS each (default 600), one after the other (`make fuzz-rules` runs one). Needs
## cargo-fuzz and a nightly toolchain. The corpus grows in fuzz/corpus/, findings land in fuzz/artifacts/;
## libFuzzer stops at the first crash, timeout or out-of-memory and the target exits non-zero.
fuzz: fuzz-text fuzz-html fuzz-rules fuzz-warc

# Seeds: fuzz/seeds/TARGET, and the bundled samples' folders for the page targets.
FUZZ_SAMPLES_text := $(filter-out samples/html-%,$(wildcard samples/*/))
FUZZ_SAMPLES_html := $(wildcard samples/html-*/)

fuzz-text fuzz-html fuzz-rules fuzz-warc: fuzz-%:
	mkdir -p fuzz/corpus/$*
	$(CARGO) +nightly fuzz run $* fuzz/corpus/$* fuzz/seeds/$* $(FUZZ_SAMPLES_$*) -- \
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

## Score all five development sets, one line each: dev text and HTML, dev-insc (the same
## pages from a second dumper), dev-other text and HTML (pages that are not articles).
## Outputs and per-document rows land in $(EVAL_OUT)/<set>/ and $(EVAL_OUT)/<set>-rows.tsv.
EVAL_SETS := dev:text dev:html dev-insc:text dev-other:text dev-other:html
eval: build
	@for s in $(EVAL_SETS); do \
		set=$${s%%:*}; kind=$${s##*:}; name=$$set-$$kind; dir=$(EVAL_OUT)/$$name; \
		flags=$$( [ $$kind = html ] && echo --no-header ); \
		rm -rf $$dir; \
		$(BIN) clean $(DEV)/../$$set/$$kind -o $$dir --quiet $$flags || exit 1; \
		python3 $(DEV)/../score.py $(DEV)/../$$set $$dir --per-doc $(EVAL_OUT)/$$name-rows.tsv \
			| head -n 1 || exit 1; \
	done
