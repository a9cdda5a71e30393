"""The portal's own settings (ibsu.settings), read from the same environment.

One difference only: collected static files go to the bench's scratch folder,
not the checkout's staticfiles/, so a bench run never touches the checkout.
"""

import os
from pathlib import Path

from ibsu.settings import *  # noqa: F403

STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])
