"""Bench only: the project's settings plus one signed-in page that does nothing.

`bench/tasks_throughput.py` serves it next to /tasks/ to measure the floor of this stack: the
same middleware, sessions and authentication, no query of our own and no template.
"""

from covidarnost.settings import *  # noqa: F403

ROOT_URLCONF = "floor_urls"
