"""What Braze needs and cannot use on S3: the facts every rule rests on.

Source: Braze's Amazon S3 documentation (see the project's shared/braze-s3-facts.md).
"""

from __future__ import annotations

# Braze's only publicly seen AWS account id (one US deployment). Other clusters may use
# another account: organisations list theirs in the pack config `brazeAccountIds`.
DEFAULT_BRAZE_ACCOUNT_IDS: tuple[str, ...] = ("716373062512",)

CURRENTS = "currents"
DASHBOARD_EXPORT = "dashboard-export"
INTEGRATIONS = (CURRENTS, DASHBOARD_EXPORT)

BUCKET_ACTIONS = ("s3:ListBucket", "s3:GetBucketLocation")
CURRENTS_OBJECT_ACTIONS = ("s3:PutObject", "s3:GetObject")
DASHBOARD_EXPORT_OBJECT_ACTIONS = ("s3:PutObject", "s3:GetObject", "s3:DeleteObject")
BRAZE_ACTIONS = (*BUCKET_ACTIONS, *DASHBOARD_EXPORT_OBJECT_ACTIONS)

# The tag contract of the braze-s3 program (components/tags.py there).
TAG_BUCKET = "braze:bucket"
TAG_INTEGRATION = "braze:integration"
TAG_CONNECTOR = "braze:connector"
TAG_FOLDER_PATH = "braze:folder-path"
# The tag contract: only these keys make a resource Braze's. Other `braze:` keys (`braze:owner`, a cost
# tag spread by a provider's defaultTags) are an organisation's own and say nothing about Braze.
CONTRACT_TAGS = frozenset({TAG_BUCKET, TAG_INTEGRATION, TAG_CONNECTOR, TAG_FOLDER_PATH})
# The program's components, and the package's top-level component (braze-s3:index:BrazeS3).
COMPONENT_TYPE_PREFIX = ("braze:s3:", "braze-s3:index:")
COMPONENT_INTEGRATION = {
    "braze:s3:CurrentsConnector": CURRENTS,
    "braze:s3:DashboardExport": DASHBOARD_EXPORT,
}

# Braze's own prefixes in an export bucket (the Technology Partners bucket): message archiving writes one
# JSON per message sent under sent_messages/<channel>/<md5 | phone | e-mail | push token>/…, so key names
# hold e-mail addresses and phone numbers in clear; segment and user exports write their zips under
# segment-export/. A Currents folder must never be, lie inside or contain one of them. (The program's
# copy is components/naming.py BRAZE_RESERVED_PREFIXES; tests/test_folder_overlap_agreement.py holds
# the two equal. This copy is authoritative for the pack, which is published alone.)
BRAZE_RESERVED_PREFIXES: dict[str, str] = {
    "sent_messages": "message archiving: its key names hold e-mail addresses and phone numbers in clear",
    "segment-export": "segment and user exports, which have no download link: the bucket is their only copy",
}

LOSS = "events Braze cannot write are dropped after 48 hours to 5 days and cannot be replayed"
DOCS_URL = "https://www.braze.com/docs/partners/data_and_infrastructure_agility/cloud_storage/amazon_s3"


def normalise_folder(path: str) -> str:
    """A folder as S3 keys see it: no leading or trailing slash, no empty segment."""
    return "/".join(part for part in path.split("/") if part)


def folders_overlap(a: str, b: str) -> bool:
    """Same folder, or one inside the other (`a` vs `a/b`, never `a` vs `ab`)."""
    a, b = normalise_folder(a), normalise_folder(b)
    return a == b or a.startswith(b + "/") or b.startswith(a + "/")


def reserved_prefix_of(folder: str) -> str | None:
    """The Braze prefix a Currents folder is, lies inside, or contains (the bucket root, `""`, contains
    them all), or None. Whole segments: `sent_messages_x` is not `sent_messages`."""
    for prefix in BRAZE_RESERVED_PREFIXES:
        if normalise_folder(folder) == "" or folders_overlap(folder, prefix):
            return prefix
    return None


def key_pattern_reaches(pattern: str, prefix: str) -> bool:
    """Whether an IAM key pattern (`*` any run, `?` one character) matches some key under `prefix/`
    (not the bare `prefix/` folder marker).

    The pattern is run as an automaton over `prefix/`; a state still alive before the pattern's end
    goes on to match a longer key, since each remaining pattern character can be met by a chosen one."""
    target = normalise_folder(prefix) + "/"

    def closure(states: set[int]) -> set[int]:
        found = set(states)
        for state in states:
            position = state
            while position < len(pattern) and pattern[position] == "*":
                position += 1
                found.add(position)
        return found

    states = closure({0})
    for char in target:
        moved: set[int] = set()
        for state in states:
            if state >= len(pattern):
                continue
            wanted = pattern[state]
            if wanted == "*":
                moved.add(state)  # the star takes this character and stays
            elif wanted in ("?", char):
                moved.add(state + 1)
        states = closure(moved)
    return any(state < len(pattern) for state in states)
