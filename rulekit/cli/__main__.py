"""``python -m rulekit.cli ...``: the command line without the console script.

The same as ``rulekit ...`` (:func:`rulekit.cli.main`), for a checkout without the console
script installed and for ``python -X importtime -m rulekit.cli evaluate FILE``.
"""

import sys

from rulekit.cli import main

sys.exit(main())
