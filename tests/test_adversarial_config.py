"""Generated stack configs, valid and broken: a clean plan or the named-key error, never a traceback.

Example counts come from BRAZE_FUZZ_CONFIGS (default 400 here; `make bench` runs 1,500).
"""

from __future__ import annotations

import json
import os
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from braze_s3_tools.engine.harness import run_program
from braze_s3_tools.engine.stack_files import load_stack_config
from components.config.stack import parse_settings
from components.errors import InvalidConfigError

CONFIGS = int(os.environ.get("BRAZE_FUZZ_CONFIGS", "400"))
PROGRAM_RUNS = max(CONFIGS // 10, 20)

weird_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
folderish = st.one_of(
    st.sampled_from(
        [
            "currents",
            "currents/",
            "currents/eu",
            "/currents",
            "a//b",
            "..",
            "a/../b",
            "",
            " ",
            "x*",
            "é/ü",
            "currents-marketing",
            "a" * 300,
        ]
    ),
    st.from_regex(r"[a-z]{1,8}(/[a-z]{1,8}){0,3}/?", fullmatch=True),
    weird_text,
)
scalar = st.one_of(st.none(), st.booleans(), st.integers(-(2**40), 2**40), st.floats(allow_nan=False), weird_text)
anything = st.recursive(
    scalar,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(weird_text, inner, max_size=4)),
    max_leaves=12,
)
external_ids = st.one_of(st.lists(st.one_of(st.uuids().map(str), weird_text), max_size=7), anything)
key_generations = st.one_of(
    st.lists(st.one_of(st.from_regex(r"20[0-9]{2}-[0-9]{2}", fullmatch=True), weird_text), max_size=4), anything
)


def connector(index: int) -> st.SearchStrategy[dict[str, Any]]:
    keys = {
        "name": st.one_of(st.just(f"c{index}"), st.sampled_from(["main", "Main", "", "a" * 40, "dup"]), weird_text),
        "folderPath": folderish,
        "auth": st.sampled_from(["role", "accessKey", "roles", "", "ROLE", None]),
        "externalIds": external_ids,
        "accessKeys": key_generations,
        "sse": st.one_of(st.booleans(), st.sampled_from(["true", "yes", 1])),
        "objectScope": st.sampled_from(["folder", "bucket", "prefix"]),
        "lifecycle": st.one_of(
            st.fixed_dictionaries(
                {},
                optional={
                    "expirationDays": st.integers(-5, 40000),
                    "transitions": st.lists(
                        st.fixed_dictionaries(
                            {
                                "days": st.integers(-1, 400),
                                "storageClass": st.sampled_from(["STANDARD_IA", "GLACIER", "COLD"]),
                            }
                        ),
                        max_size=3,
                    ),
                },
            ),
            anything,
        ),
        "folderpath": weird_text,  # a typo
    }
    return st.fixed_dictionaries({}, optional=keys)


def valid_connector(index: int) -> st.SearchStrategy[dict[str, Any]]:
    role = st.fixed_dictionaries(
        {"auth": st.just("role"), "externalIds": st.lists(st.uuids().map(str), min_size=1, max_size=2, unique=True)}
    )
    keys = st.fixed_dictionaries(
        {
            "auth": st.just("accessKey"),
            "accessKeys": st.lists(
                st.from_regex(r"20[0-9]{2}-[0-9]{2}", fullmatch=True), min_size=1, max_size=2, unique=True
            ),
        }
    )
    extra = st.fixed_dictionaries(
        {},
        optional={
            "sse": st.booleans(),
            "objectScope": st.sampled_from(["folder", "bucket"]),
            "lifecycle": st.fixed_dictionaries({"expirationDays": st.integers(31, 4000)}),
        },
    )
    return st.tuples(st.one_of(role, keys), extra).map(
        lambda parts: {"name": f"c{index}", "folderPath": f"events/c{index}", **parts[0], **parts[1]}
    )


valid_configs = st.fixed_dictionaries(
    {
        "brazeAccountId": st.just("716373062512"),
        "bucket": st.fixed_dictionaries(
            {"name": st.from_regex(r"[a-z0-9][a-z0-9-]{1,40}[a-z0-9]", fullmatch=True)},
            optional={"protect": st.booleans(), "versioning": st.booleans()},
        ),
        "currents": st.integers(0, 8).flatmap(lambda n: st.tuples(*(valid_connector(i) for i in range(n))).map(list)),
    },
    optional={
        "dashboardExport": st.fixed_dictionaries(
            {"auth": st.just("role"), "externalIds": st.lists(st.uuids().map(str), min_size=1, max_size=2, unique=True)}
        ),
        "tags": st.dictionaries(
            st.from_regex(r"[a-z]{1,10}", fullmatch=True), st.from_regex(r"[a-z0-9 ]{0,10}", fullmatch=True), max_size=3
        ),
    },
)

broken_configs = st.fixed_dictionaries(
    {},
    optional={
        "brazeAccountId": st.one_of(
            st.just("716373062512"), st.from_regex(r"[0-9]{10,13}", fullmatch=True), weird_text
        ),
        "bucket": st.one_of(
            st.fixed_dictionaries(
                {
                    "name": st.one_of(
                        st.just("acme-braze-dev"),
                        st.from_regex(r"[a-z0-9][a-z0-9.-]{1,70}", fullmatch=True),
                        weird_text,
                    )
                },
                optional={
                    "protect": scalar,
                    "versioning": scalar,
                    "retainOnDelete": scalar,
                    "lifecycle": anything,
                    "protcet": scalar,
                },
            ),
            anything,
        ),
        "currents": st.one_of(st.lists(st.integers(0, 30).flatmap(connector), max_size=12), anything),
        "dashboardExport": st.one_of(
            st.fixed_dictionaries(
                {},
                optional={
                    "auth": st.sampled_from(["role", "accessKey", "x"]),
                    "externalIds": external_ids,
                    "accessKeys": key_generations,
                },
            ),
            anything,
        ),
        "tags": st.one_of(st.dictionaries(weird_text, st.one_of(weird_text, scalar), max_size=5), anything),
        "iamPath": st.one_of(st.just("/braze/"), weird_text),
        "curents": anything,
    },
)


configs = st.one_of(valid_configs, broken_configs)


def as_engine_strings(config: dict[str, Any]) -> dict[str, str]:
    """What the CLI hands the program: plain strings as they are, everything else as JSON."""
    return {k: v if isinstance(v, str) else json.dumps(v) for k, v in config.items()}


@settings(max_examples=CONFIGS, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(configs)
def test_any_config_validates_or_fails_with_named_keys(config: dict[str, Any]) -> None:
    try:
        parse_settings(as_engine_strings(config), region="eu-west-1")
        event("valid config")
    except InvalidConfigError as error:
        event("invalid config")
        assert error.issues, "an error without a single issue"
        for issue in error.issues:
            assert issue.path.startswith("braze-s3:"), issue
            assert issue.message and "Traceback" not in issue.message


@settings(
    max_examples=PROGRAM_RUNS, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(configs)
def test_the_program_registers_everything_or_nothing(config: dict[str, Any]) -> None:
    stack = load_stack_config("dev")
    stack.values = {k: v for k, v in stack.values.items() if not k.startswith("braze-s3:")}
    stack.values.update({f"braze-s3:{k}": v for k, v in as_engine_strings(config).items()})
    run = run_program("dev", config=stack)
    event("plan failed cleanly" if run.error else "plan registered the stack")
    if run.error is not None:
        assert run.resources == [], "a failed config registered resources"
        assert run.error.splitlines()[0].endswith("in the braze-s3 stack configuration:")
    else:
        assert any(r.type == "aws:s3/bucket:Bucket" for r in run.resources)
