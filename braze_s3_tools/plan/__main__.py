"""`python -m braze_s3_tools.plan`: see `braze_s3_tools.plan.command`."""

import sys

from braze_s3_tools.plan.command import main

sys.exit(main())
