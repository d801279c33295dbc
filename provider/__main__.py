"""The braze-s3 component package: hosts `BrazeS3` for programs in any language.

The Python language host runs `python <this directory> <engine address>` (`RunPlugin` in
pulumi/pulumi sdk/python/cmd/pulumi-language-python/main.go); `component_provider_host` infers the
schema from the component's annotations and serves `GetSchema` and `Construct`.
"""

import sys
from pathlib import Path

# The components live next to this directory, in the repository the CLI fetched.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pulumi.provider.experimental import component_provider_host

from components.braze_s3 import PACKAGE, BrazeS3
from components.version import VERSION

if __name__ == "__main__":
    component_provider_host(components=[BrazeS3], name=PACKAGE, version=VERSION)
