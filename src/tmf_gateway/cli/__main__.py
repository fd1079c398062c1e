"""`python -m tmf_gateway.cli`: the same command line as `tmf-gateway`."""

import sys

from . import main

sys.exit(main())
