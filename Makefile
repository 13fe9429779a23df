.PHONY: run test bench

## install, initialise the embedded store, load the plan and reference data, serve on :8000
run:
	bash scripts/run.sh

## install the test dependencies, prepare PostgreSQL, run lint, types, contracts and every test
test:
	bash scripts/test.sh

## print the benchmark figures
bench:
	bash scripts/bench.sh
