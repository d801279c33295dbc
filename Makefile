# The two commands of the README work on a machine with only python3 and make:
#   make plan   (STACK=prod make plan)   the offline plan of a stack, with the policy pack
#   make test                            the test suite
#   make verify-local                    the credential check against a local S3/IAM emulator (moto)
#   make bench                           benchmarks into docs/benchmarks.md, adversarial suites at full counts
VENV ?= venv
PYTHON ?= python3
PY := $(VENV)/bin/python
STACK ?= dev
ARGS ?=

.PHONY: install plan test verify-local bench check lint typecheck clean docs policypack-venv test-lowest test-latest mutation lock

# Recipes are silent (@): `make plan ARGS=--json | jq .` gets the plan's JSON and nothing else
# on stdout (pip's notes go to stderr). make itself exits 2 whatever a recipe's status was; the
# plan's own status (0/1/2/3) comes from `venv/bin/python -m braze_s3_tools.plan` (README).
install: $(VENV)/.installed

# Installs exactly the lock (requirements-dev.txt: every version pinned, every file's hash checked,
# nothing resolved at install time); the ranges it was resolved from are the *.in files.
$(VENV)/.installed: requirements-dev.txt
	@$(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements-dev.txt >&2
	@touch $@

# Re-resolves every lock from its ranges (uv: one universal resolution, valid on Linux and macOS,
# every Python >= 3.11): requirements-dev.txt first, then the program's, the pack's and the
# plugin's locks constrained by it, so all four agree on every shared package. Review the diff.
lock: $(VENV)/.installed
	@$(PY) -m braze_s3_tools.devtools.lock

plan: $(VENV)/.installed
	@$(PY) -m braze_s3_tools.plan --stack $(STACK) $(ARGS)

verify-local: $(VENV)/.installed
	@$(PY) -m braze_s3_tools.emulator.verify_local --stack $(STACK) $(ARGS)

# Writes docs/benchmarks.md, then runs the adversarial suites at full counts.
bench: $(VENV)/.installed
	$(PY) -m braze_s3_tools.devtools.bench
	BRAZE_FUZZ_CONFIGS=1500 BRAZE_FUZZ_RESOURCES=6000 $(PY) -m pytest -q tests/test_adversarial_config.py tests/pack/test_adversarial_pack.py

test: $(VENV)/.installed
	$(PY) -m pytest $(ARGS)

lint: $(VENV)/.installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/actionlint .github/workflows/*.yml

typecheck: $(VENV)/.installed
	$(PY) -m mypy

check: lint typecheck test

# The pack's own virtualenv: `pulumi preview --policy-pack policypack` runs the pack from
# policypack/venv (PulumiPolicy.yaml `virtualenv: venv`) and the CLI never creates it (only
# `pulumi install` inside policypack/ does). policypack/.gitignore keeps it out of
# `pulumi policy publish`.
policypack-venv: policypack/venv/.installed

policypack/venv/.installed: policypack/requirements.lock
	@$(PYTHON) -m venv policypack/venv
	@policypack/venv/bin/python -m pip install --quiet --require-hashes --no-deps -r policypack/requirements.lock >&2
	@touch $@

# Every requirements file at the lowest versions it allows (the floors a runner may resolve):
# the program's and the pack's tests must pass on them too.
test-lowest:
	@$(PYTHON) -m venv venv-lowest
	@venv-lowest/bin/python -m pip install --quiet --upgrade pip >&2
	@$(PYTHON) .ci/lowest_requirements.py requirements-dev.in > venv-lowest/constraints.txt
	@venv-lowest/bin/python -m pip install --quiet -r requirements-dev.in -c venv-lowest/constraints.txt >&2
	@venv-lowest/bin/python -m pip freeze | grep -i -E '^(pulumi|pulumi-aws|pulumi_aws|pulumi-policy|pulumi_policy|boto3|moto|pytest)=='
	BRAZE_S3_LOWEST_CONSTRAINTS=venv-lowest/constraints.txt venv-lowest/bin/python -m pytest -q -p no:cacheprovider

# The suite on the newest versions the ranges allow (venv-latest/), naming the package that broke
# it; the weekly workflow .github/workflows/latest.yml runs it. Not in .ci/run: the locks are.
test-latest: $(VENV)/.installed
	@$(PY) -m braze_s3_tools.devtools.latest

# Mutation testing (mutmut) of the modules that decide: the pack's rules and model, verify, the
# config validation. Slow (thousands of mutants: about an hour on 2 cores), so not part of
# .ci/run. Writes docs/mutation.md; ARGS="--only 'braze_rules.rules.*'" narrows it.
mutation: $(VENV)/.installed
	$(PY) -m braze_s3_tools.devtools.mutation $(ARGS)

# docs/config.md and Pulumi.yaml's config declarations from the config table
# (components/config/schema.py); tests hold both equal to the table.
docs: $(VENV)/.installed
	$(PY) -m components.config.docs > docs/config.md
	$(PY) -m components.config.docs --pulumi-yaml
	$(PY) -m components.config.typed_args > components/braze_s3_args.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

.PHONY: pulumi real-preview test-real

# The differential tests with the real Pulumi CLI as the oracle (tests/real, marker real): config, preview,
# policies before the step, upgrades, the component package, the e2e on moto. The CLI comes from
# `make pulumi` (a user's own >= the floor, else the pinned build); with neither a CLI nor Go the run fails
# with that reason — it never passes by skipping. .ci/run runs it.
test-real: $(VENV)/.installed
	@bash tools/pulumi-cli/pulumi.sh >/dev/null
	$(PY) -m pytest -m real tests/real $(ARGS)

# The Pulumi CLI to use, its path as the last line: a `pulumi` >= 3.187.0 on PATH, else the pinned build
# (tools/pulumi-cli: built from Go modules into $${BRAZE_S3_CACHE:-~/.cache/braze-s3}, reused when present).
pulumi:
	@bash tools/pulumi-cli/pulumi.sh

# The real `pulumi preview --json` of $(STACK) (stdout: the CLI's JSON alone; the CLI's exit status), offline,
# on a copy of the project, with the policy pack and the stand-in aws provider (braze_s3_tools/realcli).
real-preview: $(VENV)/.installed
	@$(PY) -m braze_s3_tools.realcli.preview --stack $(STACK) $(ARGS)

.PHONY: e2e

# The real chain on an emulated AWS, offline: moto on a free loopback port, the real `pulumi up` of $(STACK)
# (program, policy pack, the stand-in aws provider: a test double of AWS backed by moto), verify fed by the
# real `pulumi stack output --json --show-secrets`, a second up that must change nothing, `pulumi destroy`,
# then what is left in the emulator (README, "Deploying for real"). Exit status 1 on any failed step.
e2e: $(VENV)/.installed
	@$(PY) -m braze_s3_tools.realcli.e2e --stack $(STACK) $(ARGS)

.PHONY: example-typescript

# The component package from TypeScript, for real: the real CLI's `pulumi package add` of a copy of provider/ into
# a copy of examples/typescript in $${BRAZE_S3_CACHE:-~/.cache/braze-s3}/example-typescript (the SDK generated by
# pulumi-language-nodejs, npm install from the npm registry with examples/typescript/package-lock.json), then
# `tsc --noEmit`; tsc's errors and exit status (2: no CLI, node or npm, or package add failed). Never writes the work tree.
example-typescript: $(VENV)/.installed
	@$(PY) -m braze_s3_tools.realcli.example_typescript $(ARGS)
