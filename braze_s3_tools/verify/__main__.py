"""`python -m braze_s3_tools.verify`: see `braze_s3_tools.verify.command`."""

import sys

from braze_s3_tools.verify.command import main

sys.exit(main())
